//! `chartr diff`: pairs two sets of objects by identity ([`Key`]: API group, kind, namespace,
//! name), drops `--ignore`d fields, masks credentials, and renders the result as text (a
//! summary and a unified diff of each changed object's YAML, made with `similar`), JSON or
//! Markdown. docs/diff.md documents the output.
//!
//! Objects are compared as data, printed as Helm's `toYaml` prints them (keys sorted): two
//! renders that differ only in key order or quoting are equal.

use super::preflight::Finding;
use super::store::{Key, Object, Store};
use crate::{Map, Value};
use aho_corasick::{AhoCorasick, MatchKind};
use base64::Engine as _;
use regex::Regex;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

// ---------------------------------------------------------------------------------------------
// --ignore paths

/// One step of an `--ignore` path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
    /// `*` or `[*]`: any one key or index.
    Any,
    /// `**`: any number of levels, none included.
    AnyDepth,
}

/// An `--ignore` path: keys separated by dots, `["key"]` (or `['key']`) for keys with dots or
/// slashes, `[N]` for a list index, `*` for any one key or index, `**` for any depth:
/// `metadata.labels["app.kubernetes.io/version"]`, `**.annotations["checksum/config"]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnorePath {
    text: String,
    segs: Vec<Seg>,
}

/// An `--ignore` path that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "--ignore {:?}: {}; expected keys separated by dots, [\"key\"] for a key with dots or slashes, [N], * or **",
            self.path, self.message
        )
    }
}

impl std::error::Error for PathError {}

