//! The Dataflow chart's schema (charts/dataflow/values.schema.json, generated from
//! schemas/dataflow): every ready-to-stack layer under values/dataflow is valid, alone and
//! stacked; the edge cases under tests/fixtures/dataflow/schema-valid are valid; each broken combination under tests/fixtures/dataflow/schema-broken is rejected
//! with the exact messages in its snapshot (the `from FILE:LINE` origins left out, so the
//! snapshots pin this chart's rules, not the origin tracking).

mod common;

use std::path::PathBuf;

fn files(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(common::root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("folder entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    v.sort();
    assert!(!v.is_empty(), "{dir} holds no YAML file");
    v
}

fn rel(p: &std::path::Path) -> String {
    p.strip_prefix(common::root())
        .unwrap_or(p)
        .display()
        .to_string()
}

/// `chartr values charts/dataflow -f F...` from the project's root.
fn values_with(layers: &[String]) -> std::process::Output {
    let mut args = vec!["values".to_string(), "charts/dataflow".to_string()];
    for l in layers {
        args.push("-f".into());
        args.push(l.clone());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    common::run_in(common::chartr(), &common::root(), &args)
}

#[test]
fn every_layer_is_valid_alone_and_stacked() {
    let layers: Vec<String> = files("values/dataflow").iter().map(|p| rel(p)).collect();
    assert!(layers.len() >= 5, "layers: {layers:?}");
    for l in &layers {
        let out = values_with(std::slice::from_ref(l));
        assert!(
            out.status.success(),
            "{l} is rejected:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = values_with(&layers);
    assert!(
        out.status.success(),
        "the layers stacked are rejected:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Inputs near the rules' edges that must stay valid (tests/fixtures/dataflow/schema-valid).
#[test]
fn valid_edge_cases_are_accepted() {
    for f in files("tests/fixtures/dataflow/schema-valid") {
        let out = values_with(&[rel(&f)]);
        assert!(
            out.status.success(),
            "{} is rejected:\n{}",
            rel(&f),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The error text without the origins: ` (from ...)` at the end of a violation line.
fn without_origins(stderr: &str) -> String {
    stderr
        .lines()
        .map(|l| match (l.starts_with("- "), l.rfind(" (from ")) {
            (true, Some(cut)) if l.ends_with(')') => &l[..cut],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn broken_combinations_are_rejected_with_their_messages() {
    for f in files("tests/fixtures/dataflow/schema-broken") {
        let name = f
            .file_stem()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        let out = values_with(&[rel(&f)]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{name}: expected exit 1 (bad input)"
        );
        let text = without_origins(&String::from_utf8_lossy(&out.stderr));
        insta::with_settings!({
            snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"),
            prepend_module_to_snapshot => false,
            description => format!("chartr values charts/dataflow -f {}", rel(&f)),
        }, {
            insta::assert_snapshot!(format!("dataflow_schema__{name}"), text);
        });
    }
}

/// The external switches name both keys in their message.
#[test]
fn external_rules_name_both_keys() {
    for comp in ["postgresql", "redis", "mongo"] {
        let dir = tempfile::tempdir().expect("temp dir");
        let f = dir.path().join("v.yaml");
        std::fs::write(&f, format!("global:\n  {comp}:\n    enabled: false\n")).expect("write");
        let out = values_with(&[f.display().to_string()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!(
                "global.{comp}.external.host is required when global.{comp}.enabled is false"
            )),
            "{comp}: {err}"
        );
    }
}
