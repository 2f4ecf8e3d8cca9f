//! The engine against real Helm, byte for byte: each case under `tests/fixtures/pairs/CASE/`
//! holds the same chart twice, `go/` with Go templates (rendered by both helms) and `jinja/`
//! with Jinja templates (rendered by chartr). Optional files:
//! - `args`: `helm template` arguments, one a line; `CHART` stands for the chart's folder
//!   (appended after the arguments when absent);
//! - `v3`: `differs: WHY` when Helm v3.17.3 prints something else than v4 (chartr follows v4;
//!   the test checks the difference is still there).

mod common;

use std::path::Path;
use std::process::Command;

fn args_for(case: &Path, chart: &str) -> Vec<String> {
    let mut args = vec!["template".to_string()];
    let listed: Vec<String> = std::fs::read_to_string(case.join("args"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    let has_chart = listed.iter().any(|a| a == "CHART");
    args.extend(
        listed
            .into_iter()
            .map(|a| if a == "CHART" { chart.to_string() } else { a }),
    );
    if !has_chart {
        args.push(chart.to_string());
    }
    args
}

fn run(cmd: Command, case: &Path, chart: &str) -> String {
    let args = args_for(case, chart);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = common::run_in(cmd, case, &args);
    assert!(
        out.status.success(),
        "{} {}: {}",
        case.display(),
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn check(name: &str) {
    let case = common::root().join("tests/fixtures/pairs").join(name);
    let chartr = run(common::chartr(), &case, "jinja");
    let v3_differs = std::fs::read_to_string(case.join("v3")).ok();
    for (version, helm) in common::helms() {
        let expected = run(Command::new(helm), &case, "go");
        if *version == "v3" {
            if let Some(why) = &v3_differs {
                assert_ne!(
                    chartr,
                    expected,
                    "{name}: Helm v3 was recorded to differ ({}), but prints what chartr prints",
                    why.trim()
                );
                continue;
            }
        }
        assert_eq!(
            chartr, expected,
            "{name}: chartr (left) differs from helm {version} (right)"
        );
    }
}

#[test]
fn capabilities_defaults() {
    check("capabilities-defaults");
}

#[test]
fn capabilities_flags() {
    check("capabilities-flags");
}

#[test]
fn context_objects() {
    check("context");
}

#[test]
fn files() {
    check("files");
}

#[test]
fn files_as_config() {
    check("files-as-config");
}

#[test]
fn include_across_the_chart_tree() {
    check("include-across");
}

#[test]
#[ignore = "needs Helm's subchart values coalescing (values::compose)"]
fn subchart_scoping_and_globals() {
    check("subchart-scoping");
}

#[test]
fn tpl() {
    check("tpl");
}