impl IgnorePath {
    pub fn parse(text: &str) -> Result<IgnorePath, PathError> {
        let err = |m: String| PathError {
            path: text.to_string(),
            message: m,
        };
        let chars: Vec<char> = text.chars().collect();
        let mut segs = Vec::new();
        let mut i = 0;
        let mut need_seg = true;
        while i < chars.len() {
            let c = chars[i];
            if c == '[' {
                let (seg, next) = parse_bracket(&chars, i).map_err(err)?;
                segs.push(seg);
                i = next;
                need_seg = false;
            } else if c == '.' {
                if need_seg {
                    return Err(err(format!("empty key at character {}", i + 1)));
                }
                i += 1;
                need_seg = true;
                if i == chars.len() {
                    return Err(err("the path ends with a dot".into()));
                }
            } else {
                if !need_seg {
                    return Err(err(format!("a dot or [ expected at character {}", i + 1)));
                }
                let start = i;
                while i < chars.len() && chars[i] != '.' && chars[i] != '[' {
                    if chars[i] == ']' || chars[i] == '"' {
                        return Err(err(format!(
                            "unexpected {:?} at character {}",
                            chars[i],
                            i + 1
                        )));
                    }
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                segs.push(match word.as_str() {
                    "*" => Seg::Any,
                    "**" => Seg::AnyDepth,
                    _ => Seg::Key(word),
                });
                need_seg = false;
            }
        }
        if segs.is_empty() {
            return Err(err("the path is empty".into()));
        }
        Ok(IgnorePath {
            text: text.to_string(),
            segs,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Removes what the path names from `v`; whether anything was removed.
    pub fn remove(&self, v: &mut Value) -> bool {
        remove_at(v, &self.segs)
    }
}

fn parse_bracket(chars: &[char], open: usize) -> Result<(Seg, usize), String> {
    let mut i = open + 1;
    match chars.get(i) {
        Some(&q @ ('"' | '\'')) => {
            i += 1;
            let mut key = String::new();
            loop {
                match chars.get(i) {
                    None => return Err(format!("unterminated {q} after character {}", open + 1)),
                    Some('\\') if q == '"' => {
                        match chars.get(i + 1) {
                            Some(&c) => key.push(c),
                            None => return Err("a lone \\ at the end".into()),
                        }
                        i += 2;
                    }
                    Some(&c) if c == q => {
                        i += 1;
                        break;
                    }
                    Some(&c) => {
                        key.push(c);
                        i += 1;
                    }
                }
            }
            if chars.get(i) != Some(&']') {
                return Err(format!("] expected at character {}", i + 1));
            }
            Ok((Seg::Key(key), i + 1))
        }
        _ => {
            let start = i;
            while i < chars.len() && chars[i] != ']' {
                i += 1;
            }
            if i == chars.len() {
                return Err(format!("unterminated [ at character {}", open + 1));
            }
            let inner: String = chars[start..i].iter().collect();
            let seg = match inner.trim() {
                "*" => Seg::Any,
                n => Seg::Index(n.parse().map_err(|_| {
                    format!("[{inner}] is neither an index nor a quoted key (write [\"{inner}\"])")
                })?),
            };
            Ok((seg, i + 1))
        }
    }
}

fn children_mut(v: &mut Value) -> Vec<&mut Value> {
    match v {
        Value::Object(m) => m.values_mut().collect(),
        Value::Array(a) => a.iter_mut().collect(),
        _ => Vec::new(),
    }
}

fn remove_at(v: &mut Value, segs: &[Seg]) -> bool {
    let Some((first, rest)) = segs.split_first() else {
        return false;
    };
    if *first == Seg::AnyDepth {
        let mut hit = remove_at(v, rest);
        for c in children_mut(v) {
            hit |= remove_at(c, segs);
        }
        return hit;
    }
    if rest.is_empty() {
        return match (first, v) {
            (Seg::Key(k), Value::Object(m)) => m.shift_remove(k).is_some(),
            (Seg::Index(i), Value::Array(a)) if *i < a.len() => {
                a.remove(*i);
                true
            }
            (Seg::Any, Value::Object(m)) if !m.is_empty() => {
                m.clear();
                true
            }
            (Seg::Any, Value::Array(a)) if !a.is_empty() => {
                a.clear();
                true
            }
            _ => false,
        };
    }
    match (first, v) {
        (Seg::Key(k), Value::Object(m)) => m.get_mut(k).is_some_and(|c| remove_at(c, rest)),
        (Seg::Index(i), Value::Array(a)) => a.get_mut(*i).is_some_and(|c| remove_at(c, rest)),
        (Seg::Any, v) => {
            let mut hit = false;
            for c in children_mut(v) {
                hit |= remove_at(c, rest);
            }
            hit
        }
        _ => false,
    }
}

/// A path in the `--ignore` syntax: `spec.template.metadata.annotations["checksum/config"]`.
pub fn format_path(path: &[PathPart]) -> String {
    let mut out = String::new();
    for p in path {
        match p {
            PathPart::Index(i) => out.push_str(&format!("[{i}]")),
            PathPart::Key(k) => {
                let plain = !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    && k != "*"
                    && k != "**";
                if plain {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                } else {
                    out.push_str(&format!("[{}]", serde_json::Value::String(k.clone())));
                }
            }
        }
    }
    out
}

/// One step of a path to a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Key(String),
    Index(usize),
}

// ---------------------------------------------------------------------------------------------
// Masking

/// Shorter values of Secrets are masked in their Secret but not elsewhere: `"1"` or `"yes"`
/// would mask half a manifest.
pub const MIN_MASKED_LEN: usize = 4;

fn url_password_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"([A-Za-z][A-Za-z0-9+.\-]*://[^:/?#@\s]*:)([^@/?#\s]+)@")
            .unwrap_or_else(|_| unreachable!())
    })
}

/// Hides credentials: every value of either side's Secrets (`data` decoded from base64, and
/// `stringData`), wherever it appears, plain or base64, also inside longer strings; and the
/// password of every URL (`scheme://user:PASSWORD@host`). Each hidden value is replaced by a
/// label that says where it comes from, the same on both sides when the value did not change:
/// `<masked:dataflow-postgresql/POSTGRES_PASSWORD>` (with `:old` / `:new` when it
/// changed), `<masked:url-password-1>`. Labels hold no blank, so YAML never folds them.
///
/// Not masked outside their Secret: values shorter than [`MIN_MASKED_LEN`] characters, and
/// values that are the name or namespace of an object of either side (a Secret holding the
/// user name `csghub` in namespace `csghub` would otherwise mask every namespace).
#[derive(Debug, Default)]
pub struct Masker {
    on: bool,
    ac: Option<AhoCorasick>,
    labels: Vec<String>,
    /// The label of each Secret field: (new side?, Secret, "data"/"stringData", key).
    own: HashMap<(bool, Key, String, String), String>,
    urls: RefCell<HashMap<String, usize>>,
}

