//! The template engine: a minijinja environment with Helm's objects (Values, Release, Chart,
//! Capabilities, Template, Files), Helm's function library, named templates (`include`),
//! `tpl` and `lookup`.
//!
//! One render builds one environment: every template of the chart tree is parsed once, then
//! each manifest template is rendered with its chart's context, in Helm's order (deepest
//! charts first, then reverse path order), so that in-place changes to values made by one
//! template are seen by the later ones as in Helm.

pub mod files;
pub mod funcs;
pub mod gotmpl;
pub mod include;
pub mod lookup;
pub mod objects;
pub mod value;

use crate::chart::Chart;
use crate::Error;
use crate::Map;
use minijinja::value::{Value as JValue, ValueKind};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// The engine's results: [`Error`] unless said otherwise.
type Result<T, E = Error> = std::result::Result<T, E>;

/// What `helm template` knows about the release and the cluster it pretends to talk to.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub release_name: String,
    pub namespace: String,
    pub revision: i64,
    pub is_install: bool,
    pub is_upgrade: bool,
    /// `--kube-version`; Helm v4's default is v1.35.0.
    pub kube_version: Option<String>,
    /// `-a/--api-versions`, added to the defaults.
    pub api_versions: Vec<String>,
    /// `--lookup-from`: a manifest stream, a folder of them, or a `kubectl get -o yaml` List.
    pub lookup_from: Option<PathBuf>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            release_name: "release-name".into(),
            namespace: "default".into(),
            revision: 1,
            is_install: true,
            is_upgrade: false,
            kube_version: None,
            api_versions: Vec::new(),
            lookup_from: None,
        }
    }
}

/// Everything a render produces.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    /// `CHART/templates/PATH` (subcharts as `CHART/charts/SUB/templates/PATH`) to the rendered
    /// text; helpers (`_*`) and `NOTES.txt` files left out, as `helm template` leaves them.
    pub manifests: BTreeMap<String, String>,
    /// The top chart's rendered `templates/NOTES.txt`, if it has one.
    pub notes: Option<String>,
    /// Things the user should hear about, for the caller to print.
    pub warnings: Vec<String>,
}

/// Renders every template of `chart` and its enabled subcharts with the coalesced `values`.
/// Returns Helm's map: `CHART/templates/PATH` (subcharts as `CHART/charts/SUB/templates/PATH`)
/// to the rendered text, helpers (`_*`) and NOTES.txt left out.
pub fn render(
    chart: &Chart,
    values: &Map,
    opts: &RenderOptions,
) -> Result<BTreeMap<String, String>> {
    render_full(chart, values, opts).map(|r| r.manifests)
}

/// Stack for the rendering thread: deep include chains recurse through minijinja's VM.
pub(crate) const RENDER_STACK: usize = 256 << 20;

thread_local! {
    /// Whether this thread was started with at least [`RENDER_STACK`] of stack
    /// ([`declare_stack`]).
    static BIG_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Tells the engine that the calling thread was started with `bytes` of stack. When that is at
/// least [`RENDER_STACK`], [`render_full`] renders on it instead of starting a thread of its
/// own: one thread's allocator pages instead of two (the bundled chart: -1.1 MiB peak RSS).
pub fn declare_stack(bytes: usize) {
    BIG_STACK.with(|b| b.set(bytes >= RENDER_STACK));
}

/// [`render`], with the notes and the warnings.
pub fn render_full(chart: &Chart, values: &Map, opts: &RenderOptions) -> Result<Rendered> {
    if BIG_STACK.with(std::cell::Cell::get) {
        // A panic ends as it does on the rendering thread: an internal error.
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            render_here(chart, values, opts)
        }))
        .map_err(|_| render_panicked())?;
    }
    std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .name("chartr-render".into())
            .stack_size(RENDER_STACK)
            .spawn_scoped(s, || render_here(chart, values, opts))
            .map_err(|e| Error::Internal {
                message: format!("cannot start the rendering thread: {e}"),
            })?;
        handle.join().map_err(|_| render_panicked())?
    })
}

