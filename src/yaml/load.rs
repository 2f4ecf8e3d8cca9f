//! The reader's back half, as Helm v4.1.4 runs it: go-yaml v2.4.3's `Unmarshal` into
//! `interface{}` (decode.go: events composed into a node tree, then decoded — anchors, aliases
//! and their expansion limits, merge keys, scalars resolved as YAML 1.1) followed by
//! sigs.k8s.io/yaml v1.6.0's conversion to JSON (keys become strings, `.inf`/`.nan` refused).
//! The three steps run in Helm's order, so an error of a later step never hides one of an
//! earlier step, and a value JSON cannot hold is harmless when a later duplicate key replaces it.

use super::parser::{EventKind, Parser};
use super::resolve::{self, Kind, Scalar};
use super::scanner::{Mark, ScalarStyle, SyntaxError};
use super::{Lines, YamlError};
use crate::{Map, Value};
use foldhash::{HashMap, HashSet};

/// Past this depth the recursive steps run on a thread with a large stack.
const DEEP: usize = 200;

/// A go-yaml failure: Helm's message (`yaml: …`) and the 0-based line it belongs to.
struct Fail {
    message: String,
    line: usize,
}

impl Fail {
    fn syntax(e: &SyntaxError) -> Fail {
        Fail {
            message: e.helm_message(),
            line: e.line().saturating_sub(1),
        }
    }
    fn at(line: usize, message: impl Into<String>) -> Fail {
        Fail {
            message: message.into(),
            line,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NodeKind {
    Scalar,
    Seq,
    Map,
    Alias,
}

struct Node {
    kind: NodeKind,
    /// 0-based line of the node's start.
    line: usize,
    tag: String,
    value: String,
    implicit: bool,
    children: Vec<usize>,
    /// For an alias: the node its anchor named when the alias was read.
    alias: usize,
}

/// go-yaml's `parser` of decode.go: composes events into nodes.
struct Composer<'a> {
    parser: Parser<'a>,
    nodes: Vec<Node>,
    anchors: HashMap<Vec<u8>, usize>,
    pending: Option<super::parser::Event>,
    init: bool,
}

fn lossy(b: Vec<u8>) -> String {
    match String::from_utf8(b) {
        Ok(s) => s,
        Err(e) => crate::gojson::lossy_utf8(e.as_bytes()),
    }
}

impl Composer<'_> {
    fn peek(&mut self) -> Result<&EventKind, Fail> {
        if self.pending.is_none() {
            match self.parser.next() {
                Ok(Some(ev)) => self.pending = Some(ev),
                Ok(None) => {
                    return Err(Fail::at(
                        self.parser.scanner.mark.line,
                        "yaml: attempted to go past the end of stream; corrupted value?",
                    ))
                }
                Err(e) => return Err(Fail::syntax(&e)),
            }
        }
        match &self.pending {
            Some(ev) => Ok(&ev.kind),
            None => Err(Fail::at(0, "yaml: unexpected end of stream")),
        }
    }

    fn take(&mut self) -> Result<super::parser::Event, Fail> {
        self.peek()?;
        self.pending
            .take()
            .ok_or_else(|| Fail::at(0, "yaml: unexpected end of stream"))
    }

    /// decode.go's `expect`.
    fn expect(&mut self, want: &str, ok: fn(&EventKind) -> bool) -> Result<Mark, Fail> {
        let ev = self.take()?;
        if ev.kind == EventKind::StreamEnd {
            return Err(Fail::at(
                ev.start.line,
                "yaml: attempted to go past the end of stream; corrupted value?",
            ));
        }
        if !ok(&ev.kind) {
            return Err(Fail::at(
                ev.start.line,
                format!("yaml: expected {want} event but got another event"),
            ));
        }
        Ok(ev.start)
    }

    /// The next document's root node (None at the end of the stream) and its depth.
    fn document(&mut self) -> Result<Option<(usize, usize)>, Fail> {
        if !self.init {
            self.expect("STREAM-START", |k| *k == EventKind::StreamStart)?;
            self.init = true;
        }
        match self.peek()? {
            EventKind::StreamEnd => return Ok(None),
            EventKind::DocumentStart => {}
            _ => return Err(Fail::at(0, "yaml: attempted to parse unknown event")),
        }
        self.anchors.clear();
        self.expect("DOCUMENT-START", |k| *k == EventKind::DocumentStart)?;
        let root = self.node()?;
        self.expect("DOCUMENT-END", |k| *k == EventKind::DocumentEnd)?;
        Ok(Some(root))
    }

    fn new_node(&mut self, kind: NodeKind, line: usize) -> usize {
        self.nodes.push(Node {
            kind,
            line,
            tag: String::new(),
            value: String::new(),
            implicit: false,
            children: Vec::new(),
            alias: 0,
        });
        self.nodes.len() - 1
    }

    /// Composes one node and everything inside it (iteratively: nesting is limited only by the
    /// scanner's 10,000 levels).
    fn node(&mut self) -> Result<(usize, usize), Fail> {
        let mut stack: Vec<usize> = Vec::new();
        let mut depth = 0;
        loop {
            let ev = self.take()?;
            let line = ev.start.line;
            let is_seq = matches!(ev.kind, EventKind::SequenceStart { .. });
            let done = match ev.kind {
                EventKind::Scalar {
                    anchor,
                    tag,
                    value,
                    implicit,
                    style,
                } => {
                    let n = self.new_node(NodeKind::Scalar, line);
                    let node = &mut self.nodes[n];
                    node.tag = lossy(tag);
                    node.value = lossy(value);
                    node.implicit = implicit;
                    let _ = style == ScalarStyle::Plain;
                    if let Some(a) = anchor {
                        self.anchors.insert(a, n);
                    }
                    n
                }
                EventKind::Alias(name) => {
                    let Some(&target) = self.anchors.get(&name) else {
                        return Err(Fail::at(
                            line,
                            format!("yaml: unknown anchor '{}' referenced", lossy(name)),
                        ));
                    };
                    let n = self.new_node(NodeKind::Alias, line);
                    self.nodes[n].alias = target;
                    self.nodes[n].value = lossy(name);
                    n
                }
                EventKind::SequenceStart { anchor } | EventKind::MappingStart { anchor } => {
                    let kind = if is_seq { NodeKind::Seq } else { NodeKind::Map };
                    let n = self.new_node(kind, line);
                    if let Some(a) = anchor {
                        self.anchors.insert(a, n);
                    }
                    stack.push(n);
                    depth = depth.max(stack.len());
                    continue;
                }
                EventKind::SequenceEnd | EventKind::MappingEnd => match stack.pop() {
                    Some(n) => n,
                    None => return Err(Fail::at(line, "yaml: attempted to parse unknown event")),
                },
                _ => return Err(Fail::at(line, "yaml: attempted to parse unknown event")),
            };
            match stack.last() {
                Some(&parent) => self.nodes[parent].children.push(done),
                None => return Ok((done, depth)),
            }
        }
    }
}

/// A Go value as go-yaml v2 decodes into `interface{}`. Scalars that sigs.k8s.io/yaml may refuse
/// keep their line for the message.
#[derive(Clone, Debug)]
enum Go {
    Null(usize),
    Bool(bool),
    Int(i64),
    Uint(u64, usize),
    Float(f64, usize),
    Str(String),
    Seq(Vec<Go>),
    Map(Box<GoMap>),
}

/// `map[interface{}]interface{}`: keys compare as Go interfaces do (type and value; NaN never
/// equal); setting an existing key keeps the key and replaces the value.
#[derive(Clone, Debug, Default)]
struct GoMap {
    entries: Vec<(Go, Go)>,
    /// Entries by key, made once the map has more than [`SCAN`] entries (smaller maps, most of
    /// them, are searched in place: no copy of every key).
    index: Option<HashMap<KeyId, usize>>,
}

/// The most entries a [`GoMap`] searches one by one.
const SCAN: usize = 16;

#[derive(Hash, PartialEq, Eq, Clone, Debug)]
enum KeyId {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(u64),
    Str(String),
}

fn key_id(k: &Go) -> Option<KeyId> {
    Some(match k {
        Go::Null(_) => KeyId::Null,
        Go::Bool(b) => KeyId::Bool(*b),
        Go::Int(i) => KeyId::Int(*i),
        Go::Uint(u, _) => KeyId::Uint(*u),
        Go::Float(f, _) if f.is_nan() => return None,
        Go::Float(f, _) => KeyId::Float(if *f == 0.0 { 0 } else { f.to_bits() }),
        Go::Str(s) => KeyId::Str(s.clone()),
        Go::Seq(_) | Go::Map(_) => return None,
    })
}

/// Go's `==` on two interface keys (`key_id(a) == key_id(b)`, without copying either).
fn same_key(a: &Go, b: &Go) -> bool {
    match (a, b) {
        (Go::Null(_), Go::Null(_)) => true,
        (Go::Bool(x), Go::Bool(y)) => x == y,
        (Go::Int(x), Go::Int(y)) => x == y,
        (Go::Uint(x, _), Go::Uint(y, _)) => x == y,
        (Go::Float(x, _), Go::Float(y, _)) => x == y,
        (Go::Str(x), Go::Str(y)) => x == y,
        _ => false,
    }
}

impl GoMap {
    fn set(&mut self, k: Go, v: Go) {
        if key_id_never_equal(&k) {
            self.entries.push((k, v));
            return;
        }
        if self.index.is_none() {
            if let Some(e) = self.entries.iter_mut().find(|(ek, _)| same_key(ek, &k)) {
                e.1 = v;
                return;
            }
            self.entries.push((k, v));
            if self.entries.len() > SCAN {
                let mut index = HashMap::default();
                for (i, (ek, _)) in self.entries.iter().enumerate() {
                    if let Some(id) = key_id(ek) {
                        index.entry(id).or_insert(i);
                    }
                }
                self.index = Some(index);
            }
            return;
        }
        let Some(id) = key_id(&k) else {
            self.entries.push((k, v));
            return;
        };
        let at = self.entries.len();
        let Some(index) = self.index.as_mut() else {
            return;
        };
        match index.get(&id) {
            Some(&i) => self.entries[i].1 = v,
            None => {
                index.insert(id, at);
                self.entries.push((k, v));
            }
        }
    }
}

/// Keys no other key equals (NaN, lists, maps): always a new entry.
fn key_id_never_equal(k: &Go) -> bool {
    match k {
        Go::Float(f, _) => f.is_nan(),
        Go::Seq(_) | Go::Map(_) => true,
        _ => false,
    }
}

/// A key as sigs.k8s.io/yaml writes it (for the lines of values; refused keys are named as
/// the conversion will name them).
fn key_string(k: &Go) -> Result<String, String> {
    Ok(match k {
        Go::Str(s) => s.clone(),
        Go::Int(i) => i.to_string(),
        Go::Float(f, _) => resolve::format_g(*f, true),
        Go::Bool(b) => b.to_string(),
        Go::Uint(u, _) => {
            return Err(format!(
                "unsupported map key {u}: integer keys must fit in 64-bit signed integers"
            ))
        }
        Go::Null(_) => {
            return Err("unsupported map key: a key cannot be null (`~`, `null` or empty)".into())
        }
        Go::Seq(_) | Go::Map(_) => {
            return Err("invalid map key: a map or a list cannot be a key".into())
        }
    })
}

fn go_line(v: &Go) -> Option<usize> {
    match v {
        Go::Null(l) | Go::Uint(_, l) | Go::Float(_, l) => Some(*l),
        _ => None,
    }
}

/// go-yaml v2's decoder into `interface{}`.
struct Decoder<'n> {
    nodes: &'n [Node],
    decode_count: u64,
    alias_count: u64,
    alias_depth: u32,
    active_aliases: HashSet<usize>,
    /// Lines recorded in document order (later entries win).
    lines: Option<Lines>,
    /// The path being decoded, as nodes of `lines` (`usize::MAX` where nothing is recorded).
    path: Vec<usize>,
    /// Recording is off inside aliases and merges.
    quiet: u32,
    line_offset: usize,
}

