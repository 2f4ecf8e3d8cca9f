//! Named templates across the chart tree: `include`, `template` and `tpl`.
//!
//! Every top-level macro of every helper file (`templates/_*`) in the chart tree is a named
//! template. Minijinja only lets a macro be called from the template state that defined it,
//! so a render imports one synthesized module, [`HELPERS`], which imports every helper file,
//! and `__chartr_init` stores that module in the state's temps, where `include` finds the
//! macro to call. Importing evaluates every helper file, so the whole render runs in one
//! state ([`RENDER`], driven by a [`Driver`]): the helpers are imported once per run, not
//! once per manifest. A `tpl` text that can include, and a Go template's include of a Jinja
//! macro, import them again in a state of their own.

use minijinja::value::{Enumerator, Object, Value as JValue, ValueKind};
use minijinja::{Error, ErrorKind, State};
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// The synthesized template importing every helper file as `h0`, `h1`, ...
pub const HELPERS: &str = "__chartr_helpers__";
/// The synthesized template every manifest is rendered through.
pub const RENDER: &str = "__chartr_render__";
/// The synthesized template through which a Go template includes a Jinja named template.
pub const BRIDGE: &str = "__chartr_bridge__";
const TEMP_KEY: &str = "chartr.helpers";

/// The prelude that makes named templates available to a template state.
pub const PRELUDE: &str =
    "{% import \"__chartr_helpers__\" as __chartr_h %}{{ __chartr_init(__chartr_h) }}";

/// Source of [`RENDER`] for a render's steps (in Helm's order): the named templates are
/// imported once, then each step runs in the same template state, so every manifest calls
/// the macros of that one import. A Jinja step renders its template inside a `with` frame
/// (its top-level variables end with it) and hands the text to `__chartr_end`; a Go step
/// runs in `__chartr_go`.
pub fn render_source(steps: &[Step]) -> String {
    let mut s = String::from(PRELUDE);
    for (i, step) in steps.iter().enumerate() {
        match step.dialect {
            super::Dialect::Jinja => {
                let quoted = serde_json::to_string(&step.name).unwrap_or_default();
                s.push_str(&format!(
                    "{{{{ __chartr_begin({i}) }}}}{{% with %}}{{% set __chartr_out %}}{{% include {quoted} %}}{{% endset %}}{{{{ __chartr_end({i}, __chartr_out) }}}}{{% endwith %}}"
                ));
            }
            super::Dialect::Go => s.push_str(&format!(
                "{{{{ __chartr_begin({i}) }}}}{{{{ __chartr_go({i}) }}}}"
            )),
        }
    }
    s
}

/// What one manifest template sees: Helm's objects and `ctx` (Helm's `$`).
#[derive(Debug, Clone)]
pub struct Root {
    pub values: JValue,
    pub release: JValue,
    pub chart: JValue,
    pub capabilities: JValue,
    pub template: JValue,
    pub files: JValue,
    pub subcharts: JValue,
    /// Helm's `$`, a Go map of the objects above (the Go dialect's dot).
    pub ctx: JValue,
}

const ROOT_KEYS: &[&str] = &[
    "Values",
    "Release",
    "Chart",
    "Capabilities",
    "Template",
    "Files",
    "Subcharts",
    "ctx",
];

impl Root {
    fn get(&self, key: &str) -> Option<JValue> {
        Some(
            match key {
                "Values" => &self.values,
                "Release" => &self.release,
                "Chart" => &self.chart,
                "Capabilities" => &self.capabilities,
                "Template" => &self.template,
                "Files" => &self.files,
                "Subcharts" => &self.subcharts,
                "ctx" => &self.ctx,
                _ => return None,
            }
            .clone(),
        )
    }
}

/// One template to render: its name, dialect and objects.
#[derive(Debug)]
pub struct Step {
    pub name: String,
    pub dialect: super::Dialect,
    pub root: Root,
}

/// The steps of one render through [`RENDER`], and what they produce.
#[derive(Debug)]
pub struct Driver {
    pub steps: Vec<Step>,
    current: AtomicUsize,
    outputs: Mutex<Vec<Option<String>>>,
    /// The Go error that stopped the render, in Helm's words.
    go_error: Mutex<Option<(String, super::gotmpl::ExecError)>>,
}

impl Driver {
    pub fn new(steps: Vec<Step>) -> Driver {
        let n = steps.len();
        Driver {
            steps,
            current: AtomicUsize::new(0),
            outputs: Mutex::new(vec![None; n]),
            go_error: Mutex::new(None),
        }
    }

    fn root(&self) -> Option<&Root> {
        self.steps
            .get(self.current.load(Ordering::Relaxed))
            .map(|s| &s.root)
    }

    fn set_output(&self, i: usize, text: String) {
        let mut out = self.outputs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = out.get_mut(i) {
            *slot = Some(text);
        }
    }

