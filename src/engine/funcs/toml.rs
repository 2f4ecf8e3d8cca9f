//! Helm's `toToml` and `fromToml` (Helm v4.1.4 pkg/engine/funcs.go over BurntSushi/toml
//! v1.6.0). The encoder is written here, as BurntSushi's encode.go lays TOML out: in each
//! table the plain keys first, then the sub-tables and arrays of tables, each group in key
//! order; nil values left out; `[a.b]` headers and their keys indented two spaces per level
//! below the top; a blank line before each top-level table and each `[[array]]` element;
//! floats in Go's `%g` with `.0` added when it has neither `.` nor an exponent. Parsing uses
//! the `toml` crate; TOML's integers come back as int64 and floats as float64, as in Go.

use super::{text, want, Func};
use crate::engine::value::{from_jinja, go_float, to_jinja};
use minijinja::{Error, Value};
use serde_json::Value as Tree;

pub(super) const FUNCS: &[(&str, Func)] = &[("toToml", to_toml), ("fromToml", from_toml)];

fn is_table(v: &Tree) -> bool {
    match v {
        Tree::Object(_) => true,
        Tree::Array(items) => !items.is_empty() && items.iter().all(Tree::is_object),
        _ => false,
    }
}

/// A key part bare when every character is `A-Za-z0-9_-`, else quoted.
fn key_part(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        quoted(k)
    }
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const NIL_ELEMENT: &str = "toml: cannot encode array with nil element";
const NO_KEY: &str = "toml: top-level values must be Go maps or structs";

struct Encoder {
    out: String,
}

impl Encoder {
    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn indent(&mut self, key: &[String]) {
        for _ in 1..key.len() {
            self.out.push_str("  ");
        }
    }

    fn element(&mut self, v: &Tree) -> Result<(), &'static str> {
        match v {
            Tree::Null => {}
            Tree::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Tree::Number(n) => {
                if let Some(i) = n.as_i64() {
                    self.out.push_str(&i.to_string());
                } else if let Some(u) = n.as_u64() {
                    self.out.push_str(&u.to_string());
                } else {
                    let f = n.as_f64().unwrap_or(0.0);
                    let s = go_float(f);
                    match s.as_str() {
                        "NaN" => self.out.push_str("nan"),
                        "+Inf" => self.out.push_str("inf"),
                        "-Inf" => self.out.push_str("-inf"),
                        _ if s.contains(['.', 'e']) => self.out.push_str(&s),
                        _ => {
                            self.out.push_str(&s);
                            self.out.push_str(".0");
                        }
                    }
                }
            }
            Tree::String(s) => self.out.push_str(&quoted(s)),
            Tree::Array(items) => {
                if items.iter().any(Tree::is_null) {
                    return Err(NIL_ELEMENT);
                }
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    self.element(item)?;
                    if i + 1 != items.len() {
                        self.out.push_str(", ");
                    }
                }
                self.out.push(']');
            }
            Tree::Object(_) => self.map(&[], v, true)?,
        }
        Ok(())
    }

    fn key_value(&mut self, key: &[String], v: &Tree, inline: bool) -> Result<(), &'static str> {
        let Some(last) = key.last() else {
            return self.element(v);
        };
        self.indent(key);
        self.out.push_str(&key_part(last));
        self.out.push_str(" = ");
        self.element(v)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }

    fn encode(&mut self, key: &[String], v: &Tree) -> Result<(), &'static str> {
        match v {
            Tree::Null => Ok(()),
            Tree::Array(items) if is_table(v) => {
                if key.is_empty() {
                    return Err(NO_KEY);
                }
                let header = key
                    .iter()
                    .map(|k| key_part(k))
                    .collect::<Vec<_>>()
                    .join(".");
                for item in items {
                    self.newline();
                    self.indent(key);
                    self.out.push_str(&format!("[[{header}]]"));
                    self.newline();
                    self.map(key, item, false)?;
                }
                Ok(())
            }
            Tree::Object(_) => {
                if key.len() == 1 {
                    self.newline();
                }
                if !key.is_empty() {
                    let header = key
                        .iter()
                        .map(|k| key_part(k))
                        .collect::<Vec<_>>()
                        .join(".");
                    self.indent(key);
                    self.out.push_str(&format!("[{header}]"));
                    self.newline();
                }
                self.map(key, v, false)
            }
            _ => self.key_value(key, v, false),
        }
    }

    fn map(&mut self, key: &[String], v: &Tree, inline: bool) -> Result<(), &'static str> {
        let Tree::Object(m) = v else {
            return Ok(());
        };
        // Classifying an array finds a nil element before anything of it is written.
        for item in m.values() {
            if let Tree::Array(a) = item {
                if a.iter().any(Tree::is_null) {
                    return Err(NIL_ELEMENT);
                }
            }
        }
        let mut direct: Vec<(&String, &Tree)> = m.iter().filter(|(_, x)| !is_table(x)).collect();
        let mut sub: Vec<(&String, &Tree)> = m.iter().filter(|(_, x)| is_table(x)).collect();
        direct.sort_by(|a, b| a.0.cmp(b.0));
        sub.sort_by(|a, b| a.0.cmp(b.0));
        if inline {
            self.out.push('{');
        }
        let trail = !sub.is_empty();
        for (group, trail_c) in [(&direct, trail), (&sub, false)] {
            for (i, (k, x)) in group.iter().enumerate() {
                if x.is_null() {
                    continue;
                }
                if inline {
                    self.key_value(&[(*k).clone()], x, true)?;
                    if trail_c || i + 1 != group.len() {
                        self.out.push_str(", ");
                    }
                } else {
                    let mut child = key.to_vec();
                    child.push((*k).clone());
                    self.encode(&child, x)?;
                }
            }
        }
        if inline {
            self.out.push('}');
        }
        Ok(())
    }
}

