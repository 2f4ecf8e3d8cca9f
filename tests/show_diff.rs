//! `chartr show` against real helm: every subcommand on fixture charts, byte for byte.
//! Helm v4 is the reference; v3 differs on `crds` (and so `all`): it prints no `---` before
//! some CRDs. That difference is asserted too, so a change on either side is noticed.

mod common;

use std::path::Path;

const WHATS: [&str; 5] = ["all", "chart", "values", "readme", "crds"];

fn show(cmd: std::process::Command, what: &str, chart: &Path) -> (bool, String, String) {
    let out = common::run_in(
        cmd,
        &common::root(),
        &["show", what, chart.to_str().unwrap()],
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn show_matches_helm_v4_and_v3() {
    let mut failures = Vec::new();
    for chart in ["full", "bare"] {
        let dir = common::root().join("tests/fixtures/show").join(chart);
        for what in WHATS {
            let ours = show(common::chartr(), what, &dir);
            assert!(ours.0, "chartr show {what} {chart} failed: {}", ours.2);
            for (major, helm) in common::helms() {
                let theirs = show(std::process::Command::new(helm), what, &dir);
                assert!(
                    theirs.0,
                    "helm {major} show {what} {chart} failed: {}",
                    theirs.2
                );
                let v3_differs =
                    *major == "v3" && chart == "full" && (what == "crds" || what == "all");
                if (ours.1 == theirs.1) == v3_differs {
                    failures.push(format!(
                        "show {what} {chart} vs helm {major} (expected {}):\n--- helm\n{}\n--- chartr\n{}",
                        if v3_differs { "a difference" } else { "equality" },
                        theirs.1,
                        ours.1
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn show_of_a_missing_chart_is_an_error() {
    let out = common::run_in(
        common::chartr(),
        &common::root(),
        &["show", "chart", "no/such/chart"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/chart"));
}
