//! Reading JSON as Go's encoding/json decodes it into `interface{}`: every number a float64,
//! the last of duplicate keys wins, and (for `json.Decoder`) one value is read from the front
//! of the input, the rest left for the caller (`--set-json a=1,b=2`).

use crate::{Map, Value};

/// Decodes the first JSON value of `s` (after leading blanks), returning it and the number of
/// bytes it used (Go's `Decoder.InputOffset`).
pub fn decode_prefix(s: &str) -> Result<(Value, usize), String> {
    let mut p = P {
        b: s.as_bytes(),
        s,
        i: 0,
    };
    p.ws();
    if p.i >= p.b.len() {
        return Err("unexpected end of JSON input".into());
    }
    let v = p.value(0)?;
    Ok((v, p.i))
}

/// Decodes the whole of `s` as one JSON value (Go's `json.Unmarshal`).
pub fn decode_all(s: &str) -> Result<Value, String> {
    let (v, used) = decode_prefix(s)?;
    let rest = &s[used..];
    if let Some(c) = rest
        .chars()
        .find(|c| !matches!(c, ' ' | '\t' | '\n' | '\r'))
    {
        return Err(format!(
            "invalid character {} after top-level value",
            quote_char(c)
        ));
    }
    Ok(v)
}

fn quote_char(c: char) -> String {
    match c {
        '\'' => "'\\''".into(),
        '"' => "'\"'".into(),
        c => format!("'{c}'"),
    }
}

struct P<'a> {
    b: &'a [u8],
    s: &'a str,
    i: usize,
}

impl P<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn bad(&self, ctx: &str) -> String {
        match self.s[self.i..].chars().next() {
            None => "unexpected end of JSON input".into(),
            Some(c) => format!("invalid character {} {ctx}", quote_char(c)),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        // encoding/json refuses the 10,001st nested array or object.
        if depth >= 10000 && matches!(self.b.get(self.i), Some(b'{' | b'[')) {
            return Err(self.bad("exceeded max depth"));
        }
        match self.b.get(self.i) {
            None => Err("unexpected end of JSON input".into()),
            Some(b'{') => {
                self.i += 1;
                let mut m = Map::new();
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Value::Object(m));
                }
                loop {
                    self.ws();
                    if self.b.get(self.i) != Some(&b'"') {
                        return Err(self.bad("looking for beginning of object key string"));
                    }
                    let k = self.string()?;
                    self.ws();
                    if self.b.get(self.i) != Some(&b':') {
                        return Err(self.bad("after object key"));
                    }
                    self.i += 1;
                    self.ws();
                    let v = self.value(depth + 1)?;
                    m.insert(k, v);
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Value::Object(m));
                        }
                        _ => return Err(self.bad("after object key:value pair")),
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut a = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(Value::Array(a));
                }
                loop {
                    self.ws();
                    a.push(self.value(depth + 1)?);
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Value::Array(a));
                        }
                        _ => return Err(self.bad("after array element")),
                    }
                }
            }
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b't') => self.lit("true", Value::Bool(true)),
            Some(b'f') => self.lit("false", Value::Bool(false)),
            Some(b'n') => self.lit("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.bad("looking for beginning of value")),
        }
    }

    fn lit(&mut self, word: &str, v: Value) -> Result<Value, String> {
        for (k, w) in word.bytes().enumerate() {
            if self.b.get(self.i) != Some(&w) {
                return Err(self.bad(&format!(
                    "in literal {word} (expecting '{}')",
                    word.as_bytes()[k] as char
                )));
            }
            self.i += 1;
        }
        Ok(v)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.i < self.b.len() && self.b[self.i].is_ascii_digit() {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.i;
        if self.b[self.i] == b'-' {
            self.i += 1;
        }
        match self.b.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.bad("in numeric literal")),
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.bad("after decimal point in numeric literal"));
            }
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.bad("in exponent of numeric literal"));
            }
        }
        let text = &self.s[start..self.i];
        let f: f64 = text
            .parse()
            .map_err(|_| format!("cannot unmarshal number {text} into Go value of type float64"))?;
        if !f.is_finite() {
            return Err(format!(
                "json: cannot unmarshal number {text} into Go value of type float64"
            ));
        }
        serde_json::Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| format!("cannot unmarshal number {text}"))
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let h = self.s.get(at..at + 4)?;
        u32::from_str_radix(h, 16).ok()
    }

    fn string(&mut self) -> Result<String, String> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            let Some(c) = self.s[self.i..].chars().next() else {
                return Err("unexpected end of JSON input".into());
            };
            match c {
                '"' => {
                    self.i += 1;
                    return Ok(out);
                }
                '\\' => {
                    self.i += 1;
                    let Some(&e) = self.b.get(self.i) else {
                        return Err("unexpected end of JSON input".into());
                    };
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\x08'),
                        b'f' => out.push('\x0c'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let Some(u) = self.hex4(self.i) else {
                                return Err(self.bad("in \\u hexadecimal character escape"));
                            };
                            self.i += 4;
                            if (0xD800..0xDC00).contains(&u)
                                && self.s.get(self.i..self.i + 2) == Some("\\u")
                            {
                                if let Some(lo) = self.hex4(self.i + 2) {
                                    if (0xDC00..0xE000).contains(&lo) {
                                        self.i += 6;
                                        let c = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                                        out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                                        continue;
                                    }
                                }
                            }
                            out.push(char::from_u32(u).unwrap_or('\u{FFFD}'));
                        }
                        _ => {
                            self.i -= 1;
                            return Err(self.bad("in string escape code"));
                        }
                    }
                }
                c if (c as u32) < 0x20 => return Err(self.bad("in string literal")),
                c => {
                    out.push(c);
                    self.i += c.len_utf8();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_reads_one_value() {
        let (v, n) = decode_prefix(r#"{"a":[1,"x\u00e9"]},rest"#).unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"a":[1.0,"xé"]}"#);
        assert_eq!(n, 19);
        assert_eq!(decode_prefix("1b").unwrap().1, 1);
        assert!(decode_prefix("tru").is_err());
        assert!(decode_prefix("1e999").is_err());
        assert!(decode_all("{} x").is_err());
        assert_eq!(
            decode_all(r#" {"a":1,"a":2} "#).unwrap()["a"],
            serde_json::json!(2.0)
        );
    }
}
