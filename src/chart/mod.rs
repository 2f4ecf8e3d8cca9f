//! Loading a chart in Helm's layout: Chart.yaml, values.yaml, values.schema.json, templates/,
//! crds/, charts/ (unpacked folders and `.tgz` archives), .helmignore, and every other file
//! for `Files` — as Helm's pkg/chart/v2/loader does.

mod error;
pub mod ignore;
pub mod metadata;

use crate::{yaml, Map, Value};
pub(crate) use error::io_msg;
pub use error::{LoadError, MemberProblem};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};

type Result<T, E = LoadError> = std::result::Result<T, E>;

/// Helm's limit on one file of a chart (`MaxDecompressedFileSize`).
pub const MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;
/// Helm's limit on an archive's decompressed size (`MaxDecompressedChartSize`).
pub const MAX_CHART_SIZE: u64 = 100 * 1024 * 1024;

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
    /// `import-values`: strings and `{child, parent}` maps.
    #[serde(
        default,
        rename = "import-values",
        skip_serializing_if = "Vec::is_empty"
    )]
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
    /// Whether Chart.yaml has a `dependencies:` list (Helm tells a missing list from an
    /// empty one: only charts with the list go through dependency processing).
    #[serde(skip)]
    pub dependencies_declared: bool,
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
    /// values.yaml parsed (every YAML document of it merged, as Helm v4 does).
    pub values: Map,
    /// Where each value of values.yaml stands.
    pub values_lines: yaml::Lines,
    /// values.schema.json as written; like Helm, chartr parses it only to validate
    /// ([`crate::schema::validate`]).
    pub schema_raw: Option<Vec<u8>>,
    /// Files under templates/ (helpers `_*.tpl` and NOTES.txt included), in Helm's order.
    pub templates: Vec<File>,
    /// Files under crds/ (they are in `files` too, as `.Files` sees them in Helm).
    pub crds: Vec<File>,
    /// Every other file (not Chart.yaml, values.yaml, values.schema.json, templates/, charts/,
    /// Chart.lock), as Helm's `.Files` sees them: crds/ and .helmignore included.
    pub files: Vec<File>,
    /// Subcharts found under charts/ (after [`crate::values::compose`]: the enabled ones,
    /// renamed by their alias, in Helm's order).
    pub dependencies: Vec<Chart>,
    /// What the loader wants the user to hear about (Helm's INFO logs), for the caller to print.
    pub warnings: Vec<String>,
}

impl Chart {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// How to name one of the chart's files in a message: `charts/x/values.yaml`,
    /// `charts/x-1.0.tgz:values.yaml`.
    pub fn file_label(&self, name: &str) -> String {
        let s = self.source.display().to_string();
        if s.ends_with(".tgz") || s.ends_with(".tar.gz") {
            format!("{s}:{name}")
        } else if s.is_empty() {
            name.to_string()
        } else {
            format!("{}/{name}", s.trim_end_matches('/'))
        }
    }
}

/// Helm refuses to render charts of any type but application: "library charts are not
/// installable".
pub fn check_installable(chart: &Chart) -> Result<()> {
    match chart.metadata.chart_type.as_deref() {
        None | Some("") | Some("application") => Ok(()),
        Some(t) => Err(LoadError::NotInstallable {
            file: chart.file_label("Chart.yaml"),
            chart_type: t.to_string(),
        }),
    }
}

/// Helm's `CheckDependencies` (top chart only): every `dependencies:` entry must have a chart
/// in charts/ whose Chart.yaml name matches, whether or not it is enabled.
pub fn check_dependencies(chart: &Chart) -> Result<()> {
    let missing: Vec<String> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|d| !chart.dependencies.iter().any(|c| c.name() == d.name))
        .map(|d| d.name.clone())
        .collect();
    if !missing.is_empty() {
        return Err(LoadError::MissingDependencies {
            file: chart.file_label("Chart.yaml"),
            names: missing,
        });
    }
    Ok(())
}

