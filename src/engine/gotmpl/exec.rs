//! Executes parsed Go templates as Go's text/template does with Helm's options
//! (`missingkey=zero`), over the engine's runtime values (minijinja values, [`GoMap`]s) and
//! the shared function library.
//!
//! Go's two kinds of nothing are kept apart: an *invalid* value (Go's `reflect.Value{}`, what
//! a pipeline yields for nil) is `Value::UNDEFINED`; a *nil interface* (what a map gives for a
//! missing or null key, a list's null element) is `Value::from(())`. Field access on the first
//! yields nothing; on the second it is Go's `nil pointer evaluating interface {}.x`.

use super::parse::{Arg, Branch, Cmd, Node, Pipe, Tree};
use super::{Cause, ExecError, Inner, Set};
use crate::engine::funcs::{self, Func};
use crate::engine::objects::{ApiVersions, GoStruct, KubeVersion};
use crate::engine::value::{self, go_sprint, GoMap};
use minijinja::value::{Value, ValueKind};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Helm's limit on how often one named template may be included inside itself.
pub const INCLUDE_LIMIT: usize = 1000;

/// How deep `template` and `include` may nest in all (Go allows 100000; the stack of the
/// rendering thread allows this many).
pub const MAX_DEPTH: usize = 3000;

/// How deep `tpl` may nest directly inside `tpl` (no `include` between). Helm has no limit
/// there and dies of a Go stack overflow; chartr stops early enough that the error, one
/// `error calling tpl` link per level, stays small.
pub const TPL_CHAIN_LIMIT: usize = 100;

/// What the executor asks of the rest of the engine.
pub trait Host {
    /// A named template of the other dialect, rendered with `data`; `None` if there is none.
    fn include_foreign(&self, name: &str, data: &Value) -> Option<Result<String, String>>;
    /// Whether the other dialect's definition of `name` comes later and so wins.
    fn prefers_foreign(&self, _name: &str) -> bool {
        false
    }
    /// Helm's `lookup`.
    fn lookup(&self, args: &[Value]) -> Result<Value, String>;
}

/// What one render shares between every template it executes.
#[derive(Debug)]
pub struct Runtime {
    pub funcs: HashMap<&'static str, Func>,
    pub included: Mutex<HashMap<String, usize>>,
    /// How many `tpl` calls are running inside one another since the last `include`.
    pub tpl_chain: AtomicUsize,
}

impl Runtime {
    pub fn new() -> Runtime {
        Runtime {
            funcs: funcs::all().into_iter().collect(),
            included: Mutex::new(HashMap::new()),
            tpl_chain: AtomicUsize::new(0),
        }
    }
}

impl Default for Runtime {
    fn default() -> Self {
        Runtime::new()
    }
}

/// Names the executor itself answers (besides the library).
pub const ENGINE_FUNCS: &[&str] = &["include", "tpl", "lookup", "and", "or", "call"];

pub(super) enum Flow {
    Normal,
    Break,
    Continue,
}

/// The node Go's executor is "at" (`state.at`), which an error names: the last one it
/// marked, so an error met after evaluating a pipeline names the last node evaluated in it.
#[derive(Clone, Copy)]
pub(super) enum At<'a> {
    None,
    Pipe(&'a Pipe),
    Cmd(&'a Cmd),
    Arg(&'a Arg),
    Template(usize, &'a str, Option<&'a Pipe>),
}

impl At<'_> {
    fn pos_context(self) -> (usize, String) {
        match self {
            At::None => (0, String::new()),
            At::Pipe(p) => (p.pos, p.to_string()),
            At::Cmd(c) => (c.pos, c.to_string()),
            At::Arg(Arg::Pipe(p)) => (p.pos, p.to_string()),
            At::Arg(a) => (a.pos(), a.to_string()),
            At::Template(pos, name, pipe) => (
                pos,
                match pipe {
                    Some(p) => format!("{{{{template {} {p}}}}}", funcs_quote(name)),
                    None => format!("{{{{template {}}}}}", funcs_quote(name)),
                },
            ),
        }
    }
}

/// A variable: its value and whether Go holds it as an `interface {}` (a range element).
pub(super) struct Var {
    pub name: String,
    pub value: Value,
    pub iface: bool,
}

pub(super) struct Exec<'a> {
    pub set: &'a Set,
    pub rt: &'a Runtime,
    pub host: &'a dyn Host,
    pub tree: &'a Tree,
    /// The executing template's name (a file or a `define`).
    pub name: &'a str,
    pub vars: Vec<Var>,
    pub out: String,
    pub depth: usize,
    pub at: At<'a>,
    /// Whether dot is an `interface {}` for Go (a range element): errors name that type.
    pub dot_iface: bool,
}

