//! `.Files.Get` (and `Lines`, `AsConfig`) of chart files that are not UTF-8, differentially:
//! Helm's `string(bytes)` keeps the bytes, so `len` counts them, `quote` writes `\xNN`, `toJson`
//! `\ufffd` per byte, `b64enc` and the hashes see the bytes, `upper` U+FFFD. A chart holding such
//! files (written here, byte by byte) is rendered by real Helm v4 and v3, and chartr must render
//! it, and its Jinja twin, to Helm v4's bytes (v3.17.3 prints the same, and is compared too).
//! Not covered: printing such a string straight into a manifest, which Helm refuses
//! (`invalid trailing UTF-8 octet`) and chartr prints as U+FFFD.

mod common;

use std::path::Path;

/// (name, Go template action, Jinja expression) — each printed on its own line.
const LINES: &[(&str, &str, &str)] = &[
    (
        "json",
        r#".Files.Get "bad.txt" | toJson"#,
        r#"Files.Get("bad.txt") | toJson"#,
    ),
    (
        "len",
        r#".Files.Get "bad.txt" | len"#,
        r#"len(Files.Get("bad.txt"))"#,
    ),
    (
        "quote",
        r#".Files.Get "bad.txt" | quote"#,
        r#"Files.Get("bad.txt") | quote"#,
    ),
    (
        "squote",
        r#".Files.Get "bad.txt" | squote | b64enc"#,
        r#"Files.Get("bad.txt") | squote | b64enc"#,
    ),
    (
        "b64",
        r#".Files.Get "bad.txt" | b64enc"#,
        r#"Files.Get("bad.txt") | b64enc"#,
    ),
    (
        "b32",
        r#".Files.Get "bad.txt" | b32enc"#,
        r#"Files.Get("bad.txt") | b32enc"#,
    ),
    (
        "yaml",
        r#"dict "k" (.Files.Get "bad.txt") | toYaml | b64enc"#,
        r#"dict("k", Files.Get("bad.txt")) | toYaml | b64enc"#,
    ),
    (
        "sha",
        r#".Files.Get "bad.txt" | sha256sum"#,
        r#"Files.Get("bad.txt") | sha256sum"#,
    ),
    (
        "sha1",
        r#".Files.Get "bad.txt" | sha1sum"#,
        r#"Files.Get("bad.txt") | sha1sum"#,
    ),
    (
        "adler",
        r#".Files.Get "bad.txt" | adler32sum"#,
        r#"Files.Get("bad.txt") | adler32sum"#,
    ),
    (
        "upper",
        r#".Files.Get "bad.txt" | upper | b64enc"#,
        r#"Files.Get("bad.txt") | upper | b64enc"#,
    ),
    (
        "printf",
        r#"printf "%q" (.Files.Get "bad.txt")"#,
        r#"printf("%q", Files.Get("bad.txt"))"#,
    ),
    (
        "printv",
        r#"printf "%v" (.Files.Get "bad.txt") | b64enc"#,
        r#"printf("%v", Files.Get("bad.txt")) | b64enc"#,
    ),
    (
        "cat",
        r#"cat (.Files.Get "bad.txt") "z" | b64enc"#,
        r#"cat(Files.Get("bad.txt"), "z") | b64enc"#,
    ),
    (
        "lines",
        r#".Files.Lines "lines.txt" | toJson"#,
        r#"Files.Lines("lines.txt") | toJson"#,
    ),
    (
        "config",
        r#".Files.AsConfig | b64enc"#,
        r#"Files.AsConfig() | b64enc"#,
    ),
    (
        "rawjson",
        r#".Files.Get "lines.txt" | toRawJson"#,
        r#"Files.Get("lines.txt") | toRawJson"#,
    ),
];

fn write_chart(dir: &Path, jinja: bool) {
    std::fs::create_dir_all(dir.join("templates")).expect("chart folder");
    let mut chart = "apiVersion: v2\nname: filebytes\nversion: 0.1.0\n".to_string();
    if jinja {
        chart.push_str("annotations:\n  chartr.dev/template-dialect: jinja\n");
    }
    std::fs::write(dir.join("Chart.yaml"), chart).expect("Chart.yaml");
    // x, then E2 82 (a three-byte sequence cut short), then y; and lines with a lone FF, a valid
    // euro sign and a final lone C3.
    std::fs::write(dir.join("bad.txt"), b"x\xe2\x82y").expect("bad.txt");
    std::fs::write(dir.join("lines.txt"), b"a\xffb\nc\xe2\x82\xacd\xc3\n").expect("lines.txt");
    let body: String = LINES
        .iter()
        .map(|(name, go, j)| {
            if jinja {
                format!("{name}: {{{{ {j} }}}}\n")
            } else {
                format!("{name}: {{{{ {go} }}}}\n")
            }
        })
        .collect();
    std::fs::write(dir.join("templates/t.yaml"), body).expect("template");
}

fn render(cmd: std::process::Command, chart: &Path) -> String {
    let out = common::run_in(
        cmd,
        &common::root(),
        &["template", "x", chart.to_str().expect("utf-8 path")],
    );
    assert!(
        out.status.success(),
        "template {} failed: {}",
        chart.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the render is UTF-8")
}

#[test]
fn files_get_keeps_bytes_that_are_not_utf8() {
    let tmp = std::env::temp_dir().join(format!("chartr-files-bytes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let (go, jinja) = (tmp.join("go/filebytes"), tmp.join("jinja/filebytes"));
    write_chart(&go, false);
    write_chart(&jinja, true);
    let mut problems = Vec::new();
    let ours = render(common::chartr(), &go);
    let ours_jinja = render(common::chartr(), &jinja);
    for (version, helm) in common::helms() {
        let theirs = render(std::process::Command::new(helm), &go);
        assert!(theirs.contains("len: 4\n"), "{version}: {theirs}");
        for (what, got) in [("go", &ours), ("jinja", &ours_jinja)] {
            let (h, c): (Vec<&str>, Vec<&str>) = (theirs.lines().collect(), got.lines().collect());
            if h.len() != c.len() {
                problems.push(format!("[{version}] {what}: helm\n{theirs}\nchartr\n{got}"));
                continue;
            }
            for (h, c) in h.iter().zip(&c) {
                if h != c {
                    problems.push(format!("[{version}] {what}:\n  helm:   {h}\n  chartr: {c}"));
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
