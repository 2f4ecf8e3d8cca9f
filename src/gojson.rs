//! JSON as Go's encoding/json writes it: map keys sorted, `<`, `>`, `&` escaped as `\u003c`...
//! (json.Marshal), floats in Go's shortest form. Helm's `toJson`, `toPrettyJson` and
//! `toRawJson` print through these.

use crate::Value;

/// `json.Marshal`: compact, keys sorted, HTML characters escaped (Helm's `toJson`).
pub fn to_json(v: &Value) -> String {
    let mut out = String::new();
    write(&mut out, v, true, None, 0);
    out
}

/// `json.MarshalIndent(v, "", "  ")` (Helm's `toPrettyJson`).
pub fn to_pretty_json(v: &Value) -> String {
    let mut out = String::new();
    write(&mut out, v, true, Some("  "), 0);
    out
}

/// A `json.Encoder` with `SetEscapeHTML(false)`, its trailing newline trimmed (Helm's
/// `toRawJson`): like [`to_json`] but `<`, `>` and `&` are left as they are.
pub fn to_raw_json(v: &Value) -> String {
    let mut out = String::new();
    write(&mut out, v, false, None, 0);
    out
}

/// A float64 as encoding/json prints it: the shortest form that reads back the same, in
/// exponent form only when the exponent is below -6 or at least 21 (`1e+21`, `1e-7`).
pub fn format_float(f: f64) -> String {
    crate::yaml::format_json_float(f)
}

/// A float64 as Go's `%v` (`strconv.FormatFloat(f, 'g', -1, 64)`) prints it: shortest digits,
/// exponent form below 1e-4 or from 1e6 on (`5432`, `1.5`, `1e+06`), `NaN`, `+Inf`, `-Inf`.
pub fn format_float_v(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    crate::yaml::format_g(f, false)
}

/// A number as encoding/json prints it (integers as integers, floats via [`format_float`]).
pub fn format_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        format_float(n.as_f64().unwrap_or(0.0))
    }
}

fn newline(out: &mut String, indent: Option<&str>, depth: usize) {
    if let Some(ind) = indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(ind);
        }
    }
}

fn write(out: &mut String, v: &Value, html: bool, indent: Option<&str>, depth: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&format_number(n)),
        Value::String(s) => write_string(out, s, html),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                write(out, item, html, indent, depth + 1);
            }
            newline(out, indent, depth);
            out.push(']');
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (k, val)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                write_string(out, k, html);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write(out, val, html, indent, depth + 1);
            }
            newline(out, indent, depth);
            out.push('}');
        }
    }
}

/// A Go JSON string literal.
pub fn write_string(out: &mut String, s: &str, html: bool) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let bad = may_hold_bad_bytes(s);
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        let mut len = c.len_utf8();
        if bad
            && go_chars(&s[i..])
                .next()
                .is_some_and(|(_, _, g)| matches!(g, GoChar::Bad(_)))
        {
            // A byte that is not UTF-8: encoding/json writes \ufffd.
            if let Some((j, t)) = chars.next() {
                len = j + t.len_utf8() - i;
            }
            out.push_str(&s[start..i]);
            out.push_str("\\ufffd");
            start = i + len;
            continue;
        }
        let esc: Option<&str> = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            '<' | '>' | '&' if html => None,
            '\u{2028}' | '\u{2029}' => None,
            c if (c as u32) < 0x20 => None,
            _ => continue,
        };
        out.push_str(&s[start..i]);
        match esc {
            Some(e) => out.push_str(e),
            None => {
                let u = c as u32;
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[((u >> shift) & 0xF) as usize] as char);
                }
            }
        }
        start = i + len;
    }
    out.push_str(std::str::from_utf8(&bytes[start..]).unwrap_or_default());
    out.push('"');
}

/// A byte that is not UTF-8, as a Go string holds it (Helm keeps `--set-file` contents as it read
/// them). Such a byte b (0x80..=0xFF) is held as two Unicode noncharacters, which Unicode
/// reserves for a program's internal use: U+FDD0 + (b >> 4) - 8, then U+FDE0 + (b & 0xF). JSON
/// then writes it as encoding/json does (`\ufffd`), toYaml as U+FFFD, `quote` as `\xNN`.
const BAD_LEAD: u32 = 0xFDD0;
const BAD_TRAIL: u32 = 0xFDE0;