type R<T> = Result<T, Box<ExecError>>;

/// Go's truth of a value.
pub fn truth(v: &Value) -> bool {
    match v.kind() {
        ValueKind::Map if v.downcast_object_ref::<GoMap>().is_none() => {
            // Engine objects (Capabilities, Release...) are structs or non-empty maps in Helm.
            v.len().is_none_or(|n| n > 0)
        }
        _ => !funcs::is_empty(v),
    }
}

/// A pipeline's value: Go turns a nil interface into an invalid value.
fn unwrap_nil(v: Value) -> Value {
    if v.is_none() {
        Value::UNDEFINED
    } else {
        v
    }
}

/// A value as a function argument: Go's nil for both kinds of nothing.
fn arg_value(v: Value) -> Value {
    if v.is_undefined() {
        Value::from(())
    } else {
        v
    }
}

impl<'a> Exec<'a> {
    /// An executor of `tree` (the template `name`) with `data` as `$`.
    pub fn new(
        set: &'a Set,
        rt: &'a Runtime,
        host: &'a dyn Host,
        tree: &'a Tree,
        name: &'a str,
        data: Value,
        depth: usize,
    ) -> Exec<'a> {
        Exec {
            set,
            rt,
            host,
            tree,
            name,
            vars: vec![Var {
                name: "$".to_string(),
                value: data,
                iface: false,
            }],
            out: String::new(),
            depth,
            at: At::None,
            dot_iface: false,
        }
    }

    /// An error at the node the executor is at.
    fn fail(&self, cause: Cause) -> Box<ExecError> {
        let (pos, context) = self.at.pos_context();
        Box::new(ExecError {
            location: self.tree.location(pos),
            name: self.name.to_string(),
            context,
            cause,
        })
    }

    fn native(&self, msg: impl Into<String>) -> Box<ExecError> {
        self.fail(Cause::Native(msg.into()))
    }

    pub fn walk_list(&mut self, dot: &Value, list: &'a [Node]) -> R<Flow> {
        for n in list {
            match self.walk(dot, n)? {
                Flow::Normal => {}
                f => return Ok(f),
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &Value, node: &'a Node) -> R<Flow> {
        match node {
            Node::Text(t) => self.out.push_str(t),
            Node::Action(pipe) => {
                let v = self.pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.print(&v);
                }
            }
            Node::If(b) => return self.if_with(dot, b, false),
            Node::With(b) => return self.if_with(dot, b, true),
            Node::Range(b) => return self.range(dot, b),
            Node::Template { pos, name, pipe } => {
                self.at = At::Template(*pos, name, pipe.as_ref());
                let tree = self.set.get(name);
                if self.depth >= MAX_DEPTH {
                    return Err(
                        self.native(format!("exceeded maximum template depth ({MAX_DEPTH})"))
                    );
                }
                let data = match pipe {
                    Some(p) => self.pipeline(dot, p)?,
                    None => Value::UNDEFINED,
                };
                let Some(tree) = tree else {
                    return match self.host.include_foreign(name, &arg_value(data)) {
                        Some(Ok(s)) => {
                            self.out.push_str(&s);
                            Ok(Flow::Normal)
                        }
                        Some(Err(m)) => {
                            self.at = At::Template(*pos, name, pipe.as_ref());
                            Err(self.fail(Cause::Call("template".into(), Inner::Plain(m))))
                        }
                        None => {
                            self.at = At::Template(*pos, name, pipe.as_ref());
                            Err(self.native(format!("template {name:?} not defined")))
                        }
                    };
                };
                let s = self.run(&tree, name, data)?;
                self.out.push_str(&s);
            }
            Node::Break(_) => return Ok(Flow::Break),
            Node::Continue(_) => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    /// Executes `tree` (named `name`) with `data` as dot and `$`, in a new variable scope.
    fn run(&self, tree: &Tree, name: &str, data: Value) -> R<String> {
        let mut sub = Exec::new(
            self.set,
            self.rt,
            self.host,
            tree,
            name,
            data.clone(),
            self.depth + 1,
        );
        sub.walk_list(&data, &tree.root)?;
        Ok(sub.out)
    }

    fn print(&mut self, v: &Value) {
        if v.is_undefined() || v.is_none() {
            self.out.push_str("<no value>");
        } else if let Some(s) = v.as_str() {
            // Helm prints a byte that is not UTF-8 as it is; text cannot: U+FFFD.
            self.out.push_str(&crate::gojson::bad_bytes_as_fffd(s));
        } else {
            self.out
                .push_str(&crate::gojson::bad_bytes_as_fffd(&go_sprint(v)));
        }
    }

    fn if_with(&mut self, dot: &Value, b: &'a Branch, with: bool) -> R<Flow> {
        let mark = self.vars.len();
        let v = self.pipeline(dot, &b.pipe)?;
        let r = if truth(&v) {
            if with {
                // A pipeline's value is concrete.
                let saved = std::mem::replace(&mut self.dot_iface, false);
                let r = self.walk_list(&v, &b.list);
                self.dot_iface = saved;
                r
            } else {
                self.walk_list(dot, &b.list)
            }
        } else if let Some(e) = &b.else_list {
            self.walk_list(dot, e)
        } else {
            Ok(Flow::Normal)
        };
        self.vars.truncate(mark);
        r
    }

    fn range(&mut self, dot: &Value, b: &'a Branch) -> R<Flow> {
        let mark = self.vars.len();
        let v = self.pipeline(dot, &b.pipe)?;
        let inner_mark = self.vars.len();
        let items: Vec<(Value, Value)> = match v.kind() {
            ValueKind::Seq | ValueKind::Iterable => v
                .try_iter()
                .map(|it| {
                    it.enumerate()
                        .map(|(i, x)| (Value::from(i as i64), x))
                        .collect()
                })
                .unwrap_or_default(),
            ValueKind::Bytes => v
                .as_bytes()
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(i, x)| (Value::from(i as i64), Value::from(*x)))
                .collect(),
            ValueKind::Map => value::map_entries(&v)
                .unwrap_or_default()
                .into_iter()
                .map(|(k, x)| (Value::from(k), x))
                .collect(),
            ValueKind::Number if v.is_integer() => {
                if b.pipe.decl.len() > 1 {
                    return Err(self.native(format!(
                        "can't use {} to iterate over more than one variable",
                        go_sprint(&v)
                    )));
                }
                let n = i64::try_from(v.clone()).unwrap_or(0);
                (0..n.max(0))
                    .map(|i| (Value::UNDEFINED, Value::from(i)))
                    .collect()
            }
            ValueKind::Undefined | ValueKind::None => Vec::new(),
            _ => {
                return Err(self.native(format!("range can't iterate over {}", go_sprint(&v))));
            }
        };
        // Elements of lists and maps are `interface {}` for Go; integers of a range over an
        // integer are `int`.
        let iface = !v.is_integer();
        let mut flow = Flow::Normal;
        if items.is_empty() {
            if let Some(e) = &b.else_list {
                flow = self.walk_list(dot, e)?;
            }
        } else {
            let saved = self.dot_iface;
            for (k, x) in items {
                let d = &b.pipe.decl;
                if !d.is_empty() {
                    if b.pipe.is_assign {
                        if d.len() > 1 {
                            self.set_var(&d[0], k.clone(), false);
                            self.set_var(&d[1], x.clone(), iface);
                        } else {
                            self.set_var(&d[0], x.clone(), iface);
                        }
                    } else {
                        // The declared variables are the top ones: element last.
                        let n = self.vars.len();
                        if d.len() > 1 {
                            self.vars[n - 2].value = k.clone();
                            self.vars[n - 2].iface = false;
                        }
                        self.vars[n - 1].value = x.clone();
                        self.vars[n - 1].iface = iface;
                    }
                }
                self.dot_iface = iface;
                let r = self.walk_list(&x, &b.list);
                self.dot_iface = saved;
                self.vars.truncate(inner_mark);
                match r? {
                    Flow::Break => break,
                    Flow::Continue | Flow::Normal => {}
                }
            }
        }
        self.vars.truncate(mark);
        let _ = &mut flow;
        Ok(Flow::Normal)
    }

    fn set_var(&mut self, name: &str, v: Value, iface: bool) {
        if let Some(slot) = self.vars.iter_mut().rev().find(|x| x.name == name) {
            slot.value = v;
            slot.iface = iface;
        }
    }

    /// A variable's value and whether it is an `interface {}`.
    fn var(&self, name: &str) -> (Value, bool) {
        self.vars
            .iter()
            .rev()
            .find(|x| x.name == name)
            .map(|x| (x.value.clone(), x.iface))
            .unwrap_or((Value::UNDEFINED, false))
    }

    pub fn pipeline(&mut self, dot: &Value, pipe: &'a Pipe) -> R<Value> {
        self.at = At::Pipe(pipe);
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            let v = self.command(dot, cmd, value.take())?;
            value = Some(unwrap_nil(v));
        }
        let value = value.unwrap_or(Value::UNDEFINED);
        for v in &pipe.decl {
            if pipe.is_assign {
                self.set_var(v, value.clone(), false);
            } else {
                self.vars.push(Var {
                    name: v.clone(),
                    value: value.clone(),
                    iface: false,
                });
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, cmd: &Cmd, final_: &Option<Value>) -> R<()> {
        if cmd.args.len() > 1 || final_.is_some() {
            return Err(self.native(format!(
                "can't give argument to non-function {}",
                cmd.args[0]
            )));
        }
        Ok(())
    }

    fn command(&mut self, dot: &Value, cmd: &'a Cmd, final_: Option<Value>) -> R<Value> {
        let first = &cmd.args[0];
        match first {
            Arg::Field { idents, .. } => {
                self.at = At::Arg(first);
                let iface = self.dot_iface;
                self.field_chain(
                    dot,
                    dot.clone(),
                    iface,
                    first,
                    idents,
                    &cmd.args[1..],
                    final_,
                )
            }
            Arg::Chain { node, idents, .. } => {
                self.at = At::Arg(first);
                let recv = self.arg(dot, node)?;
                self.field_chain(dot, recv, false, first, idents, &cmd.args[1..], final_)
            }
            Arg::Ident(_, name) => {
                self.at = At::Arg(first);
                self.call_named(dot, name, At::Cmd(cmd), &cmd.args[1..], final_)
            }
            Arg::Pipe(p) => {
                self.not_a_function(cmd, &final_)?;
                self.pipeline(dot, p)
            }
            Arg::Var { name, idents, .. } => {
                self.at = At::Arg(first);
                let (v, iface) = self.var(name);
                if idents.is_empty() {
                    self.not_a_function(cmd, &final_)?;
                    return Ok(v);
                }
                self.field_chain(dot, v, iface, first, idents, &cmd.args[1..], final_)
            }
            _ => {
                self.at = At::Arg(first);
                self.not_a_function(cmd, &final_)?;
                if let Arg::Nil(_) = first {
                    return Err(self.native("nil is not a command"));
                }
                self.arg(dot, first)
            }
        }
    }

    /// Evaluates one argument.
    fn arg(&mut self, dot: &Value, a: &'a Arg) -> R<Value> {
        self.at = At::Arg(a);
        Ok(match a {
            Arg::Dot(_) => dot.clone(),
            Arg::Nil(_) => Value::from(()),
            Arg::Bool(_, b) => Value::from(*b),
            Arg::Str { value, .. } => Value::from(value.as_str()),
            // Go's idealConstant: float syntax is a float64, else an int if it fits.
            Arg::Num(_, n) => match (n.float_syntax, n.int, n.float) {
                (true, _, Some(f)) => Value::from(f),
                (false, Some(i), _) => Value::from(i),
                _ => return Err(self.native(format!("{} overflows int", n.text))),
            },
            Arg::Field { idents, .. } => {
                let iface = self.dot_iface;
                self.field_chain(dot, dot.clone(), iface, a, idents, &[], None)?
            }
            Arg::Var { name, idents, .. } => {
                let (v, iface) = self.var(name);
                if idents.is_empty() {
                    v
                } else {
                    self.field_chain(dot, v, iface, a, idents, &[], None)?
                }
            }
            Arg::Pipe(p) => self.pipeline(dot, p)?,
            Arg::Chain { node, idents, .. } => {
                let recv = self.arg(dot, node)?;
                self.field_chain(dot, recv, false, a, idents, &[], None)?
            }
            Arg::Ident(_, name) => {
                // A function used as an argument takes no arguments.
                self.call_named(dot, name, At::Arg(a), &[], None)?
            }
        })
    }

    /// `.X.Y.Z` on `recv` (an `interface {}` for Go when `iface`), the last one a method
    /// call when it is one; errors name the node Go is at.
    #[allow(clippy::too_many_arguments)]
    fn field_chain(
        &mut self,
        dot: &Value,
        mut recv: Value,
        mut iface: bool,
        node: &'a Arg,
        idents: &'a [String],
        args: &'a [Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        let n = idents.len();
        for ident in &idents[..n - 1] {
            let struct_field = struct_type(&recv).is_some();
            recv = self.field(dot, recv, iface, node, ident, &[], None)?;
            // A map's element is an `interface {}`; a struct's field has its own type.
            iface = !struct_field;
        }
        self.field(dot, recv, iface, node, &idents[n - 1], args, final_)
    }

    #[allow(clippy::too_many_arguments)]
    fn field(
        &mut self,
        dot: &Value,
        recv: Value,
        iface: bool,
        node: &'a Arg,
        name: &str,
        args: &'a [Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        if recv.is_undefined() {
            return Ok(Value::UNDEFINED);
        }
        if recv.is_none() {
            return Err(self.native(format!("nil pointer evaluating interface {{}}.{name}")));
        }
        if value::has_method(&recv, name) {
            let at = self.at;
            let argv = match method_signature(name) {
                Some(sig) => self.typed_args(dot, name, &sig, args, final_, at)?,
                None => {
                    let mut argv = Vec::new();
                    for a in args {
                        argv.push(arg_value(self.arg(dot, a)?));
                    }
                    if let Some(f) = final_ {
                        argv.push(arg_value(f));
                    }
                    argv
                }
            };
            return match value::call_method(&recv, name, &argv) {
                Some(Ok(v)) => Ok(v),
                Some(Err(e)) => {
                    self.at = At::Arg(node);
                    Err(self.fail(Cause::Call(name.to_string(), Inner::Plain(error_text(&e)))))
                }
                None => Ok(Value::UNDEFINED),
            };
        }
        let has_args = !args.is_empty() || final_.is_some();
        let static_type = |recv: &Value| {
            if iface {
                "interface {}"
            } else {
                struct_type(recv).unwrap_or_else(|| go_type(recv))
            }
        };
        if let Some(fields) = struct_fields(&recv) {
            if fields.contains(&name) && !has_args {
                return Ok(recv.get_attr(name).unwrap_or(Value::from(())));
            }
            if fields.contains(&name) {
                return Err(self.native(format!(
                    "{name} has arguments but cannot be invoked as function"
                )));
            }
            return Err(self.native(format!(
                "can't evaluate field {name} in type {}",
                static_type(&recv)
            )));
        }
        if recv.kind() == ValueKind::Map {
            if has_args {
                return Err(self.native(format!("{name} is not a method but has arguments")));
            }
            let v = match recv.downcast_object_ref::<GoMap>() {
                Some(m) => m.get(name),
                None => recv.get_attr(name).ok().filter(|v| !v.is_undefined()),
            };
            return Ok(v.unwrap_or(Value::from(())));
        }
        // Other engine objects (a semver version...) answer their fields and methods.
        if recv.kind() == ValueKind::Plain && !has_args {
            if let Ok(v) = recv.get_attr(name) {
                if !v.is_undefined() {
                    return Ok(v);
                }
            }
        }
        Err(self.native(format!(
            "can't evaluate field {name} in type {}",
            static_type(&recv)
        )))
    }

    /// Calls function `name` with the argument nodes `args` (and the piped `final_`); the
    /// executor is at the function's name; an error of the function itself names `node` (the
    /// command, or the name when it is an argument).
    fn call_named(
        &mut self,
        dot: &Value,
        name: &str,
        node: At<'a>,
        args: &'a [Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        let nargs = args.len() + usize::from(final_.is_some());
        // Go checks the number of arguments before it evaluates them, at the function's name.
        let name_at = self.at;
        if name == "and" || name == "or" {
            if nargs == 0 {
                return Err(self.native(format!(
                    "wrong number of args for {name}: want at least 1 got 0"
                )));
            }
            let want = name == "or";
            let mut v = Value::UNDEFINED;
            for a in args {
                v = self.arg(dot, a)?;
                if truth(&v) == want {
                    return Ok(v);
                }
            }
            if let Some(f) = final_ {
                v = f;
            }
            return Ok(v);
        }
        let argv = match signature(name) {
            Some(sig) => self.typed_args(dot, name, sig, args, final_, name_at)?,
            None => {
                let mut argv = Vec::with_capacity(nargs);
                for a in args {
                    argv.push(arg_value(self.arg(dot, a)?));
                }
                if let Some(f) = final_ {
                    argv.push(arg_value(f));
                }
                argv
            }
        };
        let call_err = |s: &mut Self, inner: Inner| {
            s.at = node;
            s.fail(Cause::Call(name.to_string(), inner))
        };
        match name {
            "include" => {
                let tname = funcs::text(&argv[0]);
                return match self.include(&tname, argv[1].clone()) {
                    Ok(s) => Ok(Value::from(s)),
                    Err(inner) => Err(call_err(self, inner)),
                };
            }
            "tpl" => {
                let text = funcs::text(&argv[0]);
                return match super::tpl(
                    self.set,
                    self.rt,
                    self.host,
                    &text,
                    argv[1].clone(),
                    self.depth + 1,
                ) {
                    Ok(s) => Ok(Value::from(s)),
                    Err(inner) => Err(call_err(self, inner)),
                };
            }
            "lookup" => {
                return match self.host.lookup(&argv) {
                    Ok(v) => Ok(v),
                    Err(m) => Err(call_err(self, Inner::Plain(m))),
                };
            }
            "call" => {
                // No value of a chart is a function.
                let msg = match argv.first() {
                    Some(v) if !v.is_none() && !v.is_undefined() => format!(
                        "non-function {} of type {}",
                        args.first().map(|a| a.to_string()).unwrap_or_default(),
                        go_type(v)
                    ),
                    _ => "call of nil".to_string(),
                };
                return Err(call_err(self, Inner::Plain(msg)));
            }
            _ => {}
        }
        let Some(f) = self.rt.funcs.get(name) else {
            self.at = node;
            return Err(self.native(format!("{name:?} is not a defined function")));
        };
        match f(&argv) {
            Ok(v) => Ok(v),
            Err(e) => {
                if let Some(m) = funcs::fail_message(&e) {
                    return Err(call_err(self, Inner::Fail(m.to_string())));
                }
                let text = error_text(&e);
                // Argument counts are checked by Go before the call, at the function's name.
                if text.starts_with("wrong number of args for ") {
                    self.at = name_at;
                    return Err(self.native(text));
                }
                // The library's messages start with Go's `error calling NAME: `.
                let prefix = format!("error calling {name}: ");
                let inner = text.strip_prefix(&prefix).unwrap_or(&text).to_string();
                Err(call_err(self, Inner::Plain(inner)))
            }
        }
    }

    /// What Go's `evalCall` does before calling `name` (of parameters `sig`): checks the number
    /// of arguments (at `name_at`, the function's name), evaluates each argument for its
    /// parameter's type and checks the piped value's type.
    fn typed_args(
        &mut self,
        dot: &Value,
        name: &str,
        sig: &Sig,
        args: &'a [Arg],
        final_: Option<Value>,
        name_at: At<'a>,
    ) -> R<Vec<Value>> {
        let nargs = args.len() + usize::from(final_.is_some());
        let nparams = sig.params.len();
        let nfixed = if sig.variadic { nparams - 1 } else { nparams };
        if sig.variadic && nargs < nfixed {
            self.at = name_at;
            return Err(self.native(format!(
                "wrong number of args for {name}: want at least {nfixed} got {}",
                args.len()
            )));
        }
        if !sig.variadic && nargs != nparams {
            self.at = name_at;
            return Err(self.native(format!(
                "wrong number of args for {name}: want {nparams} got {nargs}"
            )));
        }
        let param = |i: usize| sig.params[i.min(nparams.saturating_sub(1))];
        let mut argv = Vec::with_capacity(nargs);
        for (i, a) in args.iter().enumerate() {
            argv.push(self.typed_arg(dot, param(i), a)?);
        }
        if let Some(f) = final_ {
            argv.push(self.validate(f, param(nargs - 1))?);
        }
        Ok(argv)
    }

    /// Go's `evalArg`: argument `a` for a parameter of type `t`.
    fn typed_arg(&mut self, dot: &Value, t: &str, a: &'a Arg) -> R<Value> {
        self.at = At::Arg(a);
        let kind = param_kind(t);
        match a {
            Arg::Nil(_) => {
                if can_be_nil(t) {
                    Ok(Value::from(()))
                } else {
                    Err(self.native(format!("cannot assign nil to {t}")))
                }
            }
            Arg::Bool(_, b) => match kind {
                Kind::Any => Ok(Value::from(*b)),
                Kind::Bool => Ok(Value::from(*b)),
                _ => Err(self.constant_error(kind, t, a)),
            },
            Arg::Str { value, .. } => match kind {
                Kind::Any | Kind::String => Ok(Value::from(value.as_str())),
                _ => Err(self.constant_error(kind, t, a)),
            },
            Arg::Num(_, n) => match kind {
                Kind::Any => self.arg(dot, a),
                Kind::Int => match n.int {
                    Some(i) => Ok(Value::from(i)),
                    None => Err(self.constant_error(kind, t, a)),
                },
                Kind::Uint => match n.int {
                    Some(i) if i >= 0 => Ok(Value::from(i)),
                    _ => Err(self.constant_error(kind, t, a)),
                },
                Kind::Float => match n.float {
                    Some(f) => Ok(Value::from(f)),
                    None => Err(self.constant_error(kind, t, a)),
                },
                _ => Err(self.constant_error(kind, t, a)),
            },
            _ => {
                let v = self.arg(dot, a)?;
                self.validate(v, t)
            }
        }
    }

    /// Go's message for a constant argument of the wrong kind.
    fn constant_error(&self, kind: Kind, t: &str, a: &Arg) -> Box<ExecError> {
        self.native(match kind {
            Kind::Bool => format!("expected bool; found {a}"),
            Kind::String => format!("expected string; found {a}"),
            Kind::Int => format!("expected integer; found {a}"),
            Kind::Uint => format!("expected unsigned integer; found {a}"),
            Kind::Float => format!("expected float; found {a}"),
            Kind::Any | Kind::Other => format!("can't handle {a} for arg of type {t}"),
        })
    }

    /// Go's `validateType`: an evaluated value for a parameter of type `t`.
    fn validate(&self, v: Value, t: &str) -> R<Value> {
        if v.is_undefined() {
            if can_be_nil(t) {
                return Ok(Value::from(()));
            }
            return Err(self.native(format!("invalid value; expected {t}")));
        }
        if param_kind(t) == Kind::Any {
            return Ok(v);
        }
        if v.is_none() {
            // A nil `interface {}` (a missing key) is no value of a concrete type.
            return Err(self.native(format!(
                "wrong type for value; expected {t}; got interface {{}}"
            )));
        }
        if assignable(&v, t) {
            return Ok(v);
        }
        Err(self.native(format!(
            "wrong type for value; expected {t}; got {}",
            full_type(&v)
        )))
    }

    /// Helm's `include`: a named template rendered to a string.
    fn include(&mut self, name: &str, data: Value) -> Result<String, Inner> {
        if self.host.prefers_foreign(name) {
            if let Some(r) = self.host.include_foreign(name, &data) {
                return r.map_err(Inner::Plain);
            }
        }
        let Some(tree) = self.set.get(name) else {
            if let Some(r) = self.host.include_foreign(name, &data) {
                return r.map_err(Inner::Plain);
            }
            return Err(Inner::NoTemplate(format!(
                "template: no template {name:?} associated with template \"gotpl\""
            )));
        };
        {
            let mut inc = self.rt.included.lock().unwrap_or_else(|e| e.into_inner());
            // No key allocated for a name seen before (most includes).
            if !inc.contains_key(name) {
                inc.insert(name.to_string(), 0);
            }
            let n = inc.get(name).copied().unwrap_or(0);
            if n > INCLUDE_LIMIT || self.depth >= MAX_DEPTH {
                return Err(Inner::Plain(format!(
                    "rendering template has a nested reference name: {name}: unable to execute template"
                )));
            }
            if let Some(n) = inc.get_mut(name) {
                *n += 1;
            }
        }
        let data = if data.is_none() {
            Value::UNDEFINED
        } else {
            data
        };
        let chain = self.rt.tpl_chain.swap(0, Ordering::Relaxed);
        let r = self.run(&tree, name, data);
        self.rt.tpl_chain.store(chain, Ordering::Relaxed);
        if let Ok(mut inc) = self.rt.included.lock() {
            if let Some(n) = inc.get_mut(name) {
                *n = n.saturating_sub(1);
            }
        }
        r.map_err(Inner::Exec)
    }
}

fn funcs_quote(s: &str) -> String {
    funcs::go_quote(s)
}

/// A library error's message.
pub fn error_text(e: &minijinja::Error) -> String {
    match e.detail() {
        Some(d) => d.to_string(),
        None => e.to_string(),
    }
}

/// Go's type name of a value, for messages: integers are `int` (the type of Go's constants
/// and of most functions' integers).
pub fn go_type(v: &Value) -> &'static str {
    if v.is_integer() {
        return "int";
    }
    value::type_of(v)
}

