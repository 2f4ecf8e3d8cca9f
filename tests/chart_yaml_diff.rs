//! Chart.yaml read as Helm v4 reads it (sigs.k8s.io/yaml into Helm's Metadata struct): numbers
//! and booleans where strings belong, case-insensitive keys, nulls, and the first type error,
//! compared with real helm v4.1.4 case by case (tests/fixtures/chart-yaml/cases.txt). Both
//! render the same Go template.

mod common;

use std::path::Path;

/// The `.Chart` fields the cases print, in each dialect.
const FIELDS: &[&str] = &[
    "Name",
    "Version",
    "AppVersion",
    "KubeVersion",
    "Description",
    "Home",
    "Icon",
    "Keywords",
    "Annotations",
    "Maintainers",
];

fn cases() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(common::root().join("tests/fixtures/chart-yaml/cases.txt"))
        .expect("cases.txt");
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("=== ") {
            out.push((name.trim().to_string(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

fn chart(dir: &Path, body: &str, go: bool) {
    std::fs::create_dir_all(dir.join("templates")).expect("mkdir");
    std::fs::write(dir.join("Chart.yaml"), body).expect("Chart.yaml");
    let line: String = FIELDS
        .iter()
        .map(|f| {
            if go {
                format!("# {f}={{{{ .Chart.{f} }}}}\n")
            } else {
                format!("# {f}={{{{ Chart.{f} }}}}\n")
            }
        })
        .collect();
    std::fs::write(dir.join("templates/x.yaml"), line).expect("template");
}

/// stdout on success, else the first line of the error without "Error: " and chartr's path.
fn outcome(out: &std::process::Output) -> String {
    if out.status.success() {
        return String::from_utf8_lossy(&out.stdout).into_owned();
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let first = err
        .lines()
        .find(|l| l.starts_with("Error: "))
        .unwrap_or("")
        .to_string();
    let msg = first.trim_start_matches("Error: ");
    // chartr names the file first ("c/Chart.yaml: cannot load ...", "c/Chart.yaml: validation: ...").
    let msg = msg.strip_prefix("c/Chart.yaml: ").unwrap_or(msg);
    format!("error: {msg}")
}

#[test]
fn chart_yaml_reads_as_helm_v4_reads_it() {
    let helm = &common::helms()[1].1;
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut failures = Vec::new();
    let cases = cases();
    assert!(cases.len() >= 10, "{} cases", cases.len());
    for (name, body) in &cases {
        let go = tmp.path().join(name).join("go");
        let jinja = tmp.path().join(name).join("jinja");
        chart(&go.join("c"), body, true);
        chart(&jinja.join("c"), body, true);
        let mut h = std::process::Command::new(helm);
        h.args(["template", "c"]);
        let want = outcome(&common::run_in(h, &go, &[]));
        let got = outcome(&common::run_in(
            common::chartr(),
            &jinja,
            &["template", "c"],
        ));
        // chartr's message starts with Helm's words and may say more (the file, what to do).
        let same = want == got || (want.starts_with("error: ") && got.starts_with(&want));
        if !same {
            failures.push(format!("{name}:\n  helm:   {want:?}\n  chartr: {got:?}"));
            continue;
        }
        if !want.starts_with("error: ") {
            let mut h = std::process::Command::new(helm);
            h.args(["show", "chart", "c"]);
            let want = outcome(&common::run_in(h, &go, &[]));
            let got = outcome(&common::run_in(
                common::chartr(),
                &jinja,
                &["show", "chart", "c"],
            ));
            if want != got {
                failures.push(format!(
                    "{name} (show chart):\n  helm:   {want:?}\n  chartr: {got:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