/// The fields of a Secret: (field, key, the value in plain text if it is text, the value as
/// written in `data`).
fn secret_fields(o: &Object) -> Vec<(String, String, Option<String>, Option<String>)> {
    let mut out = Vec::new();
    if o.key.kind != "Secret" || !o.key.group.is_empty() {
        return out;
    }
    for field in ["data", "stringData"] {
        let Some(Value::Object(m)) = o.value.get(field) else {
            continue;
        };
        for (k, v) in m {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Null => continue,
                other => other.to_string(),
            };
            if field == "data" {
                let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                let plain = base64::engine::general_purpose::STANDARD
                    .decode(compact.as_bytes())
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok());
                out.push((field.to_string(), k.clone(), plain, Some(text)));
            } else {
                out.push((field.to_string(), k.clone(), Some(text), None));
            }
        }
    }
    out
}

impl Masker {
    /// A masker that hides nothing (`--show-secrets`).
    pub fn off() -> Masker {
        Masker::default()
    }

    /// A masker for the Secrets of both sides (and for `extra`, e.g. the cluster's objects).
    pub fn new(old: &Store, new: &Store, extra: Option<&Store>) -> Masker {
        let mut ids: HashSet<&str> = HashSet::new();
        for s in [Some(old), Some(new), extra].into_iter().flatten() {
            for o in s.objects() {
                ids.insert(&o.key.name);
                ids.insert(&o.key.namespace);
            }
        }
        let mut own = HashMap::new();
        let mut needles: Vec<(String, String)> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let sides = [
            (false, Some(old), Some(new)),
            (true, Some(new), Some(old)),
            (false, extra, None),
        ];
        for (is_new, store, other) in sides {
            let Some(store) = store else { continue };
            for o in store.unique() {
                let fields = secret_fields(o);
                if fields.is_empty() {
                    continue;
                }
                let other_fields = other
                    .and_then(|s| s.get(&o.key))
                    .map(secret_fields)
                    .unwrap_or_default();
                for (field, k, plain, raw) in fields {
                    let other_plain = other_fields
                        .iter()
                        .find(|(f, ok, _, _)| *f == field && *ok == k)
                        .map(|(_, _, p, r)| (p.clone(), r.clone()));
                    let base = format!("{}/{k}", o.key.name);
                    let label = match other_plain {
                        Some(p) if p == (plain.clone(), raw.clone()) => {
                            format!("<masked:{base}>")
                        }
                        Some(_) => {
                            format!("<masked:{base}:{}>", if is_new { "new" } else { "old" })
                        }
                        None => format!("<masked:{base}>"),
                    };
                    own.insert((is_new, o.key.clone(), field, k), label.clone());
                    let mut add = |s: String| {
                        if s.chars().count() >= MIN_MASKED_LEN
                            && !ids.contains(s.as_str())
                            && seen.insert(s.clone())
                        {
                            needles.push((s, label.clone()));
                        }
                    };
                    if let Some(p) = plain {
                        add(base64::engine::general_purpose::STANDARD.encode(p.as_bytes()));
                        add(p);
                    }
                    if let Some(r) = raw {
                        add(r);
                    }
                }
            }
        }
        let ac = if needles.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(needles.iter().map(|(n, _)| n.as_str()))
                .ok()
        };
        Masker {
            on: true,
            ac,
            labels: needles.into_iter().map(|(_, l)| l).collect(),
            own,
            urls: RefCell::new(HashMap::new()),
        }
    }

    /// Whether it hides anything (it does unless `--show-secrets`).
    pub fn is_on(&self) -> bool {
        self.on
    }

    /// Masks one text: Secret values, then URL passwords.
    pub fn mask_text(&self, s: &str) -> String {
        if !self.on {
            return s.to_string();
        }
        let s = match &self.ac {
            Some(ac) => ac.replace_all(s, &self.labels),
            None => s.to_string(),
        };
        let re = url_password_regex();
        if !re.is_match(&s) {
            return s;
        }
        let mut urls = self.urls.borrow_mut();
        re.replace_all(&s, |c: &regex::Captures| {
            if c[2].starts_with("<masked:") {
                return c[0].to_string();
            }
            let next = urls.len() + 1;
            let n = *urls.entry(c[2].to_string()).or_insert(next);
            format!("{}<masked:url-password-{n}>@", &c[1])
        })
        .into_owned()
    }

    fn mask_value(&self, v: &mut Value) {
        match v {
            Value::String(s) => *s = self.mask_text(s),
            Value::Array(a) => a.iter_mut().for_each(|x| self.mask_value(x)),
            Value::Object(m) => {
                let needs_keys = m.keys().any(|k| self.mask_text(k) != *k);
                if needs_keys {
                    let old = std::mem::take(m);
                    for (k, mut x) in old {
                        self.mask_value(&mut x);
                        m.insert(self.mask_text(&k), x);
                    }
                } else {
                    m.values_mut().for_each(|x| self.mask_value(x));
                }
            }
            _ => {}
        }
    }

    /// Masks an object of one side: a Secret's values become their labels, then every string.
    pub fn mask_object(&self, is_new: bool, key: &Key, v: &mut Map) {
        if !self.on {
            return;
        }
        if key.kind == "Secret" && key.group.is_empty() {
            for field in ["data", "stringData"] {
                if let Some(Value::Object(m)) = v.get_mut(field) {
                    for (k, x) in m.iter_mut() {
                        if x.is_null() {
                            continue;
                        }
                        let id = (is_new, key.clone(), field.to_string(), k.clone());
                        let label = self
                            .own
                            .get(&id)
                            .cloned()
                            .unwrap_or_else(|| "<masked>".to_string());
                        *x = Value::String(label);
                    }
                }
            }
        }
        let mut whole = Value::Object(std::mem::take(v));
        self.mask_value(&mut whole);
        if let Value::Object(m) = whole {
            *v = m;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pairing and diffing

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Changed,
    Added,
    Removed,
    Unchanged,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Changed => "changed",
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Unchanged => "unchanged",
        }
    }
}