/// Loads the chart at `path` (a folder or a `.tgz` archive).
pub fn load(path: &Path) -> Result<Chart> {
    let io = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        let mut warnings = Vec::new();
        let files = read_dir_files(path, &mut warnings)?;
        let mut chart = load_files(files, path.to_path_buf())?;
        chart.warnings = warnings;
        check_api_version(&chart)?;
        Ok(chart)
    } else {
        let data = std::fs::read(path).map_err(io)?;
        let name = path.display().to_string();
        if !data.starts_with(&[0x1f, 0x8b]) {
            let yaml = name.ends_with(".yaml") || name.ends_with(".yml");
            return Err(LoadError::NotGzip { name, yaml });
        }
        let files = read_archive(&data).map_err(in_archive(&name))?;
        let chart = load_files(files, path.to_path_buf())?;
        check_api_version(&chart)?;
        Ok(chart)
    }
}

/// Helm v4's `loader.Load` takes a chart whose Chart.yaml says apiVersion v1, v2 or nothing;
/// v3 charts load (an experimental format) but `install` and `template` refuse them. Helm v3
/// checked neither. Subcharts are not checked, as in Helm.
fn check_api_version(chart: &Chart) -> Result<()> {
    let declared = chart
        .metadata_raw
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let file = chart.file_label("Chart.yaml");
    match declared {
        "" | "v1" | "v2" => Ok(()),
        version => Err(LoadError::ApiVersion {
            file,
            version: version.to_string(),
        }),
    }
}

/// Loads a chart from the bytes of a `.tgz` archive; `name` labels it in messages.
pub fn load_archive_bytes(data: &[u8], name: &str) -> Result<Chart> {
    if !data.starts_with(&[0x1f, 0x8b]) {
        return Err(LoadError::NotGzip {
            name: name.to_string(),
            yaml: false,
        });
    }
    let files = read_archive(data).map_err(in_archive(name))?;
    load_files(files, PathBuf::from(name))
}

/// Names the archive an error of [`read_archive`] happened in (`chart NAME: ...`).
fn in_archive(name: &str) -> impl FnOnce(LoadError) -> LoadError + '_ {
    move |e| LoadError::Archive {
        name: name.to_string(),
        source: Box::new(e),
    }
}

/// The files of a chart archive, paths relative to the chart's folder, checked as Helm's
/// loader checks them (no absolute paths, nothing outside the chart's folder; links and other
/// special members come out as plain files, never as links): what `pull --untar` writes.
pub fn archive_files(data: &[u8]) -> Result<Vec<File>> {
    read_archive(data)
}

/// The files of a chart folder as the loader reads them (`.helmignore` applied): what
/// `dependency build` archives for a `file://` dependency.
pub fn dir_files(path: &Path) -> Result<Vec<File>> {
    let mut warnings = Vec::new();
    read_dir_files(path, &mut warnings)
}

fn strip_bom(mut d: Vec<u8>) -> Vec<u8> {
    if d.starts_with(&[0xEF, 0xBB, 0xBF]) {
        d.drain(..3);
    }
    d
}

/// Helm's `LoadDir` walk: lexical order, symlinks followed, `.helmignore` of the top chart
/// applied to every path (subcharts' own `.helmignore` files are just files).
fn read_dir_files(top: &Path, warnings: &mut Vec<String>) -> Result<Vec<File>> {
    let mut rules = ignore::Rules::default();
    let ifile = top.join(".helmignore");
    if ifile.is_file() {
        let text = std::fs::read_to_string(&ifile).map_err(|source| LoadError::HelmignoreRead {
            path: ifile.clone(),
            source,
        })?;
        rules = ignore::Rules::parse(&text).map_err(|reason| LoadError::HelmignoreRule {
            path: ifile.clone(),
            reason,
        })?;
    }
    rules.add_defaults();
    let mut files = Vec::new();
    let mut it = walkdir::WalkDir::new(top)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = it.next() {
        let entry = entry.map_err(|source| LoadError::Walk {
            top: top.to_path_buf(),
            source,
        })?;
        let rel = match entry.path().strip_prefix(top) {
            Ok(r) => r,
            Err(_) => continue,
        };
        let n = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if n.is_empty() {
            continue;
        }
        if entry.path_is_symlink() {
            warnings.push(symlink_notice(entry.path()));
        }
        let ft = entry.file_type();
        if ft.is_dir() {
            if rules.ignore(&n, true) {
                it.skip_current_dir();
            }
            continue;
        }
        if rules.ignore(&n, false) {
            continue;
        }
        if !ft.is_file() {
            return Err(LoadError::Irregular {
                path: entry.path().to_path_buf(),
            });
        }
        let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
        if len > MAX_FILE_SIZE {
            return Err(LoadError::FileTooLarge {
                name: entry.file_name().to_string_lossy().into_owned(),
            });
        }
        let data = std::fs::read(entry.path()).map_err(|source| LoadError::Read {
            path: entry.path().to_path_buf(),
            source,
        })?;
        files.push(File {
            name: n,
            data: strip_bom(data),
        });
    }
    Ok(files)
}