/// What a panic while rendering ends as, on whichever thread it rendered.
fn render_panicked() -> Error {
    Error::Internal {
        message: "internal error: rendering panicked".into(),
    }
}

/// The template language of a chart's templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Go's text/template, as Helm: every chart that does not declare otherwise.
    Go,
    /// Jinja (minijinja), declared by `annotations: {chartr.dev/template-dialect: jinja}`.
    Jinja,
}

/// The Chart.yaml annotation that declares a chart's template dialect.
pub const DIALECT_ANNOTATION: &str = "chartr.dev/template-dialect";

impl Dialect {
    /// The dialect `chart` declares (Go unless its annotation says `jinja`).
    pub fn of(chart: &Chart) -> Dialect {
        let declared = chart
            .metadata_raw
            .get("annotations")
            .and_then(|a| a.get(DIALECT_ANNOTATION))
            .and_then(crate::Value::as_str);
        match declared {
            Some(d) if d.eq_ignore_ascii_case("jinja") => Dialect::Jinja,
            _ => Dialect::Go,
        }
    }

    /// What a parse error adds: the dialect assumed and how to declare the other.
    fn hint(self, chart: &str) -> String {
        match self {
            Dialect::Go => format!(
                "(chartr read this file as a Go template, the default; if chart {chart}'s templates are Jinja, declare it in its Chart.yaml: `annotations: {{{DIALECT_ANNOTATION}: jinja}}`)"
            ),
            Dialect::Jinja => format!(
                "(chartr read this file as Jinja because chart {chart}'s Chart.yaml declares `{DIALECT_ANNOTATION}: jinja`; remove that annotation if its templates are Go templates)"
            ),
        }
    }
}

/// The Go side of a render: its named templates (files and `define`s) and what the executor
/// shares, reachable from Jinja's `include`.
#[derive(Debug)]
pub struct GoSide {
    pub set: gotmpl::Set,
    pub rt: gotmpl::Runtime,
    pub lookup: Arc<lookup::LookupSource>,
}

/// What the Go executor asks of the engine: Jinja's named templates and `lookup`.
pub struct Bridge<'e, 's> {
    pub env: &'e Environment<'s>,
    pub registry: Option<&'e include::Registry>,
    pub lookup: &'e lookup::LookupSource,
}

impl gotmpl::Host for Bridge<'_, '_> {
    fn prefers_foreign(&self, name: &str) -> bool {
        self.registry
            .is_some_and(|r| r.prefer_jinja.contains(&include::macro_name(name)))
    }

    fn include_foreign(&self, name: &str, data: &JValue) -> Option<Result<String, String>> {
        let reg = self.registry?;
        if !reg.macros.contains_key(&include::macro_name(name)) {
            return None;
        }
        let t = match self.env.get_template(include::BRIDGE) {
            Ok(t) => t,
            Err(e) => return Some(Err(format_error(&e))),
        };
        let ctx = JValue::from_iter([
            ("__chartr_name", JValue::from(name)),
            ("__chartr_arg", data.clone()),
        ]);
        Some(t.render(ctx).map_err(|e| format_error(&e)))
    }

    fn lookup(&self, args: &[JValue]) -> std::result::Result<JValue, String> {
        let [a, k, n, m] = args else {
            return Err(format!(
                "wrong number of args for lookup: want 4 got {}",
                args.len()
            ));
        };
        let t = funcs::text;
        Ok(value::to_jinja(&self.lookup.lookup(
            &t(a),
            &t(k),
            &t(n),
            &t(m),
        )))
    }
}

/// One template file of the chart tree.
struct TemplateFile {
    /// `CHART/templates/x.yaml`, `CHART/charts/SUB/templates/x.yaml`.
    name: String,
    source: String,
    /// Index into the chart contexts.
    chart: usize,
    helper: bool,
    dialect: Dialect,
}

/// What a chart's templates see besides `Template`.
struct ChartContext {
    values: JValue,
    chart: JValue,
    files: JValue,
    base_path: String,
    /// The chart's name as it renders (for messages).
    name: String,
    /// The subcharts, by the name they render under, as indexes into the contexts.
    children: Vec<(String, usize)>,
}

