//! Values, layered exactly as Helm v4 layers them: chart defaults < a parent's values for its
//! subchart < `-f` files in order < `--set-json`, `--set`, `--set-string`, `--set-file`,
//! `--set-literal` (by flag type, each in command-line order). Globals flow down, null deletes,
//! `condition` and `tags` switch subcharts off, `import-values` lift child values up.
//!
//! [`read_user_values`] is Helm's `values.Options.MergeValues`; [`compose`] is Helm's
//! `CheckDependencies` + `ProcessDependencies` + `CoalesceValues` (pkg/action/install.go order).

pub mod coalesce;
pub mod dependencies;
mod error;
mod gojsonread;
pub mod strvals;
pub(crate) mod tree;

use crate::chart::{self, Chart};
use crate::{Map, Value};
pub use error::{ReadError, ReadProblem, TypeMismatch, ValuesError};
use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;
use tree::{MapRef, Node, V};

/// The value flags of `helm template` / `helm install`, in command-line order per flag.
#[derive(Debug, Clone, Default)]
pub struct ValueOptions {
    /// `-f/--values`: files (`-` is standard input; chartr also takes a folder).
    pub values_files: Vec<String>,
    pub set: Vec<String>,
    pub set_string: Vec<String>,
    pub set_file: Vec<String>,
    pub set_json: Vec<String>,
    pub set_literal: Vec<String>,
    /// `--max-values-bytes`: the largest `-f` or `--set-file` file read (standard input too);
    /// `None` is [`DEFAULT_MAX_VALUES_BYTES`].
    pub max_values_bytes: Option<u64>,
}

/// The default limit on one values file: 32 MiB. Reading values costs about 45 times their
/// size in memory (a 100 MB file of nested maps peaks at 4.4 GB; Helm v4 at 4–6 GB), more where
/// anchors repeat values, so a larger file is refused with a message that names
/// `--max-values-bytes` rather than risking the machine's memory.
pub const DEFAULT_MAX_VALUES_BYTES: u64 = 32 << 20;

/// Where a value came from: a file (and line), or a flag such as `--set a.b=1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub source: String,
    pub line: Option<usize>,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}", self.source, l),
            None => write!(f, "{}", self.source),
        }
    }
}

/// Where a value of the tree came from, as the tree keeps it: the source's name shared by every
/// value read from it (no string per value), the line inline (0: none).
#[derive(Debug, Clone)]
pub(crate) struct Src {
    source: Rc<str>,
    line: u32,
}

impl Src {
    pub(crate) fn new(source: &str, line: Option<usize>) -> Src {
        Src::shared(&Rc::from(source), line)
    }

    pub(crate) fn shared(source: &Rc<str>, line: Option<usize>) -> Src {
        Src {
            source: source.clone(),
            line: line.and_then(|l| u32::try_from(l).ok()).unwrap_or(0),
        }
    }

    pub(crate) fn origin(&self) -> Origin {
        Origin {
            source: self.source.to_string(),
            line: (self.line > 0).then_some(self.line as usize),
        }
    }
}

/// Origins by dotted value path (`global.postgresql.enabled`, list items as `a.b[0]`).
///
/// Only an error message asks for an origin, so the coalesced values keep the skeleton of their
/// tree (keys and origins, the strings moved out) and the table by path is made on the first
/// [`Origins::get`] (making it for every value cost more than reading the values).
#[derive(Debug, Clone, Default)]
pub struct Origins {
    table: BTreeMap<String, Origin>,
    tree: Option<MapRef>,
    from_tree: std::cell::OnceCell<BTreeMap<String, Origin>>,
}

impl Origins {
    pub fn new() -> Origins {
        Origins::default()
    }

    /// Records `origin` for `path` (over the tree's, if any).
    pub fn insert(&mut self, path: String, origin: Origin) {
        self.table.insert(path, origin);
    }

    /// The origin of the value at the dotted `path`.
    pub fn get(&self, path: &str) -> Option<&Origin> {
        self.table.get(path).or_else(|| {
            self.tree.as_ref().and_then(|t| {
                self.from_tree
                    .get_or_init(|| tree::origins_by_path(t))
                    .get(path)
            })
        })
    }