/// Where one side of an object was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub api_version: String,
    pub source: Option<String>,
    pub file: String,
    pub line: usize,
}

impl Side {
    fn of(o: &Object) -> Side {
        Side {
            api_version: o.api_version.clone(),
            source: o.source.clone(),
            file: o.file.clone(),
            line: o.line,
        }
    }
}

/// A changed field: its path, and its value on each side (masked; `None` where absent).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub path: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// One object's comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectDiff {
    pub key: Key,
    pub status: Status,
    pub old: Option<Side>,
    pub new: Option<Side>,
    /// Unchanged, but only because of `--ignore`.
    pub ignored: bool,
    /// The unified diff of the (masked) YAML, for changed objects; empty otherwise.
    pub diff: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Of the unchanged: those that differ only in ignored fields.
    pub ignored: usize,
}

impl Summary {
    pub fn equal(&self) -> bool {
        self.added + self.removed + self.changed == 0
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} changed, {} added, {} removed, {} unchanged",
            self.changed, self.added, self.removed, self.unchanged
        )?;
        if self.ignored > 0 {
            write!(f, " ({} only in ignored fields)", self.ignored)?;
        }
        Ok(())
    }
}

/// Everything `chartr diff` reports.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub old_name: String,
    pub new_name: String,
    pub objects: Vec<ObjectDiff>,
    pub summary: Summary,
    /// Upgrade preflight findings (`--check-upgrade`).
    pub findings: Option<Vec<Finding>>,
}

/// How to compare.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Lines of context around each change (`-C`).
    pub context: usize,
    pub ignore: Vec<IgnorePath>,
    /// The names of the two sides in headers (the paths given).
    pub old_name: String,
    pub new_name: String,
}

fn strip_ignored(v: &Map, ignore: &[IgnorePath]) -> (Value, bool) {
    let mut v = Value::Object(v.clone());
    let mut hit = false;
    for p in ignore {
        hit |= p.remove(&mut v);
    }
    (v, hit)
}

