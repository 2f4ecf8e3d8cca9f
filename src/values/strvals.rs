//! The `--set` family's syntax, as Helm's pkg/strvals parses it: `a.b=1,c[0]=x,d={x,y}`,
//! `\` escapes the next character, ints and bools are typed (`--set`), or everything is a
//! string (`--set-string`), a file's text (`--set-file`) or a JSON value (`--set-json`);
//! `--set-literal` takes everything after the first `=` as the value.
//!
//! The parser writes into the values read so far (Helm's `base`), in place, as Helm does: a key
//! that walks into a non-map fails with Go's conversion message, `list[3]=x` pads with nulls.

use super::tree::{new_map, MapRef, Node, V};
use super::Src;

/// Helm's `strvals.MaxIndex`.
pub const MAX_INDEX: i64 = 65536;
/// Helm's `strvals.MaxNestedNameLevel`.
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// An error of the parser. `eof` marks errors that are (or wrap) Go's `io.EOF`: Helm v4's
/// `parse` stops quietly on them (`errors.Is(err, io.EOF)`).
#[derive(Debug, Clone)]
pub struct PErr {
    pub msg: String,
    pub eof: bool,
}

fn err(msg: impl Into<String>) -> PErr {
    PErr {
        msg: msg.into(),
        eof: false,
    }
}

fn eof() -> PErr {
    PErr {
        msg: "EOF".into(),
        eof: true,
    }
}

/// `fmt.Errorf("...: %w", e)`: the wrapped error is still EOF if `e` was.
fn wrap(prefix: &str, e: PErr) -> PErr {
    PErr {
        msg: format!("{prefix}: {}", e.msg),
        eof: e.eof,
    }
}

/// What a value turns into.
pub enum Mode<'a> {
    /// `--set`: ints, bools and null typed.
    Typed,
    /// `--set-string`.
    String,
    /// `--set-file`: the value is a path; the reader returns the file's text.
    File(&'a mut dyn FnMut(&str) -> Result<String, String>),
    /// `--set-json`.
    Json,
}

/// Parses one `--set`-style argument into `data`.
pub(crate) fn parse_into(
    s: &str,
    data: &MapRef,
    mode: Mode<'_>,
    origin: &Src,
) -> Result<(), String> {
    let mut p = Parser {
        sc: s.chars().collect(),
        pos: 0,
        mode,
        origin: origin.clone(),
    };
    loop {
        match p.key(data, 0) {
            Ok(()) => continue,
            Err(e) if e.eof => return Ok(()),
            Err(e) => return Err(e.msg),
        }
    }
}

/// Parses one `--set-literal` argument into `data`.
pub(crate) fn parse_literal_into(s: &str, data: &MapRef, origin: &Src) -> Result<(), String> {
    let mut p = Parser {
        sc: s.chars().collect(),
        pos: 0,
        mode: Mode::String,
        origin: origin.clone(),
    };
    loop {
        match p.literal_key(data, 0) {
            Ok(()) => continue,
            Err(e) if e.eof => return Ok(()),
            Err(e) => return Err(e.msg),
        }
    }
}

struct Parser<'a> {
    sc: Vec<char>,
    pos: usize,
    mode: Mode<'a>,
    origin: Src,
}

/// Go's `strconv.Quote` for the messages.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%q` of a `[]rune`: each rune quoted, in brackets.
fn go_quote_runes(r: &[char]) -> String {
    let parts: Vec<String> = r
        .iter()
        .map(|c| match c {
            '\'' => "'\\''".to_string(),
            '\\' => "'\\\\'".to_string(),
            c => {
                let q = go_quote(&c.to_string());
                format!("'{}'", &q[1..q.len() - 1])
            }
        })
        .collect();
    format!("[{}]", parts.join(" "))
}

/// The panic Go raises on a failed type assertion, as `key` recovers it.
fn conversion(found: &Node, want: &str) -> PErr {
    err(format!(
        "unable to parse key: interface conversion: interface {{}} is {}, not {want}",
        found.go_type()
    ))
}