    pub(crate) fn of_tree(tree: MapRef) -> Origins {
        Origins {
            tree: Some(tree),
            ..Origins::default()
        }
    }
}

impl std::ops::Index<&str> for Origins {
    type Output = Origin;

    fn index(&self, path: &str) -> &Origin {
        static NONE: Origin = Origin {
            source: String::new(),
            line: None,
        };
        self.get(path).unwrap_or(&NONE)
    }
}

/// The values the top-level templates see, and where each came from.
///
/// A subchart's templates see the section under its name (after alias): for the subchart at
/// `chart.dependencies[i].dependencies[j]`, `values[dep_i.name()][dep_j.name()]`.
#[derive(Debug, Clone, Default)]
pub struct Coalesced {
    pub values: Map,
    pub origins: Origins,
}

/// The user's values (Helm's `vals` after `MergeValues`), with where each came from.
#[derive(Debug, Clone)]
pub struct UserValues {
    root: MapRef,
}

impl UserValues {
    /// The values as a plain map.
    pub fn values(&self) -> Map {
        tree::map_to_value(&self.root)
    }

    /// The values and the origin of each path.
    pub fn with_origins(&self) -> (Map, Origins) {
        tree::export(tree::deep_copy_map(&self.root))
    }
}

impl From<Map> for UserValues {
    fn from(m: Map) -> Self {
        let origin = Src::new("user values", None);
        UserValues {
            root: tree::map_with_origin(&m, &origin),
        }
    }
}

fn flag_origin(flag: &str, text: &str) -> Src {
    Src::new(&format!("{flag} {text}"), None)
}

/// Helm's `MergeMaps` over nodes: maps merge recursively, anything else replaces.
fn merge_nodes(dst: &MapRef, src: &MapRef) {
    let entries: Vec<(String, Node)> = src
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, v) in entries {
        if let V::Map(sm) = &v.v {
            let existing = dst.borrow().get(&k).and_then(|n| n.as_map().cloned());
            if let Some(dm) = existing {
                let fresh = tree::shallow_copy_map(&dm);
                merge_nodes(&fresh, sm);
                let o = dst.borrow().get(&k).and_then(|n| n.o.clone());
                dst.borrow_mut().insert(k, Node::map(fresh, o));
                continue;
            }
        }
        dst.borrow_mut().insert(k, v);
    }
}

fn is_remote(f: &str) -> bool {
    ["http://", "https://", "oci://"]
        .iter()
        .any(|p| f.starts_with(p))
}

/// Reads a `--set-file` path or a `-f` file (`-` is standard input), at most `limit` bytes.
fn read_source(
    path: &str,
    stdin: &mut dyn std::io::Read,
    what: &'static str,
    limit: u64,
) -> Result<Vec<u8>, ReadError> {
    use std::io::Read as _;
    let fail = |problem| ReadError {
        what,
        path: path.to_string(),
        problem,
    };
    let too_large = |size| fail(ReadProblem::TooLarge { size, limit });
    let mut buf = Vec::new();
    if path.trim() == "-" {
        stdin
            .take(limit.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|e| fail(ReadProblem::Stdin(e)))?;
    } else if is_remote(path) {
        return Err(fail(ReadProblem::Remote));
    } else {
        let io_err = |e: std::io::Error| {
            fail(match e.kind() {
                std::io::ErrorKind::NotFound => ReadProblem::NotFound,
                std::io::ErrorKind::IsADirectory => ReadProblem::IsFolder,
                _ => ReadProblem::Io(e),
            })
        };
        let file = std::fs::File::open(path).map_err(io_err)?;
        // A regular file's size is known: refuse it unread. Pipes and devices are read up to
        // the limit.
        if let Some(len) = file
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len())
        {
            if len > limit {
                return Err(too_large(Some(len)));
            }
        }
        file.take(limit.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(io_err)?;
    }
    if buf.len() as u64 > limit {
        return Err(too_large(None));
    }
    Ok(buf)
}