/// The names the subcharts render under: each subchart's alias in the parent's Chart.yaml,
/// else its name, matching `dependencies` entries in order (a chart aliased twice appears
/// twice). values::compose may already have renamed a subchart to its alias, as Helm does.
fn effective_names(parent: &Chart) -> Vec<String> {
    let deps = &parent.metadata.dependencies;
    let mut used = vec![false; deps.len()];
    parent
        .dependencies
        .iter()
        .map(|sub| {
            let n = sub.name();
            let pick = (0..deps.len())
                .find(|&i| !used[i] && deps[i].alias.as_deref() == Some(n))
                .or_else(|| (0..deps.len()).find(|&i| !used[i] && deps[i].name == n));
            match pick {
                Some(i) => {
                    used[i] = true;
                    match deps[i].alias.as_deref() {
                        Some(a) if !a.is_empty() => a.to_string(),
                        _ => n.to_string(),
                    }
                }
                None => n.to_string(),
            }
        })
        .collect()
}

fn empty_map() -> JValue {
    value::to_jinja(&crate::Value::Object(Map::new()))
}

fn collect(
    chart: &Chart,
    name: &str,
    path: &str,
    values: JValue,
    is_root: bool,
    contexts: &mut Vec<ChartContext>,
    templates: &mut Vec<TemplateFile>,
) {
    let sub_names = effective_names(chart);
    let enabled = |n: &str| sub_names.iter().any(|s| s == n);
    let meta = objects::chart_metadata(chart, name, is_root, &enabled);
    let files = files::Files::new(
        chart
            .files
            .iter()
            .chain(chart.crds.iter())
            .map(|f| (f.name.as_str(), f.data.as_slice())),
    );
    let idx = contexts.len();
    contexts.push(ChartContext {
        values: values.clone(),
        chart: value::to_jinja(&meta),
        files: JValue::from_object(files),
        base_path: format!("{path}/templates"),
        name: name.to_string(),
        children: Vec::new(),
    });
    let dialect = Dialect::of(chart);
    let library = chart.metadata.is_library();
    for t in &chart.templates {
        let base = t.name.rsplit('/').next().unwrap_or(&t.name);
        let helper = base.starts_with('_');
        if library && !helper {
            continue;
        }
        templates.push(TemplateFile {
            name: format!("{path}/{}", t.name),
            source: crate::gojson::go_bytes_string(&t.data),
            chart: idx,
            helper,
            dialect,
        });
    }
    for (sub, sub_name) in chart.dependencies.iter().zip(&sub_names) {
        let sub_values = match values.get_attr(sub_name) {
            Ok(v) if v.kind() == ValueKind::Map => v,
            _ => empty_map(),
        };
        let child = contexts.len();
        contexts[idx].children.push((sub_name.clone(), child));
        collect(
            sub,
            sub_name,
            &format!("{path}/charts/{sub_name}"),
            sub_values,
            false,
            contexts,
            templates,
        );
    }
}

/// Helm's `Subcharts` for every chart: each subchart's name to that subchart's own context
/// (Capabilities, Chart, Files, Release, Subcharts, Values, and Template as Helm leaves it: the
/// subchart's last rendered template, when it has one).
fn subcharts_objects(
    contexts: &[ChartContext],
    templates: &[TemplateFile],
    release: &JValue,
    capabilities: &JValue,
) -> Vec<JValue> {
    let mut last_template: Vec<Option<&str>> = vec![None; contexts.len()];
    for t in templates.iter().filter(|t| !t.helper) {
        last_template[t.chart] = Some(&t.name);
    }
    let mut own: Vec<JValue> = vec![JValue::UNDEFINED; contexts.len()];
    let mut subs: Vec<JValue> = vec![JValue::UNDEFINED; contexts.len()];
    // Subcharts come after their parent in `contexts`: build from the end.
    for i in (0..contexts.len()).rev() {
        let c = &contexts[i];
        let map: BTreeMap<String, JValue> = c
            .children
            .iter()
            .map(|(n, j)| (n.clone(), own[*j].clone()))
            .collect();
        subs[i] = value::GoMap::new_value(map);
        let mut m = BTreeMap::from([
            ("Capabilities".to_string(), capabilities.clone()),
            ("Chart".to_string(), c.chart.clone()),
            ("Files".to_string(), c.files.clone()),
            ("Release".to_string(), release.clone()),
            ("Subcharts".to_string(), subs[i].clone()),
            ("Values".to_string(), c.values.clone()),
        ]);
        if let Some(name) = last_template[i] {
            m.insert(
                "Template".to_string(),
                objects::template(name, &c.base_path),
            );
        }
        own[i] = value::GoMap::new_value(m);
    }
    subs
}

