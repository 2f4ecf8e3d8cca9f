//! The Dataflow chart's defaults and schema have one source each: the section files under
//! `values/dataflow/defaults/` and `schemas/dataflow/` (the Dataflow guide's sections: global,
//! Dataflow, Label Studio, built-in components, dependencies). `charts/dataflow/values.yaml` and
//! `charts/dataflow/values.schema.json` are generated from them, so the chart stays
//! self-contained. These tests fail when the generated files are out of date;
//! `CHARTR_BLESS=1 cargo test --test dataflow_values` rewrites them.

mod common;

use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const VALUES_SOURCES: &str = "values/dataflow/defaults";
const SCHEMA_SOURCES: &str = "schemas/dataflow";
const VALUES_OUT: &str = "charts/dataflow/values.yaml";
const SCHEMA_OUT: &str = "charts/dataflow/values.schema.json";
const REGENERATE: &str = "CHARTR_BLESS=1 cargo test --test dataflow_values";

/// The files of `dir` whose names end with `suffix`, in name order.
fn sources(dir: &str, suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(common::root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("readable folder entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(suffix))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{dir} holds no *{suffix}");
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn rel(path: &Path) -> String {
    path.strip_prefix(common::root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// values.yaml: a header, then each section file as written (comments kept), in name order.
fn generate_values() -> String {
    let mut out = format!(
        "# GENERATED from {VALUES_SOURCES}/*.yaml (in name order); do not edit here.\n\
         # Regenerate with: {REGENERATE}\n\n"
    );
    for f in sources(VALUES_SOURCES, ".yaml") {
        let text = read(&f);
        out.push_str(&text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// values.schema.json: one object schema whose `$defs`, `properties` and `allOf` are the
/// sections' own, in name order. A key defined by two sections is an error.
///
/// One construct exists only in the sources: an object schema with `"$mixin": "NAME"` also gets
/// every property of `$defs.NAME` (written before its own; a clash is an error). So the keys
/// every workload honours are listed once, and each component still closes its section with
/// `additionalProperties: false` (which, unlike `unevaluatedProperties` over an `allOf`, reports
/// a misspelt key alone).
fn generate_schema() -> String {
    let mut defs = Map::new();
    let mut properties = Map::new();
    let mut all_of = Vec::new();
    for f in sources(SCHEMA_SOURCES, ".schema.json") {
        let name = rel(&f);
        let section: Value =
            serde_json::from_str(&read(&f)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let Value::Object(section) = section else {
            panic!("{name}: not a JSON object")
        };
        for (key, value) in section {
            match (key.as_str(), value) {
                ("$comment", _) => {}
                ("$defs", Value::Object(m)) => merge_unique(&mut defs, m, &name, "$defs"),
                ("properties", Value::Object(m)) => {
                    merge_unique(&mut properties, m, &name, "properties")
                }
                ("allOf", Value::Array(rules)) => all_of.extend(rules),
                (other, _) => panic!("{name}: unexpected top-level key {other:?} in a section"),
            }
        }
    }
    let mut properties = Value::Object(properties);
    let mut all_of = Value::Array(all_of);
    expand_mixins(&mut properties, &defs, "properties");
    expand_mixins(&mut all_of, &defs, "allOf");
    let mut root = Map::new();
    root.insert(
        "$schema".into(),
        "https://json-schema.org/draft/2020-12/schema".into(),
    );
    root.insert(
        "$comment".into(),
        format!("GENERATED from {SCHEMA_SOURCES}/*.schema.json (in name order); do not edit here. Regenerate with: {REGENERATE}").into(),
    );
    root.insert("title".into(), "Dataflow chart values".into());
    root.insert("type".into(), "object".into());
    root.insert("properties".into(), properties);
    root.insert("allOf".into(), all_of);
    root.insert("$defs".into(), Value::Object(defs));
    let mut text = serde_json::to_string_pretty(&Value::Object(root)).expect("JSON serialises");
    text.push('\n');
    text
}

fn expand_mixins(v: &mut Value, defs: &Map<String, Value>, at: &str) {
    match v {
        Value::Object(m) => {
            if let Some(mixin) = m.remove("$mixin") {
                let name = mixin
                    .as_str()
                    .unwrap_or_else(|| panic!("{at}: $mixin is not a name"));
                let Some(Value::Object(from)) = defs.get(name).and_then(|d| d.get("properties"))
                else {
                    panic!("{at}: $mixin {name:?}: no $defs.{name}.properties")
                };
                let mut props = from.clone();
                if let Some(Value::Object(own)) = m.remove("properties") {
                    merge_unique(&mut props, own, at, "properties (over the mixin)");
                }
                m.insert("properties".into(), Value::Object(props));
            }
            for (k, x) in m.iter_mut() {
                expand_mixins(x, defs, &format!("{at}.{k}"));
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter_mut().enumerate() {
                expand_mixins(x, defs, &format!("{at}[{i}]"));
            }
        }
        _ => {}
    }
}

fn merge_unique(dst: &mut Map<String, Value>, src: Map<String, Value>, file: &str, what: &str) {
    for (k, v) in src {
        assert!(
            dst.insert(k.clone(), v).is_none(),
            "{file}: {what}.{k} is already defined by an earlier section"
        );
    }
}

fn check_generated(path: &str, expected: &str) {
    let full = common::root().join(path);
    let bless = std::env::var_os("CHARTR_BLESS").is_some_and(|v| v == "1");
    let current = std::fs::read_to_string(&full).unwrap_or_default();
    if current == expected {
        return;
    }
    if bless {
        std::fs::write(&full, expected).unwrap_or_else(|e| panic!("{path}: {e}"));
        return;
    }
    panic!("{path} is out of date with its sources; regenerate it with: {REGENERATE}");
}

#[test]
fn generated_values_are_up_to_date() {
    check_generated(VALUES_OUT, &generate_values());
}

#[test]
fn generated_schema_is_up_to_date() {
    check_generated(SCHEMA_OUT, &generate_schema());
}

fn parse_yaml(path: &Path) -> serde_json::Map<String, Value> {
    match chartr::yaml::parse(&read(path), &rel(path)) {
        Ok(Value::Object(m)) => m,
        Ok(other) => panic!("{}: not a map: {other}", rel(path)),
        Err(e) => panic!("{e}"),
    }
}

/// Each section owns its top-level keys: no key is defaulted by two sections, and every
/// defaulted key has a schema.
#[test]
fn sections_own_disjoint_keys_and_every_default_has_a_schema() {
    let mut seen = BTreeSet::new();
    for f in sources(VALUES_SOURCES, ".yaml") {
        for k in parse_yaml(&f).keys() {
            assert!(
                seen.insert(k.clone()),
                "{}: {k} is also defaulted by an earlier section",
                rel(&f)
            );
        }
    }
    let schema: Value = serde_json::from_str(&generate_schema()).expect("generated schema parses");
    let props = schema["properties"].as_object().expect("properties");
    for k in &seen {
        assert!(
            props.contains_key(k),
            "{k} has a default but no schema in {SCHEMA_SOURCES}"
        );
    }
}

/// Every `$ref` of the sections points at a definition that exists.
#[test]
fn every_reference_resolves() {
    let schema: Value = serde_json::from_str(&generate_schema()).expect("generated schema parses");
    fn walk(v: &Value, root: &Value, at: &str) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    let pointer = r
                        .strip_prefix('#')
                        .unwrap_or_else(|| panic!("{at}: external $ref {r}"));
                    assert!(
                        root.pointer(pointer).is_some(),
                        "{at}: $ref {r} resolves to nothing"
                    );
                }
                for (k, x) in m {
                    walk(x, root, &format!("{at}/{k}"));
                }
            }
            Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, x)| walk(x, root, &format!("{at}/{i}"))),
            _ => {}
        }
    }
    walk(&schema, &schema, "");
}

/// The defaults the Dataflow guide's tables document (tests/fixtures/dataflow/guide-defaults.yaml):
/// each one holds in values.yaml, or differs exactly as the fixture records (and the README says).
#[test]
fn guide_tables_defaults() {
    let values = Value::Object(parse_yaml(&common::root().join(VALUES_OUT)));
    let fixture = common::root().join("tests/fixtures/dataflow/guide-defaults.yaml");
    let table = parse_yaml(&fixture);
    let rows = table["defaults"].as_array().expect("defaults: a list");
    assert!(
        rows.len() >= 20,
        "the guide's tables have more rows than {}",
        rows.len()
    );
    for row in rows {
        let key = row["key"].as_str().expect("key");
        let pointer = format!("/{}", key.replace('.', "/"));
        let ours = values.pointer(&pointer);
        let expected = row.get("ours").unwrap_or(&row["guide"]);
        if row.get("ours").is_some() {
            assert!(
                row.get("why").is_some(),
                "{key}: a difference from the guide needs a why"
            );
        }
        if expected.is_null() {
            assert!(
                ours.is_none_or(Value::is_null),
                "{key}: expected unset, found {ours:?}"
            );
        } else {
            assert_eq!(ours, Some(expected), "{key}");
        }
    }
}
