//! The reader: yaml-rust2's event parser, with scalars resolved and collections built the way
//! go-yaml v2 decodes into `interface{}` and sigs.k8s.io/yaml then converts to JSON (keys become
//! strings, every number a float64, `.inf`/`.nan` refused).

use super::resolve::{self, Kind, Scalar};
use super::{Lines, YamlError};
use crate::{Map, Value};
use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

const MAX_DEPTH: usize = 10_000;

/// What an anchor stands for, for later aliases.
#[derive(Clone)]
enum Anchored {
    /// The anchored collection is still open: an alias to it is a cycle.
    Open,
    Done {
        node: Node,
        /// How many decode steps the anchored node took (go-yaml's alias-expansion accounting).
        size: u64,
    },
}

/// A decoded node: scalars keep their resolved type until we know whether they are a key.
#[derive(Clone)]
enum Node {
    Scalar(Scalar),
    Tree(Value),
}

enum PendingKey {
    Key(String),
    Merge,
}

enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
        start: u64,
    },
    Map {
        map: Map,
        anchor: usize,
        start: u64,
        key: Option<PendingKey>,
        /// Line of the current key (for merged entries' lines).
        key_line: usize,
    },
}

struct Loader<'a> {
    file: &'a str,
    /// The text parsed, and a cursor mapping yaml-rust2's character offsets to byte offsets.
    text: &'a str,
    cursor: (usize, usize),
    /// Added to yaml-rust2's lines (for documents cut out of a larger file).
    line_offset: usize,
    anchors: HashMap<usize, Anchored>,
    /// Anchor names by id are not kept by yaml-rust2; errors name the line instead.
    /// Lines recorded in document order; made a map at the end (bulk-building a BTreeMap from
    /// a sorted list is much cheaper than inserting as we go; later entries win).
    lines: Option<Vec<(Vec<String>, usize)>>,
    path: Vec<String>,
    decode_count: u64,
    alias_count: u64,
}

