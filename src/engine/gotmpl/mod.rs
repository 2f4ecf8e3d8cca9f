//! The Go dialect: Go's text/template as Helm v4.1.4 runs it (pkg/engine/engine.go), written
//! for chartr over the engine's runtime values and its one function library.
//!
//! Why not the `gotmpl` crate (0.5, checked on crates.io and docs.rs): it has its own value
//! type, so every map would be converted at each call and Sprig's in-place `set`/`merge` on
//! `.Values` (which charts rely on across templates) would be lost; it has no Helm-style
//! method calls on our objects (`.Files.Get`, `.Capabilities.APIVersions.Has`); its error
//! text is not Go's `executing "NAME" at <NODE>` form that Helm reshapes; and it needs a newer
//! Rust (1.89) than chartr's 1.85.
//!
//! [`parse`] reads templates, [`Set`] holds the named templates of a render (file bodies and
//! `define`s, a later non-empty definition replacing an earlier one, as Go's `associate`),
//! [`execute`] runs one, and [`ExecError`] prints Go's message and, through
//! [`ExecError::helm_message`], the message Helm v4 makes of it.

pub mod exec;
pub mod parse;

pub use exec::{Host, Runtime};
pub use parse::{ParseError, Tree};

use minijinja::Value;
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The named templates of a render. A `tpl` text adds its own definitions in a layer over the
/// render's set.
#[derive(Debug, Default)]
pub struct Set {
    base: Option<Arc<Set>>,
    own: HashMap<String, Arc<Tree>>,
}

impl Set {
    pub fn new() -> Set {
        Set::default()
    }

    /// A set that sees `base`'s templates under its own.
    pub fn layered(base: Arc<Set>) -> Set {
        Set {
            base: Some(base),
            own: HashMap::new(),
        }
    }

    /// Adds a template as Go's `AddParseTree`: an empty definition does not replace one that
    /// exists.
    pub fn add(&mut self, tree: Tree) {
        if tree.is_empty() && self.get(&tree.name).is_some() {
            return;
        }
        self.own.insert(tree.name.clone(), Arc::new(tree));
    }

    pub fn get(&self, name: &str) -> Option<Arc<Tree>> {
        match self.own.get(name) {
            Some(t) => Some(t.clone()),
            None => self.base.as_ref().and_then(|b| b.get(name)),
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.own.contains_key(name) || self.base.as_ref().is_some_and(|b| b.contains(name))
    }
}

/// The functions a Go template may name: the library's and the engine's.
pub struct KnownFuncs<'a>(pub &'a Runtime);

impl parse::Funcs for KnownFuncs<'_> {
    fn has(&self, name: &str) -> bool {
        self.0.funcs.contains_key(name) || exec::ENGINE_FUNCS.contains(&name)
    }
}

/// An execution error as Go's text/template builds it.
#[derive(Debug, Clone)]
pub struct ExecError {
    /// `FILE:LINE:COL` of the node.
    pub location: String,
    /// The template being executed (a file or a `define`).
    pub name: String,
    /// The node, as Go prints it.
    pub context: String,
    pub cause: Cause,
}

/// What went wrong at the node.
#[derive(Debug, Clone)]
pub enum Cause {
    /// text/template's own error (`nil pointer evaluating ...`, `wrong number of args ...`).
    Native(String),
    /// `error calling NAME: ` and the function's error.
    Call(String, Inner),
}

/// A function's error.
#[derive(Debug, Clone)]
pub enum Inner {
    /// A message of the function's own.
    Plain(String),
    /// `include`'s template failed.
    Exec(Box<ExecError>),
    /// `template: no template "x" associated with template "gotpl"`.
    NoTemplate(String),
    /// Helm's `fail`/`required` message.
    Fail(String),
    /// A prefix (`error during tpl function execution for "...": `) and the template error.
    Wrapped(String, Box<ExecError>),
}

impl fmt::Display for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Inner::Plain(s) | Inner::NoTemplate(s) => f.write_str(s),
            Inner::Exec(e) => write!(f, "{e}"),
            Inner::Fail(m) => write!(f, "HELM_ERR_START{m}HELM_ERR_END"),
            Inner::Wrapped(p, e) => write!(f, "{p}{e}"),
        }
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::Native(s) => f.write_str(s),
            Cause::Call(name, inner) => write!(f, "error calling {name}: {inner}"),
        }
    }
}