/// The Go type of the engine objects that are structs in Helm (not maps).
fn struct_type(v: &Value) -> Option<&'static str> {
    if let Some(s) = v.downcast_object_ref::<GoStruct>() {
        Some(s.type_name)
    } else if v.downcast_object_ref::<KubeVersion>().is_some() {
        Some("common.KubeVersion")
    } else if v.downcast_object_ref::<ApiVersions>().is_some() {
        Some("common.VersionSet")
    } else {
        None
    }
}

/// The fields of an engine object that is a struct in Helm.
fn struct_fields(v: &Value) -> Option<Vec<&'static str>> {
    if let Some(s) = v.downcast_object_ref::<GoStruct>() {
        Some(s.fields.iter().map(|(k, _)| *k).collect())
    } else if v.downcast_object_ref::<KubeVersion>().is_some() {
        Some(vec!["Version", "Major", "Minor", "GitVersion"])
    } else if v.downcast_object_ref::<ApiVersions>().is_some() {
        Some(Vec::new())
    } else {
        None
    }
}

/// A function's Go parameter types (the last one variadic when `variadic`).
#[derive(Debug, Clone)]
pub struct Sig {
    pub params: Vec<&'static str>,
    pub variadic: bool,
}

/// The parameters of every function of Helm's templates: signatures.txt, read once.
fn signatures() -> &'static HashMap<&'static str, Sig> {
    static SIGS: std::sync::OnceLock<HashMap<&'static str, Sig>> = std::sync::OnceLock::new();
    SIGS.get_or_init(|| parse_signatures(include_str!("../funcs/signatures.txt")))
}