/// Helm's `sortTemplates`: most `/` first, then reverse lexical order. Templates render, and
/// named templates are defined (a later definition winning), in this order.
fn helm_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (ca, cb) = (a.matches('/').count(), b.matches('/').count());
    cb.cmp(&ca).then_with(|| b.cmp(a))
}

/// Builds the environment with every template of the tree and renders the manifests.
fn render_here(chart: &Chart, values: &Map, opts: &RenderOptions) -> Result<Rendered> {
    let capabilities =
        objects::capabilities(opts).map_err(|message| Error::KubeVersion { message })?;
    let release = objects::release(opts);
    let lookup_source = match &opts.lookup_from {
        Some(p) => {
            lookup::LookupSource::load(p, &opts.namespace).map_err(|source| Error::LookupFrom {
                path: p.clone(),
                source,
            })?
        }
        None => lookup::LookupSource::default(),
    };

    let mut contexts = Vec::new();
    let mut templates = Vec::new();
    let root_values = value::to_jinja(&crate::Value::Object(values.clone()));
    collect(
        chart,
        chart.name(),
        chart.name(),
        root_values,
        true,
        &mut contexts,
        &mut templates,
    );
    templates.sort_by(|a, b| helm_order(&a.name, &b.name));

    let mut env = Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_undefined_behavior(UndefinedBehavior::Lenient);
    env.set_debug(true);
    funcs::register(&mut env);
    env.set_formatter(value::format);
    let lookup_source = Arc::new(lookup_source);
    let jinja_lookup = lookup_source.clone();
    env.add_function(
        "lookup",
        move |api_version: String, kind: String, namespace: String, name: String| {
            value::to_jinja(&jinja_lookup.lookup(&api_version, &kind, &namespace, &name))
        },
    );
    let registry_cell: Arc<OnceLock<include::Registry>> = Arc::new(OnceLock::new());
    let driver_cell = Arc::new(include::DriverCell::default());
    include::register(&mut env, registry_cell.clone(), driver_cell.clone());

    // Go templates: parsed in Helm's order into one set of named templates.
    let go_rt = gotmpl::Runtime::new();
    let mut go_set = gotmpl::Set::new();
    // Where each name was last defined (position in Helm's order), per dialect: one chart
    // tree has one namespace of named templates, and the later definition wins across
    // dialects as within one.
    let mut go_defined: HashMap<String, usize> = HashMap::new();
    for (pos, t) in templates
        .iter()
        .enumerate()
        .filter(|(_, t)| t.dialect == Dialect::Go)
    {
        let trees =
            gotmpl::parse::parse(&t.name, &t.source, &gotmpl::KnownFuncs(&go_rt)).map_err(|e| {
                let msg = e.message.rsplit(": ").next().unwrap_or(&e.message);
                Error::TemplateParse {
                    message: format!(
                        "parse error at ({}:{}): {msg}\n{}",
                        e.name,
                        e.line,
                        Dialect::Go.hint(&contexts[t.chart].name)
                    ),
                    template: e.name.clone(),
                    line: Some(e.line),
                    dialect: Dialect::Go,
                    source: Box::new(e),
                }
            })?;
        for tree in trees {
            if !tree.is_empty() {
                go_defined.insert(include::macro_name(&tree.name), pos);
            }
            go_set.add(tree);
        }
    }
    let go_side = Arc::new(GoSide {
        set: go_set,
        rt: go_rt,
        lookup: lookup_source.clone(),
    });

    for t in templates.iter().filter(|t| t.dialect == Dialect::Jinja) {
        env.add_template_owned(t.name.clone(), t.source.clone())
            .map_err(|e| Error::TemplateParse {
                message: format!(
                    "{}\n{}",
                    format_parse_error(&e),
                    Dialect::Jinja.hint(&contexts[t.chart].name)
                ),
                template: t.name.clone(),
                line: e.line(),
                dialect: Dialect::Jinja,
                source: Box::new(e),
            })?;
    }

    // Named templates: the top-level macros of every helper file, in Helm's order.
    let mut registry = include::Registry {
        go: Some(go_side.clone()),
        ..include::Registry::default()
    };
    let mut jinja_defined: HashMap<String, usize> = HashMap::new();
    for (pos, t) in templates
        .iter()
        .enumerate()
        .filter(|(_, t)| t.helper && t.dialect == Dialect::Jinja)
    {
        let tmpl = env.get_template(&t.name).map_err(jinja_error)?;
        let captured = tmpl.render_captured(()).map_err(jinja_error)?;
        let state = captured.state();
        let idx = registry.helper_files.len();
        registry.helper_files.push(t.name.clone());
        for export in state.exports() {
            let is_macro = state
                .lookup(export)
                .is_some_and(|v| format!("{v:?}").starts_with("<macro "));
            if is_macro {
                registry
                    .macros
                    .insert(export.to_string(), (idx, export.to_string()));
                jinja_defined.insert(export.to_string(), pos);
            }
        }
    }
    for (name, j) in &jinja_defined {
        match go_defined.get(name) {
            Some(g) if g > j => {
                registry.prefer_go.insert(name.clone());
            }
            Some(_) => {
                registry.prefer_jinja.insert(name.clone());
            }
            None => {}
        }
    }
    env.add_template_owned(include::HELPERS, registry.helpers_source())
        .map_err(jinja_error)?;
    env.add_template_owned(include::BRIDGE, include::bridge_source())
        .map_err(jinja_error)?;
    let _ = registry_cell.set(registry);

    let subcharts = subcharts_objects(&contexts, &templates, &release, &capabilities);
    let steps: Vec<include::Step> = templates
        .iter()
        .filter(|t| !t.helper)
        .map(|t| {
            let c = &contexts[t.chart];
            let template = objects::template(&t.name, &c.base_path);
            // Helm's `$` is a map[string]interface{}: hasKey, dig, set... take it as a Go map.
            let ctx = value::GoMap::new_value(BTreeMap::from([
                ("Values".to_string(), c.values.clone()),
                ("Release".to_string(), release.clone()),
                ("Chart".to_string(), c.chart.clone()),
                ("Capabilities".to_string(), capabilities.clone()),
                ("Template".to_string(), template.clone()),
                ("Files".to_string(), c.files.clone()),
                ("Subcharts".to_string(), subcharts[t.chart].clone()),
            ]));
            include::Step {
                name: t.name.clone(),
                dialect: t.dialect,
                root: include::Root {
                    values: c.values.clone(),
                    release: release.clone(),
                    chart: c.chart.clone(),
                    capabilities: capabilities.clone(),
                    template,
                    files: c.files.clone(),
                    subcharts: subcharts[t.chart].clone(),
                    ctx,
                },
            }
        })
        .collect();
    let texts = if templates.iter().any(|t| t.dialect == Dialect::Jinja) {
        // One template state for the whole render: the helpers are imported once.
        env.add_template_owned(include::RENDER, include::render_source(&steps))
            .map_err(jinja_error)?;
        let driver = Arc::new(include::Driver::new(steps));
        let _ = driver_cell.0.set(driver.clone());
        let renderer = env.get_template(include::RENDER).map_err(jinja_error)?;
        if let Err(e) = renderer.render(JValue::from_object(include::Scope(driver.clone()))) {
            return Err(match driver.take_go_error() {
                Some((name, go)) => go_exec_error(go, &name),
                None => jinja_error(e),
            });
        }
        let texts = driver.take_outputs();
        driver
            .steps
            .iter()
            .zip(texts)
            .map(|(s, t)| (s.name.clone(), t.unwrap_or_default()))
            .collect::<Vec<_>>()
    } else {
        // Go templates only: no Jinja state at all.
        let bridge = Bridge {
            env: &env,
            registry: registry_cell.get(),
            lookup: &lookup_source,
        };
        let mut texts = Vec::with_capacity(steps.len());
        for s in steps {
            let text = gotmpl::execute(&go_side.set, &go_side.rt, &bridge, &s.name, s.root.ctx)
                .map_err(|e| go_exec_error(*e, &s.name))?;
            texts.push((s.name, text));
        }
        texts
    };
    let root_notes = format!("{}/templates/NOTES.txt", chart.name());
    let mut out = Rendered::default();
    for (name, text) in texts {
        if name.ends_with("NOTES.txt") {
            if name == root_notes {
                out.notes = Some(text);
            }
            continue;
        }
        out.manifests.insert(name, text);
    }
    Ok(out)
}

