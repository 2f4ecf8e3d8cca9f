//! YAML as Helm reads and writes it.
//!
//! Reading follows sigs.k8s.io/yaml over go-yaml: YAML 1.1 scalars (`yes`/`on`/`off`... are
//! booleans, `0755` is octal), anchors, aliases and merge keys, every number a Go float64.
//! Writing ([`to_yaml`]) prints byte for byte what Helm's `toYaml` prints.
//!
//! `load.rs` reads (yaml-rust2's event parser, scalars resolved as go-yaml v2 does),
//! `resolve.rs` holds the YAML 1.1 scalar rules and Go's number formats, `emit.rs` writes.

use crate::{Map, Value};
use foldhash::HashMap;
use std::fmt;

/// Where each value of a document stands: the path to it (map keys, list indexes in decimal)
/// mapped to its 1-based line in the source.
///
/// A tree of path steps, so that recording a value's line and walking beside a value's tree
/// ([`Lines::child`]) cost the same at any depth (a table keyed by whole paths made reading
/// deeply nested values quadratic).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lines {
    /// `nodes[0]` is the document's root.
    nodes: Vec<LineNode>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct LineNode {
    line: Option<usize>,
    children: HashMap<String, usize>,
}

impl Default for Lines {
    fn default() -> Self {
        Lines {
            nodes: vec![LineNode::default()],
        }
    }
}

impl Lines {
    /// The root's handle, for [`Lines::child`] and [`Lines::line_at`].
    pub const ROOT: usize = 0;

    pub fn new() -> Lines {
        Lines::default()
    }

    /// The line of the value at `path`.
    pub fn get<S: AsRef<str>>(&self, path: &[S]) -> Option<&usize> {
        let mut n = Self::ROOT;
        for step in path {
            n = self.child(n, step.as_ref())?;
        }
        self.nodes[n].line.as_ref()
    }

    /// The handle of the step `key` under the node `node`.
    pub fn child(&self, node: usize, key: &str) -> Option<usize> {
        self.nodes.get(node)?.children.get(key).copied()
    }

    /// The line recorded at the node `node`.
    pub fn line_at(&self, node: usize) -> Option<usize> {
        self.nodes.get(node)?.line
    }

    /// True when no line is recorded.
    pub fn is_empty(&self) -> bool {
        self.nodes.iter().all(|n| n.line.is_none())
    }

    pub(crate) fn child_or_insert(&mut self, node: usize, key: String) -> usize {
        let next = self.nodes.len();
        let n = *self.nodes[node].children.entry(key).or_insert(next);
        if n == next {
            self.nodes.push(LineNode::default());
        }
        n
    }

    pub(crate) fn set(&mut self, node: usize, line: usize) {
        self.nodes[node].line = Some(line);
    }

    /// Adds `other`'s lines; where both have one, `other`'s wins.
    pub fn extend(&mut self, other: Lines) {
        let mut other = other;
        let mut stack = vec![(Self::ROOT, Self::ROOT)];
        while let Some((mine, theirs)) = stack.pop() {
            if let Some(l) = other.nodes[theirs].line {
                self.set(mine, l);
            }
            let children = std::mem::take(&mut other.nodes[theirs].children);
            for (k, t) in children {
                let m = self.child_or_insert(mine, k);
                stack.push((m, t));
            }
        }
    }
}

