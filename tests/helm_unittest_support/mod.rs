//! A helm-unittest harness (helm-unittest v1.x, github:helm-unittest/helm-unittest, read in
//! pkg/unittest/{test_suite,test_job,assertion,deep_copy}.go and validators/) whose renderer is
//! any program that takes `helm template`'s arguments: real helm, or chartr.
//!
//! What helm-unittest does, and how this harness gets the same with `template`:
//! - It renders a copy of the chart holding only the suite's `templates:` and every partial
//!   (`_*` files, subcharts included), so a template outside the suite never fails a test. The
//!   harness copies the chart to a temporary folder with the same templates removed.
//! - User values: the `values:` files (suite's first), then the suite's `set:`, then the test's,
//!   each `set` path built into a map (`a.b[0]` form) and merged with Helm's `MergeTables`
//!   (later wins, maps merged key by key, a null kept). The merged map goes to the renderer as
//!   one `-f` file, exactly as helm-unittest hands its YAML to Helm's `ReadValues`.
//! - `release:` → NAME, `-n`, `--is-upgrade`; `capabilities:` → `--kube-version`, `-a`.
//!   helm-unittest's release name and namespace default to `RELEASE-NAME` / `NAMESPACE`.
//! - Each asserted template is selected with `--show-only templates/X` (Helm's "could not find
//!   template" means it rendered no document). helm-unittest reads a template's documents in
//!   the order the template writes them, `helm template` in install order (by kind), so when a
//!   file's documents have several kinds the harness puts them back in the order the template's
//!   source lists those kinds (`kind: X` lines at column 0); see [`source_order`].
//! - A failed render is read as helm-unittest reads it (its error regex): the file it names,
//!   and the message; `failedTemplate` matches that message for that file (a partial's error
//!   counts for every template of the suite).
//!
//! What `helm template` cannot take is refused, not approximated: `release.revision` (helm
//! template always renders revision 1; helm-unittest's default is 0), `chart:` overrides,
//! `kubernetesProvider`, `postRenderer`. Capabilities: helm-unittest starts from an EMPTY API
//! version set, `helm template` from Helm's defaults (`-a` adds to them); none of the Dataflow
//! suites' templates depend on that.
//!
//! Documents are read with chartr's own YAML reader (`chartr::yaml`): numbers are Go float64, so
//! `1` equals `1.0` here, where helm-unittest (go-yaml v3) tells an int from a float.

#![allow(dead_code)]

pub mod path;

use base64::Engine as _;
use regex::Regex;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path as FsPath, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

/// One test of a suite, ready to render and assert.
#[derive(Debug, Clone)]
pub struct TestCase {
    /// `CASE/tests/FILE_test.yaml#N it`
    pub id: String,
    pub renders: BTreeMap<String, RenderKey>,
    pub job: Job,
    /// Why helm template cannot run this test, if it cannot.
    pub unsupported: Option<String>,
}

/// What a test asserts, with everything needed to judge a render.
#[derive(Debug, Clone)]
pub struct Job {
    pub chart_name: String,
    /// The suite's templates, as `templates/X`.
    pub suite_templates: Vec<String>,
    /// The test's `template:` as `templates/X`, if set.
    pub template: Option<String>,
    pub document_index: Option<i64>,
    pub document_selector: Option<Value>,
    pub asserts: Vec<Value>,
    /// The template sources, for the document order.
    pub sources: BTreeMap<String, String>,
}

/// Everything one renderer run depends on (a renderer runs each distinct key once).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RenderKey {
    pub chart: PathBuf,
    pub release: String,
    pub namespace: String,
    pub upgrade: bool,
    pub kube_version: Option<String>,
    pub api_versions: Vec<String>,
    pub values_json: String,
    pub show_only: String,
}

/// A render as helm-unittest sees it.
#[derive(Debug, Clone)]
pub enum Rendered {
    Docs(Vec<Value>),
    /// The file the error names (`CHART/templates/x.yaml`) and helm-unittest's message part.
    Failed {
        file: String,
        message: String,
        raw: String,
    },
}

