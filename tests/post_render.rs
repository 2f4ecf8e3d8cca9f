//! `chartr post-render` driven by real Helm: as a Helm v4.1.4 `postrenderer/v1` plugin
//! (plugins/chartr installed into a temporary Helm home) and as a Helm v3.17.3 executable, on
//! the Go-template chart tests/fixtures/postrender-chart (images in every workload kind and an
//! EnvoyProxy, hooks, a cluster-scoped CRD). Then chartr chaining itself, and bad input.

mod common;

use chartr::manifest::split_manifests;
use chartr::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const MIRROR: &str = "mirror.example.com";

fn chart() -> String {
    common::root()
        .join("tests/fixtures/postrender-chart")
        .to_string_lossy()
        .into_owned()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn chartr_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_chartr"))
}

/// A Helm home of its own (cache, config, data) with plugins/chartr installed when asked.
struct HelmHome {
    dir: tempfile::TempDir,
}

impl HelmHome {
    fn new() -> HelmHome {
        HelmHome {
            dir: tempfile::tempdir().expect("temp folder"),
        }
    }

    fn helm(&self, helm: &Path) -> Command {
        let mut c = Command::new(helm);
        let d = self.dir.path();
        c.env("HELM_CACHE_HOME", d.join("cache"))
            .env("HELM_CONFIG_HOME", d.join("config"))
            .env("HELM_DATA_HOME", d.join("data"))
            .env_remove("HELM_PLUGINS")
            .env_remove("CHARTR_BIN")
            .current_dir(d)
            .stdin(Stdio::null());
        c
    }

    fn install_plugin(&self, helm: &Path) {
        let out = self
            .helm(helm)
            .args(["plugin", "install"])
            .arg(common::root().join("plugins/chartr"))
            .output()
            .expect("helm runs");
        assert!(
            out.status.success(),
            "helm plugin install: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        assert!(text(&out.stdout).contains("Installed plugin: chartr"));
    }
}

fn ok(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what}: exit {:?}\n{}",
        out.status.code(),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// One document of `helm template`'s output: its `# Source:` file, kind/name, images.
#[derive(Debug, Clone, PartialEq)]
struct Doc {
    source: String,
    id: String,
    images: Vec<String>,
    is_hook: bool,
}

fn all_images(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("image" | "reference", Value::String(s)) => out.push(s.clone()),
                    _ => all_images(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| all_images(x, out)),
        _ => {}
    }
}

fn docs(stream: &str) -> Vec<Doc> {
    split_manifests(stream)
        .iter()
        .map(|d| {
            let source = d
                .strip_prefix("# Source: ")
                .and_then(|r| r.lines().next())
                .unwrap_or("")
                .to_string();
            let v = chartr::yaml::parse(d, "doc").expect("helm prints YAML");
            let s = |p: &str| {
                v.pointer(p)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            let mut images = Vec::new();
            all_images(&v, &mut images);
            Doc {
                source,
                id: format!("{}/{}", s("/kind"), s("/metadata/name")),
                images,
                is_hook: v.pointer("/metadata/annotations/helm.sh~1hook").is_some(),
            }
        })
        .collect()
}

/// The post-rendered documents are the same documents, in the same files and order, with every
/// image under the mirror — except the ConfigMap's text, and (Helm v3) hooks.
fn check_rewritten(before: &[Doc], after: &[Doc], hooks_sent: bool) {
    assert_eq!(before.len(), 15, "the fixture renders 15 documents");
    let ids = |d: &[Doc]| -> Vec<(String, String)> {
        d.iter().map(|x| (x.source.clone(), x.id.clone())).collect()
    };
    assert_eq!(ids(after), ids(before), "every document back in its file");
    assert!(!after
        .iter()
        .any(|d| d.source.contains("generated-by-postrender")));
    let mut rewritten = 0;
    for (b, a) in before.iter().zip(after) {
        assert_eq!(a.images.len(), b.images.len(), "{}", a.id);
        for (ib, ia) in b.images.iter().zip(&a.images) {
            if b.is_hook && !hooks_sent {
                assert_eq!(ia, ib, "Helm v3 sends no hooks: {} keeps its image", a.id);
            } else {
                assert!(ia.starts_with(&format!("{MIRROR}/")), "{}: {ia}", a.id);
                rewritten += 1;
            }
        }
    }
    assert_eq!(rewritten, if hooks_sent { 14 } else { 12 });
}

fn template_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["template", "rel"];
    a.extend_from_slice(extra);
    a
}

const PR_ARGS: [&str; 6] = [
    "--post-renderer-args",
    "post-render",
    "--post-renderer-args",
    "--image-registry",
    "--post-renderer-args",
    MIRROR,
];