/// BurntSushi's `Encode` of a value; the error text when it refuses.
pub(crate) fn encode(v: &Tree) -> Result<String, &'static str> {
    let mut enc = Encoder { out: String::new() };
    enc.encode(&[], v)?;
    Ok(enc.out)
}

fn to_toml(a: &[Value]) -> Result<Value, Error> {
    want("toToml", a, 1, 1)?;
    if super::is_nil(&a[0]) {
        return Err(super::err(
            "toToml",
            "reflect: call of reflect.Value.Type on zero Value",
        ));
    }
    let tree = from_jinja(&a[0])?;
    Ok(Value::from(encode(&tree).unwrap_or_else(str::to_string)))
}

fn datetime_string(d: &toml::value::Datetime) -> String {
    // Go prints a time.Time as "2006-01-02 15:04:05.999999999 -0700 MST".
    let date = d
        .date
        .map(|x| format!("{:04}-{:02}-{:02}", x.year, x.month, x.day))
        .unwrap_or_else(|| "0000-01-01".to_string());
    let time = d
        .time
        .map(|t| {
            let mut s = format!("{:02}:{:02}:{:02}", t.hour, t.minute, t.second.unwrap_or(0));
            let ns = t.nanosecond.unwrap_or(0);
            if ns > 0 {
                let frac = format!("{ns:09}");
                s.push('.');
                s.push_str(frac.trim_end_matches('0'));
            }
            s
        })
        .unwrap_or_else(|| "00:00:00".to_string());
    let zone = match d.offset {
        Some(toml::value::Offset::Z) => "+0000 UTC".to_string(),
        Some(toml::value::Offset::Custom { minutes }) => {
            let sign = if minutes < 0 { '-' } else { '+' };
            let m = minutes.unsigned_abs();
            let z = format!("{sign}{:02}{:02}", m / 60, m % 60);
            format!("{z} {z}")
        }
        None => {
            let local = match (d.date.is_some(), d.time.is_some()) {
                (true, true) => "datetime-local",
                (true, false) => "date-local",
                _ => "time-local",
            };
            format!("+0000 {local}")
        }
    };
    format!("{date} {time} {zone}")
}

fn toml_to_tree(v: &toml::Value) -> Tree {
    match v {
        toml::Value::String(s) => Tree::String(s.clone()),
        toml::Value::Integer(i) => Tree::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(Tree::Number)
            .unwrap_or(Tree::Null),
        toml::Value::Boolean(b) => Tree::Bool(*b),
        toml::Value::Datetime(d) => Tree::String(datetime_string(d)),
        toml::Value::Array(a) => Tree::Array(a.iter().map(toml_to_tree).collect()),
        toml::Value::Table(t) => Tree::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_tree(v)))
                .collect(),
        ),
    }
}

/// `fromToml TEXT`: the document as a map, or `{Error: ...}` when it does not parse.
fn from_toml(a: &[Value]) -> Result<Value, Error> {
    want("fromToml", a, 1, 1)?;
    let src = text(&a[0]);
    let tree = match src.parse::<toml::Table>() {
        Ok(t) => toml_to_tree(&toml::Value::Table(t)),
        Err(e) => {
            let line = e
                .span()
                .map(|s| src[..s.start.min(src.len())].matches('\n').count() + 1)
                .unwrap_or(1);
            let msg = e.message().trim_end().to_string();
            serde_json::json!({ "Error": format!("toml: line {line}: {msg}") })
        }
    };
    let v = to_jinja(&tree);
    // to_jinja turns whole floats into floats already; integers stay int64.
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::encode;
    use serde_json::json;

    #[test]
    fn tables_come_after_plain_keys_and_indent() {
        let v = json!({"z": 1, "a": {"b": {"c": "x"}, "k": [1, 2]}, "list": [{"n": 1}, {"n": 2}], "f": 1.0, "g": 1e21});
        assert_eq!(
            encode(&v).unwrap(),
            "f = 1.0\ng = 1e+21\nz = 1\n\n[a]\n  k = [1, 2]\n  [a.b]\n    c = \"x\"\n\n[[list]]\n  n = 1\n\n[[list]]\n  n = 2\n"
        );
    }

    #[test]
    fn odd_keys_strings_and_nils() {
        let v = json!({"a b": "q\"\u{1}\n", "": 1, "n": null, "m": [1, {"x": null, "y": [2]}]});
        assert_eq!(
            encode(&v).unwrap(),
            "\"\" = 1\n\"a b\" = \"q\\\"\\u0001\\n\"\nm = [1, {y = [2]}]\n"
        );
        assert_eq!(
            encode(&json!({"a": [1, null]})).unwrap_err(),
            "toml: cannot encode array with nil element"
        );
        assert_eq!(encode(&json!("s")).unwrap(), "\"s\"");
        assert_eq!(
            encode(&json!([{"a": 1}])).unwrap_err(),
            "toml: top-level values must be Go maps or structs"
        );
    }

    #[test]
    fn from_toml_keeps_go_types() {
        assert_eq!(
            r(
                r#"{% set t = fromToml("a = 1\nb = 1.5\n[c]\nd = [true]") %}{{ t.a | kindOf }} {{ t.b }} {{ t.c.d }}"#
            ),
            "int64 1.5 [true]"
        );
        assert!(r(r#"{{ fromToml("a = ").Error }}"#).starts_with("toml: line 1"));
    }
}