/// Loads every `tests/*_test.yaml` suite of `chart` and prepares its tests; filtered chart copies
/// go under `work`.
pub fn load_suites(case: &str, chart: &FsPath, work: &FsPath) -> Result<Vec<TestCase>, String> {
    let chart_yaml = read(&chart.join("Chart.yaml"))?;
    let chart_meta = chartr::yaml::parse(&chart_yaml, "Chart.yaml").map_err(|e| e.to_string())?;
    let chart_name = chart_meta
        .get("name")
        .and_then(Value::as_str)
        .ok_or("Chart.yaml has no name")?
        .to_string();
    let mut files: Vec<PathBuf> = std::fs::read_dir(chart.join("tests"))
        .map_err(|e| format!("{}: {e}", chart.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with("_test.yaml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for (si, file) in files.iter().enumerate() {
        let fname = file.file_name().unwrap_or_default().to_string_lossy();
        let text = read(file)?;
        let suite = chartr::yaml::parse(&text, &fname).map_err(|e| e.to_string())?;
        let suite_templates: Vec<String> = strings(suite.get("templates"))
            .iter()
            .map(|t| template_file_name(t))
            .collect();
        let copy = work.join(format!("{case}-{si}"));
        filtered_copy(chart, &copy, &suite_templates)?;
        let mut sources = BTreeMap::new();
        for t in &suite_templates {
            if let Ok(s) = std::fs::read_to_string(chart.join(t)) {
                sources.insert(t.clone(), s);
            }
        }
        let suite_dir = file.parent().unwrap_or(chart);
        let tests = suite
            .get("tests")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (ti, test) in tests.iter().enumerate() {
            let it = test.get("it").and_then(Value::as_str).unwrap_or("");
            let id = format!("{case}/tests/{fname}#{ti} {it}");
            out.push(prepare(
                id,
                &suite,
                test,
                suite_dir,
                &copy,
                &chart_name,
                &suite_templates,
                &sources,
            )?);
        }
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn prepare(
    id: String,
    suite: &Value,
    test: &Value,
    suite_dir: &FsPath,
    chart_copy: &FsPath,
    chart_name: &str,
    suite_templates: &[String],
    sources: &BTreeMap<String, String>,
) -> Result<TestCase, String> {
    let mut unsupported = None;
    for (scope, v) in [("suite", suite), ("test", test)] {
        for key in ["kubernetesProvider", "postRenderer", "chart"] {
            if v.get(key).is_some() {
                unsupported = Some(format!("{scope} `{key}:` cannot be given to helm template"));
            }
        }
        if v.pointer("/release/revision")
            .and_then(Value::as_f64)
            .unwrap_or(0.0)
            != 0.0
        {
            unsupported = Some(format!("{scope} release.revision: helm template renders 1"));
        }
    }
    // Values: files (suite's, then the test's), then the suite's set, then the test's.
    let mut base = Map::new();
    let mut value_files = strings(suite.get("values"));
    value_files.extend(strings(test.get("values")));
    for f in value_files {
        let p = if FsPath::new(&f).is_absolute() {
            PathBuf::from(&f)
        } else {
            suite_dir.join(&f)
        };
        let v = chartr::yaml::parse(&read(&p)?, &f).map_err(|e| e.to_string())?;
        if let Value::Object(m) = v {
            merge_tables(&mut base, m);
        }
    }
    for set in [suite.get("set"), test.get("set")].into_iter().flatten() {
        if let Value::Object(m) = set {
            for (path, v) in m {
                merge_tables(&mut base, build_value_of_set_path(v.clone(), path)?);
            }
        }
    }
    let values_json = chartr::gojson::to_json(&Value::Object(base));

    let pick = |k: &str| {
        test.pointer(k)
            .or_else(|| suite.pointer(k))
            .filter(|v| !v.is_null())
    };
    let release = pick("/release/name")
        .and_then(Value::as_str)
        .unwrap_or("RELEASE-NAME")
        .to_string();
    let namespace = pick("/release/namespace")
        .and_then(Value::as_str)
        .unwrap_or("NAMESPACE")
        .to_string();
    let upgrade = pick("/release/upgrade")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let scalar = |v: Option<&Value>| {
        v.and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(chartr::gojson::format_number(n)),
            _ => None,
        })
    };
    let major = scalar(pick("/capabilities/majorVersion"));
    let minor = scalar(pick("/capabilities/minorVersion"));
    let kube_version = (major.is_some() || minor.is_some()).then(|| {
        format!(
            "v{}.{}.0",
            major.unwrap_or_else(|| "1".into()),
            minor.unwrap_or_else(|| "35".into())
        )
    });
    let mut api_versions = strings(test.pointer("/capabilities/apiVersions"));
    api_versions.extend(strings(suite.pointer("/capabilities/apiVersions")));

    let template = test
        .get("template")
        .and_then(Value::as_str)
        .map(template_file_name);
    let document_index = test.get("documentIndex").and_then(Value::as_f64);
    let asserts = test
        .get("asserts")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let job = Job {
        chart_name: chart_name.to_string(),
        suite_templates: suite_templates.to_vec(),
        template,
        document_index: document_index.map(|f| f as i64),
        document_selector: test.get("documentSelector").cloned(),
        asserts,
        sources: sources.clone(),
    };
    let mut renders = BTreeMap::new();
    for t in job.all_templates() {
        renders.insert(
            t.clone(),
            RenderKey {
                chart: chart_copy.to_path_buf(),
                release: release.clone(),
                namespace: namespace.clone(),
                upgrade,
                kube_version: kube_version.clone(),
                api_versions: api_versions.clone(),
                values_json: values_json.clone(),
                show_only: t,
            },
        );
    }
    Ok(TestCase {
        id,
        renders,
        job,
        unsupported,
    })
}

fn read(p: &FsPath) -> Result<String, String> {
    std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// helm-unittest's `getTemplateFileName`: a bare name is under `templates/`.
fn template_file_name(t: &str) -> String {
    if ["templates", "charts", "crds", "**"]
        .iter()
        .any(|p| t.starts_with(p))
    {
        t.to_string()
    } else {
        format!("templates/{t}")
    }
}

/// helm-unittest's `getTemplateFileNamePattern` (`*`, `**` wildcards, the rest literal).
fn template_pattern(name: &str) -> Result<Regex, String> {
    let mut p = String::new();
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                p.push_str(r"[0-9a-zA-Z_\-/\.]+");
            }
            '*' => p.push_str(r"[0-9a-zA-Z_\-_/\.]*"),
            c => p.push_str(&regex::escape(&c.to_string())),
        }
    }
    Regex::new(&p).map_err(|e| e.to_string())
}