fn parse_signatures(text: &'static str) -> HashMap<&'static str, Sig> {
    let mut m = HashMap::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (Some(open), Some(inner)) = (
            line.find('('),
            line.strip_suffix(')')
                .and_then(|l| l.split_once('(').map(|x| x.1)),
        ) else {
            continue;
        };
        let mut params: Vec<&'static str> = if inner.is_empty() {
            Vec::new()
        } else {
            inner.split(", ").collect()
        };
        let variadic = params.last().is_some_and(|p| p.starts_with("..."));
        if let Some(last) = params.last_mut() {
            *last = last.trim_start_matches("...");
        }
        m.insert(&line[..open], Sig { params, variadic });
    }
    m
}

/// The parameters of function `name`, if the table has it.
fn signature(name: &str) -> Option<&'static Sig> {
    signatures().get(name)
}

/// The parameters of Helm's methods (`Files`, `Capabilities.APIVersions`).
fn method_signature(name: &str) -> Option<Sig> {
    let params = match name {
        "Get" | "GetBytes" | "Glob" | "Lines" | "Has" => vec!["string"],
        "AsConfig" | "AsSecrets" => Vec::new(),
        _ => return None,
    };
    Some(Sig {
        params,
        variadic: false,
    })
}

/// What Go's `evalArg` makes of a constant for a parameter type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Any,
    Bool,
    String,
    Int,
    Uint,
    Float,
    Other,
}