impl Decoder<'_> {
    fn record(&mut self, line: usize) {
        if self.quiet == 0 {
            let at = self.path.last().copied().unwrap_or(Lines::ROOT);
            if let Some(l) = self.lines.as_mut() {
                if at != usize::MAX {
                    l.set(at, line + 1 + self.line_offset);
                }
            }
        }
    }

    /// Steps into `key` of the path (only while lines are recorded).
    fn enter(&mut self, key: impl FnOnce() -> String) {
        let at = self.path.last().copied().unwrap_or(Lines::ROOT);
        let next = match self.lines.as_mut() {
            Some(l) if self.quiet == 0 && at != usize::MAX => l.child_or_insert(at, key()),
            _ => usize::MAX,
        };
        self.path.push(next);
    }

    fn tick(&mut self, line: usize) -> Result<(), Fail> {
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        let (a, d) = (self.alias_count, self.decode_count);
        if a > 100 && d > 1000 {
            let allowed = if d <= 400_000 {
                0.99
            } else if d >= 4_000_000 {
                0.10
            } else {
                0.99 - 0.89 * ((d - 400_000) as f64 / 3_600_000.0)
            };
            if a as f64 / d as f64 > allowed {
                return Err(Fail::at(line, "yaml: document contains excessive aliasing"));
            }
        }
        Ok(())
    }

    fn unmarshal(&mut self, n: usize) -> Result<Go, Fail> {
        let node = &self.nodes[n];
        self.tick(node.line)?;
        match node.kind {
            NodeKind::Alias => self.alias(n),
            NodeKind::Scalar => self.scalar(n),
            NodeKind::Seq => {
                let mut items = Vec::with_capacity(node.children.len());
                for (i, &c) in node.children.iter().enumerate() {
                    if self.lines.is_some() {
                        self.enter(|| i.to_string());
                        self.record(self.nodes[c].line);
                    }
                    let v = self.unmarshal(c)?;
                    if self.lines.is_some() {
                        self.path.pop();
                    }
                    items.push(v);
                }
                Ok(Go::Seq(items))
            }
            NodeKind::Map => {
                let mut m = GoMap::default();
                self.mapping_into(n, &mut m)?;
                Ok(Go::Map(Box::new(m)))
            }
        }
    }

    fn alias(&mut self, n: usize) -> Result<Go, Fail> {
        let node = &self.nodes[n];
        if self.active_aliases.contains(&n) {
            return Err(Fail::at(
                node.line,
                format!("yaml: anchor '{}' value contains itself", node.value),
            ));
        }
        self.active_aliases.insert(n);
        self.alias_depth += 1;
        self.quiet += 1;
        let r = self.unmarshal(node.alias);
        self.quiet -= 1;
        self.alias_depth -= 1;
        self.active_aliases.remove(&n);
        r
    }

    /// Decodes mapping node `n` into `out` (go-yaml's `d.mapping`, also used by merges).
    fn mapping_into(&mut self, n: usize, out: &mut GoMap) -> Result<(), Fail> {
        let children = &self.nodes[n].children;
        let mut i = 0;
        while i + 1 < children.len() {
            let (kn, vn) = (children[i], children[i + 1]);
            i += 2;
            let key = &self.nodes[kn];
            if key.kind == NodeKind::Scalar
                && key.value == "<<"
                && (key.implicit || key.tag == "tag:yaml.org,2002:merge")
            {
                let merge_line = key.line;
                let before = out.entries.len();
                let mut merged = Vec::new();
                self.quiet += 1;
                let r = self.merge(vn, out, &mut merged);
                self.quiet -= 1;
                r?;
                let _ = before;
                if self.lines.is_some() && self.quiet == 0 {
                    for k in merged {
                        self.enter(|| k);
                        self.record(merge_line);
                        self.path.pop();
                    }
                }
                continue;
            }
            let k = self.unmarshal(kn)?;
            if matches!(k, Go::Seq(_) | Go::Map(_)) {
                return Err(Fail::at(
                    key.line,
                    "yaml: invalid map key: a map or a list cannot be a key",
                ));
            }
            let recording = self.lines.is_some() && self.quiet == 0;
            if recording {
                self.enter(|| key_string(&k).unwrap_or_else(|_| String::from("?")));
                self.record(key.line);
            }
            let v = self.unmarshal(vn)?;
            if recording {
                self.path.pop();
            }
            out.set(k, v);
        }
        Ok(())
    }

    /// go-yaml's `d.merge`; `merged` collects the keys set (for their lines).
    fn merge(&mut self, n: usize, out: &mut GoMap, merged: &mut Vec<String>) -> Result<(), Fail> {
        const WANT: &str = "yaml: map merge requires map or sequence of maps as the value";
        let node = &self.nodes[n];
        let line = node.line;
        let is_map = |d: &Self, i: usize| {
            let x = &d.nodes[i];
            match x.kind {
                NodeKind::Map => true,
                NodeKind::Alias => d.nodes[x.alias].kind == NodeKind::Map,
                _ => false,
            }
        };
        let targets: Vec<usize> = match node.kind {
            NodeKind::Map => vec![n],
            NodeKind::Alias => {
                if !is_map(self, n) {
                    return Err(Fail::at(line, WANT));
                }
                vec![n]
            }
            NodeKind::Seq => {
                let mut t = Vec::new();
                for &c in node.children.iter().rev() {
                    if !is_map(self, c) {
                        return Err(Fail::at(self.nodes[c].line, WANT));
                    }
                    t.push(c);
                }
                t
            }
            NodeKind::Scalar => return Err(Fail::at(line, WANT)),
        };
        for t in targets {
            // d.unmarshal(t, out): counted, aliases followed, then decoded into `out`.
            self.tick(self.nodes[t].line)?;
            let mut target = t;
            let mut alias_node = None;
            if self.nodes[t].kind == NodeKind::Alias {
                if self.active_aliases.contains(&t) {
                    return Err(Fail::at(
                        self.nodes[t].line,
                        format!(
                            "yaml: anchor '{}' value contains itself",
                            self.nodes[t].value
                        ),
                    ));
                }
                self.active_aliases.insert(t);
                self.alias_depth += 1;
                alias_node = Some(t);
                target = self.nodes[t].alias;
                self.tick(self.nodes[target].line)?;
            }
            let before: HashSet<usize> = HashSet::default();
            let _ = before;
            let mut tmp = GoMap::default();
            std::mem::swap(&mut tmp, out);
            let r = self.mapping_into(target, &mut tmp);
            std::mem::swap(&mut tmp, out);
            if let Some(a) = alias_node {
                self.alias_depth -= 1;
                self.active_aliases.remove(&a);
            }
            r?;
            // The keys of the merged map (for lines): those its own entries set.
            if self.lines.is_none() {
                continue;
            }
            for &c in self.nodes[target].children.iter().step_by(2) {
                let kn = &self.nodes[c];
                if kn.kind == NodeKind::Scalar {
                    if let Ok(k) = self
                        .scalar(c)
                        .and_then(|g| key_string(&g).map_err(|m| Fail::at(0, m)))
                    {
                        merged.push(k);
                    }
                }
            }
        }
        Ok(())
    }

    /// go-yaml's `d.scalar` into `interface{}`.
    fn scalar(&self, n: usize) -> Result<Go, Fail> {
        let node = &self.nodes[n];
        let line = node.line;
        let value = &node.value;
        if node.tag.is_empty() {
            if !node.implicit {
                return Ok(Go::Str(value.clone()));
            }
            return Ok(go_of(resolve::resolve_plain(value).1, line));
        }
        let want = match node.tag.strip_prefix("tag:yaml.org,2002:") {
            Some("str") => return Ok(Go::Str(value.clone())),
            Some("binary") => {
                return decode_base64(value).map(Go::Str).ok_or_else(|| {
                    Fail::at(line, "yaml: !!binary value contains invalid base64 data")
                })
            }
            Some("bool") => Kind::Bool,
            Some("int") => Kind::Int,
            Some("float") => Kind::Float,
            Some("null") => Kind::Null,
            Some("timestamp") => Kind::Timestamp,
            // Any other tag (custom ones, `!`, `!!map` on a scalar...) leaves the text a string.
            _ => return Ok(Go::Str(value.clone())),
        };
        let (kind, s) = if want == Kind::Timestamp && resolve::is_timestamp(value) {
            (Kind::Timestamp, Scalar::Str(value.clone()))
        } else {
            resolve::resolve_plain(value)
        };
        if kind == want {
            return Ok(go_of(s, line));
        }
        // go-yaml converts an int (not a uint64) to a float for `!!float`.
        if want == Kind::Float && kind == Kind::Int {
            if let Scalar::Int(i) = s {
                return Ok(Go::Float(i as f64, line));
            }
        }
        Err(Fail::at(
            line,
            format!(
                "yaml: cannot decode {} `{}` as a {}",
                kind.short(),
                value,
                want.short()
            ),
        ))
    }
}