#[test]
fn helm_v4_plugin_rewrites_every_image_and_helm_puts_documents_back() {
    let [_, (_, v4)] = common::helms();
    let home = HelmHome::new();
    home.install_plugin(v4);
    let chart = chart();
    let before = ok(
        home.helm(v4)
            .args(template_args(&[&chart]))
            .output()
            .unwrap(),
        "helm template",
    );
    let mut args = template_args(&[&chart, "--post-renderer", "chartr"]);
    args.extend(PR_ARGS);
    let after = ok(
        home.helm(v4)
            .args(&args)
            .env("CHARTR_BIN", chartr_bin())
            .output()
            .unwrap(),
        "helm template --post-renderer chartr",
    );
    check_rewritten(&docs(&before), &docs(&after), true);

    // The plugin finds chartr on PATH when CHARTR_BIN is not set.
    let path = format!(
        "{}:{}",
        chartr_bin().parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let on_path = ok(
        home.helm(v4)
            .args(&args)
            .env("PATH", &path)
            .output()
            .unwrap(),
        "chartr on PATH",
    );
    assert_eq!(on_path, after);

    // ... and in bin/ inside the plugin folder (`cargo install --root plugins/chartr`): a copy
    // of the folder, installed into another Helm home.
    let copy = tempfile::tempdir().expect("temp folder");
    let plugin = copy.path().join("chartr");
    std::fs::create_dir_all(plugin.join("bin")).unwrap();
    for f in ["plugin.yaml", "run.sh"] {
        std::fs::copy(
            common::root().join("plugins/chartr").join(f),
            plugin.join(f),
        )
        .unwrap();
    }
    std::os::unix::fs::symlink(chartr_bin(), plugin.join("bin/chartr")).unwrap();
    let home2 = HelmHome::new();
    let installed = home2
        .helm(v4)
        .args(["plugin", "install"])
        .arg(&plugin)
        .output()
        .unwrap();
    ok(installed, "helm plugin install (copy)");
    let in_bin = ok(
        home2
            .helm(v4)
            .args(&args)
            .env("PATH", "/usr/bin:/bin")
            .output()
            .unwrap(),
        "chartr in bin/",
    );
    assert_eq!(in_bin, after);

    // --output-dir: the same files, each with its documents.
    let mut out_args = args.clone();
    out_args.extend(["--output-dir", "out"]);
    ok(
        home.helm(v4)
            .args(&out_args)
            .env("CHARTR_BIN", chartr_bin())
            .output()
            .unwrap(),
        "--output-dir",
    );
    let dir = home.dir.path().join("out/pr-fixture/templates");
    let mut files: Vec<String> = walk(&dir);
    files.sort();
    let mut sources: Vec<String> = docs(&before)
        .into_iter()
        .map(|d| {
            d.source
                .trim_start_matches("pr-fixture/templates/")
                .to_string()
        })
        .collect();
    sources.sort();
    sources.dedup();
    assert_eq!(files, sources);
    let workloads = std::fs::read_to_string(dir.join("workloads.yaml")).unwrap();
    assert_eq!(
        docs(&workloads).len(),
        2,
        "both documents back in workloads.yaml"
    );

    // helm install --dry-run=client (no cluster needed): manifests and hooks post-rendered.
    let mut install = vec![
        "install",
        "rel",
        &chart,
        "--dry-run=client",
        "--post-renderer",
        "chartr",
    ];
    install.extend(PR_ARGS);
    let out = ok(
        home.helm(v4)
            .args(&install)
            .env("CHARTR_BIN", chartr_bin())
            .output()
            .unwrap(),
        "helm install --dry-run",
    );
    assert!(
        out.contains(&format!("image: {MIRROR}/library/nginx:1.27")),
        "{out}"
    );
    assert!(
        !out.contains("image: docker.io/library/nginx:1.27"),
        "the hook is post-rendered"
    );
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("output dir") {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            out.extend(walk(&p).into_iter().map(|f| format!("{name}/{f}")));
        } else {
            out.push(name);
        }
    }
    out
}

