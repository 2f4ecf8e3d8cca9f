//! Parity of the Dataflow chart's two bundled subcharts (charts/dataflow/charts/gateway-helm and
//! charts/dataflow/charts/reloader) with their upstream Go-template originals under real Helm.
//!
//! Each tests/fixtures/subcharts/NAME.scenario.yaml renders one subchart on its own (chart,
//! release, namespace, values, API versions), mostly with values that switch on the optional
//! objects the Dataflow defaults leave off (autoscaler, disruption budgets, monitors, network
//! policy, VPA, GatewayNamespace mode, ...). NAME.helm-v4.yaml is what Helm v4.1.4 printed for
//! the same scenario from the upstream chart (`render-references` there re-creates them).
//! chartr's render must match it object for object, field for field, in the same order, as
//! shared/tools/manifest-compare judges.
//!
//! Scenarios with `chart: dataflow` render the whole Dataflow chart instead (conditions, values
//! passed down under the alias `envoy`, globals); their references hold only the subcharts'
//! objects, and only those of chartr's render are compared.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::shared_tool;

struct Scenario {
    name: String,
    path: PathBuf,
    chart: String,
    api_versions: Vec<String>,
    reference: PathBuf,
}

fn scenarios() -> Vec<Scenario> {
    let dir = common::root().join("tests/fixtures/subcharts");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/fixtures/subcharts is readable") {
        let path = entry.expect("directory entry").path();
        let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
            continue;
        };
        let Some(name) = file.strip_suffix(".scenario.yaml") else {
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("scenario is readable");
        let doc = chartr::yaml::parse(&text, file).unwrap_or_else(|e| panic!("{e}"));
        let chart = doc["chart"]
            .as_str()
            .unwrap_or_else(|| panic!("{file}: no chart"))
            .to_string();
        let api_versions = match &doc["api_versions"] {
            serde_json::Value::Array(items) => items
                .iter()
                .filter_map(|i| i.as_str().map(String::from))
                .collect(),
            _ => Vec::new(),
        };
        found.push(Scenario {
            name: name.to_string(),
            reference: dir.join(format!("{name}.helm-v4.yaml")),
            path,
            chart,
            api_versions,
        });
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

/// The documents of a manifest stream whose `# Source:` is one of the bundled subcharts'.
fn subchart_objects(stream: &str) -> String {
    let mut out = String::new();
    for doc in stream.split("\n---\n") {
        let doc = doc.strip_prefix("---\n").unwrap_or(doc);
        let source = doc.lines().find_map(|l| l.strip_prefix("# Source: "));
        if source.is_some_and(|s| {
            s.starts_with("dataflow/charts/envoy/") || s.starts_with("dataflow/charts/reloader/")
        }) {
            out.push_str("---\n");
            out.push_str(doc.trim_end_matches('\n'));
            out.push('\n');
        }
    }
    out
}

/// Renders a scenario with chartr through shared/tools/render-scenario (the same driver that
/// produced the reference with Helm) and returns the manifest stream (for the whole Dataflow
/// chart, the subcharts' part of it).
fn render(sc: &Scenario) -> Result<String, String> {
    let chart = if sc.chart == "dataflow" {
        common::root().join("charts/dataflow")
    } else {
        common::root()
            .join("charts/dataflow/charts")
            .join(&sc.chart)
    };
    let mut cmd = Command::new(shared_tool("render-scenario"));
    cmd.arg(&sc.path)
        .arg(&chart)
        .arg(env!("CARGO_BIN_EXE_chartr"));
    for api in &sc.api_versions {
        cmd.arg("--api-versions").arg(api);
    }
    let out = cmd
        .output()
        .map_err(|e| format!("render-scenario did not run: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "chartr failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8(out.stdout).map_err(|e| format!("output is not UTF-8: {e}"))?;
    Ok(if sc.chart == "dataflow" {
        subchart_objects(&text)
    } else {
        text
    })
}

/// manifest-compare REFERENCE CANDIDATE: Ok when it finds no difference, else its report.
fn compare(reference: &Path, rendered: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let candidate = dir.path().join("chartr.yaml");
    std::fs::write(&candidate, rendered).map_err(|e| e.to_string())?;
    let out = Command::new(shared_tool("manifest-compare"))
        .arg(reference)
        .arg(&candidate)
        .output()
        .map_err(|e| format!("manifest-compare did not run: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

#[test]
fn scenarios_cover_both_subcharts_and_have_references() {
    let all = scenarios();
    for chart in ["gateway-helm", "reloader"] {
        assert!(
            all.iter().filter(|s| s.chart == chart).count() >= 3,
            "too few scenarios for {chart}"
        );
    }
    assert!(
        all.iter().any(|s| s.chart == "dataflow"),
        "no scenario renders the subcharts from the Dataflow chart"
    );
    for sc in all.iter().filter(|s| s.chart != "dataflow") {
        let text = std::fs::read_to_string(&sc.reference)
            .unwrap_or_else(|e| panic!("{}: reference {}: {e}", sc.name, sc.reference.display()));
        assert!(
            text.contains("# Source: "),
            "{}: reference has no objects",
            sc.name
        );
    }
}

/// Byte for byte, as `helm template` prints it: Ok, or the first line that differs.
fn same_bytes(reference: &Path, rendered: &str) -> Result<(), String> {
    let want = std::fs::read_to_string(reference).map_err(|e| e.to_string())?;
    if want == rendered {
        return Ok(());
    }
    let (w, g): (Vec<_>, Vec<_>) = (want.lines().collect(), rendered.lines().collect());
    let at = w.iter().zip(&g).take_while(|(a, b)| a == b).count();
    Err(format!(
        "output differs from Helm's at line {}: Helm {:?}, chartr {:?}",
        at + 1,
        w.get(at).copied().unwrap_or("<end>"),
        g.get(at).copied().unwrap_or("<end>")
    ))
}

/// Each subchart rendered on its own: same objects as Helm (manifest-compare), and the same
/// bytes (chartr aims at `helm template`'s exact output).
#[test]
fn subcharts_render_as_helm_renders_upstream() {
    if common::shared_or_skip("subcharts_render_as_helm_renders_upstream").is_none() {
        return;
    }
    let mut failures = Vec::new();
    for sc in scenarios().into_iter().filter(|s| s.chart != "dataflow") {
        let result = render(&sc).and_then(|out| {
            if !out.contains("# Source: ") {
                return Err("chartr printed no objects".to_string());
            }
            compare(&sc.reference, &out)?;
            same_bytes(&sc.reference, &out)
        });
        if let Err(report) = result {
            failures.push(format!("== {} ({})\n{report}", sc.name, sc.chart));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn subchart_objects_keeps_only_the_bundled_subcharts() {
    let stream = "---\n# Source: dataflow/templates/gateway.yaml\nkind: Gateway\n---\n# Source: dataflow/charts/envoy/templates/a.yaml\nkind: A\n---\n# Source: dataflow/charts/reloader/templates/b.yaml\nkind: B\n";
    assert_eq!(
        subchart_objects(stream),
        "---\n# Source: dataflow/charts/envoy/templates/a.yaml\nkind: A\n---\n# Source: dataflow/charts/reloader/templates/b.yaml\nkind: B\n"
    );
}

/// The reloader schema rejects what upstream's rejects (an unknown reloadStrategy) and the
/// wrongly typed values ours adds rules for, naming each offending key; exit status 1.
#[test]
fn reloader_schema_rejects_bad_values() {
    let dir = common::root().join("tests/fixtures/subcharts/schema");
    let chart = common::root().join("charts/dataflow/charts/reloader");
    for (file, keys) in [
        (
            "reloader-unknown-strategy.yaml",
            &["reloader.reloadStrategy"][..],
        ),
        (
            "reloader-wrong-types.yaml",
            &["reloader.enableHA", "reloader.deployment.replicas"][..],
        ),
    ] {
        let out = common::chartr()
            .arg("template")
            .arg(&chart)
            .arg("-f")
            .arg(dir.join(file))
            .output()
            .expect("chartr runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{file}: {stderr}");
        for key in keys {
            assert!(
                stderr.contains(key),
                "{file}: no word of {key} in: {stderr}"
            );
        }
    }
}

/// The subcharts inside the Dataflow chart: switched off by their conditions, and given values
/// under the alias `envoy`, under `reloader` and in `global`. Only their objects are compared.
#[test]
fn subcharts_inside_dataflow_render_as_helm_renders_upstream() {
    if common::shared_or_skip("subcharts_inside_dataflow_render_as_helm_renders_upstream").is_none()
    {
        return;
    }
    let mut failures = Vec::new();
    for sc in scenarios().into_iter().filter(|s| s.chart == "dataflow") {
        if let Err(report) = render(&sc).and_then(|out| compare(&sc.reference, &out)) {
            failures.push(format!("== {}\n{report}", sc.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