fn go_of(s: Scalar, line: usize) -> Go {
    match s {
        Scalar::Null => Go::Null(line),
        Scalar::Bool(b) => Go::Bool(b),
        Scalar::Int(i) => Go::Int(i),
        Scalar::Uint(u) => Go::Uint(u, line),
        Scalar::Float(f) => Go::Float(f, line),
        Scalar::Str(s) => Go::Str(s),
    }
}

/// sigs.k8s.io/yaml's `convertToJSONableObject` and `json.Marshal`'s refusals.
fn to_json(v: Go) -> Result<Value, Fail> {
    Ok(match v {
        Go::Null(_) => Value::Null,
        Go::Bool(b) => Value::Bool(b),
        Go::Str(s) => Value::String(s),
        Go::Int(i) => number(i as f64, 0)?,
        Go::Uint(u, l) => number(u as f64, l)?,
        Go::Float(f, l) => number(f, l)?,
        Go::Seq(items) => Value::Array(items.into_iter().map(to_json).collect::<Result<_, _>>()?),
        Go::Map(m) => {
            let mut out = Map::new();
            for (k, v) in m.entries {
                let line = go_line(&k).unwrap_or(0);
                let ks = key_string(&k).map_err(|m| Fail::at(line, m))?;
                out.insert(ks, to_json(v)?);
            }
            Value::Object(out)
        }
    })
}