/// Copies `chart` to `to` keeping, as helm-unittest's `CopyV3Chart` does, only the top chart's
/// templates that match the suite's and every partial (`_*`) of every chart in the tree.
fn filtered_copy(chart: &FsPath, to: &FsPath, templates: &[String]) -> Result<(), String> {
    let patterns = templates
        .iter()
        .map(|t| template_pattern(t))
        .collect::<Result<Vec<_>, _>>()?;
    for entry in walkdir::WalkDir::new(chart) {
        let entry = entry.map_err(|e| e.to_string())?;
        let rel = entry
            .path()
            .strip_prefix(chart)
            .map_err(|e| e.to_string())?;
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).map_err(|e| format!("{}: {e}", dest.display()))?;
            continue;
        }
        let rel_s = rel.to_string_lossy().replace('\\', "/");
        let parts: Vec<&str> = rel_s.split('/').collect();
        // Which chart of the tree holds it: every `charts/NAME/` step goes one chart down.
        let mut i = 0;
        let mut depth = 0;
        while i + 2 < parts.len() && parts[i] == "charts" {
            i += 2;
            depth += 1;
        }
        let in_templates = parts.get(i) == Some(&"templates") && i + 1 < parts.len();
        if in_templates {
            let base = parts.last().copied().unwrap_or("");
            let inner = parts[i..].join("/");
            let keep = base.starts_with('_')
                || (depth == 0 && patterns.iter().any(|p| p.is_match(&inner)));
            if !keep {
                continue;
            }
        }
        std::fs::copy(entry.path(), &dest).map_err(|e| format!("{}: {e}", dest.display()))?;
    }
    Ok(())
}