fn err(file: &str, line: usize, message: impl Into<String>) -> YamlError {
    YamlError {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

impl Loader<'_> {
    /// The byte offset of character `index` (markers count characters). Events come in order,
    /// so the cursor only moves forward in practice.
    fn byte_offset(&mut self, index: usize) -> usize {
        let (mut ci, mut bi) = self.cursor;
        if index < ci {
            (ci, bi) = (0, 0);
        }
        let bytes = self.text.as_bytes();
        while ci < index && bi < bytes.len() {
            bi += super::emit_width(bytes[bi]);
            ci += 1;
        }
        self.cursor = (ci, bi.min(bytes.len()));
        self.cursor.1
    }

    /// libyaml (YAML 1.1) has no `\/` escape, yaml-rust2 (YAML 1.2) has: refuse it as go-yaml does.
    fn check_double_quoted(&mut self, mark: &Marker, line: usize) -> Result<(), YamlError> {
        let start = self.byte_offset(mark.index());
        let b = self.text.as_bytes();
        if b.get(start) != Some(&b'"') {
            return Ok(());
        }
        let mut i = start + 1;
        while i < b.len() {
            match b[i] {
                b'\\' => {
                    if b.get(i + 1) == Some(&b'/') {
                        return Err(err(
                            self.file,
                            line,
                            "invalid YAML: found unknown escape character `\\/` in a double-quoted string (YAML 1.1 has no such escape; write `/`)",
                        ));
                    }
                    i += 2;
                }
                b'"' => break,
                _ => i += 1,
            }
        }
        Ok(())
    }

    fn line(&self, m: &Marker) -> usize {
        m.line() + self.line_offset
    }

    fn scan_error(&self, e: &ScanError) -> YamlError {
        let mut msg = e.info().to_string();
        if msg == "unexpected eof" || msg.ends_with("unexpected end of stream") {
            msg = "unexpected end of the file (an unclosed quote, bracket or brace?)".into();
        }
        let line = if e.marker().line() == 0 {
            1
        } else {
            e.marker().line()
        };
        err(
            self.file,
            line + self.line_offset,
            format!("invalid YAML: {msg}"),
        )
    }

    /// go-yaml v2's guard against alias bombs ("billion laughs").
    fn tick(&mut self, n: u64, aliased: u64, line: usize) -> Result<(), YamlError> {
        self.decode_count += n;
        self.alias_count += aliased;
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
                return Err(err(
                    self.file,
                    line,
                    "the document contains excessive aliasing (aliases expand to too much data)",
                ));
            }
        }
        Ok(())
    }

    fn record_line(&mut self, line: usize) {
        if let Some(lines) = self.lines.as_mut() {
            lines.push((self.path.clone(), line));
        }
    }

    /// Decodes one document whose `DocumentStart` was just read; returns its root.
    fn document(
        &mut self,
        parser: &mut Parser<std::str::Chars<'_>>,
    ) -> Result<(Value, usize), (YamlError, usize)> {
        let mut at = 0;
        self.document_inner(parser, &mut at).map_err(|e| (e, at))
    }

    fn document_inner(
        &mut self,
        parser: &mut Parser<std::str::Chars<'_>>,
        at: &mut usize,
    ) -> Result<(Value, usize), YamlError> {
        self.anchors.clear();
        self.decode_count = 1; // the document node itself
        self.alias_count = 0;
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            let (ev, mark) = parser.next_token().map_err(|e| {
                *at = e.marker().index();
                self.scan_error(&e)
            })?;
            *at = mark.index();
            let line = self.line(&mark);
            // A node that starts here: where does it stand?
            let starts_node = matches!(
                ev,
                Event::Scalar(..)
                    | Event::Alias(_)
                    | Event::SequenceStart(..)
                    | Event::MappingStart(..)
            );
            let is_key = matches!(stack.last(), Some(Frame::Map { key: None, .. }));
            if starts_node && self.lines.is_some() {
                match stack.last() {
                    Some(Frame::Seq { items, .. }) => {
                        self.path.push(items.len().to_string());
                        self.record_line(line);
                    }
                    None => self.record_line(line),
                    _ => {}
                }
            }
            let done: Node = match ev {
                Event::Scalar(value, style, anchor, tag) => {
                    self.tick(1, 0, line)?;
                    if style == TScalarStyle::DoubleQuoted && value.contains('/') {
                        self.check_double_quoted(&mark, line)?;
                    }
                    let s = self.scalar(value, style, tag.as_ref(), line)?;
                    let node = Node::Scalar(s);
                    if anchor > 0 {
                        self.anchors.insert(
                            anchor,
                            Anchored::Done {
                                node: node.clone(),
                                size: 1,
                            },
                        );
                    }
                    if is_key && is_merge_key(&node, style, tag.as_ref()) {
                        if let Some(Frame::Map { key, key_line, .. }) = stack.last_mut() {
                            *key = Some(PendingKey::Merge);
                            *key_line = line;
                        }
                        if self.lines.is_some() {
                            self.path.push("<<".into());
                        }
                        continue;
                    }
                    node
                }
                Event::Alias(id) => {
                    self.tick(1, 0, line)?;
                    match self.anchors.get(&id) {
                        Some(Anchored::Done { node, size }) => {
                            let (node, size) = (node.clone(), *size);
                            self.tick(size, size, line)?;
                            node
                        }
                        Some(Anchored::Open) => {
                            return Err(err(
                                self.file,
                                line,
                                "an alias refers to the anchored value it is part of (the value would contain itself)",
                            ))
                        }
                        None => {
                            return Err(err(self.file, line, "an alias refers to an unknown anchor"))
                        }
                    }
                }
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    self.tick(1, 0, line)?;
                    if stack.len() >= MAX_DEPTH {
                        return Err(err(
                            self.file,
                            line,
                            format!("exceeded max depth of {MAX_DEPTH}"),
                        ));
                    }
                    if anchor > 0 {
                        self.anchors.insert(anchor, Anchored::Open);
                    }
                    let start = self.decode_count - 1;
                    stack.push(if matches!(ev, Event::SequenceStart(..)) {
                        Frame::Seq {
                            items: Vec::new(),
                            anchor,
                            start,
                        }
                    } else {
                        Frame::Map {
                            map: Map::new(),
                            anchor,
                            start,
                            key: None,
                            key_line: line,
                        }
                    });
                    continue;
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(frame) = stack.pop() else {
                        return Err(err(self.file, line, "invalid YAML: unbalanced collection"));
                    };
                    let (value, anchor, start) = match frame {
                        Frame::Seq {
                            items,
                            anchor,
                            start,
                        } => (Value::Array(items), anchor, start),
                        Frame::Map {
                            map, anchor, start, ..
                        } => (Value::Object(map), anchor, start),
                    };
                    let node = Node::Tree(value);
                    if anchor > 0 {
                        self.anchors.insert(
                            anchor,
                            Anchored::Done {
                                node: node.clone(),
                                size: self.decode_count - start,
                            },
                        );
                    }
                    node
                }
                Event::DocumentEnd
                | Event::StreamEnd
                | Event::DocumentStart
                | Event::StreamStart
                | Event::Nothing => {
                    return Err(err(
                        self.file,
                        line,
                        "invalid YAML: unexpected end of document",
                    ));
                }
            };
            // Deliver the finished node to its parent.
            match stack.last_mut() {
                None => {
                    return Ok((self.value_of(done, line)?, mark.index()));
                }
                Some(Frame::Seq { items, .. }) => {
                    let v = self.value_of(done, line)?;
                    items.push(v);
                    if self.lines.is_some() {
                        self.path.pop();
                    }
                }
                Some(Frame::Map {
                    map, key, key_line, ..
                }) => match key.take() {
                    None => {
                        let k = self.key_of(done, line)?;
                        if self.lines.is_some() {
                            self.path.push(k.clone());
                            self.record_line(line);
                        }
                        *key = Some(PendingKey::Key(k));
                        *key_line = line;
                    }
                    Some(PendingKey::Key(k)) => {
                        let v = self.value_of(done, line)?;
                        map.insert(k, v);
                        if self.lines.is_some() {
                            self.path.pop();
                        }
                    }
                    Some(PendingKey::Merge) => {
                        let merge_line = *key_line;
                        if self.lines.is_some() {
                            self.path.pop();
                        }
                        let added =
                            merge_into(map, done).map_err(|m| err(self.file, merge_line, m))?;
                        if let Some(lines) = self.lines.as_mut() {
                            for k in added {
                                let mut p = self.path.clone();
                                p.push(k);
                                lines.push((p, merge_line));
                            }
                        }
                    }
                },
            }
        }
    }

    /// Resolves a scalar event as go-yaml v2's decoder does.
    fn scalar(
        &self,
        value: String,
        style: TScalarStyle,
        tag: Option<&Tag>,
        line: usize,
    ) -> Result<Scalar, YamlError> {
        let Some(tag) = tag else {
            return Ok(if style == TScalarStyle::Plain {
                resolve::resolve_plain(&value).1
            } else {
                Scalar::Str(value)
            });
        };
        let full = format!("{}{}", tag.handle, tag.suffix);
        let want = match full.strip_prefix("tag:yaml.org,2002:") {
            Some("str") => return Ok(Scalar::Str(value)),
            Some("binary") => {
                return decode_base64(&value).map(Scalar::Str).ok_or_else(|| {
                    err(
                        self.file,
                        line,
                        "!!binary value contains invalid base64 data",
                    )
                })
            }
            Some("bool") => Kind::Bool,
            Some("int") => Kind::Int,
            Some("float") => Kind::Float,
            Some("null") => Kind::Null,
            Some("timestamp") => Kind::Timestamp,
            // Any other tag (custom ones, `!`, `!!map` on a scalar...) leaves the text a string.
            _ => return Ok(Scalar::Str(value)),
        };
        let (kind, s) = if want == Kind::Timestamp {
            if resolve::is_timestamp(&value) {
                (Kind::Timestamp, Scalar::Str(value.clone()))
            } else {
                let (k, s) = resolve::resolve_plain(&value);
                // resolve() only tries timestamps for untagged or !!timestamp scalars, which we are.
                (k, s)
            }
        } else {
            resolve::resolve_plain(&value)
        };
        if kind == want {
            return Ok(s);
        }
        // go-yaml converts an int (not a uint64) to a float for `!!float`.
        if want == Kind::Float && kind == Kind::Int {
            if let Scalar::Int(i) = s {
                return Ok(Scalar::Float(i as f64));
            }
        }
        Err(err(
            self.file,
            line,
            format!(
                "cannot decode {} `{}` as a {}",
                kind.short(),
                value,
                want.short()
            ),
        ))
    }

    fn value_of(&self, node: Node, line: usize) -> Result<Value, YamlError> {
        match node {
            Node::Tree(v) => Ok(v),
            Node::Scalar(s) => scalar_value(s).map_err(|m| err(self.file, line, m)),
        }
    }

    fn key_of(&self, node: Node, line: usize) -> Result<String, YamlError> {
        match node {
            Node::Tree(_) => Err(err(
                self.file,
                line,
                "invalid map key: a map or a list cannot be a key",
            )),
            Node::Scalar(s) => match s {
                Scalar::Str(s) => Ok(s),
                Scalar::Bool(b) => Ok(b.to_string()),
                Scalar::Int(i) => Ok(i.to_string()),
                Scalar::Float(f) => Ok(resolve::format_g(f, true)),
                Scalar::Uint(u) => Err(err(
                    self.file,
                    line,
                    format!(
                        "unsupported map key {u}: integer keys must fit in 64-bit signed integers"
                    ),
                )),
                Scalar::Null => Err(err(
                    self.file,
                    line,
                    "unsupported map key: a key cannot be null (`~`, `null` or empty)",
                )),
            },
        }
    }
}