/// encoding/json's decoder (sigs.k8s.io/yaml decodes the JSON it made) refuses nesting deeper
/// than 10,000 levels, naming the first bracket past the limit in the text's order.
fn check_depth(v: &Value) -> Result<(), Fail> {
    const MAX: usize = 10_000;
    fn first_too_deep(v: &Value, depth: usize) -> Option<char> {
        let (open, inner): (char, Vec<&Value>) = match v {
            Value::Array(items) => ('[', items.iter().collect()),
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                ('{', keys.into_iter().filter_map(|k| m.get(k)).collect())
            }
            _ => return None,
        };
        if depth > MAX {
            return Some(open);
        }
        inner.into_iter().find_map(|c| first_too_deep(c, depth + 1))
    }
    fn depth_of(v: &Value) -> usize {
        match v {
            Value::Array(items) => 1 + items.iter().map(depth_of).max().unwrap_or(0),
            Value::Object(m) => 1 + m.values().map(depth_of).max().unwrap_or(0),
            _ => 0,
        }
    }
    if depth_of(v) <= MAX {
        return Ok(());
    }
    let c = first_too_deep(v, 1).unwrap_or('[');
    Err(Fail::at(
        0,
        format!("error unmarshaling JSON: while decoding JSON: invalid character '{c}' exceeded max depth"),
    ))
}

