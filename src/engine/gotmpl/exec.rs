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
use crate::engine::value::{self, go_sprint, GoMap};
use minijinja::value::{Value, ValueKind};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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
    /// Whether a template holds bytes that are not UTF-8 (kept by `gojson::bytes_as_text`).
    pub raw_bytes: AtomicBool,
}

impl Runtime {
    pub fn new() -> Runtime {
        Runtime {
            funcs: funcs::all().into_iter().collect(),
            included: Mutex::new(HashMap::new()),
            tpl_chain: AtomicUsize::new(0),
            raw_bytes: AtomicBool::new(false),
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

pub(super) struct Exec<'a> {
    pub set: &'a Set,
    pub rt: &'a Runtime,
    pub host: &'a dyn Host,
    pub tree: &'a Tree,
    /// The executing template's name (a file or a `define`).
    pub name: &'a str,
    pub vars: Vec<(String, Value)>,
    pub out: String,
    pub depth: usize,
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
    fn err(&self, pos: usize, context: String, cause: Cause) -> Box<ExecError> {
        Box::new(ExecError {
            location: self.tree.location(pos),
            name: self.name.to_string(),
            context,
            cause,
        })
    }

    fn native(&self, pos: usize, context: String, msg: impl Into<String>) -> Box<ExecError> {
        self.err(pos, context, Cause::Native(msg.into()))
    }

    pub fn walk_list(&mut self, dot: &Value, list: &[Node]) -> R<Flow> {
        for n in list {
            match self.walk(dot, n)? {
                Flow::Normal => {}
                f => return Ok(f),
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &Value, node: &Node) -> R<Flow> {
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
                let data = match pipe {
                    Some(p) => self.pipeline(dot, p)?,
                    None => Value::UNDEFINED,
                };
                let context = || match pipe {
                    Some(p) => format!("{{{{template {} {p}}}}}", funcs_quote(name)),
                    None => format!("{{{{template {}}}}}", funcs_quote(name)),
                };
                let Some(tree) = self.set.get(name) else {
                    if let Some(r) = self.host.include_foreign(name, &arg_value(data.clone())) {
                        match r {
                            Ok(s) => {
                                self.out.push_str(&s);
                                return Ok(Flow::Normal);
                            }
                            Err(m) => {
                                return Err(self.err(
                                    *pos,
                                    context(),
                                    Cause::Call("template".into(), Inner::Plain(m)),
                                ))
                            }
                        }
                    }
                    return Err(self.native(
                        *pos,
                        context(),
                        format!("template {name:?} not defined"),
                    ));
                };
                if self.depth >= MAX_DEPTH {
                    return Err(self.native(
                        *pos,
                        context(),
                        format!("exceeded maximum template depth ({MAX_DEPTH})"),
                    ));
                }
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
        let mut sub = Exec {
            set: self.set,
            rt: self.rt,
            host: self.host,
            tree,
            name,
            vars: vec![("$".to_string(), data.clone())],
            out: String::new(),
            depth: self.depth + 1,
        };
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
            self.out.push_str(&go_sprint(v));
        }
    }

    fn if_with(&mut self, dot: &Value, b: &Branch, with: bool) -> R<Flow> {
        let mark = self.vars.len();
        let v = self.pipeline(dot, &b.pipe)?;
        let r = if truth(&v) {
            let d = if with { v } else { dot.clone() };
            self.walk_list(&d, &b.list)
        } else if let Some(e) = &b.else_list {
            self.walk_list(dot, e)
        } else {
            Ok(Flow::Normal)
        };
        self.vars.truncate(mark);
        r
    }

    fn range(&mut self, dot: &Value, b: &Branch) -> R<Flow> {
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
                    return Err(self.native(
                        b.pipe.pos,
                        b.pipe.to_string(),
                        format!(
                            "can't use {} to iterate over more than one variable",
                            go_sprint(&v)
                        ),
                    ));
                }
                let n = i64::try_from(v.clone()).unwrap_or(0);
                (0..n.max(0))
                    .map(|i| (Value::UNDEFINED, Value::from(i)))
                    .collect()
            }
            ValueKind::Undefined | ValueKind::None => Vec::new(),
            _ => {
                return Err(self.native(
                    b.pipe.pos,
                    b.pipe.to_string(),
                    format!("range can't iterate over {}", go_sprint(&v)),
                ))
            }
        };
        let mut flow = Flow::Normal;
        if items.is_empty() {
            if let Some(e) = &b.else_list {
                flow = self.walk_list(dot, e)?;
            }
        } else {
            for (k, x) in items {
                let d = &b.pipe.decl;
                if !d.is_empty() {
                    if b.pipe.is_assign {
                        if d.len() > 1 {
                            self.set_var(&d[0], k.clone());
                            self.set_var(&d[1], x.clone());
                        } else {
                            self.set_var(&d[0], x.clone());
                        }
                    } else {
                        // The declared variables are the top ones: element last.
                        let n = self.vars.len();
                        if d.len() > 1 {
                            self.vars[n - 2].1 = k.clone();
                        }
                        self.vars[n - 1].1 = x.clone();
                    }
                }
                let r = self.walk_list(&x, &b.list);
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

    fn set_var(&mut self, name: &str, v: Value) {
        if let Some(slot) = self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            slot.1 = v;
        }
    }

    fn var(&self, name: &str) -> Value {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or(Value::UNDEFINED)
    }

    pub fn pipeline(&mut self, dot: &Value, pipe: &Pipe) -> R<Value> {
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            let v = self.command(dot, cmd, value.take())?;
            value = Some(unwrap_nil(v));
        }
        let value = value.unwrap_or(Value::UNDEFINED);
        for v in &pipe.decl {
            if pipe.is_assign {
                self.set_var(v, value.clone());
            } else {
                self.vars.push((v.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, cmd: &Cmd, final_: &Option<Value>) -> R<()> {
        if cmd.args.len() > 1 || final_.is_some() {
            return Err(self.native(
                cmd.args[0].pos(),
                cmd.args[0].to_string(),
                format!("can't give argument to non-function {}", cmd.args[0]),
            ));
        }
        Ok(())
    }

    fn command(&mut self, dot: &Value, cmd: &Cmd, final_: Option<Value>) -> R<Value> {
        let first = &cmd.args[0];
        match first {
            Arg::Field { pos, idents } => self.field_chain(
                dot,
                dot.clone(),
                *pos,
                first,
                idents,
                &cmd.args[1..],
                final_,
            ),
            Arg::Chain { pos, node, idents } => {
                let recv = self.arg(dot, node)?;
                self.field_chain(dot, recv, *pos, first, idents, &cmd.args[1..], final_)
            }
            Arg::Ident(_, name) => self.function(dot, cmd, name, final_),
            Arg::Pipe(p) => {
                self.not_a_function(cmd, &final_)?;
                self.pipeline(dot, p)
            }
            Arg::Var { pos, name, idents } => {
                let v = self.var(name);
                if idents.is_empty() {
                    self.not_a_function(cmd, &final_)?;
                    return Ok(v);
                }
                self.field_chain(dot, v, *pos, first, idents, &cmd.args[1..], final_)
            }
            _ => {
                self.not_a_function(cmd, &final_)?;
                self.arg(dot, first)
            }
        }
    }

    /// Evaluates one argument.
    fn arg(&mut self, dot: &Value, a: &Arg) -> R<Value> {
        Ok(match a {
            Arg::Dot(_) => dot.clone(),
            Arg::Nil(_) => Value::from(()),
            Arg::Bool(_, b) => Value::from(*b),
            Arg::Str { value, .. } => Value::from(value.as_str()),
            Arg::Num(pos, n) => {
                if n.float_syntax || n.int.is_none() {
                    match n.float {
                        Some(f) => Value::from(f),
                        None => {
                            return Err(self.native(
                                *pos,
                                n.text.clone(),
                                format!("{} overflows int", n.text),
                            ))
                        }
                    }
                } else {
                    Value::from(n.int.unwrap_or(0))
                }
            }
            Arg::Field { pos, idents } => {
                self.field_chain(dot, dot.clone(), *pos, a, idents, &[], None)?
            }
            Arg::Var { pos, name, idents } => {
                let v = self.var(name);
                if idents.is_empty() {
                    v
                } else {
                    self.field_chain(dot, v, *pos, a, idents, &[], None)?
                }
            }
            Arg::Pipe(p) => self.pipeline(dot, p)?,
            Arg::Chain { pos, node, idents } => {
                let recv = self.arg(dot, node)?;
                self.field_chain(dot, recv, *pos, a, idents, &[], None)?
            }
            Arg::Ident(pos, name) => {
                // A function used as an argument takes no arguments.
                self.call_named(dot, *pos, name, Context::Name(name), &[], None)?
            }
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn field_chain(
        &mut self,
        dot: &Value,
        mut recv: Value,
        pos: usize,
        node: &Arg,
        idents: &[String],
        args: &[Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        let n = idents.len();
        for ident in &idents[..n - 1] {
            recv = self.field(dot, recv, pos, node, ident, &[], None)?;
        }
        self.field(dot, recv, pos, node, &idents[n - 1], args, final_)
    }

    #[allow(clippy::too_many_arguments)]
    fn field(
        &mut self,
        dot: &Value,
        recv: Value,
        pos: usize,
        node: &Arg,
        name: &str,
        args: &[Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        if recv.is_undefined() {
            return Ok(Value::UNDEFINED);
        }
        if recv.is_none() {
            return Err(self.native(
                pos,
                node.to_string(),
                format!("nil pointer evaluating interface {{}}.{name}"),
            ));
        }
        if value::has_method(&recv, name) {
            let mut argv = Vec::new();
            for a in args {
                argv.push(arg_value(self.arg(dot, a)?));
            }
            if let Some(f) = final_ {
                argv.push(arg_value(f));
            }
            return match value::call_method(&recv, name, &argv) {
                Some(Ok(v)) => Ok(v),
                Some(Err(e)) => Err(self.err(
                    pos,
                    node.to_string(),
                    Cause::Call(name.to_string(), Inner::Plain(error_text(&e))),
                )),
                None => Ok(Value::UNDEFINED),
            };
        }
        let has_args = !args.is_empty() || final_.is_some();
        if recv.kind() == ValueKind::Map {
            if has_args {
                return Err(self.native(
                    pos,
                    node.to_string(),
                    format!("{name} is not a method but has arguments"),
                ));
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
        Err(self.native(
            pos,
            node.to_string(),
            format!("can't evaluate field {name} in type {}", go_type(&recv)),
        ))
    }

    fn function(&mut self, dot: &Value, cmd: &Cmd, name: &str, final_: Option<Value>) -> R<Value> {
        self.call_named(
            dot,
            cmd.pos,
            name,
            Context::Cmd(cmd),
            &cmd.args[1..],
            final_,
        )
    }

    /// Calls function `name` with the argument nodes `args` (and the piped `final_`); errors
    /// are reported at `pos` with `context` (the command, printed only for an error).
    fn call_named(
        &mut self,
        dot: &Value,
        pos: usize,
        name: &str,
        context: Context<'_>,
        args: &[Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        let nargs = args.len() + usize::from(final_.is_some());
        if name == "and" || name == "or" {
            if nargs == 0 {
                return Err(self.native(
                    pos,
                    name.to_string(),
                    format!("wrong number of args for {name}: want at least 1 got 0"),
                ));
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
        let mut argv = Vec::with_capacity(nargs);
        for a in args {
            argv.push(arg_value(self.arg(dot, a)?));
        }
        if let Some(f) = final_ {
            argv.push(arg_value(f));
        }
        let call_err = |s: &Self, inner: Inner| {
            s.err(pos, context.text(), Cause::Call(name.to_string(), inner))
        };
        match name {
            "include" => {
                if argv.len() != 2 {
                    return Err(self.native(
                        pos,
                        name.to_string(),
                        format!(
                            "wrong number of args for include: want 2 got {}",
                            argv.len()
                        ),
                    ));
                }
                let tname = funcs::text(&argv[0]);
                return match self.include(&tname, argv[1].clone()) {
                    Ok(s) => Ok(Value::from(s)),
                    Err(inner) => Err(call_err(self, inner)),
                };
            }
            "tpl" => {
                if argv.len() != 2 {
                    return Err(self.native(
                        pos,
                        name.to_string(),
                        format!("wrong number of args for tpl: want 2 got {}", argv.len()),
                    ));
                }
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
                return self
                    .host
                    .lookup(&argv)
                    .map_err(|m| call_err(self, Inner::Plain(m)));
            }
            "call" => {
                return Err(call_err(
                    self,
                    Inner::Plain(format!(
                        "non-function {} of type {}",
                        args.first().map(|a| a.to_string()).unwrap_or_default(),
                        argv.first().map(go_type).unwrap_or("<nil>")
                    )),
                ));
            }
            _ => {}
        }
        let Some(f) = self.rt.funcs.get(name) else {
            return Err(self.native(
                pos,
                context.text(),
                format!("{name:?} is not a defined function"),
            ));
        };
        if self.rt.raw_bytes.load(Ordering::Relaxed) {
            // Go's string functions read runes: a byte that is not UTF-8 is U+FFFD to them.
            for a in argv.iter_mut() {
                if let Some(s) = a
                    .as_str()
                    .filter(|s| crate::gojson::text_as_bytes(s).is_some())
                {
                    *a = Value::from(crate::gojson::lossy_utf8(
                        &crate::gojson::text_as_bytes(s).unwrap_or_default(),
                    ));
                }
            }
        }
        match f(&argv) {
            Ok(v) => Ok(v),
            Err(e) => {
                if let Some(m) = funcs::fail_message(&e) {
                    return Err(call_err(self, Inner::Fail(m.to_string())));
                }
                let text = error_text(&e);
                // Argument counts are checked by Go before the call, at the function's name.
                if text.starts_with("wrong number of args for ") {
                    return Err(self.native(pos, name.to_string(), text));
                }
                // The library's messages start with Go's `error calling NAME: `.
                let prefix = format!("error calling {name}: ");
                let inner = text.strip_prefix(&prefix).unwrap_or(&text).to_string();
                Err(call_err(self, Inner::Plain(inner)))
            }
        }
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

/// The node an error of a call names: printed only when there is an error.
#[derive(Clone, Copy)]
enum Context<'a> {
    Cmd(&'a Cmd),
    Name(&'a str),
}

impl Context<'_> {
    fn text(self) -> String {
        match self {
            Context::Cmd(c) => c.to_string(),
            Context::Name(n) => n.to_string(),
        }
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

/// Go's type name of a value, for messages.
pub fn go_type(v: &Value) -> &'static str {
    value::type_of(v)
}