impl fmt::Display for ExecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "template: {}: executing {} at <{}>: {}",
            self.location,
            crate::engine::funcs::go_quote(&self.name),
            self.context,
            self.cause
        )
    }
}

impl std::error::Error for ExecError {}

impl ExecError {
    /// The message of the innermost `fail` or `required`, if that is the cause.
    pub fn fail_message(&self) -> Option<&str> {
        match &self.cause {
            Cause::Native(_) => None,
            Cause::Call(_, inner) => match inner {
                Inner::Fail(m) => Some(m),
                Inner::Exec(e) | Inner::Wrapped(_, e) => e.fail_message(),
                _ => None,
            },
        }
    }

    /// Whether Helm can read every error of the chain as a template error (else it prints
    /// Go's message as it is).
    fn traceable(&self) -> bool {
        match &self.cause {
            Cause::Native(_) => true,
            Cause::Call(_, Inner::Exec(e)) => e.traceable(),
            Cause::Call(_, Inner::NoTemplate(_)) => true,
            Cause::Call(..) => false,
        }
    }

    fn trace(&self, out: &mut String) {
        let msg = self.cause.to_string();
        let msg = match msg.find(" template:") {
            Some(i) => &msg[..i],
            None => &msg,
        };
        out.push_str(&format!(
            "{}\n  executing {} at <{}>:\n    {}\n",
            self.location,
            crate::engine::funcs::go_quote(&self.name),
            self.context,
            msg
        ));
        match &self.cause {
            Cause::Call(_, Inner::Exec(e)) => e.trace(out),
            Cause::Call(_, Inner::NoTemplate(s)) => {
                out.push_str(s);
                out.push('\n');
            }
            _ => {}
        }
    }

    /// The message Helm v4.1.4 prints for this error of template `file`
    /// (`reformatExecErrorMsg`): `execution error at (LOC): MSG` for `fail`/`required`, the
    /// chain one step a line when every step is a template error (Helm's `TraceableError`s,
    /// without Go's `template: ` prefix), else Go's message.
    pub fn helm_message(&self) -> String {
        if let Some(m) = self.fail_message() {
            return format!("execution error at ({}): {m}", self.location);
        }
        if self.traceable() {
            let mut s = String::new();
            self.trace(&mut s);
            return s.trim().to_string();
        }
        self.to_string()
    }
}

/// Executes the template `name` of `set` with `data` (dot and `$`); the text has Helm's
/// `<no value>` removed.
pub fn execute(
    set: &Set,
    rt: &Runtime,
    host: &dyn Host,
    name: &str,
    data: Value,
) -> Result<String, Box<ExecError>> {
    let Some(tree) = set.get(name) else {
        return Err(Box::new(ExecError {
            location: name.to_string(),
            name: name.to_string(),
            context: String::new(),
            cause: Cause::Native(format!("no template {name:?}")),
        }));
    };
    Ok(run(set, rt, host, &tree, name, data)?.replace("<no value>", ""))
}

/// Walks `tree` (the template `name`) with `data` as dot and `$`; Go's raw output.
fn run(
    set: &Set,
    rt: &Runtime,
    host: &dyn Host,
    tree: &Tree,
    name: &str,
    data: Value,
) -> Result<String, Box<ExecError>> {
    let mut e = exec::Exec::new(set, rt, host, tree, name, data.clone(), 0);
    e.walk_list(&data, &tree.root)?;
    Ok(e.out)
}

/// Executes `name` for `include` from the other dialect: Go's raw output (`<no value>` kept, as
/// Helm's include keeps it until the file's text is cleaned).
pub fn include(
    set: &Set,
    rt: &Runtime,
    host: &dyn Host,
    name: &str,
    data: Value,
) -> Option<Result<String, Box<ExecError>>> {
    let tree = set.get(name)?;
    let data = if data.is_none() {
        Value::UNDEFINED
    } else {
        data
    };
    Some(run(set, rt, host, &tree, name, data))
}