fn param_kind(t: &str) -> Kind {
    match t {
        "interface {}" => Kind::Any,
        "bool" => Kind::Bool,
        "string" => Kind::String,
        "int" | "int8" | "int16" | "int32" | "int64" => Kind::Int,
        "uint" | "uint8" | "uint16" | "uint32" | "uint64" | "uintptr" => Kind::Uint,
        "float32" | "float64" => Kind::Float,
        _ => Kind::Other,
    }
}

/// Go's `canBeNil`: an untyped nil is a zero value of these types.
fn can_be_nil(t: &str) -> bool {
    t == "interface {}"
        || ["map[", "[]", "*", "func", "chan "]
            .iter()
            .any(|p| t.starts_with(p))
}

/// Whether a value is assignable to a parameter of Go type `t`. chartr does not tell Go's
/// integer types (nor `[]string` from `[]interface {}`) apart: any integer is taken for an
/// integer parameter, any list for a slice; types it does not model take anything.
fn assignable(v: &Value, t: &str) -> bool {
    match param_kind(t) {
        Kind::Any => true,
        Kind::Bool => v.kind() == ValueKind::Bool,
        Kind::String => v.kind() == ValueKind::String,
        Kind::Int | Kind::Uint => v.is_integer(),
        Kind::Float => v.kind() == ValueKind::Number && !v.is_integer(),
        Kind::Other if t.starts_with("map[") => {
            v.kind() == ValueKind::Map
                && struct_type(v).is_none()
                && v.downcast_object_ref::<crate::engine::files::Files>()
                    .is_none()
        }
        Kind::Other if t.starts_with("[]") => {
            matches!(v.kind(), ValueKind::Seq | ValueKind::Iterable)
        }
        Kind::Other => true,
    }
}

/// A value's Go type as `validateType` names it.
fn full_type(v: &Value) -> &'static str {
    if let Some(t) = struct_type(v) {
        return t;
    }
    if v.downcast_object_ref::<crate::engine::files::Files>()
        .is_some()
    {
        return "common.Files";
    }
    go_type(v)
}