/// Helm v4's log line for a symbolic link its loader follows (internal/sympath): the linked
/// contents are included, wherever the link points, and the user is told so.
fn symlink_notice(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| abs.clone());
    format!(
        "level=INFO msg=\"found symbolic link in path. Contents of linked file included and used\" path={} resolved={}",
        abs.display(),
        resolved.display()
    )
}

/// Helm's `LoadArchiveFiles`: the first path element of each member is the chart's folder.
fn read_archive(data: &[u8]) -> Result<Vec<File>> {
    let gz = flate2::read::GzDecoder::new(data);
    let mut ar = tar::Archive::new(gz);
    let mut files = Vec::new();
    let mut remaining = MAX_CHART_SIZE;
    for entry in ar.entries().map_err(LoadError::BadArchive)? {
        let mut entry = entry.map_err(LoadError::BadArchive)?;
        let et = entry.header().entry_type();
        if et.is_dir() || et.is_pax_global_extensions() || et.is_pax_local_extensions() {
            continue;
        }
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let delim = if raw.contains('\\') { '\\' } else { '/' };
        let parts: Vec<&str> = raw.split(delim).collect();
        let n = parts[1..].join("/");
        let refuse = |problem| {
            Err(LoadError::Member {
                problem,
                member: raw.clone(),
            })
        };
        if n.starts_with('/') {
            return refuse(MemberProblem::AbsolutePath);
        }
        let n = clean_path(&n);
        if n == "." {
            return refuse(MemberProblem::OutsideBase);
        }
        if n.starts_with("..") {
            return refuse(MemberProblem::ParentDirectory);
        }
        if parts[0] == "Chart.yaml" {
            return refuse(MemberProblem::ChartYamlNotInBase);
        }
        let size = entry.header().size().unwrap_or(0);
        if size > remaining {
            return refuse(MemberProblem::ChartTooLarge);
        }
        if size > MAX_FILE_SIZE {
            return refuse(MemberProblem::FileTooLarge);
        }
        let mut buf = Vec::new();
        (&mut entry)
            .take(remaining)
            .read_to_end(&mut buf)
            .map_err(LoadError::BadArchive)?;
        remaining -= buf.len() as u64;
        files.push(File {
            name: n,
            data: strip_bom(buf),
        });
    }
    if files.is_empty() {
        return Err(LoadError::EmptyArchive);
    }
    Ok(files)
}

/// Go's `path.Clean`.
fn clean_path(p: &str) -> String {
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            x => out.push(x),
        }
    }
    let s = out.join("/");
    match (rooted, s.is_empty()) {
        (true, _) => format!("/{s}"),
        (false, true) => ".".into(),
        (false, false) => s,
    }
}

/// Helm's `sanitizeString`: spaces normalised, non-printable characters dropped.
fn sanitize(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if c.is_control() {
                None
            } else {
                Some(c)
            }
        })
        .collect()
}

fn alias_ok(a: &str) -> bool {
    !a.is_empty()
        && a.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Helm's `LoadFiles`: a chart from its files (paths relative to the chart's root).
