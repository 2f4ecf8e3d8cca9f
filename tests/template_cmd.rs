//! `chartr template` behaviour that only chartr has, or that only one Helm shares: the
//! post-renderer (Helm v3's exec protocol; Helm v4 takes a plugin name instead) and the
//! wording of chartr's errors (insta snapshots under snapshots/).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn pairs(case: &str, side: &str) -> PathBuf {
    common::root()
        .join("tests/fixtures/pairs")
        .join(case)
        .join(side)
}

fn postrender(script: &str) -> String {
    common::root()
        .join("tests/fixtures/postrender")
        .join(script)
        .to_string_lossy()
        .into_owned()
}

fn run(cmd: Command, args: &[&str]) -> Output {
    let scratch = tempfile::tempdir().expect("temp folder");
    common::run_in(cmd, scratch.path(), args)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Exit code and standard error, with the project's root folder written as `[ROOT]`.
fn failure(out: &Output) -> String {
    let root = common::root().to_string_lossy().into_owned();
    format!(
        "exit: {:?}\nstdout: {:?}\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr).replace(&root, "[ROOT]")
    )
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({
            snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"),
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

#[test]
fn post_renderer_output_is_helm_v3s() {
    let [(_, v3), (_, v4)] = common::helms();
    let script = postrender("mark.sh");
    for extra in [
        vec![
            "--post-renderer-args",
            "one",
            "--post-renderer-args",
            "two words",
        ],
        vec!["-s", "templates/b.yaml", "-s", "templates/a.yaml"],
    ] {
        let mut args = vec!["template", "--post-renderer", &script];
        args.extend(extra.iter().copied());
        let go = pairs("show-only", "go");
        let jinja = pairs("show-only", "jinja");
        let mut helm_args = args.clone();
        let go_s = go.to_string_lossy();
        helm_args.push(&go_s);
        let mut our_args = args.clone();
        let jinja_s = jinja.to_string_lossy();
        our_args.push(&jinja_s);

        let h3 = run(Command::new(v3), &helm_args);
        let ours = run(common::chartr(), &our_args);
        assert!(h3.status.success(), "helm v3: {}", text(&h3.stderr));
        assert!(ours.status.success(), "chartr: {}", text(&ours.stderr));
        assert!(text(&ours.stdout).contains("# marked"));
        assert_eq!(text(&ours.stdout), text(&h3.stdout), "args {extra:?}");

        // Helm v4 reads --post-renderer as a plugin name and refuses a path: the recorded
        // difference between the two Helms.
        let h4 = run(Command::new(v4), &helm_args);
        assert_eq!(h4.status.code(), Some(1));
        assert!(
            text(&h4.stderr).contains("Type:postrenderer/v1} not found"),
            "{}",
            text(&h4.stderr)
        );
    }
}

#[test]
fn post_renderer_sees_hooks_and_feeds_output_dir() {
    // Unlike Helm v3 (which leaves hooks out of the post-renderer and, with --output-dir,
    // pipes it nothing), chartr post-renders the whole stream, as Helm v4 does with plugins.
    let chart = pairs("output-dir", "jinja");
    let script = postrender("mark.sh");
    let ours = run(
        common::chartr(),
        &[
            "template",
            "--post-renderer",
            &script,
            &chart.to_string_lossy(),
        ],
    );
    assert!(ours.status.success(), "{}", text(&ours.stderr));
    let out = text(&ours.stdout);
    assert!(out.starts_with("# post-rendered with: \n---\n# Source: outdir/templates/multi.yaml"));
    assert!(out.contains("name: h1\n"), "hooks are post-rendered: {out}");

    let scratch = tempfile::tempdir().expect("temp folder");
    let ours = common::run_in(
        common::chartr(),
        scratch.path(),
        &[
            "template",
            "--post-renderer",
            &script,
            "--output-dir",
            "OUT",
            &chart.to_string_lossy(),
        ],
    );
    assert!(ours.status.success(), "{}", text(&ours.stderr));
    let file = std::fs::read_to_string(scratch.path().join("OUT/outdir/templates/multi.yaml"))
        .expect("multi.yaml written");
    assert!(file.contains("kind: ConfigMap # marked"), "{file}");
    assert!(
        file.starts_with("---\n# Source: outdir/templates/multi.yaml\n"),
        "{file}"
    );
}

#[test]
fn unknown_hook_notice_is_helm_v4s() {
    // Helm logs dropped hooks with unknown events at INFO level on standard error.
    let [_, (_, v4)] = common::helms();
    let h4 = run(
        Command::new(v4),
        &["template", &pairs("hooks", "go").to_string_lossy()],
    );
    let ours = run(
        common::chartr(),
        &["template", &pairs("hooks", "jinja").to_string_lossy()],
    );
    assert!(h4.status.success() && ours.status.success());
    assert!(text(&h4.stderr).contains("skipping unknown hooks"));
    assert_eq!(text(&ours.stderr), text(&h4.stderr));
}

fn tree(dir: &Path) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("readable"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .expect("under dir")
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read_to_string(e.path()).expect("text"),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn output_dir_rerun_rewrites_instead_of_appending_hooks() {
    let [_, (_, v4)] = common::helms();
    let go = pairs("output-dir", "go");
    let jinja = pairs("output-dir", "jinja");
    let run_twice = |cmd: &dyn Fn() -> Command, chart: &Path| {
        let scratch = tempfile::tempdir().expect("temp folder");
        std::fs::create_dir_all(scratch.path().join("OUT")).expect("mkdir");
        std::fs::write(scratch.path().join("OUT/keep.txt"), "mine\n").expect("write");
        let args = ["template", "--output-dir", "OUT", &chart.to_string_lossy()];
        let first = common::run_in(cmd(), scratch.path(), &args);
        assert!(first.status.success(), "{}", text(&first.stderr));
        let once = tree(scratch.path());
        let second = common::run_in(cmd(), scratch.path(), &args);
        assert!(second.status.success(), "{}", text(&second.stderr));
        (once, tree(scratch.path()))
    };
    let (h_once, h_twice) = run_twice(&|| Command::new(v4), &go);
    let (c_once, c_twice) = run_twice(&|| common::chartr(), &jinja);
    assert_eq!(c_once, h_once, "first run into an existing folder");
    assert_eq!(c_twice, c_once, "chartr's second run changes nothing");
    // Helm's second run appends the hook-only file's documents again: the documented
    // difference.
    let hooks = "OUT/outdir/templates/only-hooks.yaml";
    let count = |t: &[(String, String)]| {
        t.iter()
            .find(|(p, _)| p == hooks)
            .map(|(_, c)| c.matches("# Source:").count())
    };
    assert_eq!(count(&h_once), Some(2));
    assert_eq!(count(&h_twice), Some(4));
    assert!(c_twice
        .iter()
        .any(|(p, c)| p == "OUT/keep.txt" && c == "mine\n"));
}

fn chartr_fails(args: &[&str]) -> String {
    let out = run(common::chartr(), args);
    assert_eq!(out.status.code(), Some(1), "{}", failure(&out));
    failure(&out)
}

#[test]
fn error_post_renderer_fails() {
    let chart = pairs("show-only", "jinja");
    let e = chartr_fails(&[
        "template",
        "--post-renderer",
        &postrender("fail.sh"),
        &chart.to_string_lossy(),
    ]);
    snapshot!("template_error_post_renderer_fails", e);
}

#[test]
fn error_post_renderer_not_found() {
    let chart = pairs("show-only", "jinja");
    let e = chartr_fails(&[
        "template",
        "--post-renderer",
        "./no-such-renderer",
        &chart.to_string_lossy(),
    ]);
    snapshot!("template_error_post_renderer_not_found", e);
}

#[test]
fn error_yaml_parse() {
    let chart = pairs("yaml-error", "jinja");
    let e = chartr_fails(&["template", &chart.to_string_lossy()]);
    snapshot!("template_error_yaml_parse", e);
}

#[test]
fn error_show_only_not_found() {
    let chart = pairs("show-only", "jinja");
    let e = chartr_fails(&[
        "template",
        "-s",
        "templates/a.yaml",
        "-s",
        "templates/nope*.yaml",
        &chart.to_string_lossy(),
    ]);
    snapshot!("template_error_show_only_not_found", e);
}

#[test]
fn error_bad_release_name() {
    let chart = pairs("show-only", "jinja");
    let e = chartr_fails(&["template", "My_Release", &chart.to_string_lossy()]);
    snapshot!("template_error_bad_release_name", e);
}

#[test]
fn error_output_dir_writes_nothing() {
    let chart = pairs("yaml-error", "jinja");
    let scratch = tempfile::tempdir().expect("temp folder");
    let out = common::run_in(
        common::chartr(),
        scratch.path(),
        &["template", "--output-dir", "OUT", &chart.to_string_lossy()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(!Path::new(&scratch.path().join("OUT")).exists());
}