/// The `*.yaml` / `*.yml` files directly in a folder, by name (chartr's `-f DIR`).
fn folder_values_files(dir: &Path) -> Result<Vec<String>, ValuesError> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| ValuesError::Folder {
            path: dir.to_path_buf(),
            source: Some(e),
        })?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| e.path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("yaml") | Some("yml")
            )
        })
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(ValuesError::Folder {
            path: dir.to_path_buf(),
            source: None,
        });
    }
    Ok(names.iter().map(|p| p.display().to_string()).collect())
}

/// Names the `--set`-family flag and value a strvals error is about.
fn flag_error<'a>(flag: &'static str, value: &'a str) -> impl FnOnce(String) -> ValuesError + 'a {
    move |reason| ValuesError::Flag {
        flag,
        value: value.to_string(),
        reason,
    }
}

/// Reads the user's values (`-f` files and the `--set` family) merged in Helm's order.
/// `stdin` supplies `-f -` and `--set-file k=-`.
pub fn read_user_values(
    opts: &ValueOptions,
    stdin: &mut dyn std::io::Read,
) -> Result<UserValues, ValuesError> {
    let limit = opts.max_values_bytes.unwrap_or(DEFAULT_MAX_VALUES_BYTES);
    let base = tree::new_map();
    let mut files = Vec::new();
    for f in &opts.values_files {
        let p = Path::new(f);
        if f.trim() != "-" && !is_remote(f) && p.is_dir() {
            files.extend(folder_values_files(p)?);
        } else {
            files.push(f.clone());
        }
    }
    for f in &files {
        let raw = read_source(f, stdin, "values file", limit).map_err(ValuesError::Read)?;
        let label = if f.trim() == "-" {
            "<stdin>"
        } else {
            f.as_str()
        };
        let (m, lines) = chart::load_values(&raw, label).map_err(ValuesError::Parse)?;
        merge_nodes(&base, &tree::map_from_yaml(m, &lines, &Rc::from(label)));
    }
    for value in &opts.set_json {
        let origin = flag_origin("--set-json", value);
        let trimmed = value.trim();
        if trimmed.starts_with('{') {
            let m = match gojsonread::decode_all(trimmed) {
                Ok(Value::Object(m)) => Ok(m),
                Ok(_) => Err("not a JSON object".to_string()),
                Err(e) => Err(e),
            }
            .map_err(|reason| ValuesError::SetJsonObject {
                value: value.clone(),
                reason,
            })?;
            merge_nodes(&base, &tree::map_with_origin(&m, &origin));
        } else {
            strvals::parse_into(value, &base, strvals::Mode::Json, &origin)
                .map_err(flag_error("--set-json", value))?;
        }
    }
    for value in &opts.set {
        strvals::parse_into(
            value,
            &base,
            strvals::Mode::Typed,
            &flag_origin("--set", value),
        )
        .map_err(flag_error("--set", value))?;
    }
    for value in &opts.set_string {
        strvals::parse_into(
            value,
            &base,
            strvals::Mode::String,
            &flag_origin("--set-string", value),
        )
        .map_err(flag_error("--set-string", value))?;
    }
    for value in &opts.set_file {
        let mut reader = |p: &str| -> Result<String, String> {
            // Helm keeps the bytes as read (string(bytes)): JSON writes each bad one as \ufffd.
            read_source(p, stdin, "file", limit)
                .map(|b| crate::gojson::go_bytes_string(&b))
                .map_err(|e| e.to_string())
        };
        strvals::parse_into(
            value,
            &base,
            strvals::Mode::File(&mut reader),
            &flag_origin("--set-file", value),
        )
        .map_err(flag_error("--set-file", value))?;
    }
    for value in &opts.set_literal {
        strvals::parse_literal_into(value, &base, &flag_origin("--set-literal", value))
            .map_err(flag_error("--set-literal", value))?;
    }
    Ok(UserValues { root: base })
}