/// Compares the objects of two stores: NEW's objects in their order (changed, added,
/// unchanged), then those only OLD has.
pub fn diff(old: &Store, new: &Store, masker: &Masker, opts: &DiffOptions) -> Report {
    let mut objects = Vec::new();
    let mut summary = Summary::default();
    for n in new.unique() {
        let Some(o) = old.get(&n.key) else {
            summary.added += 1;
            objects.push(ObjectDiff {
                key: n.key.clone(),
                status: Status::Added,
                old: None,
                new: Some(Side::of(n)),
                ignored: false,
                diff: String::new(),
                changes: Vec::new(),
            });
            continue;
        };
        let raw_equal = o.value == n.value;
        let (a, b, ignored) = if raw_equal {
            (Value::Null, Value::Null, false)
        } else {
            let (a, ha) = strip_ignored(&o.value, &opts.ignore);
            let (b, hb) = strip_ignored(&n.value, &opts.ignore);
            (a, b, ha || hb)
        };
        if raw_equal || a == b {
            summary.unchanged += 1;
            if ignored {
                summary.ignored += 1;
            }
            objects.push(ObjectDiff {
                key: n.key.clone(),
                status: Status::Unchanged,
                old: Some(Side::of(o)),
                new: Some(Side::of(n)),
                ignored,
                diff: String::new(),
                changes: Vec::new(),
            });
            continue;
        }
        summary.changed += 1;
        let mask = |is_new: bool, v: Value| -> Value {
            match v {
                Value::Object(mut m) => {
                    masker.mask_object(is_new, &n.key, &mut m);
                    Value::Object(m)
                }
                other => other,
            }
        };
        let (a, b) = (mask(false, a), mask(true, b));
        let (ya, yb) = (crate::yaml::to_yaml(&a), crate::yaml::to_yaml(&b));
        let header = |name: &str, o: &Object| format!("{name} {} ({})", n.key, o.api_version);
        let mut text = similar::TextDiff::from_lines(&ya, &yb)
            .unified_diff()
            .context_radius(opts.context)
            .header(&header(&opts.old_name, o), &header(&opts.new_name, n))
            .to_string();
        if text.is_empty() {
            // Different values that print alike: only masked values differ.
            text = "(the objects differ only in masked values)\n".to_string();
        }
        let mut changes = Vec::new();
        leaf_changes(&mut Vec::new(), Some(&a), Some(&b), &mut changes);
        objects.push(ObjectDiff {
            key: n.key.clone(),
            status: Status::Changed,
            old: Some(Side::of(o)),
            new: Some(Side::of(n)),
            ignored,
            diff: text,
            changes,
        });
    }
    for o in old.unique() {
        if new.get(&o.key).is_none() {
            summary.removed += 1;
            objects.push(ObjectDiff {
                key: o.key.clone(),
                status: Status::Removed,
                old: Some(Side::of(o)),
                new: None,
                ignored: false,
                diff: String::new(),
                changes: Vec::new(),
            });
        }
    }
    Report {
        old_name: opts.old_name.clone(),
        new_name: opts.new_name.clone(),
        objects,
        summary,
        findings: None,
    }
}

/// The leaves that differ between `a` and `b` (maps key by key, lists index by index).
fn leaf_changes(
    path: &mut Vec<PathPart>,
    a: Option<&Value>,
    b: Option<&Value>,
    out: &mut Vec<Change>,
) {
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            for (k, va) in x {
                path.push(PathPart::Key(k.clone()));
                leaf_changes(path, Some(va), y.get(k), out);
                path.pop();
            }
            for (k, vb) in y {
                if !x.contains_key(k) {
                    path.push(PathPart::Key(k.clone()));
                    leaf_changes(path, None, Some(vb), out);
                    path.pop();
                }
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            for i in 0..x.len().max(y.len()) {
                path.push(PathPart::Index(i));
                leaf_changes(path, x.get(i), y.get(i), out);
                path.pop();
            }
        }
        (a, b) if a != b => out.push(Change {
            path: format_path(path),
            old: a.cloned(),
            new: b.cloned(),
        }),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("{code}{text}{RESET}")
    } else {
        text.to_string()
    }
}

