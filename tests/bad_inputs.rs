//! The catalogue of bad inputs: each gets a clear message (naming the file, key or template,
//! and the line where there is one), exit status 1 (`chartr diff`: 2), nothing on standard
//! output, no panic, and nothing written. Where helm v4 has the case, the differential tables
//! below run it too and compare exit status and output byte for byte (more in values_diff,
//! chart_yaml_diff, template_diff); the rest are chartr's own (limits, errors where Helm crashes,
//! Jinja charts).

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

// ---------------------------------------------------------------------------------------------
// Differential cases: real helm v4 and chartr on the same chart and arguments.

/// A chart folder `c` (CHART, a template printing the values, and `files`, which may replace
/// them) and the arguments after `template c`.
struct Case {
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    args: Vec<&'static str>,
}

fn case(name: &'static str, files: &[(&'static str, &[u8])], args: &[&'static str]) -> Case {
    Case {
        name,
        files: files.iter().map(|(p, d)| (*p, d.to_vec())).collect(),
        args: args.to_vec(),
    }
}

fn write_case(dir: &Path, c: &Case) {
    write(
        dir,
        &[
            CHART,
            ("c/templates/v.yaml", "v: {{ toJson .Values | quote }}\n"),
        ],
    );
    for (name, data) in &c.files {
        let p = dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, data).expect("write");
    }
}

fn helm_v4() -> std::process::Command {
    std::process::Command::new(&common::helms()[1].1)
}

/// Runs helm v4 and chartr on `c`; returns their outputs.
fn both(dir: &Path, c: &Case) -> (Output, Output) {
    let mut args = vec!["template", "c"];
    args.extend_from_slice(&c.args);
    (
        common::run_in(helm_v4(), dir, &args),
        common::run_in(common::chartr(), dir, &args),
    )
}

fn show(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    if s.len() > 2000 {
        let cut: String = s.chars().take(2000).collect();
        format!("{cut}… ({} bytes)", s.len())
    } else {
        s.into_owned()
    }
}

/// `{"a": [[[…]]]}`: `levels` levels of nesting in all.
fn deep_json(levels: usize) -> Vec<u8> {
    let n = levels - 1;
    format!("{{\"a\": {}{}}}\n", "[".repeat(n), "]".repeat(n)).into_bytes()
}

/// `a: {b: {b: … 1}}` in YAML's flow style: `levels` levels of nesting in all.
fn deep_yaml(levels: usize) -> Vec<u8> {
    let n = levels - 1;
    format!("a: {}1{}\n", "{b: ".repeat(n), "}".repeat(n)).into_bytes()
}

const TEMPLATES_OF_DEEP_VALUES: &[(&str, &[u8])] = &[
    ("c/templates/j.yaml", b"j: {{ toJson .Values.a }}\n"),
    ("c/templates/p.yaml", b"p: {{ .Values.a | quote }}\n"),
    (
        "c/templates/y.yaml",
        b"y: {{ toYaml .Values | sha256sum }}\n",
    ),
    // deepCopy and Go's printing (%v, %#v, `{{ . }}`) go as deep as the values (chartr's
    // printf stopped at 100 levels, deepCopy at 500). %#v of .Values itself is left out: Helm
    // names its type common.Values.
    (
        "c/templates/c.yaml",
        b"c: {{ deepCopy .Values | toJson | sha256sum }}\nm: {{ mustDeepCopy .Values.a | toJson | sha256sum }}\n",
    ),
    (
        "c/templates/v.yaml",
        b"v: {{ printf \"%v\" .Values | sha256sum }}\ng: {{ printf \"%#v\" .Values.a | sha256sum }}\n",
    ),
    (
        "c/templates/o.yaml",
        b"o: '{{ with .Values.a }}{{ . }}{{ end }}'\ns: {{ with .Values.a }}{{ . | toString | sha256sum }}{{ end }}\n",
    ),
];