pub fn load_files(files: Vec<File>, source: PathBuf) -> Result<Chart> {
    let mut chart = Chart {
        source,
        ..Chart::default()
    };
    let label = |c: &Chart, n: &str| c.file_label(n);
    let mut have_meta = false;
    let mut subcharts: std::collections::BTreeMap<String, Vec<File>> = Default::default();
    let mut requirements: Option<Map> = None;
    for f in &files {
        if f.name == "Chart.yaml" {
            let file = label(&chart, "Chart.yaml");
            let bad = |reason: String| LoadError::Metadata {
                file: file.clone(),
                manifest: "Chart.yaml",
                reason,
            };
            let mut raw = match yaml::parse(&f.data, &file)? {
                Value::Object(m) => m,
                Value::Null => Map::new(),
                _ => return Err(bad("the top level must be a map".into())),
            };
            metadata::normalize(&mut raw).map_err(|e| bad(unmarshal_json(&e)))?;
            chart.metadata = parse_metadata(&raw).map_err(bad)?;
            // Helm 2 accepted charts without an apiVersion; Helm reads them as v1 (and so
            // `.Chart.APIVersion` and `show chart` say v1).
            if chart.metadata.api_version.is_empty() {
                chart.metadata.api_version = "v1".into();
                raw.insert("apiVersion".into(), Value::String("v1".into()));
            }
            chart.metadata_raw = raw;
            have_meta = true;
        }
    }
    for f in files {
        match f.name.as_str() {
            "Chart.yaml" | "Chart.lock" | "requirements.lock" => {}
            "values.yaml" => {
                let file = label(&chart, "values.yaml");
                let (values, lines) = load_values(&f.data, &file).map_err(LoadError::Values)?;
                chart.values = values;
                chart.values_lines = lines;
                chart.raw_values = Some(String::from_utf8_lossy(&f.data).into_owned());
            }
            "values.schema.json" => {
                chart.schema_raw = Some(f.data);
            }
            "requirements.yaml" => {
                let file = label(&chart, "requirements.yaml");
                if let Value::Object(mut m) = yaml::parse(&f.data, &file)? {
                    metadata::normalize(&mut m).map_err(|e| LoadError::Metadata {
                        file: file.clone(),
                        manifest: "requirements.yaml",
                        reason: unmarshal_json(&e),
                    })?;
                    requirements = Some(m);
                }
                if chart.metadata.api_version == "v1" {
                    chart.files.push(f);
                }
            }
            n if n.starts_with("templates/") => chart.templates.push(f),
            n if n.starts_with("charts/") => {
                if n.ends_with(".prov") {
                    chart.files.push(f);
                    continue;
                }
                let rest = &n["charts/".len()..];
                let cname = rest.split('/').next().unwrap_or("").to_string();
                subcharts.entry(cname).or_default().push(File {
                    name: rest.to_string(),
                    data: f.data,
                });
            }
            n => {
                if n.starts_with("crds/") {
                    chart.crds.push(f.clone());
                }
                chart.files.push(f);
            }
        }
    }
    if !have_meta {
        return Err(LoadError::MissingChartYaml {
            source: chart.source,
        });
    }
    if let Some(req) = requirements {
        if let Ok(m) = parse_metadata(&req) {
            if m.dependencies_declared {
                chart.metadata.dependencies = m.dependencies;
                chart.metadata.dependencies_declared = true;
            }
        }
    }
    validate_metadata(&mut chart.metadata).map_err(|reason| LoadError::Invalid {
        file: label(&chart, "Chart.yaml"),
        reason,
    })?;
    for (n, files) in subcharts {
        if n.starts_with('_') || n.starts_with('.') {
            continue;
        }
        let parent = chart.name().to_string();
        let sub_source = chart_child(&chart.source, &n);
        let sc = if n.ends_with(".tgz") {
            let Some(f) = files.first() else { continue };
            if f.name != n {
                return Err(LoadError::SubchartTar {
                    parent,
                    expected: n,
                    got: f.name.clone(),
                });
            }
            read_archive(&f.data).and_then(|fs| load_files(fs, sub_source))
        } else {
            let buff: Vec<File> = files
                .into_iter()
                .filter_map(|f| {
                    f.name.split_once('/').map(|(_, rest)| File {
                        name: rest.to_string(),
                        data: f.data,
                    })
                })
                .collect();
            load_files(buff, sub_source)
        };
        let sc = sc.map_err(|e| LoadError::Subchart {
            name: n,
            parent,
            source: Box::new(e),
        })?;
        chart.dependencies.push(sc);
    }
    Ok(chart)
}