#[test]
fn helm_v4_plugin_failure_is_helms_error() {
    let [_, (_, v4)] = common::helms();
    let home = HelmHome::new();
    home.install_plugin(v4);
    let chart = chart();
    let args = template_args(&[
        &chart,
        "--post-renderer",
        "chartr",
        "--post-renderer-args",
        "post-render",
        "--post-renderer-args",
        "--label=bad",
    ]);
    let out = home
        .helm(v4)
        .args(&args)
        .env("CHARTR_BIN", chartr_bin())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains("error while running post render on files: failed to invoke post-renderer plugin \"chartr\": plugin \"chartr\" exited with error"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn helm_v3_executable_rewrites_manifests_hooks_are_not_sent() {
    let [(_, v3), _] = common::helms();
    let home = HelmHome::new();
    let chart = chart();
    let before = ok(
        home.helm(v3)
            .args(template_args(&[&chart]))
            .output()
            .unwrap(),
        "helm template",
    );
    let bin = chartr_bin().to_string_lossy().into_owned();
    let mut args = template_args(&[&chart, "--post-renderer", &bin]);
    args.extend(PR_ARGS);
    let after = ok(
        home.helm(v3).args(&args).output().unwrap(),
        "helm v3 --post-renderer",
    );
    check_rewritten(&docs(&before), &docs(&after), false);
}

fn post_render(args: &[&str], stdin: &str) -> Output {
    let scratch = tempfile::tempdir().expect("temp folder");
    let mut child = common::chartr()
        .arg("post-render")
        .args(args)
        .current_dir(common::root())
        .env("TMPDIR", scratch.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chartr runs");
    use std::io::Write;
    let mut input = child.stdin.take().unwrap();
    // chartr may fail before reading: ignore a closed pipe.
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    child.wait_with_output().unwrap()
}

#[test]
fn chartr_template_chains_chartr_post_render_hooks_included() {
    let bin = chartr_bin().to_string_lossy().into_owned();
    let chart = common::root().join("charts/dataflow");
    let base = [
        "template",
        "dataflow",
        chart.to_str().unwrap(),
        "-n",
        "csghub",
    ];
    let before = ok(
        common::chartr().args(base).output().unwrap(),
        "chartr template",
    );
    let mut args = base.to_vec();
    args.extend(["--post-renderer", &bin]);
    args.extend(PR_ARGS);
    args.extend([
        "--post-renderer-args",
        "--pull-secret",
        "--post-renderer-args",
        "regcred",
    ]);
    let after = ok(common::chartr().args(&args).output().unwrap(), "chained");
    let (b, a) = (docs(&before), docs(&after));
    assert_eq!(
        b.iter().map(|d| (&d.source, &d.id)).collect::<Vec<_>>(),
        a.iter().map(|d| (&d.source, &d.id)).collect::<Vec<_>>()
    );
    let workload_images: Vec<&String> = a
        .iter()
        .filter(|d| !d.id.starts_with("ConfigMap/"))
        .flat_map(|d| &d.images)
        .collect();
    assert!(workload_images.len() > 10);
    assert!(
        workload_images.iter().all(|i| i.starts_with(MIRROR)),
        "{workload_images:?}"
    );
    assert!(
        a.iter().any(|d| d.is_hook),
        "hooks are sent, as Helm v4 sends them"
    );
    let workloads = a
        .iter()
        .filter(|d| {
            [
                "Deployment/",
                "StatefulSet/",
                "DaemonSet/",
                "Job/",
                "CronJob/",
                "Pod/",
            ]
            .iter()
            .any(|k| d.id.starts_with(k))
        })
        .count();
    assert!(workloads >= 9, "{a:?}");
    assert_eq!(after.matches("- name: regcred").count(), workloads);
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

/// Bad input cases, as data: tests/fixtures/postrender/errors/NAME.{args,stdin}.
#[test]
fn bad_input_is_a_clear_error_exit_1_nothing_on_stdout() {
    let dir = common::root().join("tests/fixtures/postrender/errors");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("errors folder")
        .filter_map(|e| {
            let p = e.ok()?.path();
            let stem = p.file_stem()?.to_string_lossy().into_owned();
            (p.extension()? == "stdin").then_some(stem)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 6, "{names:?}");
    for name in names {
        let stdin = std::fs::read_to_string(dir.join(format!("{name}.stdin"))).unwrap();
        let args_text =
            std::fs::read_to_string(dir.join(format!("{name}.args"))).unwrap_or_default();
        let args: Vec<&str> = args_text.lines().filter(|l| !l.is_empty()).collect();
        let out = post_render(&args, &stdin);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", text(&out.stderr));
        assert!(out.stdout.is_empty(), "{name}: nothing on stdout");
        snapshot!(format!("post_render_error_{name}"), text(&out.stderr));
    }
}

#[test]
fn config_file_does_what_the_flags_do() {
    let input =
        std::fs::read_to_string(common::root().join("tests/fixtures/postrender/stream.yaml"))
            .unwrap();
    let cfg = "tests/fixtures/postrender/config.yaml";
    let by_config = post_render(&["--config", cfg], &input);
    let by_flags = post_render(
        &[
            "--image-registry",
            MIRROR,
            "--registry-map",
            "quay.io=quay.mirror.example.com",
            "--label",
            "team=data",
            "--annotation",
            "owner=ops",
            "--namespace",
            "prod",
            "--pull-secret",
            "regcred",
            "--patch",
            "tests/fixtures/postrender/replicas.yaml",
        ],
        &input,
    );
    let a = ok(by_config, "--config");
    let b = ok(by_flags, "flags");
    assert_eq!(a, b);
    assert!(a.contains("replicas: 3"), "{a}");
    assert!(a.contains("image: quay.mirror.example.com/x/y:1"), "{a}");
    assert!(a.contains("namespace: prod"), "{a}");
}
