//! Loading a chart in Helm's layout: Chart.yaml, values.yaml, values.schema.json, templates/,
//! crds/, charts/ (unpacked folders and `.tgz` archives), .helmignore, and every other file
//! for `Files`.

use crate::{yaml, Map, Value};
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One file of a chart: its path relative to the chart's root, `/`-separated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub data: Vec<u8>,
}

/// A `dependencies:` entry of Chart.yaml.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dependency {
    pub name: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub repository: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub import_values: Vec<Value>,
}

/// Chart.yaml (apiVersion v2).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kube_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub chart_type: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<Dependency>,
}

impl Metadata {
    /// A library chart contributes helpers, never manifests.
    pub fn is_library(&self) -> bool {
        self.chart_type.as_deref() == Some("library")
    }
}

/// A loaded chart and its subcharts.
#[derive(Debug, Clone, Default)]
pub struct Chart {
    pub metadata: Metadata,
    /// Chart.yaml as parsed, every field (for `.Chart` and `show chart`).
    pub metadata_raw: Map,
    /// Where the chart was loaded from (a folder, an archive, or an archive member), for messages.
    pub source: PathBuf,
    /// values.yaml as written, for `show values`.
    pub raw_values: Option<String>,
    /// values.yaml parsed.
    pub values: Map,
    /// Where each value of values.yaml stands.
    pub values_lines: yaml::Lines,
    /// values.schema.json parsed.
    pub schema: Option<Value>,
    /// Files under templates/.
    pub templates: Vec<File>,
    /// Files under crds/.
    pub crds: Vec<File>,
    /// Every other file (not Chart.yaml, values.yaml, values.schema.json, templates/, charts/),
    /// as Helm's `.Files` sees them.
    pub files: Vec<File>,
    /// Subcharts found under charts/.
    pub dependencies: Vec<Chart>,
}

impl Chart {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }
}

/// Loads the chart at `path` (a folder or a `.tgz` archive).
pub fn load(path: &Path) -> Result<Chart> {
    if !path.exists() {
        bail!("chart {}: no such file or folder", path.display());
    }
    if !path.is_dir() {
        bail!(
            "chart {}: only chart folders can be loaded yet",
            path.display()
        );
    }
    let chart_yaml = path.join("Chart.yaml");
    let text = std::fs::read_to_string(&chart_yaml)
        .with_context(|| format!("{}: cannot read Chart.yaml", path.display()))?;
    let file = chart_yaml.display().to_string();
    let raw = match yaml::parse(&text, &file)? {
        Value::Object(m) => m,
        _ => bail!("{file}: Chart.yaml is not a map"),
    };
    let metadata: Metadata = serde_json::from_value(Value::Object(raw.clone()))
        .with_context(|| format!("{file}: invalid Chart.yaml"))?;
    let mut chart = Chart {
        metadata,
        metadata_raw: raw,
        source: path.to_path_buf(),
        ..Chart::default()
    };
    let values_path = path.join("values.yaml");
    if values_path.exists() {
        let text = std::fs::read_to_string(&values_path)?;
        let file = values_path.display().to_string();
        let (values, lines) = yaml::parse_values(&text, &file)?;
        chart.values = values;
        chart.values_lines = lines;
        chart.raw_values = Some(text);
    }
    for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
        let entry = entry?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(path)?
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if rel.starts_with("charts/") || rel == "Chart.yaml" || rel == "values.yaml" {
            continue;
        }
        let data = std::fs::read(entry.path())?;
        if rel == "values.schema.json" {
            chart.schema = Some(serde_json::from_slice(&data)?);
        } else if rel.starts_with("templates/") {
            chart.templates.push(File { name: rel, data });
        } else if rel.starts_with("crds/") {
            chart.crds.push(File { name: rel, data });
        } else {
            chart.files.push(File { name: rel, data });
        }
    }
    let charts_dir = path.join("charts");
    if charts_dir.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(&charts_dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            if e.path().is_dir() {
                chart.dependencies.push(load(&e.path())?);
            }
        }
    }
    Ok(chart)
}