    /// Each step's text (None for a step that did not run).
    pub fn take_outputs(&self) -> Vec<Option<String>> {
        std::mem::take(&mut *self.outputs.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The Go error that stopped the render, if one did.
    pub fn take_go_error(&self) -> Option<(String, super::gotmpl::ExecError)> {
        self.go_error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }
}

/// The top-level variables of [`RENDER`]: those of the step being rendered. Macros read the
/// globals of the state that calls them, so the one state of a render must answer for the
/// current step.
#[derive(Debug)]
pub struct Scope(pub Arc<Driver>);

impl Object for Scope {
    fn get_value(self: &Arc<Self>, key: &JValue) -> Option<JValue> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<JValue> {
        self.0.root()?.get(key)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(ROOT_KEYS)
    }
}

/// What the functions of [`RENDER`] need: the driver and the Go side.
#[derive(Default)]
pub struct DriverCell(pub OnceLock<Arc<Driver>>);

fn driver_fn_error(msg: &str) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg.to_string())
}

/// Source of [`BRIDGE`]: `include(__chartr_name, __chartr_arg)` with the named templates.
pub fn bridge_source() -> String {
    format!("{PRELUDE}{{{{ include(__chartr_name, __chartr_arg) }}}}")
}

/// How deep `include` and `tpl` may nest. Helm stops a template that includes itself after
/// 1000 levels; chartr stops every chain at this depth, well before the stack runs out.
pub const MAX_DEPTH: usize = 50;

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

struct DepthGuard;

impl DepthGuard {
    fn enter(name: &str) -> Result<DepthGuard, Error> {
        let d = DEPTH.with(|d| d.get());
        if d >= MAX_DEPTH {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!(
                    "rendering template has a nested reference name: {name}: unable to execute template (include/tpl nested more than {MAX_DEPTH} deep; does a template include itself?)"
                ),
            ));
        }
        DEPTH.with(|c| c.set(d + 1));
        Ok(DepthGuard)
    }
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Where each named template is defined: its helper module (`h{index}` in [`HELPERS`]) and
/// macro name. A later definition of a name replaces an earlier one.
#[derive(Debug, Default, Clone)]
pub struct Registry {
    pub helper_files: Vec<String>,
    pub macros: HashMap<String, (usize, String)>,
    /// The Go templates of the render, for names no Jinja macro answers.
    pub go: Option<Arc<super::GoSide>>,
    /// Names (as macro names) defined in both dialects, by the dialect whose definition
    /// comes later in Helm's order and so wins.
    pub prefer_go: std::collections::HashSet<String>,
    pub prefer_jinja: std::collections::HashSet<String>,
}

impl Registry {
    /// The source of [`HELPERS`].
    pub fn helpers_source(&self) -> String {
        self.helper_files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let quoted = serde_json::to_string(f).unwrap_or_default();
                format!("{{% import {quoted} as h{i} %}}")
            })
            .collect()
    }
}

/// Reads a Helm-spelled name as a macro name: `.` and `-` become `_`.
pub fn macro_name(name: &str) -> String {
    name.replace(['.', '-'], "_")
}

/// `__chartr_init(module)`: keeps the helpers module for `include`; prints nothing.
pub fn init(state: &State, module: JValue) -> String {
    state.set_temp(TEMP_KEY, module);
    String::new()
}

/// `include(NAME, ARG)` and `template(NAME, ARG)`.
pub fn include(
    registry: &OnceLock<Registry>,
    state: &State,
    name: &str,
    arg: Option<JValue>,
) -> Result<JValue, Error> {
    let key = macro_name(name);
    let reg = registry.get();
    let found = reg.and_then(|r| r.macros.get(&key));
    let go_first = reg.is_some_and(|r| r.prefer_go.contains(&key));
    if let (true, Some(r)) = (found.is_none() || go_first, reg) {
        if let Some(go) = &r.go {
            let bridge = super::Bridge {
                env: state.env(),
                registry: Some(r),
                lookup: &go.lookup,
            };
            let data = arg.clone().unwrap_or(JValue::from(()));
            let _guard = DepthGuard::enter(name)?;
            if let Some(res) = super::gotmpl::include(&go.set, &go.rt, &bridge, name, data) {
                return res.map(JValue::from).map_err(|e| {
                    Error::new(
                        ErrorKind::InvalidOperation,
                        format!("error calling include \"{name}\": {}", e.helm_message()),
                    )
                });
            }
        }
    }
    let Some((idx, mac)) = found else {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "error calling include: template: no template \"{name}\" associated with template \"gotpl\" (no top-level macro {key} in any helper file of the chart tree)"
            ),
        ));
    };
    let module = state.get_temp(TEMP_KEY).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            "include: named templates are not loaded in this template",
        )
    })?;
    let f = module.get_attr(&format!("h{idx}"))?.get_attr(mac)?;
    let _guard = DepthGuard::enter(name)?;
    let args: Vec<JValue> = arg.into_iter().collect();
    f.call(state, &args).map_err(|e| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("error calling include \"{name}\""),
        )
        .with_source(e)
    })
}