/// Bytes as a Go string holds them: valid UTF-8 as it is, each other byte as its stand-in pair.
pub fn go_bytes_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for &b in chunk.invalid() {
            let lead = char::from_u32(BAD_LEAD + u32::from(b >> 4) - 8);
            let trail = char::from_u32(BAD_TRAIL + u32::from(b & 0xF));
            out.extend(lead.into_iter().chain(trail));
        }
    }
    out
}

/// One character of a Go string: a char, or a byte that is not UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoChar {
    Char(char),
    Bad(u8),
}

/// The characters of `s` with their byte offset and length in `s`, each stand-in pair (see
/// [`go_bytes_string`]) as one [`GoChar::Bad`].
pub fn go_chars(s: &str) -> impl Iterator<Item = (usize, usize, GoChar)> + '_ {
    let mut it = s.char_indices().peekable();
    std::iter::from_fn(move || {
        let (i, c) = it.next()?;
        let lead = c as u32;
        if (BAD_LEAD..BAD_LEAD + 8).contains(&lead) {
            if let Some(&(j, t)) = it.peek() {
                let trail = t as u32;
                if (BAD_TRAIL..BAD_TRAIL + 16).contains(&trail) {
                    it.next();
                    let b = (((lead - BAD_LEAD + 8) << 4) | (trail - BAD_TRAIL)) as u8;
                    return Some((i, j + t.len_utf8() - i, GoChar::Bad(b)));
                }
            }
        }
        Some((i, c.len_utf8(), GoChar::Char(c)))
    })
}

/// Whether `s` may hold a byte that is not UTF-8 (a fast test: the stand-ins' UTF-8 starts
/// with 0xEF 0xB7).
pub fn may_hold_bad_bytes(s: &str) -> bool {
    s.as_bytes().windows(2).any(|w| w == [0xEF, 0xB7])
}

/// The bytes of the Go string `s` stands for: each stand-in pair (see [`go_bytes_string`]) as
/// the byte it holds (`len`, `b64enc` and the hashes work on these).
pub fn go_string_bytes(s: &str) -> std::borrow::Cow<'_, [u8]> {
    if !may_hold_bad_bytes(s) {
        return s.as_bytes().into();
    }
    let mut out = Vec::with_capacity(s.len());
    for (i, n, c) in go_chars(s) {
        match c {
            GoChar::Char(_) => out.extend_from_slice(&s.as_bytes()[i..i + n]),
            GoChar::Bad(b) => out.push(b),
        }
    }
    out.into()
}

/// `s` with each byte that is not UTF-8 as U+FFFD, as Go's conversions to runes and
/// encoding/json read it.
pub fn bad_bytes_as_fffd(s: &str) -> std::borrow::Cow<'_, str> {
    if !may_hold_bad_bytes(s) {
        return s.into();
    }
    go_chars(s)
        .map(|(_, _, c)| match c {
            GoChar::Char(c) => c,
            GoChar::Bad(_) => '\u{FFFD}',
        })
        .collect::<String>()
        .into()
}

/// Bytes as a Go string converted by encoding/json: each byte of an invalid sequence becomes
/// one U+FFFD (Rust's lossy conversion makes one per maximal invalid sequence).
pub fn lossy_utf8(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        out.extend(chunk.invalid().iter().map(|_| '\u{FFFD}'));
    }
    out
}

