//! Named templates across the chart tree: `include`, `template` and `tpl`.
//!
//! Every top-level macro of every helper file (`templates/_*`) in the chart tree is a named
//! template. Minijinja only lets a macro be called from the template state that defined it,
//! so each render (and each `tpl`) starts by importing one synthesized module,
//! [`HELPERS`], which imports every helper file; `__chartr_init` stores that module in the
//! state's temps, where `include` finds the macro to call.

use minijinja::value::{Enumerator, Object, Value as JValue, ValueKind};
use minijinja::{Error, ErrorKind, State};
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// The synthesized template importing every helper file as `h0`, `h1`, ...
pub const HELPERS: &str = "__chartr_helpers__";
/// The synthesized template every manifest is rendered through.
pub const RENDER: &str = "__chartr_render__";
/// The synthesized template through which a Go template includes a Jinja named template.
pub const BRIDGE: &str = "__chartr_bridge__";
/// The context key naming the template [`RENDER`] includes.
pub const TEMPLATE_KEY: &str = "__chartr_template";
const TEMP_KEY: &str = "chartr.helpers";

/// The prelude that makes named templates available to a template state.
pub const PRELUDE: &str =
    "{% import \"__chartr_helpers__\" as __chartr_h %}{{ __chartr_init(__chartr_h) }}";

/// Source of [`RENDER`].
pub fn render_source() -> String {
    format!("{PRELUDE}{{% include {TEMPLATE_KEY} %}}")
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

/// Registers `include`, `template`, `tpl` and `__chartr_init` on `env`. The registry is
/// filled once every helper file is parsed, before anything renders.
pub fn register(env: &mut minijinja::Environment<'_>, registry: Arc<OnceLock<Registry>>) {
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