fn chart_child(source: &Path, n: &str) -> PathBuf {
    let s = source.display().to_string();
    if s.ends_with(".tgz") || s.contains(".tgz:") {
        PathBuf::from(format!("{s}:charts/{n}"))
    } else {
        source.join("charts").join(n)
    }
}

fn parse_metadata(raw: &Map) -> Result<Metadata, String> {
    let mut m: Metadata =
        serde_json::from_value(Value::Object(raw.clone())).map_err(|e| e.to_string())?;
    m.dependencies_declared = matches!(raw.get("dependencies"), Some(Value::Array(_)));
    Ok(m)
}

/// Helm's `Metadata.Validate`.
fn validate_metadata(md: &mut Metadata) -> Result<(), String> {
    md.name = sanitize(&md.name);
    md.description = md.description.as_deref().map(sanitize);
    md.app_version = md.app_version.as_deref().map(sanitize);
    md.kube_version = md.kube_version.as_deref().map(sanitize);
    if md.api_version.is_empty() {
        return Err("chart.metadata.apiVersion is required".into());
    }
    if md.name.is_empty() {
        return Err("chart.metadata.name is required".into());
    }
    if md.name == "." || md.name == ".." {
        return Err(format!("chart.metadata.name {:?} is not allowed", md.name));
    }
    if md.name.contains('/') {
        return Err(format!("chart.metadata.name {:?} is invalid", md.name));
    }
    if md.version.is_empty() {
        return Err("chart.metadata.version is required".into());
    }
    if crate::semver::parse_version(&md.version).is_err() {
        return Err(format!(
            "chart.metadata.version {:?} is invalid",
            md.version
        ));
    }
    if !matches!(
        md.chart_type.as_deref(),
        None | Some("") | Some("application") | Some("library")
    ) {
        return Err("chart.metadata.type must be application or library".into());
    }
    let mut seen = std::collections::HashSet::new();
    for d in md.dependencies.iter_mut() {
        d.name = sanitize(&d.name);
        d.version = sanitize(&d.version);
        d.repository = sanitize(&d.repository);
        d.condition = d.condition.as_deref().map(sanitize);
        for t in d.tags.iter_mut() {
            *t = sanitize(t);
        }
        if let Some(a) = d.alias.as_deref().filter(|a| !a.is_empty()) {
            if !alias_ok(a) {
                return Err(format!(
                    "dependency {:?} has disallowed characters in the alias",
                    d.name
                ));
            }
        }
        let key = d
            .alias
            .clone()
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| d.name.clone());
        if !seen.insert(key.clone()) {
            return Err(format!(
                "more than one dependency with name or alias {key:?}"
            ));
        }
    }
    Ok(())
}

/// Helm v4's `LoadValues`: every YAML document of `text` (split on `---` lines) merged in
/// order, each required to be a map. Returns the values and the line of each path.
pub fn load_values(text: &[u8], file: &str) -> Result<(Map, yaml::Lines), yaml::YamlError> {
    yaml::parse_values(text, file)
}

/// encoding/json's words for a field of the wrong type, as Helm's Chart.yaml reader wraps them.
fn unmarshal_json(e: &str) -> String {
    format!("error unmarshaling JSON: while decoding JSON: {e}")
}

/// Helm's `MergeMaps`: maps merge recursively, anything else replaces.
pub fn merge_maps(dst: &mut Map, src: Map) {
    for (k, v) in src {
        match (dst.get_mut(&k), v) {
            (Some(Value::Object(d)), Value::Object(s)) => merge_maps(d, s),
            (_, v) => {
                dst.insert(k, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean() {
        assert_eq!(clean_path("a/./b/../c"), "a/c");
        assert_eq!(clean_path(""), ".");
        assert_eq!(clean_path("../x"), "../x");
    }
}
