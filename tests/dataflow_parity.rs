//! Parity of charts/dataflow (Jinja) with upstream's Helm chart: every scenario under
//! tests/fixtures/dataflow/reference (`NAME.scenario.yaml`, with `NAME.helm-v4.yaml`, what
//! `helm template` v4.1.4 rendered from upstream's chart for it) rendered by chartr must compare
//! equal under shared/tools/manifest-compare: no object missing or extra, no field different,
//! same order; generated passwords are masked, but must agree wherever they are repeated. With
//! the credentials masked, the text must also be Helm's byte for byte.
//!
//! The `main-*` scenarios limit the render to some templates (`show_only`) and are run by
//! tests/dataflow_main_parity.rs; this test runs the full renders.

mod common;
mod dataflow_support;

use dataflow_support::{compare, mask_generated, render_scenario};
use std::path::PathBuf;

fn scenarios() -> Vec<PathBuf> {
    let dir = common::root().join("tests/fixtures/dataflow/reference");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("folder entry").path())
        .filter(|p| {
            let n = p.file_name().unwrap_or_default().to_string_lossy();
            n.ends_with(".scenario.yaml") && !n.starts_with("main-")
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_reference_scenario_renders_as_helm_does() {
    if common::shared_or_skip("every_reference_scenario_renders_as_helm_does").is_none() {
        return;
    }
    let scenarios = scenarios();
    // The three shared reference scenarios, ten rendered from upstream, eighteen from its unit tests.
    assert!(scenarios.len() >= 31, "scenarios: {scenarios:?}");
    let out_dir = tempfile::tempdir().expect("temp dir");
    let mut failures = Vec::new();
    for scenario in &scenarios {
        let name = scenario
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .trim_end_matches(".scenario.yaml")
            .to_string();
        let reference = scenario.with_file_name(format!("{name}.helm-v4.yaml"));
        assert!(reference.is_file(), "{name}: no {}", reference.display());
        let out = render_scenario(scenario, &[]);
        if !out.status.success() {
            failures.push(format!(
                "{name}: chartr failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        let candidate = out_dir.path().join(format!("{name}.yaml"));
        std::fs::write(&candidate, &out.stdout).expect("write the render");
        let (same, report) = compare(&reference, &candidate);
        if !same {
            failures.push(format!("{name}:\n{report}"));
            continue;
        }
        // Byte for byte too, once the generated credentials are masked in each stream.
        let ref_text = std::fs::read_to_string(&reference).expect("read the reference");
        let (want, got) = (
            mask_generated(&ref_text),
            mask_generated(&String::from_utf8_lossy(&out.stdout)),
        );
        if want != got {
            let line = want
                .lines()
                .zip(got.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| want.lines().count().min(got.lines().count()));
            failures.push(format!(
                "{name}: equal as YAML but not byte for byte; first difference at line {}:\n  helm:   {:?}\n  chartr: {:?}",
                line + 1,
                want.lines().nth(line).unwrap_or("<end>"),
                got.lines().nth(line).unwrap_or("<end>")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenarios differ from Helm:\n\n{}",
        failures.len(),
        scenarios.len(),
        failures.join("\n")
    );
}