fn number(f: f64, line: usize) -> Result<Value, Fail> {
    serde_json::Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| {
            let what = if f.is_nan() {
                "NaN (.nan)"
            } else if f > 0.0 {
                "+Inf (.inf)"
            } else {
                "-Inf (-.inf)"
            };
            Fail::at(
                line,
                format!(
                    "unsupported value {what}: JSON has no infinity or NaN, so Helm refuses it"
                ),
            )
        })
}

/// Go's `base64.StdEncoding.DecodeString` (padding required; `\r` and `\n` skipped), the bytes
/// then made a string as encoding/json would (each invalid UTF-8 byte becomes U+FFFD).
fn decode_base64(text: &str) -> Option<String> {
    use base64::Engine;
    let clean: Vec<u8> = text
        .bytes()
        .filter(|b| *b != b'\n' && *b != b'\r')
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(clean)
        .ok()?;
    Some(crate::gojson::lossy_utf8(&bytes))
}

/// Runs `f` on a thread with a stack large enough for 10,000 levels of nesting when `depth`
/// asks for it (the decoding and converting steps recurse once per level).
fn with_stack<T: Send>(depth: usize, f: impl FnOnce() -> T + Send) -> T {
    if depth < DEEP {
        return f();
    }
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size((64 << 20) + depth * 4096)
            .spawn_scoped(s, f)
            .map(|h| h.join())
    })
    .ok()
    .and_then(|r| r.ok())
    .unwrap_or_else(|| panic!("the YAML decoder's thread failed"))
}