/// Bad input helm v4 refuses: chartr refuses it with helm's exit status and exactly helm's
/// message (standard error byte for byte), prints nothing, and with `--output-dir` writes
/// nothing.
#[test]
fn refused_as_helm_v4_refuses_it_word_for_word() {
    let elf: &[u8] = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00";
    let cases = vec![
        // A tab where an indentation is expected: go-yaml's words and line.
        case(
            "tab in a values file",
            &[("t.yaml", b"a:\n  b: 1\n\tc: 2\n")],
            &["-f", "t.yaml"],
        ),
        case(
            "tab further down",
            &[("t.yaml", b"x: 1\ny: 2\na:\n  b: 1\n\tc: 2\nd: 3\n")],
            &["-f", "t.yaml"],
        ),
        case(
            "tab-only line",
            &[("t.yaml", b"a: 1\n\t\nb: 2\n")],
            &["-f", "t.yaml"],
        ),
        case(
            "tab before a list item",
            &[("t.yaml", b"a: 1\nb:\n\t- x\n")],
            &["-f", "t.yaml"],
        ),
        // Not UTF-8, binary.
        case(
            "Latin-1 values file",
            &[("l.yaml", b"a: caf\xe9\n")],
            &["-f", "l.yaml"],
        ),
        case(
            "Latin-1 in quotes",
            &[("l.yaml", b"a: \"caf\xe9\"\n")],
            &["-f", "l.yaml"],
        ),
        case("binary values file", &[("b.yaml", elf)], &["-f", "b.yaml"]),
        case("binary template", &[("c/templates/b.yaml", elf)], &[]),
        case(
            "Latin-1 template",
            &[("c/templates/l.yaml", b"a: caf\xe9 {{ .Values.x }}\n")],
            &[],
        ),
        case(
            "Latin-1 in a template's quoted string",
            &[("c/templates/l.yaml", b"a: \"caf\xe9\"\n")],
            &[],
        ),
        // Nesting past Helm's 10,000 levels, in JSON and in YAML.
        case(
            "JSON values 10,001 deep",
            &[("d.json", &deep_json(10_001))],
            &["-f", "d.json"],
        ),
        case(
            "YAML values 10,001 deep",
            &[("d.yaml", &deep_yaml(10_001))],
            &["-f", "d.yaml"],
        ),
        // Template failures carry Helm's hint about --debug.
        case(
            "fail",
            &[("c/templates/f.yaml", b"a: {{ fail \"boom\" }}\n")],
            &[],
        ),
        case(
            "include recursion (Go)",
            &[
                (
                    "c/templates/_h.tpl",
                    b"{{ define \"loop\" }}{{ include \"loop\" . }}{{ end }}\n",
                ),
                ("c/templates/x.yaml", b"a: {{ include \"loop\" 1 }}\n"),
            ],
            &[],
        ),
        case(
            "include and tpl recursion (Go)",
            &[
                (
                    "c/templates/_h.tpl",
                    b"{{ define \"loop\" }}{{ tpl \"{{ include \\\"loop\\\" . }}\" . }}{{ end }}\n",
                ),
                ("c/templates/x.yaml", b"a: {{ include \"loop\" . }}\n"),
            ],
            &[],
        ),
        case(
            "kubeVersion not met",
            &[(
                "c/Chart.yaml",
                b"apiVersion: v2\nname: c\nversion: 1.0.0\nkubeVersion: '>= 99.0.0'\n",
            )],
            &[],
        ),
    ];
    let tmp = tempfile::tempdir().expect("tmp");
    let mut problems = Vec::new();
    for c in &cases {
        let dir = tmp.path().join(c.name.replace(' ', "-"));
        write_case(&dir, c);
        let (helm, ours) = both(&dir, c);
        if helm.status.success() {
            problems.push(format!("{}: helm v4 no longer refuses it", c.name));
            continue;
        }
        if (ours.status.code(), &ours.stdout, &ours.stderr)
            != (helm.status.code(), &helm.stdout, &helm.stderr)
        {
            problems.push(format!(
                "{}:\n  helm   ({:?}): {}{}\n  chartr ({:?}): {}{}",
                c.name,
                helm.status.code(),
                show(&helm.stdout),
                show(&helm.stderr),
                ours.status.code(),
                show(&ours.stdout),
                show(&ours.stderr)
            ));
        }
        let mut args = vec!["template", "c", "--output-dir", "out"];
        args.extend_from_slice(&c.args);
        let ours = run(&dir, &args);
        assert_eq!(ours.status.code(), Some(1), "{}", c.name);
        assert!(ours.stdout.is_empty(), "{}", c.name);
        assert!(
            !dir.join("out").exists(),
            "{}: --output-dir written",
            c.name
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Input that looks bad but that helm v4 renders: chartr prints exactly what helm prints.
#[test]
fn rendered_as_helm_v4_renders_it() {
    let parent_chart: &[u8] =
        b"apiVersion: v2\nname: c\nversion: 1.0.0\ndependencies:\n- name: sub\n  version: 1.0.0\n";
    let sub_chart: &[u8] = b"apiVersion: v2\nname: sub\nversion: 1.0.0\ndependencies:\n- name: c\n  version: 1.0.0\n  repository: file://../..\n";
    let sub_files = [
        ("c/Chart.yaml", parent_chart),
        ("c/values.yaml", b"x: 1\nsub:\n  y: 2\n".as_slice()),
        ("c/charts/sub/Chart.yaml", sub_chart),
        (
            "c/charts/sub/templates/s.yaml",
            b"s: {{ .Chart.Name }} {{ toJson .Values | quote }}\n",
        ),
    ];
    // The parent again, as an archive in the subchart's charts/.
    let mut archive = Vec::new();
    {
        let gz = flate2::write::GzEncoder::new(&mut archive, flate2::Compression::default());
        let mut tar = tar::Builder::new(gz);
        for (name, data) in [
            ("c/Chart.yaml", parent_chart),
            ("c/values.yaml", b"x: 2\n".as_slice()),
            ("c/templates/p.yaml", b"p: {{ .Values.x }}\n"),
        ] {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_path(name).expect("path");
            h.set_cksum();
            tar.append(&h, data).expect("append");
        }
        tar.into_inner().and_then(|gz| gz.finish()).expect("finish");
    }
    let mut with_archive = sub_files.to_vec();
    with_archive.push(("c/charts/sub/charts/c-1.0.0.tgz", &archive));

    let deep = |name, file: &'static str, data: Vec<u8>| {
        let mut files: Vec<(&'static str, Vec<u8>)> = TEMPLATES_OF_DEEP_VALUES
            .iter()
            .map(|(p, d)| (*p, d.to_vec()))
            .collect();
        files.push((file, data));
        Case {
            name,
            files,
            args: vec!["-f", file],
        }
    };
    let cases = vec![
        deep("JSON values 10,000 deep", "d.json", deep_json(10_000)),
        deep("YAML values 10,000 deep", "d.yaml", deep_yaml(10_000)),
        case(
            "Latin-1 in a template comment",
            &[("c/templates/l.yaml", b"{{/* caf\xe9 */}}a: 1\n")],
            &[],
        ),
        case("subchart listing its parent", &sub_files, &[]),
        case("subchart holding its parent", &with_archive, &[]),
    ];
    let tmp = tempfile::tempdir().expect("tmp");
    let mut problems = Vec::new();
    for c in &cases {
        let dir = tmp.path().join(c.name.replace(' ', "-"));
        write_case(&dir, c);
        let (helm, ours) = both(&dir, c);
        assert!(
            helm.status.success(),
            "{}: helm v4 failed: {}",
            c.name,
            show(&helm.stderr)
        );
        if (ours.status.code(), &ours.stdout) != (helm.status.code(), &helm.stdout) {
            problems.push(format!(
                "{}:\n  helm: {}\n  chartr ({:?}): {}{}",
                c.name,
                show(&helm.stdout),
                ours.status.code(),
                show(&ours.stdout),
                show(&ours.stderr)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Cases of chartr's own: limits, errors where Helm has no message, other commands.

/// Runs `args`, then the same with `--output-dir out`: both refused, and `out` never created.
fn assert_refused_writing_nothing(dir: &Path, args: &[&str], needles: &[&str]) -> String {
    let out = run(dir, args);
    assert_refused(&out, needles);
    let mut with_dir = args.to_vec();
    with_dir.extend_from_slice(&["--output-dir", "out"]);
    assert_refused(&run(dir, &with_dir), needles);
    assert!(!dir.join("out").exists(), "{args:?}: --output-dir written");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `--max-values-bytes` refuses a file larger than it by its size (the 32 MiB default stands
/// for a 100 MB file; set low here), `--max-output-bytes` a render larger than it.
#[test]
fn size_limits_refuse_with_the_file_and_the_flag() {
    let tmp = tempfile::tempdir().expect("tmp");
    let big = format!("a: {}\n", "x".repeat(2000));
    write(
        tmp.path(),
        &[
            CHART,
            ("c/templates/x.yaml", "a: {{ .Values.a | quote }}\n"),
            ("big.yaml", &big),
        ],
    );
    let values_limit =
        "big.yaml: 2004 bytes, larger than the limit of 1000 bytes (--max-values-bytes raises it)";
    for args in [
        &[
            "template",
            "c",
            "-f",
            "big.yaml",
            "--max-values-bytes",
            "1000",
        ][..],
        &[
            "template",
            "c",
            "--set-file",
            "a=big.yaml",
            "--max-values-bytes",
            "1K",
        ][..],
        &[
            "template",
            "c",
            "-f",
            "big.yaml",
            "--max-output-bytes",
            "1000",
        ][..],
    ] {
        let needle = if args.contains(&"--max-output-bytes") {
            "the rendered manifests hold 2006 bytes, more than the output limit of 1000 bytes (--max-output-bytes raises it)"
        } else {
            values_limit
        };
        assert_refused_writing_nothing(tmp.path(), args, &[needle]);
    }
    // Raised, they let the same input through.
    let out = run(
        tmp.path(),
        &[
            "template",
            "c",
            "-f",
            "big.yaml",
            "--max-values-bytes",
            "2004",
            "--max-output-bytes",
            "2006",
        ],
    );
    assert!(out.status.success(), "{}", show(&out.stderr));
}

/// `tpl` calling itself: Helm has no limit and dies of a Go stack overflow (exit 2, a goroutine
/// dump); chartr stops at 100 levels with Helm's form of message, kept small.
#[test]
fn tpl_recursion_go_is_a_short_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(
        tmp.path(),
        &[
            CHART,
            ("c/values.yaml", "t: \"{{ tpl .Values.t . }}\"\n"),
            ("c/templates/x.yaml", "a: {{ tpl .Values.t . }}\n"),
        ],
    );
    let err = assert_refused_writing_nothing(tmp.path(), &["template", "c"], &[]);
    assert!(
        err.starts_with("Error: template: c/templates/x.yaml:1:6: executing \"c/templates/x.yaml\" at <tpl .Values.t .>: error calling tpl: error during tpl function execution for \"{{ tpl .Values.t . }}\": template: gotpl:1:3: executing \"gotpl\" at <tpl .Values.t .>: error calling tpl: "),
        "{}",
        show(err.as_bytes())
    );
    assert!(
        err.ends_with("rendering template has a nested reference name: tpl: unable to execute template (tpl nested in tpl more than 100 deep; does a value's template call tpl on itself? Helm has no limit here and runs out of stack)\n\nUse --debug flag to render out invalid YAML\n"),
        "{}",
        show(err.as_bytes())
    );
    assert!(err.len() < 32 << 10, "{} bytes", err.len());
}

/// The same loops in a Jinja chart (a Chart.yaml annotation declares the dialect): chartr's own
/// message, naming the template and line, with a short trace.
#[test]
fn include_and_tpl_recursion_jinja_are_short_errors() {
    let jinja = "apiVersion: v2\nname: c\nversion: 1.0.0\nannotations:\n  chartr.dev/template-dialect: jinja\n";
    for (name, files, first) in [
        (
            "include",
            vec![
                ("c/templates/_h.tpl", "{% macro loop(x) %}{{ include(\"loop\", x) }}{% endmacro %}\n"),
                ("c/templates/x.yaml", "a: {{ include(\"loop\", 1) }}\n"),
            ],
            "Error: execution error at (c/templates/x.yaml:1:7): rendering template has a nested reference name: loop: unable to execute template (include/tpl nested more than 50 deep; does a template include itself?)\n",
        ),
        (
            "tpl",
            vec![
                ("c/values.yaml", "t: \"{{ tpl(t, ctx) }}\"\n"),
                ("c/templates/x.yaml", "a: {{ tpl(Values.t, Values) }}\n"),
            ],
            "Error: execution error at (c/templates/x.yaml:1:7): rendering template has a nested reference name: tpl: unable to execute template (include/tpl nested more than 50 deep; does a template include itself?)\n",
        ),
    ] {
        let tmp = tempfile::tempdir().expect("tmp");
        let mut all = vec![("c/Chart.yaml", jinja)];
        all.extend(files);
        write(tmp.path(), &all);
        let err = assert_refused_writing_nothing(tmp.path(), &["template", "c"], &[]);
        assert!(err.starts_with(first), "{name}: {}", show(err.as_bytes()));
        assert!(err.len() < 32 << 10, "{name}: {} bytes", err.len());
    }
}

/// Chart.yaml and a chart's values.yaml that are binary or not UTF-8: go-yaml's words, with
/// the file named (Helm says only `cannot load Chart.yaml`).
#[test]
fn binary_chart_yaml_and_chart_values() {
    for (file, data, needles) in [
        ("c/Chart.yaml", &b"\x7fELF\x02\x01\x01\x00"[..], &["c/Chart.yaml: error converting YAML to JSON: yaml: control characters are not allowed"][..]),
        ("c/Chart.yaml", b"apiVersion: v2\nname: caf\xe9\nversion: 1.0.0\n", &["c/Chart.yaml: error converting YAML to JSON: yaml: invalid trailing UTF-8 octet"]),
        ("c/values.yaml", b"a: 1\nb: caf\xe9\n", &["cannot load values.yaml: c/values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: incomplete UTF-8 octet sequence"]),
    ] {
        let tmp = tempfile::tempdir().expect("tmp");
        write(tmp.path(), &[CHART, ("c/templates/x.yaml", "a: 1\n")]);
        std::fs::write(tmp.path().join(file), data).expect("write");
        assert_refused_writing_nothing(tmp.path(), &["template", "c"], needles);
    }
}

/// A post-renderer that prints what is not YAML (or not maps): helm v4's message, word for
/// word (helm v4 runs a postrenderer/v1 plugin printing the same; chartr, Helm v3's
/// executable), and nothing written.
#[cfg(unix)]
#[test]
fn post_renderer_output_that_is_not_yaml() {
    use std::os::unix::fs::PermissionsExt;
    let head = "Error: error while parsing post rendered output: error parsing YAML: ";
    for (output, want) in [
        (
            "not: [yaml",
            "MalformedYAMLError: yaml: line 1: did not find expected ',' or ']'",
        ),
        (
            "\\001binary",
            "MalformedYAMLError: yaml: control characters are not allowed",
        ),
        (
            "a: b\\n---\\nb: [",
            "MalformedYAMLError: yaml: line 1: did not find expected node content",
        ),
        (
            "just text",
            "wrong node kind: expected MappingNode but got ScalarNode: node contents:\njust text\n",
        ),
    ] {
        let tmp = tempfile::tempdir().expect("tmp");
        let body = format!("#!/bin/sh\ncat >/dev/null\nprintf '{output}\\n'\n");
        write(
            tmp.path(),
            &[
                CHART,
                ("c/templates/x.yaml", "a: 1\n"),
                ("pr.sh", &body),
                ("plugin/run.sh", &body),
                ("plugin/plugin.yaml", "apiVersion: v1\ntype: postrenderer/v1\nname: notyaml\nversion: 0.1.0\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n    - command: ${HELM_PLUGIN_DIR}/run.sh\n"),
            ],
        );
        for f in ["pr.sh", "plugin/run.sh"] {
            std::fs::set_permissions(tmp.path().join(f), std::fs::Permissions::from_mode(0o755))
                .expect("chmod");
        }
        let err = assert_refused_writing_nothing(
            tmp.path(),
            &["template", "c", "--post-renderer", "./pr.sh"],
            &[],
        );
        assert_eq!(
            err,
            format!("{head}{want}\n\nUse --debug flag to render out invalid YAML\n"),
            "{output}"
        );
        let helm = |args: &[&str]| {
            let mut c = helm_v4();
            let home = tmp.path().join("helm-home");
            c.env("HELM_CACHE_HOME", home.join("cache"))
                .env("HELM_CONFIG_HOME", home.join("config"))
                .env("HELM_DATA_HOME", home.join("data"))
                .env_remove("HELM_PLUGINS")
                .current_dir(tmp.path())
                .args(args)
                .stdin(std::process::Stdio::null());
            c.output().expect("helm runs")
        };
        let installed = helm(&["plugin", "install", "plugin"]);
        assert!(installed.status.success(), "{}", show(&installed.stderr));
        let h = helm(&["template", "c", "--post-renderer", "notyaml"]);
        assert_eq!(h.status.code(), Some(1), "{output}");
        assert_eq!(
            String::from_utf8_lossy(&h.stderr),
            err,
            "{output}: helm v4 says otherwise"
        );
    }
}

/// `--output-dir` where nothing can be written: a folder without write permission (root
/// writes there anyway: then chartr runs as `nobody` through setpriv, or that half says it
/// skipped) and a path the kernel refuses.
#[cfg(unix)]
#[test]
fn output_dir_unwritable() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tmp");
    write(tmp.path(), &[CHART, ("c/templates/x.yaml", "a: 1\n")]);
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let ro = tmp.path().join("ro");
    std::fs::create_dir(&ro).expect("mkdir");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).expect("chmod");
    let as_root = std::fs::write(ro.join("probe"), "").is_ok();
    let _ = std::fs::remove_file(ro.join("probe"));
    let cmd = if !as_root {
        Some(common::chartr())
    } else if std::process::Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok()
    {
        let mut c = std::process::Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            env!("CARGO_BIN_EXE_chartr"),
        ]);
        Some(c)
    } else {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "skipped output_dir_unwritable's read-only folder: running as root without setpriv, and root writes there anyway"
        );
        None
    };
    if let Some(cmd) = cmd {
        let out = common::run_in(
            cmd,
            tmp.path(),
            &["template", "c", "--output-dir", "ro/out"],
        );
        assert_refused(
            &out,
            &["--output-dir: cannot create folder ro/out: permission denied"],
        );
        assert!(std::fs::read_dir(&ro).expect("read").next().is_none());
    }
    let _ = std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o700));
    let out = run(
        tmp.path(),
        &["template", "c", "--output-dir", "/proc/chartr-out"],
    );
    assert_refused(
        &out,
        &["--output-dir: cannot create folder /proc/chartr-out"],
    );
}

/// `chartr diff` given what is not YAML: status 2 (trouble, as diff(1)), the file named,
/// nothing on standard output.
#[test]
fn diff_of_input_that_is_not_yaml() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(
        tmp.path().join("ok.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
    )
    .expect("write");
    std::fs::write(tmp.path().join("bin.yaml"), b"\x7fELF\x02\x01\x01\x00").expect("write");
    std::fs::write(tmp.path().join("text.yaml"), "a: [\n").expect("write");
    for (bad, needle) in [
        (
            "bin.yaml",
            "bin.yaml: error converting YAML to JSON: yaml: control characters are not allowed",
        ),
        ("text.yaml", "text.yaml"),
    ] {
        for args in [["diff", "ok.yaml", bad], ["diff", bad, "ok.yaml"]] {
            let out = run(tmp.path(), &args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(out.stdout.is_empty(), "{args:?}: {}", show(&out.stdout));
            assert!(err.contains(needle), "{args:?}: {needle:?} not in {err}");
        }
    }
}

/// Templates that do not parse: helm v4's first line exactly (chartr adds a line saying which
/// dialect it assumed), and a trailing pipe, which Go accepts, renders as in helm.
#[test]
fn templates_that_do_not_parse_first_line_as_helm_v4() {
    let sources: &[&[u8]] = &[
        b"a: {{ .x \n",
        b"a: {{ \"x\"\n\"y\"\n",
        b"a: {{ if . }}\nb\n{{ else }}\nline1 {{ \"x\" \"y\"\n{{ end }}",
        b"a: {{ \"abc\n}}",
        b"a: {{ (1 \n }}",
        b"a: {{\n.x ) }}",
        b"a: {{\n \"x\" @ }}",
        b"a: {{ /* x }}\n",
        b"a: {{ x\n:\n }}",
        b"a: {{ .x | | }}\n",
        b"a: {{ .x | 1 }}\n",
        b"a: {{ .x | quote | 2 }}\n",
        b"a: {{ .x \xc3\xa9 }}\n",
        b"a: {{ .x }}{{/* open\n",
        b"a: {{ .x | }}\n",
        b"a: {{ (.x | ) }}\n",
        b"a: {{ .x \x01 }}\n",
        b"a: {{ define \"x\" }}\n{{ \"a\n}}{{ end }}",
    ];
    let tmp = tempfile::tempdir().expect("tmp");
    let mut problems = Vec::new();
    for (i, src) in sources.iter().enumerate() {
        let c = Case {
            name: "parse",
            files: vec![("c/templates/x.yaml", src.to_vec())],
            args: vec![],
        };
        let dir = tmp.path().join(i.to_string());
        write_case(&dir, &c);
        let (helm, ours) = both(&dir, &c);
        let first = |o: &Output| {
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .next()
                .unwrap_or_default()
                .to_string()
        };
        if (ours.status.code(), &ours.stdout, first(&ours))
            != (helm.status.code(), &helm.stdout, first(&helm))
        {
            problems.push(format!(
                "{:?}:\n  helm   ({:?}): {}{}\n  chartr ({:?}): {}{}",
                String::from_utf8_lossy(src),
                helm.status.code(),
                show(&helm.stdout),
                first(&helm),
                ours.status.code(),
                show(&ours.stdout),
                first(&ours)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