/// Helm's `chartutil.MergeTables(dst, src)` as helm-unittest calls it, `src` being the newer:
/// here `over` wins over `base`, maps merge key by key, a null in `over` stays.
fn merge_tables(base: &mut Map<String, Value>, over: Map<String, Value>) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(Value::Object(b)), Value::Object(o)) => merge_tables(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// helm-unittest's `BuildValueOfSetPath`: `a.b[1].c` → `{a: {b: [null, {c: VAL}]}}`, and
/// `[x.y]` (brackets around a key) escapes dots.
fn build_value_of_set_path(val: Value, path: &str) -> Result<Map<String, Value>, String> {
    enum Cur {
        Key(String),
        Idx(usize),
    }
    let mut cursors = Vec::new();
    let mut rest = path;
    let bad = || format!("invalid set path {path:?}");
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').ok_or_else(bad)?;
            let inner = &r[..end];
            match inner.parse::<usize>() {
                Ok(i) if !cursors.is_empty() => cursors.push(Cur::Idx(i)),
                _ => cursors.push(Cur::Key(inner.to_string())),
            }
            rest = &r[end + 1..];
            rest = rest.strip_prefix('.').unwrap_or(rest);
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            if end == 0 {
                return Err(bad());
            }
            cursors.push(Cur::Key(rest[..end].to_string()));
            rest = &rest[end..];
            rest = rest.strip_prefix('.').unwrap_or(rest);
        }
    }
    let mut v = val;
    for c in cursors.iter().rev() {
        v = match c {
            Cur::Key(k) => {
                let mut m = Map::new();
                m.insert(k.clone(), v);
                Value::Object(m)
            }
            Cur::Idx(i) => {
                let mut a = vec![Value::Null; *i + 1];
                a[*i] = v;
                Value::Array(a)
            }
        };
    }
    match v {
        Value::Object(m) => Ok(m),
        _ => Err(bad()),
    }
}

/// A program that takes `helm template`'s arguments.
#[derive(Debug, Clone)]
pub struct Renderer {
    pub name: String,
    pub program: PathBuf,
}

/// Renders every distinct key once, in `threads` threads; values files are written under `work`.
pub fn render_all(
    r: &Renderer,
    keys: &BTreeSet<RenderKey>,
    work: &FsPath,
    threads: usize,
) -> BTreeMap<RenderKey, Result<Rendered, String>> {
    let queue: Arc<Mutex<Vec<(usize, RenderKey)>>> =
        Arc::new(Mutex::new(keys.iter().cloned().enumerate().collect()));
    let results = Arc::new(Mutex::new(BTreeMap::new()));
    std::thread::scope(|s| {
        for _ in 0..threads.max(1) {
            let queue = Arc::clone(&queue);
            let results = Arc::clone(&results);
            s.spawn(move || loop {
                let next = queue.lock().map(|mut q| q.pop()).ok().flatten();
                let Some((n, key)) = next else { break };
                let out = render_one(r, &key, &work.join(format!("{}-values-{n}.json", r.name)));
                if let Ok(mut m) = results.lock() {
                    m.insert(key, out);
                }
            });
        }
    });
    Arc::try_unwrap(results)
        .ok()
        .and_then(|m| m.into_inner().ok())
        .unwrap_or_default()
}

fn render_one(r: &Renderer, key: &RenderKey, values_file: &FsPath) -> Result<Rendered, String> {
    std::fs::write(values_file, &key.values_json).map_err(|e| e.to_string())?;
    let mut cmd = Command::new(&r.program);
    let tmp = std::env::temp_dir();
    cmd.env("HELM_CACHE_HOME", tmp.join("chartr-helm-cache"))
        .env("HELM_CONFIG_HOME", tmp.join("chartr-helm-config"))
        .env("HELM_DATA_HOME", tmp.join("chartr-helm-data"))
        .arg("template")
        .arg(&key.release)
        .arg(&key.chart)
        .args(["-n", &key.namespace, "-f"])
        .arg(values_file)
        .args(["--show-only", &key.show_only]);
    if key.upgrade {
        cmd.arg("--is-upgrade");
    }
    if let Some(k) = &key.kube_version {
        cmd.args(["--kube-version", k]);
    }
    for a in &key.api_versions {
        cmd.args(["-a", a]);
    }
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", r.program.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        let docs = chartr::yaml::parse_all(stdout.as_bytes(), &key.show_only)
            .map_err(|e| format!("{} output does not parse: {e}", r.name))?;
        return Ok(Rendered::Docs(
            docs.into_iter()
                .filter(|d| !d.is_null() && d.as_object().is_none_or(|m| !m.is_empty()))
                .collect(),
        ));
    }
    let err = stderr
        .find("Error: ")
        .map(|i| &stderr[i + "Error: ".len()..])
        .unwrap_or(&stderr)
        .trim_end();
    // helm's command adds this hint on its own line; it is not part of the render error
    // helm-unittest reads.
    let err = err
        .strip_suffix("Use --debug flag to render out invalid YAML")
        .unwrap_or(err)
        .trim_end()
        .to_string();
    if err.starts_with("could not find template") {
        return Ok(Rendered::Docs(Vec::new()));
    }
    Ok(parse_render_error(&err))
}

