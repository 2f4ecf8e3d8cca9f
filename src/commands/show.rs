//! `chartr show all|chart|values|readme|crds CHART`, as `helm show` (v4) prints them.

use crate::chart::{self, Chart};
use crate::error::Error;
use crate::{yaml, Map, Value};
use std::path::Path;

/// What `show` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    All,
    Chart,
    Values,
    Readme,
    Crds,
}

/// Loads the chart at `path` and prints what `helm show WHAT` prints.
pub fn run(path: &Path, what: Show) -> Result<String, Error> {
    let chart = chart::load(path)?;
    Ok(show(&chart, what))
}

/// Helm's `action.Show.Run` over a loaded chart.
pub fn show(chart: &Chart, what: Show) -> String {
    let all = what == Show::All;
    let mut out = String::new();
    if all || what == Show::Chart {
        out.push_str(&yaml::to_yaml(&Value::Object(metadata(
            &chart.metadata_raw,
        ))));
        out.push('\n');
    }
    if all || what == Show::Values {
        if let Some(raw) = &chart.raw_values {
            if all {
                out.push_str("---\n");
            }
            out.push_str(raw);
            out.push('\n');
        }
    }
    if all || what == Show::Readme {
        if let Some(readme) = find_readme(chart) {
            if all {
                out.push_str("---\n");
            }
            out.push_str(&String::from_utf8_lossy(&readme.data));
            out.push('\n');
        }
    }
    if all || what == Show::Crds {
        for crd in crds(chart) {
            if !crd.data.starts_with(b"---") {
                out.push_str("---\n");
            }
            out.push_str(&String::from_utf8_lossy(&crd.data));
            out.push('\n');
        }
    }
    out
}

/// The fields of Helm's `chart.Metadata`, as `yaml.Marshal` prints them: unknown fields and
/// empty ones (`omitempty`) left out; a dependency always has `name` and `repository`.
fn metadata(raw: &Map) -> Map {
    const FIELDS: &[&str] = &[
        "name",
        "home",
        "sources",
        "version",
        "description",
        "keywords",
        "maintainers",
        "icon",
        "apiVersion",
        "condition",
        "tags",
        "appVersion",
        "deprecated",
        "annotations",
        "kubeVersion",
        "dependencies",
        "type",
    ];
    const MAINTAINER: &[&str] = &["name", "email", "url"];
    const DEPENDENCY: &[&str] = &[
        "name",
        "version",
        "repository",
        "condition",
        "tags",
        "enabled",
        "import-values",
        "alias",
    ];
    let mut out = pick(raw, FIELDS, &[]);
    if let Some(Value::Array(ms)) = out.get_mut("maintainers") {
        for m in ms.iter_mut() {
            if let Value::Object(o) = m {
                *o = pick(o, MAINTAINER, &[]);
            }
        }
    }
    if let Some(Value::Array(ds)) = out.get_mut("dependencies") {
        for d in ds.iter_mut() {
            if let Value::Object(o) = d {
                *o = pick(o, DEPENDENCY, &["name", "repository"]);
            }
        }
    }
    out
}

fn pick(raw: &Map, fields: &[&str], always: &[&str]) -> Map {
    let mut out = Map::new();
    for f in fields {
        match raw.get(*f) {
            Some(v) if !is_empty(v) => {
                out.insert(f.to_string(), v.clone());
            }
            _ if always.contains(f) => {
                out.insert(f.to_string(), Value::String(String::new()));
            }
            _ => {}
        }
    }
    out
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
    }
}

/// Helm's `findReadme`: the first top-level file (in load order) named README.md, README.txt or
/// README, in any case.
fn find_readme(chart: &Chart) -> Option<&chart::File> {
    const NAMES: &[&str] = &["readme.md", "readme.txt", "readme"];
    chart
        .files
        .iter()
        .find(|f| NAMES.iter().any(|n| f.name.eq_ignore_ascii_case(n)))
}

/// The chart's crds/ files with a manifest extension, then its subcharts', recursively.
fn crds(chart: &Chart) -> Vec<&chart::File> {
    let mut out: Vec<&chart::File> = chart
        .crds
        .iter()
        .filter(|f| {
            let ext = Path::new(&f.name)
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase());
            matches!(ext.as_deref(), Some("yaml" | "yml" | "json"))
        })
        .collect();
    for dep in &chart.dependencies {
        out.extend(crds(dep));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn metadata_keeps_helm_fields_and_drops_empty_ones() {
        let raw = match json!({
            "apiVersion": "v2", "name": "x", "version": "1.0.0", "description": "",
            "x-custom": 1, "deprecated": false,
            "dependencies": [{"name": "sub", "version": "1", "alias": "s", "extra": 2}],
            "maintainers": [{"name": "m", "email": ""}]
        }) {
            Value::Object(m) => m,
            _ => unreachable!(),
        };
        let m = metadata(&raw);
        assert_eq!(
            Value::Object(m),
            json!({"name": "x", "version": "1.0.0", "maintainers": [{"name": "m"}],
                   "apiVersion": "v2",
                   "dependencies": [{"name": "sub", "version": "1", "repository": "", "alias": "s"}]})
        );
    }
}
