//! Helm's function library, differentially: the Go chart under tests/fixtures/funcs/go calls
//! the functions on awkward inputs and is rendered by real Helm v4 and v3; its Jinja twin
//! under tests/fixtures/funcs/jinja makes the same calls in chartr's spelling and must render
//! to the same bytes. Helm v4 is matched exactly; v3 too, except for the lines listed in
//! tests/fixtures/funcs/v3-differences.txt (where v3 and v4 disagree, chartr follows v4).

mod common;

use std::path::Path;

fn helm_template(helm: &Path, chart: &Path) -> String {
    let out = common::run_in(
        std::process::Command::new(helm),
        &common::root(),
        &["template", chart.to_str().unwrap_or_default()],
    );
    assert!(
        out.status.success(),
        "{} template {} failed: {}",
        helm.display(),
        chart.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn chartr_template(chart: &Path) -> String {
    let out = common::run_in(
        common::chartr(),
        &common::root(),
        &["template", chart.to_str().unwrap_or_default()],
    );
    assert!(
        out.status.success(),
        "chartr template {} failed: {}",
        chart.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The line prefixes where v3 may differ (comments and blank lines skipped).
fn v3_differences(fixture: &Path) -> Vec<String> {
    std::fs::read_to_string(fixture.join("v3-differences.txt"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Every line that differs, as a readable report (empty when equal).
fn line_diff(want: &str, got: &str, allowed: &[String]) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let mut report = String::new();
    for i in 0..w.len().max(g.len()) {
        let (a, b) = (w.get(i).copied(), g.get(i).copied());
        if a == b {
            continue;
        }
        let excused = match (a, b) {
            (Some(a), Some(b)) => allowed
                .iter()
                .any(|p| a.starts_with(p.as_str()) && b.starts_with(p.as_str())),
            _ => false,
        };
        if !excused {
            report.push_str(&format!(
                "line {}:\n  helm:   {:?}\n  chartr: {:?}\n",
                i + 1,
                a.unwrap_or("<none>"),
                b.unwrap_or("<none>")
            ));
        }
    }
    if report.is_empty() && want.ends_with('\n') != got.ends_with('\n') {
        report.push_str("the final newline differs\n");
    }
    report
}

/// Both dialects: chartr renders the Jinja twin and the Go chart itself.
fn compare(fixture: &str) {
    let dir = common::root().join("tests/fixtures").join(fixture);
    let allowed = v3_differences(&dir);
    let mut failures = String::new();
    let wants: Vec<(&str, String)> = common::helms()
        .iter()
        .map(|(version, helm)| (*version, helm_template(helm, &dir.join("go"))))
        .collect();
    for side in ["jinja", "go"] {
        let got = chartr_template(&dir.join(side));
        for (version, want) in &wants {
            let excused: &[String] = if *version == "v3" { &allowed } else { &[] };
            let diff = line_diff(want, &got, excused);
            if !diff.is_empty() {
                failures.push_str(&format!(
                    "--- chartr ({side}) against helm {version}:\n{diff}"
                ));
            }
            if *version == "v4" && *want != got && diff.is_empty() {
                failures.push_str(&format!(
                    "--- chartr ({side}) against helm v4: the bytes differ\n"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{fixture}:\n{failures}");
}

#[test]
fn functions_render_as_helm_renders_them() {
    compare("funcs");
}

#[test]
fn to_yaml_renders_as_helm_renders_it() {
    compare("funcs-toyaml");
}

#[test]
fn line_diff_reports_and_excuses() {
    assert_eq!(line_diff("a\nb\n", "a\nb\n", &[]), "");
    assert!(line_diff("a\nb\n", "a\nc\n", &[]).contains("line 2"));
    assert_eq!(line_diff("x: 1\n", "x: 2\n", &["x:".to_string()]), "");
    assert!(line_diff("a\n", "a", &[]).contains("final newline"));
    assert!(line_diff("a\n", "a\nb\n", &[]).contains("<none>"));
}

/// `Error: execution error at (FILE:LINE:COL): MESSAGE` → (FILE:LINE, MESSAGE); the column is
/// Go's or Jinja's own.
fn error_parts(stderr: &str) -> (String, String) {
    let first = stderr.lines().next().unwrap_or_default();
    let rest = first
        .strip_prefix("Error: execution error at (")
        .unwrap_or_else(|| panic!("not a Helm execution error: {stderr}"));
    let (loc, msg) = rest.split_once("): ").unwrap_or((rest, ""));
    let file_line = loc.rsplit_once(':').map_or(loc, |(fl, _col)| fl);
    (file_line.to_string(), msg.to_string())
}

#[test]
fn fail_and_required_report_the_charts_words_as_helm_does() {
    let dir = common::root().join("tests/fixtures/funcs-errors");
    for case in ["fail", "required", "requiredEmpty"] {
        let values = dir.join(format!("{case}.yaml"));
        let values = values.to_str().unwrap_or_default();
        let got = common::run_in(
            common::chartr(),
            &common::root(),
            &[
                "template",
                dir.join("jinja").to_str().unwrap_or_default(),
                "-f",
                values,
            ],
        );
        assert_eq!(got.status.code(), Some(1), "{case}: chartr's exit code");
        let got = error_parts(&String::from_utf8_lossy(&got.stderr));
        // The Go chart through chartr: Helm v4's whole error line, column included.
        let go_run = |cmd: std::process::Command| {
            let out = common::run_in(
                cmd,
                &common::root(),
                &[
                    "template",
                    dir.join("go").to_str().unwrap_or_default(),
                    "-f",
                    values,
                ],
            );
            let err = String::from_utf8_lossy(&out.stderr);
            err.lines().next().unwrap_or_default().to_string()
        };
        assert_eq!(
            go_run(common::chartr()),
            go_run(std::process::Command::new(&common::helms()[1].1)),
            "{case}: chartr on the Go chart against helm v4"
        );
        for (version, helm) in common::helms() {
            let want = common::run_in(
                std::process::Command::new(helm),
                &common::root(),
                &[
                    "template",
                    dir.join("go").to_str().unwrap_or_default(),
                    "-f",
                    values,
                ],
            );
            assert!(!want.status.success(), "{case}: helm {version} succeeded");
            let want = error_parts(&String::from_utf8_lossy(&want.stderr));
            assert_eq!(got, want, "{case}: against helm {version}");
        }
    }
}