/// helm-unittest's `parseRenderError`: its regex finds the file and the message; a message of
/// several lines is everything after the first line.
fn parse_render_error(err: &str) -> Rendered {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?msU)^(?:.+: |.+ \()(?:(.+):\d+:\d+).+(?:.+>)*: (.+)$").expect("valid")
    });
    match re.captures(err) {
        Some(c) => {
            let message = match err.split_once('\n') {
                Some((_, rest)) => rest.to_string(),
                None => c[2].to_string(),
            };
            Rendered::Failed {
                file: c[1].to_string(),
                message,
                raw: err.to_string(),
            }
        }
        None => Rendered::Failed {
            file: String::new(),
            message: String::new(),
            raw: err.to_string(),
        },
    }
}

/// The order helm-unittest sees a template's documents in. `helm template` sorts documents by
/// kind (stable within a kind); when one file's documents have several kinds, they are put back
/// in the order the template source names those kinds: the source is cut at `---` lines, and the
/// n-th document of kind K goes to the n-th piece with a literal `kind: K` line at column 0.
/// If a kind is not written literally, Helm's order is kept.
pub fn source_order(docs: Vec<Value>, source: &str) -> Vec<Value> {
    let kind = |d: &Value| d.get("kind").and_then(Value::as_str).map(str::to_string);
    let kinds: BTreeSet<Option<String>> = docs.iter().map(kind).collect();
    if kinds.len() <= 1 {
        return docs;
    }
    let mut pieces: Vec<Vec<String>> = vec![Vec::new()];
    for line in source.lines() {
        if line.starts_with("---") {
            pieces.push(Vec::new());
        } else if let Some(k) = line.strip_prefix("kind:") {
            let k = k.trim();
            if !k.contains("{{") && !k.is_empty() {
                if let Some(p) = pieces.last_mut() {
                    p.push(k.trim_matches(['"', '\'']).to_string());
                }
            }
        }
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut keyed = Vec::new();
    for d in docs.iter() {
        let Some(k) = kind(d) else { return docs };
        let at: Vec<usize> = (0..pieces.len())
            .filter(|i| pieces[*i].contains(&k))
            .collect();
        if at.is_empty() {
            return docs;
        }
        let n = seen.entry(k).or_insert(0);
        keyed.push(at[(*n).min(at.len() - 1)]);
        *n += 1;
    }
    let mut order: Vec<(usize, Value)> = keyed.into_iter().zip(docs).collect();
    order.sort_by_key(|(k, _)| *k);
    order.into_iter().map(|(_, d)| d).collect()
}

impl Job {
    /// Every template some assertion of the test looks at.
    pub fn all_templates(&self) -> Vec<String> {
        let mut out = BTreeSet::new();
        for a in &self.asserts {
            out.extend(self.templates_for(a));
        }
        out.into_iter().collect()
    }

    /// helm-unittest's `determineTemplatesToAssert`.
    fn templates_for(&self, a: &Value) -> Vec<String> {
        if let Some(t) = a.get("template").and_then(Value::as_str) {
            return vec![template_file_name(t)];
        }
        match &self.template {
            Some(t) => vec![t.clone()],
            None => self.suite_templates.clone(),
        }
    }

    /// Runs the assertions on the renders of this test's templates: Ok, or every failure.
    pub fn run(&self, renders: &BTreeMap<String, Result<Rendered, String>>) -> Result<(), String> {
        if self.asserts.is_empty() {
            return Err("no asserts".into());
        }
        let mut failures = Vec::new();
        // A failed render with an assertion that needs success is helm-unittest's ExecError.
        let require_success = self
            .asserts
            .iter()
            .all(|a| a.get("failedTemplate").is_none());
        for (i, a) in self.asserts.iter().enumerate() {
            let mut msgs = Vec::new();
            for t in self.templates_for(a) {
                let full = format!("{}/{t}", self.chart_name);
                match renders.get(&t) {
                    None => msgs.push(format!("{t}: not rendered")),
                    Some(Err(e)) => msgs.push(format!("{t}: {e}")),
                    Some(Ok(Rendered::Failed { raw, .. })) if require_success => {
                        msgs.push(format!("render failed: {raw}"))
                    }
                    Some(Ok(r)) => {
                        if let Err(e) = self.assert_one(a, r, &full, &t) {
                            msgs.push(format!("{t}: {e}"));
                        }
                    }
                }
            }
            if !msgs.is_empty() {
                let kind = a
                    .as_object()
                    .and_then(|m| {
                        m.keys()
                            .find(|k| !["not", "template", "documentIndex"].contains(&k.as_str()))
                    })
                    .cloned()
                    .unwrap_or_default();
                failures.push(format!("assert #{i} {kind}: {}", msgs.join("; ")));
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join(" | "))
        }
    }

    fn assert_one(&self, a: &Value, r: &Rendered, full: &str, t: &str) -> Result<(), String> {
        let m = a.as_object().ok_or("an assertion is not a map")?;
        let not = m.get("not").and_then(Value::as_bool).unwrap_or(false);
        let (kind, params) = m
            .iter()
            .find(|(k, _)| {
                !["not", "template", "documentIndex", "documentSelector"].contains(&k.as_str())
            })
            .ok_or("no assertion type defined")?;
        let antonym = matches!(
            kind.as_str(),
            "notEqual"
                | "notExists"
                | "notMatchRegex"
                | "notContains"
                | "isNotSubset"
                | "isNotNullOrEmpty"
                | "isNotEmpty"
                | "isNull"
                | "notFailedTemplate"
                | "notLengthEqual"
        );
        let neg = not != antonym;
        let p = |k: &str| params.get(k);

        // failedTemplate: the render must have failed, in this template (or a partial).
        if kind == "failedTemplate" {
            let Rendered::Failed { file, message, raw } = r else {
                return Err("expected the render to fail; it rendered".into());
            };
            let here = file == full
                || (file.rsplit('/').next().is_some_and(|b| b.starts_with('_'))
                    && self.suite_templates.iter().any(|s| s == t));
            if !here {
                return Err(format!(
                    "No failed document (the error is in {file:?}: {raw})"
                ));
            }
            let ok = if let Some(pat) = p("errorPattern").and_then(Value::as_str) {
                let re = Regex::new(pat)
                    .or_else(|_| Regex::new(&regex::escape(pat)))
                    .map_err(|e| e.to_string())?;
                re.is_match(message)
                    || (pat.chars().any(|c| "\\.+*?()|[]{}^$".contains(c)) && message.contains(pat))
            } else if let Some(msg) = p("errorMessage").and_then(Value::as_str) {
                message == msg
            } else {
                true
            };
            return if ok != neg {
                Ok(())
            } else {
                Err(format!("error {message:?} does not match {params}"))
            };
        }
        let Rendered::Docs(all) = r else {
            unreachable!("failed renders are handled by the caller")
        };
        let all = match self.sources.get(t) {
            Some(src) => source_order(all.clone(), src),
            None => all.clone(),
        };
        if kind == "notFailedTemplate" {
            return Ok(());
        }
        // Document selection: the test's documentIndex wins over the assertion's.
        let index = self.document_index.or_else(|| {
            m.get("documentIndex")
                .and_then(Value::as_f64)
                .map(|f| f as i64)
        });
        let selector = m
            .get("documentSelector")
            .or(self.document_selector.as_ref());
        let selected: Vec<&Value> = if let Some(sel) = selector.filter(|s| s.get("path").is_some())
        {
            select_documents(&all, sel)?
        } else if let Some(i) = index {
            match all.get(i as usize) {
                Some(d) if i >= 0 => vec![d],
                _ => return Err(format!("document index {i} is out of range")),
            }
        } else {
            all.iter().collect()
        };

        if kind == "hasDocuments" {
            let count = p("count").and_then(Value::as_f64).unwrap_or(0.0) as usize;
            let filter_aware = p("filterAware").and_then(Value::as_bool).unwrap_or(false);
            let n = if filter_aware {
                selected.len()
            } else {
                all.len()
            };
            return if (n == count) != neg {
                Ok(())
            } else {
                Err(format!("expected {count} documents, got {n}"))
            };
        }
        if selected.is_empty() {
            return if neg {
                Ok(())
            } else {
                Err("no manifest found".into())
            };
        }
        let path_of = || -> Result<path::Path, String> {
            path::Path::parse(p("path").and_then(Value::as_str).unwrap_or(""))
        };
        let mut errs = Vec::new();
        for (di, doc) in selected.iter().enumerate() {
            let res: Result<(), String> = match kind.as_str() {
                "isKind" | "isAPIVersion" => {
                    let field = if kind == "isKind" {
                        "kind"
                    } else {
                        "apiVersion"
                    };
                    let want = p("of").and_then(Value::as_str);
                    let got = doc.get(field).and_then(Value::as_str);
                    check((got.is_some() && got == want) != neg, || {
                        format!("{field} {got:?}, expected {}{want:?}", neg_s(neg))
                    })
                }
                "exists" | "notExists" | "isNull" | "isNotNull" => {
                    let found = !path_of()?.find(doc).is_empty();
                    check(found != neg, || {
                        format!("path {} expected {}to exist", params["path"], neg_s(neg))
                    })
                }
                _ => {
                    let path = path_of()?;
                    let actuals = if p("path").is_none() {
                        vec![*doc]
                    } else {
                        path.find(doc)
                    };
                    if actuals.is_empty() {
                        if neg {
                            Ok(())
                        } else {
                            Err(format!("unknown path {}", params["path"]))
                        }
                    } else {
                        actuals
                            .iter()
                            .map(|v| value_check(kind, params, v, neg))
                            .collect::<Result<Vec<()>, String>>()
                            .map(|_| ())
                    }
                }
            };
            if let Err(e) = res {
                errs.push(format!("doc {di}: {e}"));
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.join("; "))
        }
    }
}

fn neg_s(neg: bool) -> &'static str {
    if neg {
        "NOT "
    } else {
        ""
    }
}