/// The bytes `text` stands for when it holds a byte that is not UTF-8 (a stand-in pair of
/// [`go_bytes_string`]); `None` for plain text. Go's text/template works on bytes, so a
/// template's bytes that are not UTF-8 go through a render unchanged and Helm's YAML check of
/// the rendered manifest refuses them in go-yaml's words: this gives that check the bytes.
pub fn text_as_bytes(text: &str) -> Option<Vec<u8>> {
    if !go_chars(text).any(|(_, _, c)| matches!(c, GoChar::Bad(_))) {
        return None;
    }
    Some(go_string_bytes(text).into_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn bytes_that_are_not_utf8_survive_as_text() {
        use super::{go_bytes_string as bytes_as_text, text_as_bytes};
        let bytes = b"a: caf\xe9 \xf0\x9f\x98\x80 \xc3\n\xff";
        let text = bytes_as_text(bytes);
        assert!(
            text.starts_with("a: caf") && text.contains('\u{1F600}'),
            "{text:?}"
        );
        assert_eq!(text_as_bytes(&text).as_deref(), Some(&bytes[..]));
        assert_eq!(text_as_bytes("plain \u{FFFD} text"), None);
        assert_eq!(bytes_as_text("plain".as_bytes()), "plain");
    }

    #[test]
    fn format_float_v_is_go_percent_v() {
        use super::format_float_v as v;
        assert_eq!(v(1.0), "1");
        assert_eq!(v(1.5), "1.5");
        assert_eq!(v(100000.0), "100000");
        assert_eq!(v(1e6), "1e+06");
        assert_eq!(v(1e21), "1e+21");
        assert_eq!(v(0.00001), "1e-05");
        assert_eq!(v(f64::NAN), "NaN");
        assert_eq!(v(f64::INFINITY), "+Inf");
    }

    use super::*;
    use serde_json::json;

    #[test]
    fn bytes_that_are_not_utf8_are_written_as_go_writes_them() {
        // `x`, the first two bytes of a three-byte sequence, `y`; then a real U+FFFD.
        let s = go_bytes_string(b"x\xe2\x82y \xef\xbf\xbd\xff");
        let bad: Vec<GoChar> = go_chars(&s)
            .map(|(_, _, c)| c)
            .filter(|c| matches!(c, GoChar::Bad(_)))
            .collect();
        assert_eq!(
            bad,
            [GoChar::Bad(0xe2), GoChar::Bad(0x82), GoChar::Bad(0xff)]
        );
        // A real character in the range Helm would keep: written as it is.
        assert_eq!(to_json(&Value::from("\u{10fffd}")), "\"\u{10fffd}\"");
        let s = go_bytes_string(b"x\xe2\x82y \xef\xbf\xbd");
        assert_eq!(
            to_json(&Value::from(s.as_str())),
            "\"x\\ufffd\\ufffdy \u{fffd}\""
        );
        assert_eq!(bad_bytes_as_fffd(&s), "x\u{fffd}\u{fffd}y \u{fffd}");
        assert_eq!(go_bytes_string("é".as_bytes()), "é");
    }

    #[test]
    fn stand_ins_turn_back_into_their_bytes() {
        let raw: &[u8] = b"x\xe2\x82y \xef\xbf\xbd\xff\xc3";
        assert_eq!(&*go_string_bytes(&go_bytes_string(raw)), raw);
        assert_eq!(&*go_string_bytes("plain é"), "plain é".as_bytes());
    }

    #[test]
    fn marshal_matches_go() {
        let v = json!({"b": [1, 2.5, -0.0, 1e21, 1e-7, 123456789.0], "a": "<x> & \u{2028}\u{1}", "c": {}, "d": [], "e": null, "f": true});
        assert_eq!(
            to_json(&v),
            r#"{"a":"\u003cx\u003e \u0026 \u2028\u0001","b":[1,2.5,-0,1e+21,1e-7,123456789],"c":{},"d":[],"e":null,"f":true}"#
        );
        assert_eq!(to_raw_json(&json!({"a": "<&>"})), r#"{"a":"<&>"}"#);
        assert_eq!(
            to_pretty_json(&json!({"b": [1, {}], "a": {"x": []}})),
            "{\n  \"a\": {\n    \"x\": []\n  },\n  \"b\": [\n    1,\n    {}\n  ]\n}"
        );
    }

    #[test]
    fn keys_sort_by_bytes() {
        let v = json!({"b": 1, "B": 2, "a10": 3, "a2": 4, "é": 5, "_": 6});
        assert_eq!(to_json(&v), r#"{"B":2,"_":6,"a10":3,"a2":4,"b":1,"é":5}"#);
    }
}