fn is_merge_key(node: &Node, style: TScalarStyle, tag: Option<&Tag>) -> bool {
    let Node::Scalar(Scalar::Str(s)) = node else {
        return false;
    };
    if s != "<<" {
        return false;
    }
    match tag {
        None => style == TScalarStyle::Plain,
        Some(t) => t.handle == "tag:yaml.org,2002:" && t.suffix == "merge",
    }
}

/// Merges the value of a `<<` key into `map` (go-yaml v2: applied where the key stands, later keys
/// override it; in a list of maps the earlier maps take precedence). Returns the keys set.
fn merge_into(map: &mut Map, node: Node) -> Result<Vec<String>, String> {
    const WANT: &str = "map merge requires map or sequence of maps as the value";
    let mut added = Vec::new();
    match node {
        Node::Tree(Value::Object(m)) => {
            for (k, v) in m {
                added.push(k.clone());
                map.insert(k, v);
            }
        }
        Node::Tree(Value::Array(items)) => {
            if !items.iter().all(Value::is_object) {
                return Err(WANT.into());
            }
            for item in items.into_iter().rev() {
                if let Value::Object(m) = item {
                    for (k, v) in m {
                        added.push(k.clone());
                        map.insert(k, v);
                    }
                }
            }
        }
        _ => return Err(WANT.into()),
    }
    Ok(added)
}