/// Line and column (1-based) of byte `offset` in `source`.
fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// One located step of an error: where, and the source snippet.
struct Location {
    name: String,
    line: usize,
    col: Option<usize>,
    snippet: Option<String>,
}

fn location(e: &minijinja::Error) -> Option<Location> {
    let name = e.name()?;
    if name.starts_with("__chartr_") {
        return None;
    }
    let line = e.line()?;
    let (col, snippet) = match (e.range(), e.template_source()) {
        (Some(r), Some(src)) => {
            let (start, snippet) = match src.get(r.clone()) {
                Some(t) if t.starts_with('.') => match expression_span(src, r.clone()) {
                    Some((s, x)) => (s, Some(x)),
                    None => (r.start, Some(t.to_string())),
                },
                Some(t) => (r.start, Some(t.to_string())),
                None => (r.start, None),
            };
            let (l, c) = line_col(src, start);
            (if l == line { Some(c) } else { None }, snippet)
        }
        _ => (None, None),
    };
    Some(Location {
        name: name.to_string(),
        line,
        col,
        snippet,
    })
}

/// The whole dotted expression around `range` in `src` (`Values.db.port` for `.db.port`).
fn expression_at(src: &str, range: std::ops::Range<usize>) -> Option<String> {
    expression_span(src, range).map(|(_, e)| e)
}