/// Parses documents of `text`: only the first when `all` is false (go-yaml's `Unmarshal` never
/// looks past it). `line_offset` is added to every line reported.
pub(crate) fn load(
    text: &[u8],
    file: &str,
    line_offset: usize,
    all: bool,
    want_lines: bool,
) -> Result<(Vec<Value>, Lines), YamlError> {
    let fail = |f: Fail| {
        let converting = f.message.starts_with("yaml: ");
        let helm = converting || f.message.starts_with("error unmarshaling JSON");
        YamlError {
            file: file.to_string(),
            line: f.line + 1 + line_offset,
            message: if converting {
                format!("error converting YAML to JSON: {}", f.message)
            } else {
                f.message
            },
            helm,
        }
    };
    // go-yaml reads an empty input as a single line break.
    let input: &[u8] = if text.is_empty() { b"\n" } else { text };
    let mut composer = Composer {
        parser: Parser::new(input),
        nodes: Vec::new(),
        anchors: HashMap::default(),
        pending: None,
        init: false,
    };
    let mut docs = Vec::new();
    let mut lines = want_lines.then(Lines::new);
    loop {
        let start = composer.nodes.len();
        let Some((root, depth)) = composer.document().map_err(fail)? else {
            break;
        };
        let nodes = &composer.nodes;
        let (go, doc_lines) = with_stack(depth, || -> Result<_, Fail> {
            let mut d = Decoder {
                nodes,
                decode_count: 0,
                alias_count: 0,
                alias_depth: 0,
                active_aliases: HashSet::default(),
                lines: lines.take(),
                path: Vec::new(),
                quiet: 0,
                line_offset,
            };
            // The document node itself is one decode step.
            d.tick(0)?;
            if d.lines.is_some() {
                d.record(nodes[root].line);
            }
            let go = d.unmarshal(root)?;
            Ok((go, d.lines.take()))
        })
        .map_err(fail)?;
        if !all {
            // Only the value is needed now: free the composed nodes before converting it.
            composer.nodes = Vec::new();
        }
        let value = with_stack(depth, || -> Result<_, Fail> {
            let json = to_json(go)?;
            check_depth(&json)?;
            Ok(json)
        })
        .map_err(fail)?;
        let _ = start;
        docs.push(value);
        lines = doc_lines;
        if !all {
            break;
        }
    }
    Ok((docs, lines.unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Result<Value, YamlError> {
        load(text.as_bytes(), "t", 0, false, false)
            .map(|(d, _)| d.into_iter().next().unwrap_or(Value::Null))
    }

    #[test]
    fn messages_and_lines_are_go_yamls() {
        for (text, msg) in [
            (
                "a: 1\n\t\nb: 2\n",
                "yaml: line 2: found a tab character that violates indentation",
            ),
            (
                "a:\n  - x\n  -\ty\n",
                "yaml: line 3: found character that cannot start any token",
            ),
            (
                "a: |\n \tx\n",
                "yaml: line 2: found a tab character where an indentation space is expected",
            ),
            (
                "a: x \u{2028}y\n",
                "yaml: line 3: could not find expected ':'",
            ),
            (
                "a: {b\n: 1}\n",
                "yaml: line 1: did not find expected ',' or '}'",
            ),
            ("...\na: 1\n", "yaml: did not find expected node content"),
            (
                "a: &x.y 1\n",
                "yaml: did not find expected alphabetic or numeric character",
            ),
            (
                "a: {x: |y}\n",
                "yaml: found character that cannot start any token",
            ),
            ("a: [x?y]\n", "yaml: did not find expected ',' or ']'"),
            ("a: *nope\n", "yaml: unknown anchor 'nope' referenced"),
            ("a: &x [*x]\n", "yaml: anchor 'x' value contains itself"),
        ] {
            match one(text) {
                Ok(v) => panic!("{text:?} parsed as {v}"),
                Err(e) => assert_eq!(
                    e.message.strip_prefix("error converting YAML to JSON: "),
                    Some(msg),
                    "{text:?}"
                ),
            }
        }
    }

    #[test]
    fn invalid_utf8_is_refused_as_go_yaml_does() {
        let e = load(b"a: \"x\xffy\"\n", "t", 0, false, false).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t: error converting YAML to JSON: yaml: invalid leading UTF-8 octet"
        );
    }
}