/// Helm's `CheckDependencies` + `ProcessDependencies` + `CoalesceValues`: the user's values
/// over the chart's defaults, each subchart's section coalesced with that subchart's defaults
/// and the globals. Disabled subcharts are removed from `chart` and aliases applied.
///
/// Fails, as Helm does, for a library chart and for a dependency missing from charts/.
pub fn compose(chart: &mut Chart, user: impl Into<UserValues>) -> Result<Coalesced, ValuesError> {
    let user = user.into();
    chart::check_installable(chart)?;
    chart::check_dependencies(chart)?;
    let mut tree = dependencies::from_chart(std::mem::take(chart));
    let result = dependencies::process(&mut tree, &user.root)
        .and_then(|_| coalesce::coalesce_owned_values(&tree, user.root));
    let source = tree.chart.file_label("Chart.yaml");
    *chart = dependencies::into_chart(tree);
    let vals = result.map_err(|e| ValuesError::Dependencies {
        file: source,
        source: e,
    })?;
    // Every other reference to the tree is gone: export moves the strings out of it.
    let (values, origins) = tree::export(vals);
    Ok(Coalesced { values, origins })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/values")
    }

    fn compose_with(chart_dir: &str, opts: &ValueOptions) -> Coalesced {
        let user = read_user_values(opts, &mut std::io::empty()).expect("user values");
        let mut chart = chart::load(&fixtures().join("charts").join(chart_dir)).expect("chart");
        compose(&mut chart, user).expect("compose")
    }

    fn at(o: &Origins, path: &str) -> (String, Option<usize>) {
        let x = o
            .get(path)
            .unwrap_or_else(|| panic!("no origin for {path}: {o:?}"));
        let file = x
            .source
            .rsplit("values/")
            .next()
            .unwrap_or(&x.source)
            .to_string();
        (file, x.line)
    }

    #[test]
    fn origins_name_the_file_and_line_or_the_flag() {
        let opts = ValueOptions {
            values_files: vec![fixtures().join("files/override.yaml").display().to_string()],
            set: vec!["replicas=9,x.y=1".into()],
            ..ValueOptions::default()
        };
        let c = compose_with("basic", &opts);
        let o = &c.origins;
        assert_eq!(o["replicas"].source, "--set replicas=9,x.y=1");
        assert_eq!(o["x.y"].to_string(), "--set replicas=9,x.y=1");
        assert_eq!(at(o, "nested.b.c"), ("files/override.yaml".into(), Some(4)));
        assert_eq!(at(o, "list[0]"), ("files/override.yaml".into(), Some(6)));
        assert_eq!(at(o, "name"), ("charts/basic/values.yaml".into(), Some(2)));
        assert_eq!(
            at(o, "nested.b.d[1]"),
            ("charts/basic/values.yaml".into(), Some(15))
        );
        assert_eq!(
            at(o, "image.tag"),
            ("charts/basic/values.yaml".into(), Some(20))
        );
        assert!(o.get("nested.drop").is_none(), "deleted by a null");
    }

    #[test]
    fn origins_follow_subcharts_globals_and_imports() {
        let c = compose_with("parent", &ValueOptions::default());
        let o = &c.origins;
        assert_eq!(
            at(o, "sub.replicas"),
            ("charts/parent/values.yaml".into(), Some(16))
        );
        assert_eq!(
            at(o, "sub.list[0]"),
            ("charts/parent/charts/sub/values.yaml".into(), Some(5))
        );
        assert_eq!(
            at(o, "sub.global.region"),
            ("charts/parent/values.yaml".into(), Some(2))
        );
        assert_eq!(
            at(o, "fromChild"),
            ("charts/parent/charts/exporter/values.yaml".into(), Some(3))
        );
        assert_eq!(c.values["first"]["greeting"], "hello-first");
        assert_eq!(c.values["second"]["greeting"], "hello");
    }

    #[test]
    fn disabled_subcharts_leave_the_chart_and_aliases_rename() {
        let opts = ValueOptions {
            set: vec!["sub.enabled=false".into()],
            ..ValueOptions::default()
        };
        let user = read_user_values(&opts, &mut std::io::empty()).expect("user values");
        let mut chart = chart::load(&fixtures().join("charts/parent")).expect("chart");
        compose(&mut chart, user).expect("compose");
        let names: Vec<&str> = chart.dependencies.iter().map(|c| c.name()).collect();
        assert_eq!(names, ["first", "second", "packed", "exporter"]);
        assert!(chart.metadata.dependencies.iter().all(|d| d.name != "sub"));
    }
}
