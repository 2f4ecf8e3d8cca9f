//! Shared by the Dataflow chart's integration tests: the shared tools (render-scenario,
//! manifest-compare), rendering a scenario with chartr, and reading rendered objects.
#![allow(dead_code)]

use crate::common;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

pub use crate::common::shared_tool;

/// Renders SCENARIO (a scenario file: release, namespace, values, set) with chartr on
/// charts/dataflow through shared/tools/render-scenario, from the project's root.
pub fn render_scenario(scenario: &Path, extra: &[&str]) -> Output {
    let mut cmd = Command::new(shared_tool("render-scenario"));
    cmd.arg(scenario)
        .arg("charts/dataflow")
        .arg(env!("CARGO_BIN_EXE_chartr"))
        .args(extra);
    common::run_in(cmd, &common::root(), &[])
}

/// chartr's own arguments, from the project's root.
pub fn chartr(args: &[&str]) -> Output {
    common::run_in(common::chartr(), &common::root(), args)
}

/// Runs shared/tools/manifest-compare REFERENCE CANDIDATE; returns (same, report).
pub fn compare(reference: &Path, candidate: &Path) -> (bool, String) {
    let out = common::run_in(
        Command::new(shared_tool("manifest-compare")),
        &common::root(),
        &[
            &reference.display().to_string(),
            &candidate.display().to_string(),
        ],
    );
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code() == Some(0), report)
}

/// The objects of a manifest stream.
pub fn objects(stream: &str) -> Vec<Value> {
    chartr::yaml::parse_all(stream, "rendered manifests")
        .unwrap_or_else(|e| panic!("the render is not YAML: {e}"))
        .into_iter()
        .filter(|d| d.is_object())
        .collect()
}

/// The object of `kind` named `name`.
pub fn object<'a>(objects: &'a [Value], kind: &str, name: &str) -> &'a Value {
    objects
        .iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name} in the render"))
}

/// `data.KEY` of a Secret, base64-decoded.
pub fn secret_value(objects: &[Value], name: &str, key: &str) -> String {
    use base64::Engine;
    let encoded = object(objects, "Secret", name)["data"][key]
        .as_str()
        .unwrap_or_else(|| panic!("Secret {name} has no data.{key}"));
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap_or_else(|e| panic!("Secret {name} data.{key} is not base64: {e}"));
    String::from_utf8(bytes).unwrap_or_else(|e| panic!("Secret {name} data.{key}: {e}"))
}

/// `data.KEY` of a ConfigMap.
pub fn config_value(objects: &[Value], name: &str, key: &str) -> String {
    object(objects, "ConfigMap", name)["data"][key]
        .as_str()
        .unwrap_or_else(|| panic!("ConfigMap {name} has no data.{key}"))
        .to_string()
}

/// Standard output of a successful command, or a panic with its standard error.
pub fn stdout_ok(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({:?}):\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The render with every generated credential replaced by `<generated>`: each value (at least 8
/// characters decoded) of a Secret's data/stringData key whose name contains PASS, TOKEN or
/// SECRET, wherever it appears, plain or base64 (as shared/tools/manifest-compare masks them).
pub fn mask_generated(stream: &str) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut needles = Vec::new();
    for o in objects(stream) {
        if o["kind"] != "Secret" {
            continue;
        }
        for (field, encoded) in [("data", true), ("stringData", false)] {
            let Some(m) = o[field].as_object() else {
                continue;
            };
            for (k, v) in m {
                let upper = k.to_ascii_uppercase();
                if !["PASS", "TOKEN", "SECRET"]
                    .iter()
                    .any(|w| upper.contains(w))
                {
                    continue;
                }
                let Some(v) = v.as_str() else { continue };
                let plain = if encoded {
                    match b64.decode(v).ok().and_then(|b| String::from_utf8(b).ok()) {
                        Some(p) => p,
                        None => continue,
                    }
                } else {
                    v.to_string()
                };
                if plain.len() >= 8 {
                    needles.push(b64.encode(&plain));
                    needles.push(plain);
                }
            }
        }
    }
    needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
    needles.dedup();
    let mut out = stream.to_string();
    for n in needles {
        out = out.replace(&n, "<generated>");
    }
    out
}
