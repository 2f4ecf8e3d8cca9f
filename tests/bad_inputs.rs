//! The catalogue of bad inputs: each gets a clear message (naming the file, key or template,
//! and the line where there is one), exit status 1, nothing on standard output, no panic, and
//! nothing written. Messages that Helm also gives are compared with Helm elsewhere (values_diff,
//! chart_yaml_diff, template_diff); here the point is the behaviour around them.

mod common;

use std::path::Path;
use std::process::Output;

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, text).expect("write");
    }
}

const CHART: (&str, &str) = ("c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n");

fn run(dir: &Path, args: &[&str]) -> Output {
    common::run_in(common::chartr(), dir, args)
}

/// Exit 1, nothing on stdout, no panic, and every `needle` in the message.
fn assert_refused(out: &Output, needles: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "exit status; stderr:\n{err}");
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!err.contains("panicked"), "panic: {err}");
    for n in needles {
        assert!(err.contains(n), "{n:?} not in:\n{err}");
    }
}

#[test]
fn output_dir_that_is_a_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(
        tmp.path(),
        &[
            CHART,
            ("c/templates/x.yaml", "a: 1\n"),
            ("out", "keep me\n"),
        ],
    );
    let out = run(tmp.path(), &["template", "c", "--output-dir", "out"]);
    assert_refused(
        &out,
        &[
            "--output-dir",
            "cannot create folder out/c",
            "a file is in the way",
        ],
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("out")).unwrap_or_default(),
        "keep me\n"
    );
}

#[test]
fn output_dir_failing_midway_leaves_nothing_behind_and_old_files_intact() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(
        tmp.path(),
        &[
            CHART,
            ("c/templates/a.yaml", "a: 1\n"),
            ("c/templates/b/z.yaml", "b: 1\n"),
            ("c/templates/y.yaml", "y: 1\n"),
            // What is already there: an old render of a.yaml, and a folder where y.yaml goes.
            ("out/c/templates/a.yaml", "old\n"),
            ("out/c/templates/y.yaml/keep", "x\n"),
        ],
    );
    let out = run(tmp.path(), &["template", "c", "--output-dir", "out"]);
    assert_refused(&out, &["cannot write file out/c/templates/y.yaml"]);
    let t = tmp.path().join("out/c/templates");
    assert_eq!(
        std::fs::read_to_string(t.join("a.yaml")).unwrap_or_default(),
        "old\n"
    );
    assert!(
        !t.join("b").exists(),
        "a folder this run created is left behind"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&t)
        .expect("read")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("chartr"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn output_dir_success_replaces_files_whole() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(
        tmp.path(),
        &[
            CHART,
            ("c/templates/a.yaml", "a: 1\n"),
            ("out/c/templates/a.yaml", "old\n"),
        ],
    );
    let out = run(tmp.path(), &["template", "c", "--output-dir", "out"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text =
        std::fs::read_to_string(tmp.path().join("out/c/templates/a.yaml")).unwrap_or_default();
    assert_eq!(text, "---\n# Source: c/templates/a.yaml\na: 1\n");
}

#[test]
fn invalid_release_name() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(tmp.path(), &[CHART, ("c/templates/x.yaml", "a: 1\n")]);
    let out = run(tmp.path(), &["template", "Bad_Name", "c"]);
    assert_refused(&out, &["release name \"Bad_Name\": invalid release name"]);
}

#[test]
fn chart_yaml_without_name_or_version_or_with_a_bad_api_version() {
    let tmp = tempfile::tempdir().expect("tmp");
    for (body, needle) in [
        (
            "apiVersion: v2\nversion: 1.0.0\n",
            "c/Chart.yaml: validation: chart.metadata.name is required",
        ),
        (
            "apiVersion: v2\nname: c\n",
            "c/Chart.yaml: validation: chart.metadata.version is required",
        ),
        (
            "apiVersion: v7\nname: c\nversion: 1.0.0\n",
            "c/Chart.yaml: unsupported chart version",
        ),
        (
            "apiVersion: v2\nname: c\nversion: [1]\n",
            "c/Chart.yaml: cannot load Chart.yaml",
        ),
        ("a: [\n", "c/Chart.yaml"),
    ] {
        write(
            tmp.path(),
            &[("c/Chart.yaml", body), ("c/templates/x.yaml", "a: 1\n")],
        );
        assert_refused(&run(tmp.path(), &["template", "c"]), &[needle]);
    }
}

#[cfg(unix)]
#[test]
fn symlink_loop_inside_a_chart() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(tmp.path(), &[CHART, ("c/templates/x.yaml", "a: 1\n")]);
    std::os::unix::fs::symlink(".", tmp.path().join("c/templates/loop")).expect("symlink");
    let out = run(tmp.path(), &["template", "c"]);
    assert_refused(&out, &["loop", "c/templates/loop"]);
}