fn colour_diff(diff: &str, color: bool) -> String {
    if !color {
        return diff.to_string();
    }
    let mut out = String::with_capacity(diff.len() + diff.len() / 4);
    for line in diff.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let code = if body.starts_with("---") || body.starts_with("+++") {
            BOLD
        } else if body.starts_with("@@") {
            CYAN
        } else if body.starts_with('-') {
            RED
        } else if body.starts_with('+') {
            GREEN
        } else {
            ""
        };
        if code.is_empty() {
            out.push_str(line);
        } else {
            out.push_str(&format!("{code}{body}{RESET}{nl}"));
        }
    }
    out
}

/// The text report: the summary line, one line per object that is not unchanged, each
/// changed object's unified diff, then the preflight findings.
pub fn render_text(r: &Report, color: bool) -> String {
    let mut out = format!("{}\n", r.summary);
    for o in r.objects.iter().filter(|o| o.status != Status::Unchanged) {
        let code = match o.status {
            Status::Added => GREEN,
            Status::Removed => RED,
            _ => YELLOW,
        };
        out.push_str(&format!(
            "  {} {}\n",
            paint(color, code, &format!("{:<8}", o.status.as_str())),
            o.key
        ));
    }
    for o in r.objects.iter().filter(|o| o.status == Status::Changed) {
        out.push('\n');
        out.push_str(&colour_diff(&o.diff, color));
    }
    if let Some(findings) = &r.findings {
        out.push('\n');
        out.push_str(&super::preflight::render_text(findings, color));
    }
    out
}