/// Go's `strconv.Atoi` (base 10, optional sign).
fn atoi(s: &str) -> Result<i64, PErr> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            go_quote(s)
        )));
    }
    s.parse::<i64>().map_err(|_| {
        err(format!(
            "strconv.Atoi: parsing {}: value out of range",
            go_quote(s)
        ))
    })
}

/// Go's `strings.EqualFold` against a lower-case ASCII word: Unicode simple case folding, under
/// which the only letters outside ASCII equal to ASCII ones are `ſ` (s) and the Kelvin sign (k).
fn go_equal_fold(val: &str, word: &str) -> bool {
    let mut w = word.chars();
    for c in val.chars() {
        let folded = match c {
            '\u{17F}' => 's',
            '\u{212A}' => 'k',
            c => c.to_ascii_lowercase(),
        };
        if w.next() != Some(folded) {
            return false;
        }
    }
    w.next().is_none()
}

/// Helm's `typedVal`.
fn typed_val(val: &str, as_string: bool) -> V {
    if as_string {
        return V::Str(val.to_string());
    }
    if go_equal_fold(val, "true") {
        return V::Bool(true);
    }
    if go_equal_fold(val, "false") {
        return V::Bool(false);
    }
    if go_equal_fold(val, "null") {
        return V::Null;
    }
    if val == "0" {
        return V::Int(0);
    }
    if !val.is_empty() && !val.starts_with('0') {
        let digits = val.strip_prefix(['+', '-']).unwrap_or(val);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(i) = val.parse::<i64>() {
                return V::Int(i);
            }
        }
    }
    V::Str(val.to_string())
}

fn set(data: &MapRef, key: &str, val: Node) {
    if key.is_empty() {
        return;
    }
    data.borrow_mut().insert(key.to_string(), val);
}

fn set_index(mut list: Vec<Node>, index: i64, val: Node) -> (Vec<Node>, Result<(), PErr>) {
    if index < 0 {
        return (
            list,
            Err(err(format!("negative {index} index not allowed"))),
        );
    }
    if index > MAX_INDEX {
        return (
            list,
            Err(err(format!(
                "index of {index} is greater than maximum supported index of {MAX_INDEX}"
            ))),
        );
    }
    let i = index as usize;
    if list.len() <= i {
        list.resize(i + 1, Node::null());
    }
    list[i] = val;
    (list, Ok(()))
}

enum ListErr {
    NotList,
    Other(PErr),
}