fn check(ok: bool, msg: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(msg())
    }
}

/// helm-unittest's `documentSelector`: documents whose `path` holds `value`.
fn select_documents<'a>(all: &'a [Value], sel: &Value) -> Result<Vec<&'a Value>, String> {
    let path = path::Path::parse(sel.get("path").and_then(Value::as_str).unwrap_or(""))?;
    let want = sel.get("value").cloned().unwrap_or(Value::Null);
    let many = sel
        .get("matchMany")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let out: Vec<&Value> = all
        .iter()
        .filter(|d| path.find(d).into_iter().any(|v| *v == want))
        .collect();
    if out.len() > 1 && !many {
        return Err(format!("multiple indexes found for documentSelector {sel}"));
    }
    if out.is_empty()
        && !sel
            .get("skipEmptyTemplates")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    {
        return Err(format!("document not found for documentSelector {sel}"));
    }
    Ok(out)
}

/// helm-unittest's `uniformContent`: spaces before a line end dropped, leading newlines cut.
fn uniform(s: &str) -> String {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"(?m)[ ]+\r?\n").expect("valid"));
    re.replace_all(s, "\n").trim_start_matches('\n').to_string()
}

fn decode_if(params: &Value, v: &Value) -> Result<Value, String> {
    match v {
        Value::String(s) if params.get("decodeBase64").and_then(Value::as_bool) == Some(true) => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(|_| format!("unable to decode base64 expected content {s}"))?;
            Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        }
        v => Ok(v.clone()),
    }
}