fn fence_for(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

/// Markdown for a pull-request comment: the summary, a table of what is not unchanged, each
/// changed object's diff in a folded `diff` block, then the findings.
pub fn render_markdown(r: &Report) -> String {
    let mut out = format!(
        "### chartr diff `{}` → `{}`\n\n**{}**\n",
        r.old_name, r.new_name, r.summary
    );
    let listed: Vec<&ObjectDiff> = r
        .objects
        .iter()
        .filter(|o| o.status != Status::Unchanged)
        .collect();
    if !listed.is_empty() {
        out.push_str("\n| | object | apiVersion | source |\n|---|---|---|---|\n");
        for o in &listed {
            let side = o.new.as_ref().or(o.old.as_ref());
            let api = match (&o.old, &o.new) {
                (Some(a), Some(b)) if a.api_version != b.api_version => {
                    format!("{} → {}", a.api_version, b.api_version)
                }
                _ => side.map(|s| s.api_version.clone()).unwrap_or_default(),
            };
            let source = side.and_then(|s| s.source.clone()).unwrap_or_default();
            out.push_str(&format!(
                "| {} | `{}` | {} | {} |\n",
                o.status.as_str(),
                md_cell(&o.key.to_string()),
                md_cell(&api),
                md_cell(&source)
            ));
        }
    }
    for o in r.objects.iter().filter(|o| o.status == Status::Changed) {
        let fence = fence_for(&o.diff);
        out.push_str(&format!(
            "\n<details><summary>{}</summary>\n\n{fence}diff\n{}{fence}\n\n</details>\n",
            html_escape(&o.key.to_string()),
            o.diff
        ));
    }
    if let Some(findings) = &r.findings {
        out.push('\n');
        out.push_str(&super::preflight::render_markdown(findings));
    }
    out
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn key_json(k: &Key) -> Value {
    serde_json::json!({
        "group": k.group,
        "kind": k.kind,
        "namespace": k.namespace,
        "name": k.name,
    })
}

fn side_json(s: &Option<Side>) -> Value {
    match s {
        None => Value::Null,
        Some(s) => serde_json::json!({
            "apiVersion": s.api_version,
            "source": s.source,
            "file": s.file,
            "line": s.line,
        }),
    }
}

/// The report as data (docs/diff.md documents the shape).
pub fn to_json(r: &Report) -> Value {
    let objects: Vec<Value> = r
        .objects
        .iter()
        .map(|o| {
            let mut m = Map::new();
            m.insert("status".into(), o.status.as_str().into());
            if let Value::Object(k) = key_json(&o.key) {
                m.extend(k);
            }
            m.insert("old".into(), side_json(&o.old));
            m.insert("new".into(), side_json(&o.new));
            m.insert("ignored".into(), o.ignored.into());
            m.insert(
                "changes".into(),
                Value::Array(
                    o.changes
                        .iter()
                        .map(|c| {
                            serde_json::json!({
                                "path": c.path,
                                "old": c.old,
                                "new": c.new,
                            })
                        })
                        .collect(),
                ),
            );
            m.insert("diff".into(), o.diff.clone().into());
            Value::Object(m)
        })
        .collect();
    let s = r.summary;
    let mut out = serde_json::json!({
        "old": r.old_name,
        "new": r.new_name,
        "equal": s.equal(),
        "summary": {
            "added": s.added,
            "removed": s.removed,
            "changed": s.changed,
            "unchanged": s.unchanged,
            "ignored": s.ignored,
        },
        "objects": objects,
    });
    if let (Some(f), Value::Object(m)) = (&r.findings, &mut out) {
        m.insert("findings".into(), super::preflight::to_json(f));
    }
    out
}

pub(crate) fn key_to_json(k: &Key) -> Value {
    key_json(k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn store(text: &str) -> Store {
        let mut s = Store::new("ns");
        s.add_stream(text, "t.yaml").unwrap();
        s
    }

    #[test]
    fn ignore_paths_parse_and_remove() {
        let p = IgnorePath::parse(r#"metadata.labels["app.kubernetes.io/version"]"#).unwrap();
        let mut v = json!({"metadata": {"labels": {"app.kubernetes.io/version": "1", "a": "b"}}});
        assert!(p.remove(&mut v));
        assert_eq!(v, json!({"metadata": {"labels": {"a": "b"}}}));
        let p = IgnorePath::parse(r#"**.annotations["checksum/config"]"#).unwrap();
        let mut v = json!({"metadata": {"annotations": {"checksum/config": "x"}},
            "spec": {"template": {"metadata": {"annotations": {"checksum/config": "y", "k": "v"}}}}});
        assert!(p.remove(&mut v));
        assert_eq!(
            v,
            json!({"metadata": {"annotations": {}}, "spec": {"template": {"metadata": {"annotations": {"k": "v"}}}}})
        );
        let p = IgnorePath::parse("spec.containers[*].image").unwrap();
        let mut v = json!({"spec": {"containers": [{"image": "a", "n": 1}, {"image": "b"}]}});
        assert!(p.remove(&mut v));
        assert_eq!(v, json!({"spec": {"containers": [{"n": 1}, {}]}}));
        let p = IgnorePath::parse("spec.containers[1]").unwrap();
        let mut v = json!({"spec": {"containers": [1, 2, 3]}});
        assert!(p.remove(&mut v));
        assert_eq!(v, json!({"spec": {"containers": [1, 3]}}));
        assert!(!IgnorePath::parse("nope").unwrap().remove(&mut v));
        let p = IgnorePath::parse("a['x.y'].*").unwrap();
        let mut v = json!({"a": {"x.y": {"k": 1}}});
        assert!(p.remove(&mut v));
        assert_eq!(v, json!({"a": {"x.y": {}}}));
        for bad in ["", "a..b", "a.", ".a", "a[x]", "a[\"x", "a[1", "a]b"] {
            let e = IgnorePath::parse(bad).unwrap_err();
            assert!(e.to_string().starts_with("--ignore "), "{e}");
        }
        assert_eq!(
            format_path(&[
                PathPart::Key("metadata".into()),
                PathPart::Key("labels".into()),
                PathPart::Key("app.kubernetes.io/version".into()),
                PathPart::Index(2)
            ]),
            r#"metadata.labels["app.kubernetes.io/version"][2]"#
        );
    }

    const OLD: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: c2VjcmV0LW9sZA==\n  user: Y3NnaHVi\n  same: c2FtZS12YWx1ZQ==\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  url: postgresql://csghub:secret-old@db:5432/x\n  other: 'http://u:hunter22@h/'\n  same: same-value\n---\napiVersion: apps/v1beta2\nkind: Deployment\nmetadata:\n  name: gone\n";
    const NEW: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  extra: brand-new\ndata:\n  password: c2VjcmV0LW5ldw==\n  user: Y3NnaHVi\n  same: c2FtZS12YWx1ZQ==\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  url: postgresql://csghub:secret-new@db:5432/x\n  other: 'http://u:hunter23@h/'\n  same: same-value c2FtZS12YWx1ZQ==\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: added\n";

    #[test]
    fn pairs_and_masks() {
        let (old, new) = (store(OLD), store(NEW));
        let m = Masker::new(&old, &new, None);
        let opts = DiffOptions {
            context: 3,
            old_name: "a".into(),
            new_name: "b".into(),
            ..Default::default()
        };
        let r = diff(&old, &new, &m, &opts);
        assert_eq!(
            r.summary,
            Summary {
                added: 1,
                removed: 1,
                changed: 2,
                unchanged: 0,
                ignored: 0
            }
        );
        let text = render_text(&r, false);
        for secret in [
            "secret-old",
            "secret-new",
            "c2VjcmV0LW9sZA==",
            "c2VjcmV0LW5ldw==",
            "same-value",
            "c2FtZS12YWx1ZQ==",
            "brand-new",
            "hunter22",
            "hunter23",
        ] {
            assert!(!text.contains(secret), "{secret} in\n{text}");
        }
        assert!(
            text.contains("-  password: <masked:db/password:old>"),
            "{text}"
        );
        assert!(text.contains("+  password: <masked:db/password:new>"));
        assert!(text.contains("<masked:url-password-1>@h/"), "{text}");
        assert!(text.contains("<masked:url-password-2>@h/"), "{text}");
        // The user name is also the URL's user: too close to an identifier? No: it is only
        // the value of a Secret, so it is masked too.
        assert!(!text.contains("Y3NnaHVi"));
        // An unchanged Secret value is a context line; its base64 form is masked elsewhere.
        assert!(text.contains("\n   same: <masked:db/same>\n"), "{text}");
        assert!(text.contains("+  same: <masked:db/same> <masked:db/same>\n"));
        assert!(
            text.contains("  removed  Deployment.apps ns/gone"),
            "{text}"
        );
        assert!(
            text.contains("  added    Deployment.apps ns/added"),
            "{text}"
        );
        let shown = diff(&old, &new, &Masker::off(), &opts);
        assert!(render_text(&shown, false).contains("secret-new"));
    }

    #[test]
    fn version_moves_are_changes_and_ignores_do_not_count() {
        let old = store("apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata:\n  name: i\n  labels:\n    app.kubernetes.io/version: '1'\n");
        let new = store("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  labels:\n    app.kubernetes.io/version: '2'\n");
        let m = Masker::new(&old, &new, None);
        let mut opts = DiffOptions::default();
        let r = diff(&old, &new, &m, &opts);
        assert_eq!(r.summary.changed, 1);
        let paths: Vec<&str> = r.objects[0]
            .changes
            .iter()
            .map(|c| c.path.as_str())
            .collect();
        assert_eq!(
            paths,
            [
                "apiVersion",
                r#"metadata.labels["app.kubernetes.io/version"]"#
            ]
        );
        opts.ignore = vec![
            IgnorePath::parse("apiVersion").unwrap(),
            IgnorePath::parse(r#"metadata.labels["app.kubernetes.io/version"]"#).unwrap(),
        ];
        let r = diff(&old, &new, &m, &opts);
        assert!(r.summary.equal());
        assert_eq!(r.summary.ignored, 1);
        assert_eq!(
            render_text(&r, false),
            "0 changed, 0 added, 0 removed, 1 unchanged (1 only in ignored fields)\n"
        );
    }

    #[test]
    fn colour_and_markdown() {
        let (old, new) = (store(OLD), store(NEW));
        let m = Masker::new(&old, &new, None);
        let r = diff(&old, &new, &m, &DiffOptions::default());
        let coloured = render_text(&r, true);
        assert!(coloured.contains("\x1b[31m-  password"), "{coloured}");
        assert!(!render_text(&r, false).contains('\x1b'));
        let md = render_markdown(&r);
        assert!(md.contains("```diff\n"), "{md}");
        assert!(
            md.contains("| removed | `Deployment.apps ns/gone` |"),
            "{md}"
        );
        assert_eq!(fence_for("a ``` b"), "````");
        let j = to_json(&r);
        assert_eq!(j["summary"]["changed"], json!(2));
        assert_eq!(j["objects"][0]["kind"], json!("Secret"));
    }
}