impl Parser<'_> {
    fn read(&mut self) -> Option<char> {
        let c = self.sc.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn unread(&mut self) {
        self.pos = self.pos.saturating_sub(1);
    }

    /// Helm's `runesUntil`: the runes up to a stop rune (escapes resolved), the stop rune,
    /// or `None` at the end of the input.
    fn runes_until(&mut self, stop: &[char]) -> (Vec<char>, Option<char>) {
        let mut v = Vec::new();
        loop {
            match self.read() {
                None => return (v, None),
                Some(r) if stop.contains(&r) => return (v, Some(r)),
                Some('\\') => match self.read() {
                    None => return (v, None),
                    Some(n) => v.push(n),
                },
                Some(r) => v.push(r),
            }
        }
    }

    fn runes_until_literal(&mut self, stop: &[char]) -> (Vec<char>, Option<char>) {
        let mut v = Vec::new();
        loop {
            match self.read() {
                None => return (v, None),
                Some(r) if stop.contains(&r) => return (v, Some(r)),
                Some(r) => v.push(r),
            }
        }
    }

    fn node(&self, v: V) -> Node {
        Node::new(v, Some(self.origin.clone()))
    }

    fn reader(&mut self, rs: &[char]) -> Result<Node, PErr> {
        let s: String = rs.iter().collect();
        let v = match &mut self.mode {
            Mode::Typed => typed_val(&s, false),
            Mode::String | Mode::Json => typed_val(&s, true),
            Mode::File(read) => V::Str(read(&s).map_err(err)?),
        };
        Ok(self.node(v))
    }

    fn is_json(&self) -> bool {
        matches!(self.mode, Mode::Json)
    }

    fn key_index(&mut self, literal: bool) -> Result<i64, PErr> {
        let (v, last) = if literal {
            self.runes_until_literal(&[']'])
        } else {
            self.runes_until(&[']'])
        };
        if last.is_none() {
            return Err(eof());
        }
        atoi(&v.iter().collect::<String>())
    }

    fn existing_list(data: &MapRef, key: &str) -> Result<(Vec<Node>, Option<Src>), PErr> {
        match data.borrow().get(key) {
            None => Ok((Vec::new(), None)),
            Some(Node { v: V::List(l), o }) => Ok((l.clone(), o.clone())),
            Some(other) => Err(conversion(other, "[]interface {}")),
        }
    }

    fn existing_map(data: &MapRef, key: &str) -> Result<(MapRef, Option<Src>), PErr> {
        match data.borrow().get(key) {
            None => Ok((new_map(), None)),
            Some(Node { v: V::Map(m), o }) => Ok((m.clone(), o.clone())),
            Some(other) => Err(conversion(other, "map[string]interface {}")),
        }
    }

    fn key(&mut self, data: &MapRef, level: usize) -> Result<(), PErr> {
        let (k, last) = self.runes_until(&['=', '[', ',', '.']);
        let ks: String = k.iter().collect();
        match last {
            None => {
                if k.is_empty() {
                    Err(eof())
                } else {
                    Err(err(format!("key {} has no value", go_quote(&ks))))
                }
            }
            Some('[') => {
                let i = self
                    .key_index(false)
                    .map_err(|e| wrap("error parsing index", e))?;
                let (list, o) = Self::existing_list(data, &ks)?;
                let (list, res) = self.list_item(list, i, level);
                let o = o.or_else(|| Some(self.origin.clone()));
                set(data, &ks, Node::new(V::List(list), o));
                res
            }
            Some('=') => {
                if self.is_json() {
                    if self.empty_val() {
                        set(data, &ks, self.node(V::Null));
                        return Ok(());
                    }
                    let v = self.json_value()?;
                    set(data, &ks, v);
                    self.empty_val();
                    return Ok(());
                }
                match self.val_list() {
                    Ok(l) => {
                        set(data, &ks, self.node(V::List(l)));
                        Ok(())
                    }
                    Err(ListErr::Other(e)) if e.eof => {
                        set(data, &ks, self.node(V::Str(String::new())));
                        Err(e)
                    }
                    Err(ListErr::NotList) => {
                        let (rs, _) = self.runes_until(&[',']);
                        let v = self.reader(&rs)?;
                        set(data, &ks, v);
                        Ok(())
                    }
                    Err(ListErr::Other(e)) => Err(e),
                }
            }
            Some(',') => {
                set(data, &ks, self.node(V::Str(String::new())));
                Err(err(format!(
                    "key {} has no value (cannot end with ,)",
                    go_quote(&ks)
                )))
            }
            Some(_) => {
                // '.'
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(err(format!("value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}")));
                }
                let (inner, o) = Self::existing_map(data, &ks)?;
                let e = self.key(&inner, level);
                let empty = inner.borrow().is_empty();
                if e.is_ok() && empty {
                    return Err(err(format!("key map {} has no value", go_quote(&ks))));
                }
                if !empty {
                    let o = o.or_else(|| Some(self.origin.clone()));
                    set(data, &ks, Node::map(inner, o));
                }
                e
            }
        }
    }

    fn list_item(
        &mut self,
        mut list: Vec<Node>,
        i: i64,
        level: usize,
    ) -> (Vec<Node>, Result<(), PErr>) {
        if i < 0 {
            return (list, Err(err(format!("negative {i} index not allowed"))));
        }
        let (k, last) = self.runes_until(&['[', '.', '=']);
        if !k.is_empty() {
            return (
                list,
                Err(err(format!(
                    "unexpected data at end of array index: {}",
                    go_quote_runes(&k)
                ))),
            );
        }
        match last {
            None => (list, Err(eof())),
            Some('=') => {
                if self.is_json() {
                    if self.empty_val() {
                        let n = self.node(V::Null);
                        return set_index(list, i, n);
                    }
                    let v = match self.json_value() {
                        Ok(v) => v,
                        Err(e) => return (list, Err(e)),
                    };
                    let (list, r) = set_index(list, i, v);
                    if r.is_err() {
                        return (list, r);
                    }
                    self.empty_val();
                    return (list, Ok(()));
                }
                match self.val_list() {
                    Ok(l) => {
                        let n = self.node(V::List(l));
                        set_index(list, i, n)
                    }
                    Err(ListErr::Other(e)) if e.eof => {
                        let n = self.node(V::Str(String::new()));
                        set_index(list, i, n)
                    }
                    Err(ListErr::NotList) => {
                        let (rs, _) = self.runes_until(&[',']);
                        match self.reader(&rs) {
                            Ok(v) => set_index(list, i, v),
                            Err(e) => (list, Err(e)),
                        }
                    }
                    Err(ListErr::Other(e)) => (list, Err(e)),
                }
            }
            Some('[') => {
                let next = match self.key_index(false) {
                    Ok(n) => n,
                    Err(e) => return (list, Err(wrap("error parsing index", e))),
                };
                let mut crt = Vec::new();
                let mut o = None;
                if (list.len() as i64) > i {
                    match &list[i as usize] {
                        Node { v: V::Null, .. } => {}
                        Node {
                            v: V::List(l),
                            o: lo,
                        } => {
                            crt = l.clone();
                            o = lo.clone();
                        }
                        other => {
                            let e = conversion(other, "[]interface {}");
                            return (list, Err(e));
                        }
                    }
                }
                let (list2, r) = self.list_item(crt, next, level);
                if let Err(e) = r {
                    return (list, Err(e));
                }
                let o = o.or_else(|| Some(self.origin.clone()));
                set_index(list, i, Node::new(V::List(list2), o))
            }
            Some(_) => {
                // '.'
                let mut inner = new_map();
                let mut o = None;
                if (list.len() as i64) > i {
                    let idx = i as usize;
                    match &list[idx] {
                        Node {
                            v: V::Map(m),
                            o: mo,
                        } => {
                            inner = m.clone();
                            o = mo.clone();
                        }
                        _ => {
                            list[idx] = Node::map(inner.clone(), Some(self.origin.clone()));
                        }
                    }
                }
                if let Err(e) = self.key(&inner, level) {
                    return (list, Err(e));
                }
                let o = o.or_else(|| Some(self.origin.clone()));
                set_index(list, i, Node::map(inner, o))
            }
        }
    }

    /// Helm's `emptyVal`: skips blanks; true at the end of input or a comma (consumed).
    fn empty_val(&mut self) -> bool {
        loop {
            match self.read() {
                None => return true,
                Some(',') => return true,
                Some(c) if c.is_whitespace() => continue,
                Some(_) => {
                    self.unread();
                    return false;
                }
            }
        }
    }

    fn json_value(&mut self) -> Result<Node, PErr> {
        let rest: String = self.sc[self.pos..].iter().collect();
        let (v, used) = super::gojsonread::decode_prefix(&rest).map_err(err)?;
        self.pos += rest[..used].chars().count();
        Ok(Node::new(
            super::tree::Node::from_value(&v, Some(&self.origin)).v,
            Some(self.origin.clone()),
        ))
    }

    fn val_list(&mut self) -> Result<Vec<Node>, ListErr> {
        match self.read() {
            None => return Err(ListErr::Other(eof())),
            Some('{') => {}
            Some(_) => {
                self.unread();
                return Err(ListErr::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.runes_until(&[',', '}']);
            match last {
                None => return Err(ListErr::Other(err("list must terminate with '}'"))),
                Some('}') => {
                    match self.read() {
                        Some(',') | None => {}
                        Some(_) => self.unread(),
                    }
                    let v = self.reader(&rs).map_err(ListErr::Other)?;
                    list.push(v);
                    return Ok(list);
                }
                Some(_) => {
                    let v = self.reader(&rs).map_err(ListErr::Other)?;
                    list.push(v);
                }
            }
        }
    }

    // --set-literal

    fn literal_key(&mut self, data: &MapRef, level: usize) -> Result<(), PErr> {
        let (k, last) = self.runes_until_literal(&['=', '[', '.']);
        let ks: String = k.iter().collect();
        match last {
            None => {
                if k.is_empty() {
                    Err(eof())
                } else {
                    Err(err(format!("key {} has no value", go_quote(&ks))))
                }
            }
            Some('=') => {
                let (v, _) = self.runes_until_literal(&[]);
                set(data, &ks, self.node(V::Str(v.iter().collect())));
                Ok(())
            }
            Some('.') => {
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(err(format!("value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}")));
                }
                let (inner, o) = Self::existing_map(data, &ks)?;
                let e = self.literal_key(&inner, level);
                let empty = inner.borrow().is_empty();
                if e.is_ok() && empty {
                    return Err(err(format!("key map {} has no value", go_quote(&ks))));
                }
                if !empty {
                    let o = o.or_else(|| Some(self.origin.clone()));
                    set(data, &ks, Node::map(inner, o));
                }
                e
            }
            Some(_) => {
                // '['
                let i = self
                    .key_index(true)
                    .map_err(|e| wrap("error parsing index", e))?;
                let (list, o) = Self::existing_list(data, &ks)?;
                let (list, res) = self.literal_list_item(list, i, level);
                let o = o.or_else(|| Some(self.origin.clone()));
                set(data, &ks, Node::new(V::List(list), o));
                res
            }
        }
    }

    fn literal_list_item(
        &mut self,
        mut list: Vec<Node>,
        i: i64,
        level: usize,
    ) -> (Vec<Node>, Result<(), PErr>) {
        if i < 0 {
            return (list, Err(err(format!("negative {i} index not allowed"))));
        }
        let (k, last) = self.runes_until_literal(&['[', '.', '=']);
        if !k.is_empty() {
            return (
                list,
                Err(err(format!(
                    "unexpected data at end of array index: {}",
                    go_quote_runes(&k)
                ))),
            );
        }
        match last {
            None => (list, Err(eof())),
            Some('=') => {
                let (v, _) = self.runes_until_literal(&[]);
                let n = self.node(V::Str(v.iter().collect()));
                set_index(list, i, n)
            }
            Some('.') => {
                let mut inner = new_map();
                let mut o = None;
                if (list.len() as i64) > i {
                    let idx = i as usize;
                    match &list[idx] {
                        Node {
                            v: V::Map(m),
                            o: mo,
                        } => {
                            inner = m.clone();
                            o = mo.clone();
                        }
                        _ => {
                            list[idx] = Node::map(inner.clone(), Some(self.origin.clone()));
                        }
                    }
                }
                if let Err(e) = self.literal_key(&inner, level) {
                    return (list, Err(e));
                }
                let o = o.or_else(|| Some(self.origin.clone()));
                set_index(list, i, Node::map(inner, o))
            }
            Some(_) => {
                let next = match self.key_index(true) {
                    Ok(n) => n,
                    Err(e) => return (list, Err(wrap("error parsing index", e))),
                };
                let mut crt = Vec::new();
                let mut o = None;
                if (list.len() as i64) > i {
                    match &list[i as usize] {
                        Node { v: V::Null, .. } => {}
                        Node {
                            v: V::List(l),
                            o: lo,
                        } => {
                            crt = l.clone();
                            o = lo.clone();
                        }
                        other => {
                            let e = conversion(other, "[]interface {}");
                            return (list, Err(e));
                        }
                    }
                }
                let (list2, r) = self.literal_list_item(crt, next, level);
                if let Err(e) = r {
                    return (list, Err(e));
                }
                let o = o.or_else(|| Some(self.origin.clone()));
                set_index(list, i, Node::new(V::List(list2), o))
            }
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn words_match_with_gos_unicode_case_folding() {
        assert!(go_equal_fold("falſe", "false"));
        assert!(go_equal_fold("TRUE", "true"));
        assert!(!go_equal_fold("truex", "true"));
        assert!(!go_equal_fold("tru", "true"));
        assert!(!go_equal_fold("nuĺl", "null"));
    }

    use super::super::tree::map_to_value;
    use super::*;

    fn run(s: &str, mode: Mode<'_>) -> Result<String, String> {
        let m = new_map();
        let o = Src::new("--set", None);
        parse_into(s, &m, mode, &o)?;
        Ok(serde_json::to_string(&map_to_value(&m)).unwrap())
    }

    fn typed(s: &str) -> Result<String, String> {
        run(s, Mode::Typed)
    }

    #[test]
    fn typed_values() {
        assert_eq!(
            typed("a=1,b=true,c=null,d=0,e=012,f=-3,g=TRUE").unwrap(),
            r#"{"a":1,"b":true,"c":null,"d":0,"e":"012","f":-3,"g":true}"#
        );
        assert_eq!(typed("a.b.c=x").unwrap(), r#"{"a":{"b":{"c":"x"}}}"#);
        assert_eq!(typed("a={x,y},b=2").unwrap(), r#"{"a":["x","y"],"b":2}"#);
        assert_eq!(typed(r"a=x\,y,b\.c=1").unwrap(), r#"{"a":"x,y","b.c":1}"#);
        assert_eq!(typed("l[2]=x").unwrap(), r#"{"l":[null,null,"x"]}"#);
        assert_eq!(
            typed("l[0].a=1,l[0].b=2").unwrap(),
            r#"{"l":[{"a":1,"b":2}]}"#
        );
        assert_eq!(typed("l[1][0]=x").unwrap(), r#"{"l":[null,["x"]]}"#);
        assert_eq!(typed("a=").unwrap(), r#"{"a":""}"#);
        assert_eq!(typed("a=b=c").unwrap(), r#"{"a":"b=c"}"#);
        assert_eq!(
            typed("a=99999999999999999999").unwrap(),
            r#"{"a":"99999999999999999999"}"#
        );
    }

    #[test]
    fn typed_errors() {
        assert_eq!(typed("a").unwrap_err(), r#"key "a" has no value"#);
        assert_eq!(typed("a.b").unwrap_err(), r#"key "b" has no value"#);
        assert_eq!(
            typed("a,b=1").unwrap_err(),
            r#"key "a" has no value (cannot end with ,)"#
        );
        assert_eq!(
            typed("a[-1]=1").unwrap_err(),
            "negative -1 index not allowed"
        );
        assert_eq!(
            typed("a[65537]=1").unwrap_err(),
            "index of 65537 is greater than maximum supported index of 65536"
        );
        assert_eq!(
            typed("a[x]=1").unwrap_err(),
            r#"error parsing index: strconv.Atoi: parsing "x": invalid syntax"#
        );
        assert_eq!(
            typed("a[0]xy=1").unwrap_err(),
            "unexpected data at end of array index: ['x' 'y']"
        );
        assert_eq!(typed("a={x,y").unwrap_err(), "list must terminate with '}'");
        assert_eq!(typed("a.=1").unwrap_err(), r#"key map "a" has no value"#);
        assert!(typed("a=1,a.b=2")
            .unwrap_err()
            .contains("interface {} is int64, not map"));
        // v4 stops quietly at an index cut short (errors.Is(err, io.EOF)).
        assert_eq!(typed("a[1").unwrap(), "{}");
        assert_eq!(typed("a[0]").unwrap(), r#"{"a":[]}"#);
        let deep = (0..32)
            .map(|i| format!("k{i}"))
            .collect::<Vec<_>>()
            .join(".")
            + "=1";
        assert!(typed(&deep).unwrap_err().contains("nested level"));
    }

    #[test]
    fn strings_files_json_literal() {
        assert_eq!(
            run("a=1,b=true", Mode::String).unwrap(),
            r#"{"a":"1","b":"true"}"#
        );
        let mut reader = |p: &str| Ok(format!("<{p}>"));
        assert_eq!(
            run("a=x", Mode::File(&mut reader)).unwrap(),
            r#"{"a":"<x>"}"#
        );
        assert_eq!(
            run(r#"a={"b":[1,2]},c=,d="x""#, Mode::Json).unwrap(),
            r#"{"a":{"b":[1.0,2.0]},"c":null,"d":"x"}"#
        );
        assert_eq!(run("a=1b=2", Mode::Json).unwrap(), r#"{"a":1.0,"b":2.0}"#);
        assert!(run("a=tru", Mode::Json).is_err());
        let m = new_map();
        let o = Src::new("x", None);
        parse_literal_into("a.b=x,y=z\\n", &m, &o).unwrap();
        assert_eq!(
            serde_json::to_string(&map_to_value(&m)).unwrap(),
            r#"{"a":{"b":"x,y=z\\n"}}"#
        );
    }
}
