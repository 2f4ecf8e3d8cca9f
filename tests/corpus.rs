//! chartr on the real, unmodified charts of `../shared/corpus` (Go templates), against helm
//! v4.1.4 with `../shared/tools/corpus-compare`, and Helm's own `helm template` golden files
//! byte for byte (standard error included). Skipped, with one line, when `shared/` is absent.
//!
//! Every set runs (all 50: about two minutes); `CHARTR_CORPUS_SAMPLE=1` runs one or two per
//! chart.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// `shared/` (found as every test finds it, tests/common), when it holds the corpus.
fn shared() -> Option<PathBuf> {
    common::shared()
        .filter(|p| p.join("corpus").is_dir() && p.join("tools/corpus-compare").is_file())
}

/// Helm-testdata cases whose golden file chartr does not reproduce, and why. The test checks
/// that they still differ, so the list cannot go stale.
const GOLDEN_DEVIATIONS: &[(&str, &str)] = &[
    (
        "template-chart-bad-type",
        "chartr names the Chart.yaml in the validation message (the project's rule)",
    ),
    (
        "template-lib-chart",
        "chartr names the Chart.yaml in the validation message (the project's rule)",
    ),
    (
        "template-no-args",
        "Helm's usage error, exit 1, with chartr naming itself where Helm says helm",
    ),
    (
        "template-with-invalid-yaml-debug",
        "--debug prints the invalid render before the error; chartr never prints a partial render",
    ),
];

const SAMPLE: &[(&str, &str)] = &[
    ("argo-cd", "ci-ha-autoscaling"),
    ("bitnami-postgresql", "default"),
    ("csghub-1.16.0", "default"),
    ("csghub-1.16.0", "default+noloki"),
    ("dataflow-1.16.0", "default"),
    ("dataflow-1.16.0", "nodeport-tls"),
    ("dataflow-2.4.1", "default"),
    ("dataflow-2.4.1", "tests-baseline"),
    ("helm-testdata", "template-name-template"),
    ("ingress-nginx", "ci-daemonset-metrics"),
    ("repro-null-defaults", "default"),
];

fn all_sets(corpus: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(corpus)
        .expect("corpus is readable")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("sets").is_dir())
        .collect();
    cases.sort();
    for c in cases {
        let mut sets: Vec<String> = std::fs::read_dir(c.join("sets"))
            .expect("sets readable")
            .filter_map(|e| {
                let n = e.ok()?.file_name().to_string_lossy().into_owned();
                n.strip_suffix(".args").map(str::to_string)
            })
            .collect();
        sets.sort();
        let case = c.file_name().expect("name").to_string_lossy().into_owned();
        out.extend(sets.into_iter().map(|s| (case.clone(), s)));
    }
    out
}

/// Runs corpus-compare on one set: `Ok(())` same, `Err(report)` different.
fn compare(shared: &Path, case: &str, set: &str) -> Result<(), String> {
    let out = Command::new(shared.join("tools/corpus-compare"))
        .arg(shared.join("corpus").join(case))
        .arg(set)
        .arg(env!("CARGO_BIN_EXE_chartr"))
        .arg("--helm")
        .arg(&common::helms()[1].1)
        .output()
        .expect("corpus-compare runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        Ok(())
    } else {
        Err(text)
    }
}

#[test]
fn corpus_sets_render_as_helm_v4() {
    let Some(shared) = shared() else {
        println!("skipped: no shared/corpus beside the project");
        return;
    };
    let sets: Vec<(String, String)> = if std::env::var_os("CHARTR_CORPUS_SAMPLE").is_none() {
        all_sets(&shared.join("corpus"))
    } else {
        SAMPLE
            .iter()
            .map(|(c, s)| (c.to_string(), s.to_string()))
            .collect()
    };
    // Two at a time: each set runs helm twice and chartr once.
    let results: Vec<(String, String, Result<(), String>)> = std::thread::scope(|s| {
        let chunks: Vec<Vec<(String, String)>> = (0..2)
            .map(|k| sets.iter().skip(k).step_by(2).cloned().collect())
            .collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let shared = &shared;
                s.spawn(move || {
                    chunk
                        .into_iter()
                        .map(|(c, set)| {
                            let r = compare(shared, &c, &set);
                            (c, set, r)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("thread"))
            .collect()
    });
    let mut failures = Vec::new();
    for (case, set, r) in results {
        let Err(report) = r else { continue };
        if case == "helm-testdata" && GOLDEN_DEVIATIONS.iter().any(|(c, _)| *c == set) {
            continue;
        }
        failures.push(format!("{case}/{set}:\n{report}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn helm_golden_files_match_byte_for_byte() {
    let Some(shared) = shared() else {
        println!("skipped: no shared/corpus beside the project");
        return;
    };
    let case_dir = shared.join("corpus/helm-testdata");
    let table = std::fs::read_to_string(case_dir.join("cases.tsv")).expect("cases.tsv");
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in table.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [case, _exit, golden, ..] = cols[..] else {
            continue;
        };
        let file = golden.rsplit('/').next().unwrap_or(golden);
        let expected =
            std::fs::read_to_string(case_dir.join("expected").join(file)).expect("golden file");
        let out = Command::new("sh")
            .arg("-c")
            .arg("\"$0\" \"$1\" \"$2\" \"$3\" 2>&1")
            .arg(shared.join("tools/corpus-render"))
            .arg(&case_dir)
            .arg(case)
            .arg(env!("CARGO_BIN_EXE_chartr"))
            .output()
            .expect("corpus-render runs");
        let got = String::from_utf8_lossy(&out.stdout).into_owned();
        let deviation = GOLDEN_DEVIATIONS.iter().find(|(c, _)| *c == case);
        match (got == expected, deviation) {
            (true, None) => checked += 1,
            (true, Some((c, why))) => failures.push(format!(
                "{c} now matches its golden file: take it off GOLDEN_DEVIATIONS ({why})"
            )),
            (false, Some(_)) => {}
            (false, None) => failures.push(format!(
                "{case}: differs from {file}\n{}",
                similar::TextDiff::from_lines(&expected, &got)
                    .unified_diff()
                    .header("helm golden", "chartr")
            )),
        }
    }
    assert!(checked >= 19, "only {checked} golden files checked");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