/// [`expression_at`], with the byte offset the expression starts at.
fn expression_span(src: &str, range: std::ops::Range<usize>) -> Option<(usize, String)> {
    let is_expr = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '"' | '\'');
    let before = src.get(..range.start)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_expr(*c))
        .last()
        .map_or(range.start, |(i, _)| i);
    let after = src.get(range.start..)?;
    let len = after
        .char_indices()
        .find(|(_, c)| !is_expr(*c))
        .map_or(after.len(), |(i, _)| i);
    let e = src.get(start..range.start + len)?.trim_matches('.');
    (!e.is_empty()).then(|| (start, e.to_string()))
}

fn message(e: &minijinja::Error) -> String {
    use minijinja::ErrorKind as K;
    match (e.kind(), e.detail()) {
        (K::InvalidOperation, Some(d)) => d.to_string(),
        (K::UndefinedError, d) => {
            let expr = match (e.range(), e.template_source()) {
                (Some(r), Some(src)) => expression_at(src, r),
                _ => None,
            };
            match (expr, d) {
                (Some(x), _) if x.contains('.') => {
                    let (parent, attr) = x.rsplit_once('.').unwrap_or((&x, ""));
                    format!(
                        "cannot read \"{attr}\" of {parent}, which is undefined (Helm: nil pointer evaluating interface {{}}.{attr})"
                    )
                }
                (Some(x), Some(d)) => format!("undefined value in {x}: {d}"),
                (Some(x), None) => format!("undefined value in {x}"),
                (None, Some(d)) => format!("undefined value: {d}"),
                (None, None) => "undefined value".to_string(),
            }
        }
        (k, Some(d)) => format!("{k}: {d}"),
        (k, None) => k.to_string(),
    }
}