/// A resolved scalar as a JSON value (what encoding/json makes of it).
fn scalar_value(s: Scalar) -> Result<Value, String> {
    let f = match s {
        Scalar::Null => return Ok(Value::Null),
        Scalar::Bool(b) => return Ok(Value::Bool(b)),
        Scalar::Str(s) => return Ok(Value::String(s)),
        Scalar::Int(i) => i as f64,
        Scalar::Uint(u) => u as f64,
        Scalar::Float(f) => f,
    };
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
            format!("unsupported value {what}: JSON has no infinity or NaN, so Helm refuses it")
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
    Some(go_lossy_utf8(&bytes))
}

pub(crate) fn go_lossy_utf8(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let good = e.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..good]).unwrap_or_default());
                out.push('\u{FFFD}');
                rest = &rest[good + 1..];
            }
        }
    }
    out
}

/// The first character libyaml refuses ("control characters are not allowed"), with its byte
/// offset and its character offset: everything but TAB, LF, CR, printable ASCII, NEL, U+00A0–U+D7FF, U+E000–U+FFFD and
/// the supplementary planes.
fn first_forbidden_char(text: &str) -> Option<(usize, usize, char)> {
    let bytes = text.as_bytes();
    // Fast path over ASCII.
    let mut i = 0;
    let mut ci = 0;
    while i < bytes.len() {
        let b = bytes[i];
        ci += 1;
        if b < 0x80 {
            if !(b == 0x09 || b == 0x0A || b == 0x0D || (0x20..=0x7E).contains(&b)) {
                return Some((i, ci - 1, b as char));
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next()?;
        let u = c as u32;
        let ok = u == 0x85
            || (0xA0..=0xD7FF).contains(&u)
            || (0xE000..=0xFFFD).contains(&u)
            || u >= 0x10000;
        if !ok {
            return Some((i, ci - 1, c));
        }
        i += c.len_utf8();
    }
    None
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Parses documents of `text`: only the first when `all` is false (go-yaml's `Unmarshal` never
/// looks past it). `line_offset` is added to every line reported.
pub(crate) fn load(
    text: &str,
    file: &str,
    line_offset: usize,
    all: bool,
    want_lines: bool,
) -> Result<(Vec<Value>, Lines), YamlError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    // libyaml (YAML 1.1) reads NEL (U+0085) as a line break, exactly as it reads LF; yaml-rust2
    // (YAML 1.2) takes it for an ordinary character.
    let nel_free;
    let text = if text.contains('\u{85}') {
        nel_free = text.replace('\u{85}', "\n");
        nel_free.as_str()
    } else {
        text
    };
    // Where yaml-rust2 (YAML 1.2) is stricter than libyaml (YAML 1.1) in ways that do not change
    // the data, the text is adjusted and read again (line numbers never move):
    // - continuation lines of a quoted scalar, or lines of a flow collection, indented less than
    //   the enclosing block: libyaml accepts them, and their leading blanks are folded away;
    // - the `\'` escape in a double-quoted scalar: libyaml reads it as `'`.
    let mut owned: Option<String> = None;
    let mut tries = 0;
    loop {
        let cur = owned.as_deref().unwrap_or(text);
        tries += 1;
        match load_once(cur, file, line_offset, all, want_lines) {
            Err((e, at)) if tries < 10_000 => match libyaml_leniency(cur, &e.message, at) {
                Some(next) => owned = Some(next),
                None => return Err(e),
            },
            other => return other.map_err(|(e, _)| e),
        }
    }
}

fn libyaml_leniency(cur: &str, message: &str, at: usize) -> Option<String> {
    let start = cur.char_indices().nth(at).map(|(b, _)| b)?;
    if message.contains("invalid indentation in quoted scalar") {
        quoted_scalar_fix(cur, start, true)
    } else if message.contains("unknown escape character") {
        quoted_scalar_fix(cur, start, false)
    } else if message.contains("invalid indentation in flow construct")
        // yaml-rust2 says only this for a token of a flow collection left of the block indent.
        || message.ends_with("invalid indentation")
    {
        let line = cur[..start].rfind('\n').map_or(0, |i| i + 1);
        Some(format!(
            "{}{}{}",
            &cur[..line],
            " ".repeat(256),
            &cur[line..]
        ))
    } else {
        None
    }
}

/// The quoted scalar starting at byte `start` of `cur`, fixed: `indent` adds 256 spaces to each
/// continuation line, otherwise each `\'` of a double-quoted scalar becomes `'`. None when there
/// is no such scalar there or nothing to change.
fn quoted_scalar_fix(cur: &str, start: usize, indent: bool) -> Option<String> {
    let b = cur.as_bytes();
    let quote = *b.get(start)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    // (byte offset, bytes to drop, whether to insert the padding)
    let mut edits: Vec<(usize, usize, bool)> = Vec::new();
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if quote == b'"' => {
                if !indent && b.get(i + 1) == Some(&b'\'') {
                    edits.push((i, 1, false));
                }
                i += 1;
            }
            b'\'' if quote == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 1,
            c if c == quote => break,
            b'\n' if indent => edits.push((i + 1, 0, true)),
            _ => {}
        }
        i += 1;
    }
    if edits.is_empty() {
        return None;
    }
    let pad = " ".repeat(256);
    let mut out = String::with_capacity(cur.len() + edits.len() * pad.len());
    let mut last = 0;
    for (at, drop, insert) in edits {
        out.push_str(&cur[last..at]);
        if insert {
            out.push_str(&pad);
        }
        last = at + drop;
    }
    out.push_str(&cur[last..]);
    Some(out)
}

fn load_once(
    text: &str,
    file: &str,
    line_offset: usize,
    all: bool,
    want_lines: bool,
) -> Result<(Vec<Value>, Lines), (YamlError, usize)> {
    let mut loader = Loader {
        file,
        text,
        cursor: (0, 0),
        line_offset,
        anchors: HashMap::new(),
        lines: want_lines.then(Vec::new),
        path: Vec::new(),
        decode_count: 0,
        alias_count: 0,
    };
    // yaml-rust2 is not known to panic, but a panic must never escape the reader.
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&mut loader, text, all)))
            .unwrap_or_else(|_| {
                Err((
                    err(
                        file,
                        1 + line_offset,
                        "invalid YAML: the parser failed on this input",
                    ),
                    0,
                ))
            });
    // libyaml refuses control characters as it reads; report one if it lies in what was read.
    let read_up_to = match &result {
        Ok((_, end)) => *end,
        Err((_, at)) => *at,
    };
    if let Some((at, char_at, c)) = first_forbidden_char(text) {
        if char_at <= read_up_to {
            return Err((
                err(
                    file,
                    line_of(text, at) + line_offset,
                    format!(
                        "invalid YAML: control characters are not allowed (found U+{:04X})",
                        c as u32
                    ),
                ),
                char_at,
            ));
        }
    }
    match result {
        Ok((docs, _)) => Ok((
            docs,
            loader
                .lines
                .take()
                .unwrap_or_default()
                .into_iter()
                .collect(),
        )),
        Err(e) => Err(e),
    }
}

/// Runs the parser; on success the documents and the character offset read up to, on failure
/// the error and the character offset it was found at.
fn run(
    loader: &mut Loader<'_>,
    text: &str,
    all: bool,
) -> Result<(Vec<Value>, usize), (YamlError, usize)> {
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    loop {
        let (ev, mark) = parser
            .next_token()
            .map_err(|e| (loader.scan_error(&e), e.marker().index()))?;
        match ev {
            Event::StreamStart | Event::DocumentEnd => {}
            Event::StreamEnd => return Ok((docs, usize::MAX)),
            Event::DocumentStart => {
                let (v, end) = loader.document(&mut parser)?;
                docs.push(v);
                if !all {
                    return Ok((docs, end));
                }
            }
            _ => {
                return Err((
                    err(
                        loader.file,
                        loader.line(&mark),
                        "invalid YAML: unexpected content",
                    ),
                    mark.index(),
                ))
            }
        }
    }
}