/// `tpl(TEXT, CONTEXT)`: renders TEXT with CONTEXT's keys as its top-level variables (named
/// templates available).
pub fn tpl(state: &State, text: &str, ctx: JValue) -> Result<JValue, Error> {
    // Text without Jinja delimiters renders to itself; most `tpl` calls in charts pass plain
    // values (a domain, an image name) and need no compile.
    if !["{{", "{%", "{#"].iter().any(|d| text.contains(d)) {
        return Ok(JValue::from(text));
    }
    let _guard = DepthGuard::enter("tpl")?;
    // Named templates only when the text can call one: importing them evaluates every helper
    // file of the chart tree.
    let source = if text.contains("include") || text.contains("template") {
        format!("{PRELUDE}{text}")
    } else {
        text.to_string()
    };
    let name = format!("{} (tpl)", state.name());
    let ctx = JValue::from_object(TplContext(ctx));
    state
        .env()
        .render_named_str(&name, &source, ctx)
        .map(JValue::from)
        .map_err(|e| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("error calling tpl: error during tpl function execution for {text:?}"),
            )
            .with_source(e)
        })
}

/// The variables of a `tpl` text: the keys of the context given, and `ctx` for the context
/// itself (Helm's `.` and `$`) unless it has a key of that name.
#[derive(Debug)]
struct TplContext(JValue);

impl Object for TplContext {
    fn get_value(self: &Arc<Self>, key: &JValue) -> Option<JValue> {
        if self.0.kind() == ValueKind::Map {
            if let Ok(v) = self.0.get_item(key) {
                if !v.is_undefined() {
                    return Some(v);
                }
            }
        }
        (key.as_str() == Some("ctx")).then(|| self.0.clone())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let mut keys: Vec<JValue> = match self.0.kind() {
            ValueKind::Map => self.0.try_iter().map(|i| i.collect()).unwrap_or_default(),
            _ => Vec::new(),
        };
        if !keys.iter().any(|k| k.as_str() == Some("ctx")) {
            keys.push(JValue::from("ctx"));
        }
        Enumerator::Values(keys)
    }
}

/// Registers `include`, `template`, `tpl`, `__chartr_init` and the functions of [`RENDER`]
/// on `env`. The registry is filled once every helper file is parsed, the driver once the
/// steps are known, before anything renders.
pub fn register(
    env: &mut minijinja::Environment<'_>,
    registry: Arc<OnceLock<Registry>>,
    driver: Arc<DriverCell>,
) {
    let d = driver.clone();
    env.add_function("__chartr_begin", move |i: usize| -> Result<String, Error> {
        let d =
            d.0.get()
                .ok_or_else(|| driver_fn_error("no render is under way"))?;
        d.current.store(i, Ordering::Relaxed);
        Ok(String::new())
    });
    let d = driver.clone();
    env.add_function(
        "__chartr_end",
        move |i: usize, text: String| -> Result<String, Error> {
            let d =
                d.0.get()
                    .ok_or_else(|| driver_fn_error("no render is under way"))?;
            d.set_output(i, text);
            Ok(String::new())
        },
    );
    let d = driver;
    let r = registry.clone();
    env.add_function(
        "__chartr_go",
        move |state: &State, i: usize| -> Result<String, Error> {
            let d =
                d.0.get()
                    .ok_or_else(|| driver_fn_error("no render is under way"))?;
            let step = d
                .steps
                .get(i)
                .ok_or_else(|| driver_fn_error("no such step"))?;
            let reg = r.get();
            let go = reg
                .and_then(|r| r.go.as_ref())
                .ok_or_else(|| driver_fn_error("no Go templates in this render"))?;
            let bridge = super::Bridge {
                env: state.env(),
                registry: reg,
                lookup: &go.lookup,
            };
            match super::gotmpl::execute(
                &go.set,
                &go.rt,
                &bridge,
                &step.name,
                step.root.ctx.clone(),
            ) {
                Ok(text) => {
                    d.set_output(i, text);
                    Ok(String::new())
                }
                Err(e) => {
                    *d.go_error.lock().unwrap_or_else(|e| e.into_inner()) =
                        Some((step.name.clone(), *e));
                    Err(driver_fn_error("a Go template failed"))
                }
            }
        },
    );
    let r = registry.clone();
    env.add_function(
        "include",
        move |state: &State, name: String, arg: Option<JValue>| include(&r, state, &name, arg),
    );
    let r = registry;
    env.add_function(
        "template",
        move |state: &State, name: String, arg: Option<JValue>| include(&r, state, &name, arg),
    );
    env.add_function("tpl", |state: &State, text: String, ctx: Option<JValue>| {
        tpl(state, &text, ctx.unwrap_or(JValue::UNDEFINED))
    });
    env.add_function("__chartr_init", init);
}