/// Formats a render error Helm's way (`execution error at (CHART/templates/x.yaml:LINE:COL):
/// MESSAGE`, the location being the outermost template), then every step of the include
/// chain with the failing expression.
pub fn format_error(err: &minijinja::Error) -> String {
    let mut chain: Vec<&minijinja::Error> = vec![err];
    let mut cur: &(dyn std::error::Error + 'static) = err;
    while let Some(next) = cur.source() {
        match next.downcast_ref::<minijinja::Error>() {
            Some(e) => chain.push(e),
            None => break,
        }
        cur = next;
    }
    if matches!(err.kind(), minijinja::ErrorKind::SyntaxError) {
        return format_parse_error(err);
    }
    let innermost = chain.last().copied().unwrap_or(err);
    if chain
        .iter()
        .any(|e| e.kind() == minijinja::ErrorKind::SyntaxError && e.name().is_some())
    {
        if let Some(e) = chain
            .iter()
            .find(|e| e.kind() == minijinja::ErrorKind::SyntaxError)
        {
            return format_parse_error(e);
        }
    }
    let mut locs: Vec<Location> = Vec::new();
    for e in &chain {
        if let Some(l) = location(e) {
            if !locs
                .last()
                .is_some_and(|p| p.name == l.name && p.line == l.line && p.col == l.col)
            {
                locs.push(l);
            }
        }
    }
    let at = |l: &Location| match l.col {
        Some(c) => format!("{}:{}:{}", l.name, l.line, c),
        None => format!("{}:{}", l.name, l.line),
    };
    let msg = message(innermost);
    let mut s = match locs.first() {
        Some(l) => format!("execution error at ({}): {msg}", at(l)),
        None => format!("execution error: {msg}"),
    };
    for l in &locs {
        s.push_str(&format!("\n  at {}", at(l)));
        if let Some(snip) = &l.snippet {
            s.push_str(&format!(": {}", snip.trim()));
        }
    }
    s
}

/// Formats a syntax error as Helm's `parse error at (CHART/templates/x.yaml:LINE): MESSAGE`,
/// with the offending source line.
pub fn format_parse_error(err: &minijinja::Error) -> String {
    let name = err.name().unwrap_or("template");
    let msg = err
        .detail()
        .map_or_else(|| err.kind().to_string(), str::to_string);
    let mut s = match err.line() {
        Some(l) => format!("parse error at ({name}:{l}): {msg}"),
        None => format!("parse error in ({name}): {msg}"),
    };
    if let (Some(src), Some(l)) = (err.template_source(), err.line()) {
        if let Some(text) = src.lines().nth(l.saturating_sub(1)) {
            s.push_str(&format!("\n  {l} | {text}"));
        }
    }
    s
}

/// A minijinja error as the library's error, with Helm's message ([`format_error`]): a syntax
/// error (also one met through an include) is a parse error, anything else an execution error.
fn jinja_error(e: minijinja::Error) -> Error {
    let message = format_error(&e);
    let mut syntax = None;
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(x) = cur.and_then(|c| c.downcast_ref::<minijinja::Error>()) {
        if x.kind() == minijinja::ErrorKind::SyntaxError {
            syntax = Some((x.name().unwrap_or("template").to_string(), x.line()));
            break;
        }
        cur = std::error::Error::source(x);
    }
    match syntax {
        Some((template, line)) => Error::TemplateParse {
            template,
            line,
            dialect: Dialect::Jinja,
            message,
            source: Box::new(e),
        },
        None => {
            let loc = location(&e);
            Error::TemplateExec {
                template: loc.as_ref().map(|l| l.name.clone()),
                location: loc.map(|l| match l.col {
                    Some(c) => format!("{}:{}:{c}", l.name, l.line),
                    None => format!("{}:{}", l.name, l.line),
                }),
                fail: None,
                message,
                source: Box::new(e),
            }
        }
    }
}

/// A Go template's execution error as the library's error, with Helm v4.1.4's message.
fn go_exec_error(e: gotmpl::ExecError, template: &str) -> Error {
    Error::TemplateExec {
        template: Some(template.to_string()),
        location: Some(e.location.clone()),
        fail: e.fail_message().map(str::to_string),
        message: e.helm_message(),
        source: Box::new(e),
    }
}

#[cfg(test)]
mod tests;