/// A YAML syntax or conversion error, with the file and the 1-based line it was found at.
///
/// When `helm` is set, `message` is Helm's own text for it (`error converting YAML to JSON:
/// yaml: line 2: found a tab character that violates indentation`, go-yaml's line numbers
/// included), and `line` is that line where go-yaml gives one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub file: String,
    pub line: usize,
    pub message: String,
    pub helm: bool,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.helm {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl std::error::Error for YamlError {}

mod emit;
mod load;
mod parser;
mod resolve;
mod scanner;

pub(crate) use resolve::{format_g, format_json_float};

/// Parses the first document of `text` as go-yaml v2 + sigs.k8s.io/yaml do (Helm's
/// `yaml.Unmarshal`, `fromYaml`): go-yaml never looks past the first document, so later
/// documents are not even checked. An empty document is null. `text` may hold bytes that are not
/// UTF-8: go-yaml refuses them, as this does.
pub fn parse<T: AsRef<[u8]> + ?Sized>(text: &T, file: &str) -> Result<Value, YamlError> {
    load::load(text.as_ref(), file, 0, false, false)
        .map(|(docs, _)| docs.into_iter().next().unwrap_or(Value::Null))
}

/// Like [`parse`], and also says on which line each value stands: a map entry is on its key's
/// line, a list item where it starts, entries brought in by a merge key (`<<`) on that key's line.
/// Values reached through an alias have the alias's line, their insides no line.
pub fn parse_with_lines<T: AsRef<[u8]> + ?Sized>(
    text: &T,
    file: &str,
) -> Result<(Value, Lines), YamlError> {
    let (docs, lines) = load::load(text.as_ref(), file, 0, false, true)?;
    Ok((docs.into_iter().next().unwrap_or(Value::Null), lines))
}

/// Parses every document of a multi-document stream, as go-yaml's `Decoder` reads them one
/// after the other.
pub fn parse_all<T: AsRef<[u8]> + ?Sized>(text: &T, file: &str) -> Result<Vec<Value>, YamlError> {
    load::load(text.as_ref(), file, 0, true, false).map(|(docs, _)| docs)
}

/// Like [`parse_all`], for a document that starts on line `first_line_offset + 1` of `file`
/// (errors name lines of the whole file).
pub fn parse_all_at(
    text: &str,
    file: &str,
    first_line_offset: usize,
) -> Result<Vec<Value>, YamlError> {
    load::load(text.as_bytes(), file, first_line_offset, true, false).map(|(docs, _)| docs)
}

/// One document of a `---`-separated stream: its text (as [`split_documents`] cuts it), the
/// 1-based line it starts on, and its value (read as [`parse`] reads it).
#[derive(Debug, Clone, PartialEq)]
pub struct StreamDoc {
    pub text: String,
    pub first_line: usize,
    pub value: Value,
}

/// Cuts a manifest stream into documents at `---` lines (k8s.io/apimachinery's `YAMLReader`, as
/// `kubectl apply -f` reads) and parses each; errors carry the line in the whole stream.
pub fn parse_stream(text: &str, file: &str) -> Result<Vec<StreamDoc>, YamlError> {
    let mut out = Vec::new();
    for chunk in split_documents(text.as_bytes(), file)? {
        let (docs, _) = load::load(&chunk.text, file, chunk.first_line - 1, false, false)?;
        out.push(StreamDoc {
            value: docs.into_iter().next().unwrap_or(Value::Null),
            text: String::from_utf8_lossy(&chunk.text).into_owned(),
            first_line: chunk.first_line,
        });
    }
    Ok(out)
}

/// Reads a values file as Helm v4 does (`loader.LoadValues`): the text is cut into documents by
/// k8s.io/apimachinery's `YAMLReader`, each document is read as [`parse`] reads it and must be a
/// map or empty, and the maps are merged in order (maps merged key by key, anything else
/// replaced). Helm v3 read only the first document.
pub fn parse_values<T: AsRef<[u8]> + ?Sized>(
    text: &T,
    file: &str,
) -> Result<(Map, Lines), YamlError> {
    let mut out = Map::new();
    let mut all_lines = Lines::new();
    let mut first = true;
    for chunk in split_documents(text.as_ref(), file)? {
        let (docs, lines) = load::load(&chunk.text, file, chunk.first_line - 1, false, true)
            .map_err(|mut e| {
                if e.helm {
                    e.message = format!("cannot unmarshal yaml document: {}", e.message);
                }
                e
            })?;
        match docs.into_iter().next().unwrap_or(Value::Null) {
            Value::Null => {}
            Value::Object(m) => {
                merge_maps(&mut out, m);
                if first {
                    all_lines = lines;
                } else {
                    all_lines.extend(lines);
                }
                first = false;
            }
            other => {
                // sigs.k8s.io/yaml unmarshals the document's JSON into Helm's map: Go's words.
                let what = match other {
                    Value::Array(_) => "array",
                    Value::String(_) => "string",
                    Value::Number(_) => "number",
                    _ => "bool",
                };
                return Err(YamlError {
                    file: file.to_string(),
                    line: chunk.first_line,
                    message: format!(
                        "cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {what} into Go value of type map[string]interface {{}}"
                    ),
                    helm: true,
                });
            }
        }
    }
    Ok((out, all_lines))
}

/// Helm v4's `loader.MergeMaps`: `b` wins; maps in both are merged recursively.
fn merge_maps(a: &mut Map, b: Map) {
    for (k, v) in b {
        match (a.get_mut(&k), v) {
            (Some(Value::Object(av)), Value::Object(bv)) => merge_maps(av, bv),
            (_, v) => {
                a.insert(k, v);
            }
        }
    }
}

struct Chunk {
    text: Vec<u8>,
    /// 1-based line of the chunk's first line in the file.
    first_line: usize,
}

/// k8s.io/apimachinery's `YAMLReader` over its `LineReader`: lines end at `\n` (a `\r` before it
/// is dropped, a lone `\r` is not a line end) and each gets a `\n`; a line starting with `---`
/// ends the document being read, unless that document is still empty: then the line becomes
/// its first line. Only blanks and a comment may follow `---`.
fn split_documents(text: &[u8], file: &str) -> Result<Vec<Chunk>, YamlError> {
    let mut chunks = Vec::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut buf_first = 1;
    let mut rest = text;
    let mut line_no = 0;
    while !rest.is_empty() {
        line_no += 1;
        let (mut line, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => {
                let l = &rest[..i];
                (l.strip_suffix(b"\r").unwrap_or(l), &rest[i + 1..])
            }
            None => (rest, &rest[rest.len()..]),
        };
        rest = next;
        if let Some(after) = line.strip_prefix(b"---") {
            let trimmed = String::from_utf8_lossy(after);
            let trimmed = trimmed.trim_matches(|c: char| c.is_whitespace());
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                return Err(YamlError {
                    file: file.to_string(),
                    line: line_no,
                    message: format!(
                        "error reading yaml document: invalid Yaml document separator: {trimmed}"
                    ),
                    helm: true,
                });
            }
            if !buf.is_empty() {
                chunks.push(Chunk {
                    text: std::mem::take(&mut buf),
                    first_line: buf_first,
                });
                continue;
            }
        }
        if buf.is_empty() {
            buf_first = line_no;
        }
        buf.extend_from_slice(line);
        buf.push(b'\n');
        line = &[];
        let _ = line;
    }
    if !buf.is_empty() {
        chunks.push(Chunk {
            text: buf,
            first_line: buf_first,
        });
    }
    Ok(chunks)
}