/// Renders a stand-alone Go template with the function library and no data, as Helm's
/// `TemplateName` renders `--name-template` (Go's message on error).
pub fn render_text(name: &str, text: &str) -> Result<String, String> {
    struct NoHost;
    impl Host for NoHost {
        fn include_foreign(&self, _: &str, _: &Value) -> Option<Result<String, String>> {
            None
        }
        fn lookup(&self, _: &[Value]) -> Result<Value, String> {
            Ok(crate::engine::value::to_jinja(&crate::Value::Object(
                crate::Map::new(),
            )))
        }
    }
    let rt = Runtime::new();
    let mut set = Set::new();
    for t in parse::parse(name, text, &KnownFuncs(&rt)).map_err(|e| e.to_string())? {
        set.add(t);
    }
    let tree = set
        .get(name)
        .ok_or_else(|| format!("no template {name:?}"))?;
    let mut e = exec::Exec::new(&set, &rt, &NoHost, &tree, name, Value::UNDEFINED, 0);
    e.walk_list(&Value::UNDEFINED, &tree.root)
        .map_err(|e| e.to_string())?;
    Ok(e.out)
}

/// Helm's `tpl`: parses `text` as a template named `gotpl` over the render's named templates
/// and executes it with `data`.
pub(crate) fn tpl(
    set: &Set,
    rt: &Runtime,
    host: &dyn Host,
    text: &str,
    data: Value,
    depth: usize,
) -> Result<String, Inner> {
    let quoted = crate::engine::funcs::go_quote(text);
    if depth >= exec::MAX_DEPTH {
        return Err(Inner::Plain(
            "rendering template has a nested reference name: tpl: unable to execute template"
                .into(),
        ));
    }
    let chain = rt.tpl_chain.load(Ordering::Relaxed);
    if chain >= exec::TPL_CHAIN_LIMIT {
        return Err(Inner::Plain(format!(
            "rendering template has a nested reference name: tpl: unable to execute template (tpl nested in tpl more than {} deep; does a value's template call tpl on itself? Helm has no limit here and runs out of stack)",
            exec::TPL_CHAIN_LIMIT
        )));
    }
    rt.tpl_chain.store(chain + 1, Ordering::Relaxed);
    let r = tpl_run(set, rt, host, text, &quoted, data, depth);
    rt.tpl_chain.store(chain, Ordering::Relaxed);
    r
}

fn tpl_run(
    set: &Set,
    rt: &Runtime,
    host: &dyn Host,
    text: &str,
    quoted: &str,
    data: Value,
    depth: usize,
) -> Result<String, Inner> {
    let trees = parse::parse("gotpl", text, &KnownFuncs(rt))
        .map_err(|e| Inner::Plain(format!("cannot parse template {quoted}: {e}")))?;
    // The render's set is borrowed: layer the new definitions over a view of it.
    let mut own = SetView {
        base: set,
        own: HashMap::new(),
    };
    let mut body = None;
    for t in trees {
        if t.name == "gotpl" && body.is_none() {
            body = Some(Arc::new(t));
        } else if !(t.is_empty() && own.get(&t.name).is_some()) {
            own.own.insert(t.name.clone(), Arc::new(t));
        }
    }
    let Some(body) = body else {
        return Ok(String::new());
    };
    let layered = own.into_set();
    let data = if data.is_none() {
        Value::UNDEFINED
    } else {
        data
    };
    let mut e = exec::Exec::new(
        layered.as_ref().unwrap_or(set),
        rt,
        host,
        &body,
        "gotpl",
        data.clone(),
        depth,
    );
    match e.walk_list(&data, &body.root) {
        Ok(_) => Ok(e.out.replace("<no value>", "")),
        Err(err) => Err(Inner::Wrapped(
            format!("error during tpl function execution for {quoted}: "),
            err,
        )),
    }
}

/// The definitions of a `tpl` text over the render's set.
struct SetView<'a> {
    base: &'a Set,
    own: HashMap<String, Arc<Tree>>,
}

impl SetView<'_> {
    fn get(&self, name: &str) -> Option<Arc<Tree>> {
        self.own.get(name).cloned().or_else(|| self.base.get(name))
    }

    /// A set holding the view's own definitions and every template of the base, or `None`
    /// when there are no own definitions (the base serves as it is).
    fn into_set(self) -> Option<Set> {
        if self.own.is_empty() {
            return None;
        }
        let mut all = self.base.flatten();
        all.extend(self.own);
        Some(Set {
            base: None,
            own: all,
        })
    }
}

impl Set {
    fn flatten(&self) -> HashMap<String, Arc<Tree>> {
        let mut m = match &self.base {
            Some(b) => b.flatten(),
            None => HashMap::new(),
        };
        m.extend(self.own.iter().map(|(k, v)| (k.clone(), v.clone())));
        m
    }
}

#[cfg(test)]
mod tests;