fn is_empty_value(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
    }
}

/// The validators that judge each value a path finds.
fn value_check(kind: &str, params: &Value, actual: &Value, neg: bool) -> Result<(), String> {
    let p = |k: &str| params.get(k);
    match kind {
        "equal" | "notEqual" => {
            let actual = match decode_if(params, actual)? {
                Value::String(s) => Value::String(uniform(&s)),
                v => v,
            };
            let want = p("value").cloned().unwrap_or(Value::Null);
            check((actual == want) != neg, || {
                format!("expected {}to equal {want}, got {actual}", neg_s(neg))
            })
        }
        "matchRegex" | "notMatchRegex" => {
            let pat = p("pattern").and_then(Value::as_str).unwrap_or("");
            if pat.is_empty() {
                return Err("expected field 'pattern' to be filled".into());
            }
            let re = Regex::new(pat).map_err(|e| e.to_string())?;
            match decode_if(params, actual)? {
                Value::String(s) => check(re.is_match(&s) != neg, || {
                    format!("{s:?} expected {}to match {pat:?}", neg_s(neg))
                }),
                v => Err(format!("expect {} to be a string, got {v}", params["path"])),
            }
        }
        "contains" | "notContains" => {
            let Value::Array(items) = actual else {
                return Err(format!(
                    "expect {} to be an array, got {actual}",
                    params["path"]
                ));
            };
            let content = p("content").cloned().unwrap_or(Value::Null);
            let any = p("any").and_then(Value::as_bool).unwrap_or(false);
            let found = items
                .iter()
                .filter(|e| match (any, e, &content) {
                    (true, Value::Object(e), Value::Object(c)) => {
                        c.iter().all(|(k, v)| e.get(k) == Some(v))
                    }
                    (true, Value::Object(_), _) | (true, _, Value::Object(_)) => *e == &content,
                    _ => *e == &content,
                })
                .count();
            let ok = match p("count").and_then(Value::as_f64) {
                Some(c) => (found > 0 && found == c as usize) != neg,
                None => (found > 0) != neg,
            };
            check(ok, || {
                format!(
                    "{actual} expected {}to contain {content} ({found} found)",
                    neg_s(neg)
                )
            })
        }
        "isSubset" | "isNotSubset" => {
            let content = p("content").and_then(Value::as_object);
            let ok = match (actual, content) {
                (Value::Object(a), Some(c)) => c.iter().all(|(k, v)| a.get(k) == Some(v)),
                _ => false,
            };
            check(ok != neg, || {
                format!(
                    "{actual} expected {}to be a superset of {}",
                    neg_s(neg),
                    params["content"]
                )
            })
        }
        "isNullOrEmpty" | "isNotNullOrEmpty" | "isEmpty" | "isNotEmpty" => {
            check(is_empty_value(actual) != neg, || {
                format!("{actual} expected {}to be null or empty", neg_s(neg))
            })
        }
        "lengthEqual" | "notLengthEqual" => {
            let want = p("count").and_then(Value::as_f64).unwrap_or(0.0) as usize;
            let n = match actual {
                Value::Array(a) => a.len(),
                Value::Object(m) => m.len(),
                _ => return Err(format!("{actual} has no length")),
            };
            check((n == want) != neg, || {
                format!("length {n}, expected {}{want}", neg_s(neg))
            })
        }
        k => Err(format!(
            "assertion type `{k}` is not supported by this harness"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_paths_build_maps() {
        let m = build_value_of_set_path(json!(1), "a.b[1].c").unwrap();
        assert_eq!(Value::Object(m), json!({"a": {"b": [null, {"c": 1}]}}));
        let m = build_value_of_set_path(json!("x"), "a.[k.y]").unwrap();
        assert_eq!(Value::Object(m), json!({"a": {"k.y": "x"}}));
        assert!(build_value_of_set_path(json!(1), "").is_err());
    }

    #[test]
    fn merge_keeps_maps_and_nulls() {
        let mut base = json!({"a": {"x": 1, "y": 2}, "b": 1})
            .as_object()
            .cloned()
            .unwrap();
        let over = json!({"a": {"y": 3, "z": null}, "b": {"c": 1}});
        merge_tables(&mut base, over.as_object().cloned().unwrap());
        assert_eq!(
            Value::Object(base),
            json!({"a": {"x": 1, "y": 3, "z": null}, "b": {"c": 1}})
        );
    }

    #[test]
    fn errors_read_as_helm_unittest_reads_them() {
        let e = r#"template: dataflow/templates/a/cm.yaml:12:8: executing "dataflow/templates/a/cm.yaml" at <fail "x">: error calling fail: externalUrl is required"#;
        match parse_render_error(e) {
            Rendered::Failed { file, message, .. } => {
                assert_eq!(file, "dataflow/templates/a/cm.yaml");
                assert_eq!(message, "error calling fail: externalUrl is required");
            }
            r => panic!("{r:?}"),
        }
    }

    #[test]
    fn documents_back_in_source_order() {
        let src = "{{- if .x }}\nkind: GatewayClass\n---\nkind: Gateway\n{{- end }}\n";
        let sorted = vec![json!({"kind": "Gateway"}), json!({"kind": "GatewayClass"})];
        let got = source_order(sorted.clone(), src);
        assert_eq!(got, vec![sorted[1].clone(), sorted[0].clone()]);
        // A kind the source does not write literally: Helm's order stays.
        let src2 = "kind: {{ .k }}\n---\nkind: Gateway\n";
        assert_eq!(source_order(sorted.clone(), src2), sorted);
    }

    #[test]
    fn uniform_content() {
        assert_eq!(uniform("\n\na  \nb"), "a\nb");
    }
}