/// Prints `v` as Helm's `toYaml` does (sigs.k8s.io/yaml.Marshal), with the trailing newline
/// (Helm's `toYaml` trims it; the engine does that, not this function). Where Marshal fails
/// (see [`to_yaml_checked`]) this is empty, as Helm's `toYaml` is.
pub fn to_yaml(v: &Value) -> String {
    emit::to_yaml(v).unwrap_or_default()
}

/// sigs.k8s.io/yaml.Marshal of `v`, or its error: Marshal reads its own JSON text back with
/// go-yaml, which refuses some of what JSON holds (nesting past 10,000, keys past 1,022
/// characters once escaped or holding NEL, characters go-yaml does not read). The error is
/// go-yaml's own message (`yaml: exceeded max depth of 10000`), found by reading that JSON
/// text back as Marshal does.
pub fn to_yaml_checked(v: &Value) -> Result<String, String> {
    if let Some(text) = emit::to_yaml(v) {
        return Ok(text);
    }
    let json = crate::gojson::to_json(v);
    Err(match parse(&json, "") {
        Err(e) => e
            .message
            .strip_prefix("error converting YAML to JSON: ")
            .unwrap_or(&e.message)
            .to_string(),
        Ok(_) => "yaml: go-yaml cannot read back the JSON form of these values".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(text: &str) -> Value {
        parse(text, "t.yaml").unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    fn perr(text: &str) -> YamlError {
        match parse(text, "t.yaml") {
            Ok(v) => panic!("{text:?} parsed as {v}"),
            Err(e) => e,
        }
    }

    #[test]
    fn scalars_become_go_values() {
        let v = p("a: yes\nb: 0755\nc: 12345678901234567890\nd: '1'\ne: ~\nf: 2001-12-14\ng: 1e3\nh: !!str 12\ni: !!float 3\nj: !!binary aGVsbG8=\nk: |\n  x\nl: 0x10\n");
        assert_eq!(
            v,
            json!({"a": true, "b": 493.0, "c": 1.2345678901234567e19, "d": "1", "e": null,
                   "f": "2001-12-14", "g": 1000.0, "h": "12", "i": 3.0, "j": "hello", "k": "x\n", "l": 16.0})
        );
    }

    #[test]
    fn keys_become_strings() {
        let v = p("yes: 1\nno: 2\n1: a\n1.5: b\n0x10: c\n1e6: d\n");
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["true", "false", "1", "1.5", "16", "1e+06"]);
        assert!(perr("~: 1\n").message.contains("null"));
        assert!(perr("12345678901234567890: 1\n").message.contains("64-bit"));
        assert!(perr("[a]: 1\n").message.contains("key"));
    }

    #[test]
    fn anchors_aliases_and_merges() {
        let v = p("b: &b {a: 1, b: 2}\nx:\n  a: 9\n  <<: *b\nw:\n  <<: *b\n  a: 9\nz:\n  <<: [{a: 1}, {a: 2, c: 3}]\nl: &l [1, 2]\nm: *l\n");
        assert_eq!(v["x"], json!({"a": 1.0, "b": 2.0}));
        assert_eq!(v["w"], json!({"a": 9.0, "b": 2.0}));
        assert_eq!(v["z"], json!({"a": 1.0, "c": 3.0}));
        assert_eq!(v["m"], json!([1.0, 2.0]));
        assert!(perr("a: &x [*x]\n").message.contains("itself"));
        assert!(perr("a: *nope\n").message.contains("anchor"));
        assert!(perr("a:\n  <<: 1\n").message.contains("map merge"));
        // A quoted `<<` is an ordinary key.
        assert_eq!(p("'<<': 1\n"), json!({"<<": 1.0}));
    }

    #[test]
    fn inf_and_nan_are_refused_duplicates_last_wins() {
        assert!(perr("a: .inf\n").message.contains("Inf"));
        assert!(perr("a: [.nan]\n").message.contains("NaN"));
        assert_eq!(p("a: 1\na: 2\n"), json!({"a": 2.0}));
        assert_eq!(p("a: 1e400\n"), json!({"a": "1e400"}));
    }

    #[test]
    fn nel_is_a_line_break_and_the_slash_escape_is_refused() {
        assert_eq!(p("a: \"x\u{85}y\"\n"), json!({"a": "x y"}));
        assert_eq!(p("a: x\u{85}b: y\n"), json!({"a": "x", "b": true}));
        assert!(perr("a: \"x\\/y\"\n").message.contains("escape"));
        assert_eq!(p("a: \"x/y\"\n"), json!({"a": "x/y"}));
    }

    #[test]
    fn quoted_continuation_lines_may_stand_at_any_indentation() {
        assert_eq!(p("a: \"x\ny\"\n"), json!({"a": "x y"}));
        assert_eq!(
            p("a:\n  b: 'x\n\ny'\n  c: \"p\n  q\nr\"\n"),
            json!({"a": {"b": "x\ny", "c": "p q r"}})
        );
        assert_eq!(
            p("a: [x,\ny]\nb: {k: 1,\nm: 2}\n"),
            json!({"a": ["x", true], "b": {"k": 1.0, "m": 2.0}})
        );
        assert_eq!(p("a: \"it\\'s\"\n"), json!({"a": "it's"}));
        assert!(perr("a: \"\\q\"\n").message.contains("escape"));
        let (_, lines) = parse_with_lines("a: \"x\ny\"\nb: 1\n", "t").unwrap();
        assert_eq!(lines.get(&["b"]).copied().unwrap_or(0), 3);
    }

    #[test]
    fn only_the_first_document_counts() {
        assert_eq!(p("a: 1\n---\nb: [\n"), json!({"a": 1.0}));
        assert_eq!(p(""), Value::Null);
        assert_eq!(p("# just a comment\n"), Value::Null);
        assert_eq!(parse_all("a: 1\n---\nb: 2\n", "t").unwrap().len(), 2);
        assert!(parse_all("a: 1\n---\nb: [\n", "t").is_err());
    }

    #[test]
    fn values_files_read_every_document_like_helm_v4() {
        let (m, lines) = parse_values(
            "a: {p: 1, q: 2}\n---\n---  # c\na: {q: 3}\nb: 1\n",
            "v.yaml",
        )
        .unwrap();
        assert_eq!(
            Value::Object(m),
            json!({"a": {"p": 1.0, "q": 3.0}, "b": 1.0})
        );
        assert_eq!(lines.get(&["b"]).copied().unwrap_or(0), 5);
        let e = parse_values("a: 1\n--- {b: 1}\n", "v.yaml").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse_values("a: 1\n---\n- x\n", "v.yaml").unwrap_err();
        assert_eq!(e.line, 3);
        let e = parse_values("a: 1\n---\nb: [\n", "v.yaml").unwrap_err();
        assert!(e.line >= 3, "{e}");
        assert!(parse_values("", "v.yaml").unwrap().0.is_empty());
    }

    #[test]
    fn lines_of_values() {
        let (_, lines) =
            parse_with_lines("a:\n  b: 1\n  c:\n    - x\n    - k: 2\nd: 3\n", "t").unwrap();
        let l = |p: &[&str]| {
            lines
                .get(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .copied()
        };
        assert_eq!(l(&["a"]), Some(1));
        assert_eq!(l(&["a", "b"]), Some(2));
        assert_eq!(l(&["a", "c", "0"]), Some(4));
        assert_eq!(l(&["a", "c", "1", "k"]), Some(5));
        assert_eq!(l(&["d"]), Some(6));
    }

    #[test]
    fn garbage_is_an_error_with_a_line_never_a_panic() {
        // Helm's words and lines (go-yaml's: a parser error's line is 0-based).
        for (text, message) in [
            (
                "a:\n\tb: 1\n",
                "yaml: line 2: found character that cannot start any token",
            ),
            ("a: \"abc\n", "yaml: line 2: found unexpected end of stream"),
            ("a: [1\n", "yaml: line 1: did not find expected ',' or ']'"),
            (
                "a: b: c\n",
                "yaml: mapping values are not allowed in this context",
            ),
            (
                "a:\n  b: 1\n c: 2\n",
                "yaml: line 2: did not find expected key",
            ),
            ("a: \u{1}\n", "yaml: control characters are not allowed"),
            (
                "x: 1\ny: \u{7f}\n",
                "yaml: control characters are not allowed",
            ),
            (
                "a: !!int abc\n",
                "yaml: cannot decode !!str `abc` as a !!int",
            ),
            (
                "a: !!binary '%%%'\n",
                "yaml: !!binary value contains invalid base64 data",
            ),
        ] {
            let e = perr(text);
            assert_eq!(
                e.to_string(),
                format!("t.yaml: error converting YAML to JSON: {message}"),
                "{text:?}"
            );
        }
        let junk: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        let junk = String::from_utf8_lossy(&junk).into_owned();
        let _ = parse(&junk, "junk");
        let _ = parse_all(&junk, "junk");
        let _ = parse_values(&junk, "junk");
        for s in [
            "[[[[[[",
            "{{{{",
            "- - - -",
            "? ? ?",
            "&a &b c",
            "*",
            "!",
            "|",
            ">-2",
            "'",
            "\"\\",
            "%YAML 1.1\n",
            "---\n...\n...",
            ": :",
            "- [a, {b: c]",
        ] {
            let _ = parse(s, "x");
            let _ = parse_all(s, "x");
        }
        let deep = "[".repeat(20_000);
        assert!(parse(&deep, "deep").is_err());
    }

    /// Inputs of about 1 MB in every shape that once made a reader superlinear (deep nesting
    /// recorded whole paths per value: 24 s for 45 KB of `{a: {a: ...}}`). Each must be read,
    /// with its line table, and hold what was written; `benches/yaml.rs` shows the scaling.
    pub(crate) fn big_inputs(size: usize) -> Vec<(&'static str, String, usize)> {
        let repeat = |unit: &dyn Fn(usize) -> String| -> (String, usize) {
            let mut out = String::with_capacity(size + 64);
            let mut i = 0;
            while out.len() < size {
                out.push_str(&unit(i));
                i += 1;
            }
            (out, i)
        };
        let mut cases = Vec::new();
        let (t, n) = repeat(&|i| format!("key{i}: value{i}\n"));
        cases.push(("flat map", t, n));
        let (t, n) = repeat(&|i| format!("g{i}:\n  a:\n    b:\n      c: {i}\n      d: [1, 2]\n"));
        cases.push(("nested maps", t, n));
        let (t, n) = repeat(&|i| format!("- item{i}\n"));
        cases.push(("long list", format!("l:\n{t}"), n));
        let (t, n) = repeat(&|i| format!("v{i}, "));
        cases.push(("long flow list", format!("l: [{t}]\n"), n));
        let (t, n) = repeat(&|i| format!("k{i}: v{i}, "));
        cases.push(("long flow map", format!("m: {{{t}}}\n"), n));
        cases.push(("long plain scalar", format!("s: {}\n", "x".repeat(size)), 1));
        cases.push((
            "long quoted scalar",
            format!("s: \"{}\"\n", "x y ".repeat(size / 4)),
            1,
        ));
        let (t, n) = repeat(&|_| "  line of text\n".to_string());
        cases.push(("long literal scalar", format!("s: |\n{t}"), n));
        let (t, n) = repeat(&|i| format!("k{i}: {i}\n---\n"));
        cases.push(("many documents", t, n));
        let (t, n) = repeat(&|i| format!("a{i}: &a{i} {{x: {i}}}\nb{i}: *a{i}\n"));
        cases.push(("many anchors", t, n));
        let (t, n) = repeat(&|i| format!("m{i}:\n  <<: *b\n  z: {i}\n"));
        cases.push(("many merges", format!("base: &b {{x: 1, y: 2}}\n{t}"), n));
        // As deep as go-yaml allows (10,000 flow levels; block nesting within the size).
        let depth = 9_999;
        cases.push((
            "deep flow maps",
            format!("a: {}1{}\n", "{a: ".repeat(depth), "}".repeat(depth)),
            depth,
        ));
        cases.push((
            "deep flow lists",
            format!("a: {}{}\n", "[".repeat(depth), "]".repeat(depth)),
            // The innermost list is empty: one step fewer.
            depth - 1,
        ));
        let block = (1..).take_while(|d| d * d / 2 < size).last().unwrap_or(1);
        let t: String = (0..block)
            .map(|d| format!("{}k:\n", " ".repeat(d)))
            .collect();
        cases.push((
            "deep block maps",
            format!("{t}{}x\n", " ".repeat(block)),
            block,
        ));
        cases
    }

    #[test]
    fn a_megabyte_in_any_shape_is_read_whole() {
        // Merging and dropping 10,000 levels recurse: the binary runs on a large stack, so
        // does this test.
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(read_big_inputs)
            .map(|h| h.join())
            .unwrap_or_else(|e| panic!("thread: {e}"))
            .unwrap_or_else(|_| panic!("reading the big inputs failed"));
    }

    fn read_big_inputs() {
        for (shape, text, n) in big_inputs(1 << 20) {
            let (m, lines) =
                parse_values(&text, "big.yaml").unwrap_or_else(|e| panic!("{shape}: {e}"));
            let v = Value::Object(m);
            // What was written is there: count the entries, the items or the depth.
            let got = match shape {
                "flat map" | "nested maps" | "many documents" => {
                    v.as_object().map_or(0, |m| m.len())
                }
                "many anchors" => v.as_object().map_or(0, |m| m.len()) / 2,
                "many merges" => v.as_object().map_or(0, |m| m.len()) - 1,
                "long list" | "long flow list" => v["l"].as_array().map_or(0, |l| l.len()),
                "long flow map" => v["m"].as_object().map_or(0, |m| m.len()),
                "long literal scalar" => v["s"].as_str().map_or(0, |s| s.lines().count()),
                "long plain scalar" | "long quoted scalar" => usize::from(v["s"].is_string()),
                _ => {
                    let mut d = 0;
                    let mut at = &v["a"];
                    if shape == "deep block maps" {
                        at = &v["k"];
                    }
                    while let Some(next) = at.get("a").or_else(|| at.get("k")).or_else(|| at.get(0))
                    {
                        d += 1;
                        at = next;
                    }
                    d + usize::from(shape == "deep block maps")
                }
            };
            assert_eq!(got, n, "{shape}");
            assert!(!lines.is_empty(), "{shape}: lines recorded");
        }
    }

    #[test]
    fn a_bare_cr_is_a_line_break() {
        // The old reader hung on it; how long reading takes is tests/yaml_linear.rs's.
        assert_eq!(p("a: [1,\r2]\n"), json!({"a": [1.0, 2.0]}));
    }
}
