//! Full renders of charts/dataflow, pinned as insta snapshots (snapshots/dataflow_render__*):
//! the README's command, and the chart with each ready-to-stack layer of values/dataflow, alone
//! and all stacked.
//! Generated credentials are masked (`<generated>`); the external layers are stacked with
//! tests/fixtures/dataflow/snapshot-credentials.yaml, which gives the external passwords the
//! layers leave to the operator.

mod common;
mod dataflow_support;

use dataflow_support::{chartr, mask_generated, stdout_ok};

fn snapshot(name: &str, extra: &[&str]) {
    let mut args = vec!["template", "dataflow", "charts/dataflow", "-n", "csghub"];
    args.extend_from_slice(extra);
    let rendered = stdout_ok(&chartr(&args), &format!("chartr {}", args.join(" ")));
    let masked = mask_generated(&rendered);
    insta::with_settings!({
        snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"),
        prepend_module_to_snapshot => false,
        description => format!("chartr {}", args.join(" ")),
    }, {
        insta::assert_snapshot!(format!("dataflow_render__{name}"), masked);
    });
}

const CREDENTIALS: &str = "tests/fixtures/dataflow/snapshot-credentials.yaml";

#[test]
fn default_render() {
    snapshot("default", &[]);
}

#[test]
fn every_layer_renders() {
    let dir = common::root().join("values/dataflow");
    let mut layers: Vec<String> = std::fs::read_dir(&dir)
        .expect("values/dataflow")
        .map(|e| e.expect("folder entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            p.strip_prefix(common::root())
                .unwrap_or(&p)
                .display()
                .to_string()
        })
        .collect();
    layers.sort();
    assert!(layers.len() >= 5, "layers: {layers:?}");
    for layer in &layers {
        let name = layer
            .trim_start_matches("values/dataflow/")
            .trim_end_matches(".yaml");
        snapshot(name, &["-f", layer, "-f", CREDENTIALS]);
    }
}

/// Every layer at once, through chartr's `-f DIR` (the folder's files in name order).
#[test]
fn all_layers_stacked() {
    snapshot("all-layers", &["-f", "values/dataflow", "-f", CREDENTIALS]);
}