#[test]
fn archive_that_is_not_gzip() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(tmp.path(), &[("c.tgz", "not an archive\n")]);
    let out = run(tmp.path(), &["template", "c.tgz"]);
    assert_refused(&out, &["c.tgz", "does not appear to be a gzipped archive"]);
}

/// A `.tgz` whose member climbs out with `..`: refused, as Helm refuses it.
#[test]
fn archive_with_parent_paths() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = std::fs::File::create(tmp.path().join("c.tgz")).expect("create");
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    let mut add = |name: &str, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        // set_path refuses `..`; write the raw name as a hostile archive would.
        let raw = &mut h.as_old_mut().name;
        raw[..name.len()].copy_from_slice(name.as_bytes());
        h.set_cksum();
        tar.append(&h, data).expect("append");
    };
    add("c/Chart.yaml", b"apiVersion: v2\nname: c\nversion: 1.0.0\n");
    add("c/templates/../../evil.yaml", b"a: 1\n");
    tar.into_inner().and_then(|gz| gz.finish()).expect("finish");
    let out = run(tmp.path(), &["template", "c.tgz"]);
    assert_refused(&out, &["c.tgz", "illegally references parent directory"]);
    assert!(!tmp.path().join("evil.yaml").exists());
}

#[test]
fn files_get_outside_the_chart_reads_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(
        tmp.path(),
        &[
            CHART,
            ("secret.txt", "top secret\n"),
            ("c/templates/x.yaml", "a: {{ .Files.Get \"../secret.txt\" | quote }}\nb: {{ .Files.Get \"/etc/hostname\" | quote }}\n"),
        ],
    );
    let out = run(tmp.path(), &["template", "c"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("a: \"\"\nb: \"\"\n"), "{text}");
}

#[test]
fn include_recursion_past_the_depth_limit() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(
        tmp.path(),
        &[
            CHART,
            (
                "c/templates/_h.tpl",
                "{{ define \"loop\" }}{{ include \"loop\" . }}{{ end }}\n",
            ),
            ("c/templates/x.yaml", "a: {{ include \"loop\" 1 }}\n"),
        ],
    );
    let out = run(tmp.path(), &["template", "c"]);
    assert_refused(
        &out,
        &[
            "c/templates/x.yaml:1",
            "rendering template has a nested reference name: loop: unable to execute template",
        ],
    );
}

#[test]
fn set_index_past_the_limit() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(tmp.path(), &[CHART, ("c/templates/x.yaml", "a: 1\n")]);
    let out = run(tmp.path(), &["template", "c", "--set", "a[100001]=1"]);
    assert_refused(
        &out,
        &["index of 100001 is greater than maximum supported index of 65536"],
    );
}

/// 10,000 levels, the most Go's encoding/json reads, are read and rendered (in a debug build
/// too: the command runs on a thread with a large stack). As JSON: under the map they are
/// 10,001 levels, past what Helm's toYaml writes (go-yaml's limit), so YAML is refused.
#[test]
fn set_json_ten_thousand_levels_deep() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(tmp.path(), &[CHART, ("c/templates/x.yaml", "a: 1\n")]);
    let deep = format!("a={}{}", "[".repeat(10_000), "]".repeat(10_000));
    let out = run(
        tmp.path(),
        &["values", "c", "--set-json", &deep, "--output", "json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("overflow"));
    let out = run(tmp.path(), &["values", "c", "--set-json", &deep]);
    assert_refused(
        &out,
        &["unable to write YAML output: yaml: exceeded max depth of 10000"],
    );
}

#[test]
fn alias_bomb_in_a_values_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, prev) in ('b'..='j').zip('a'..='i') {
        bomb.push_str(&format!(
            "{i}: &{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    write(
        tmp.path(),
        &[
            CHART,
            ("c/templates/x.yaml", "a: 1\n"),
            ("bomb.yaml", &bomb),
        ],
    );
    let started = std::time::Instant::now();
    let out = run(tmp.path(), &["template", "c", "-f", "bomb.yaml"]);
    assert_refused(&out, &["bomb.yaml"]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}
