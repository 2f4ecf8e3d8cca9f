//! String functions (Sprig's strings.go, Go's strings package, xstrings' case conversions,
//! regular expressions).

use super::{err, is_nil, list_value, strval, text, to_i64, want, Func};
use crate::engine::value::{go_sprint, GoMap};
use minijinja::value::ValueKind;
use minijinja::{Error, Value};
use std::collections::BTreeMap;

pub(super) const FUNCS: &[(&str, Func)] = &[
    ("trunc", trunc),
    ("trim", trim),
    ("trimAll", trim_all),
    ("trimall", trim_all),
    ("trimSuffix", trim_suffix),
    ("trimPrefix", trim_prefix),
    ("upper", upper),
    ("lower", lower),
    ("title", title),
    ("untitle", untitle),
    ("replace", replace),
    ("contains", contains),
    ("hasPrefix", has_prefix),
    ("hasSuffix", has_suffix),
    ("indent", indent),
    ("nindent", nindent),
    ("quote", quote),
    ("squote", squote),
    ("cat", cat),
    ("nospace", nospace),
    ("repeat", repeat),
    ("substr", substr),
    ("abbrev", abbrev),
    ("abbrevboth", abbrevboth),
    ("wrap", wrap),
    ("wrapWith", wrap_with),
    ("plural", plural),
    ("initials", initials),
    ("swapcase", swapcase),
    ("snakecase", snakecase),
    ("kebabcase", kebabcase),
    ("camelcase", camelcase),
    ("split", split),
    ("splitn", splitn),
    ("splitList", split_list),
    ("join", join),
    ("toStrings", to_strings),
    ("regexMatch", regex_match),
    ("mustRegexMatch", must_regex_match),
    ("regexFind", regex_find),
    ("mustRegexFind", regex_find),
    ("regexFindAll", regex_find_all),
    ("mustRegexFindAll", regex_find_all),
    ("regexReplaceAll", regex_replace_all),
    ("mustRegexReplaceAll", regex_replace_all),
    ("regexReplaceAllLiteral", regex_replace_all_literal),
    ("mustRegexReplaceAllLiteral", regex_replace_all_literal),
    ("regexSplit", regex_split),
    ("mustRegexSplit", regex_split),
    ("regexQuoteMeta", regex_quote_meta),
];

/// The largest text a function builds (64 MiB): beyond it an error, never an abort.
pub(crate) const MAX_OUTPUT: u64 = 64 << 20;

fn s(v: String) -> Result<Value, Error> {
    Ok(Value::from(v))
}

/// Go's byte slicing of a string, `s[from..to]` (clamped; a cut inside a character is
/// replaced as Go's output would be invalid UTF-8).
fn byte_slice(st: &str, from: usize, to: usize) -> String {
    let b = st.as_bytes();
    let to = to.min(b.len());
    let from = from.min(to);
    String::from_utf8_lossy(&b[from..to]).into_owned()
}

fn trunc(a: &[Value]) -> Result<Value, Error> {
    want("trunc", a, 2, 2)?;
    let c = to_i64(&a[0]);
    let st = text(&a[1]);
    let len = st.len() as i64;
    if c < 0 && len + c > 0 {
        return s(byte_slice(&st, (len + c) as usize, st.len()));
    }
    if c >= 0 && len > c {
        return s(byte_slice(&st, 0, c as usize));
    }
    s(st)
}

fn trim(a: &[Value]) -> Result<Value, Error> {
    want("trim", a, 1, 1)?;
    s(text(&a[0]).trim().to_string())
}

fn trim_all(a: &[Value]) -> Result<Value, Error> {
    want("trimAll", a, 2, 2)?;
    let cut: Vec<char> = text(&a[0]).chars().collect();
    s(text(&a[1]).trim_matches(|c| cut.contains(&c)).to_string())
}

fn trim_suffix(a: &[Value]) -> Result<Value, Error> {
    want("trimSuffix", a, 2, 2)?;
    let (suf, st) = (text(&a[0]), text(&a[1]));
    s(st.strip_suffix(suf.as_str()).unwrap_or(&st).to_string())
}

fn trim_prefix(a: &[Value]) -> Result<Value, Error> {
    want("trimPrefix", a, 2, 2)?;
    let (pre, st) = (text(&a[0]), text(&a[1]));
    s(st.strip_prefix(pre.as_str()).unwrap_or(&st).to_string())
}

fn upper(a: &[Value]) -> Result<Value, Error> {
    want("upper", a, 1, 1)?;
    // Go maps runes: a byte that is not UTF-8 becomes U+FFFD.
    s(crate::gojson::bad_bytes_as_fffd(&text(&a[0])).to_uppercase())
}

fn lower(a: &[Value]) -> Result<Value, Error> {
    want("lower", a, 1, 1)?;
    // Go maps runes: a byte that is not UTF-8 becomes U+FFFD.
    s(crate::gojson::bad_bytes_as_fffd(&text(&a[0])).to_lowercase())
}

/// Go's `isSeparator` of strings.Title.
fn is_title_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphanumeric() {
        return false;
    }
    c.is_whitespace()
}

fn title(a: &[Value]) -> Result<Value, Error> {
    want("title", a, 1, 1)?;
    let mut prev = ' ';
    let out: String = text(&a[0])
        .chars()
        .flat_map(|c| {
            let r: Vec<char> = if is_title_separator(prev) {
                c.to_uppercase().collect()
            } else {
                vec![c]
            };
            prev = c;
            r
        })
        .collect();
    s(out)
}

fn untitle(a: &[Value]) -> Result<Value, Error> {
    want("untitle", a, 1, 1)?;
    let mut at_start = true;
    let out: String = text(&a[0])
        .chars()
        .flat_map(|c| {
            let r: Vec<char> = if c.is_whitespace() {
                at_start = true;
                vec![c]
            } else if at_start {
                at_start = false;
                c.to_lowercase().collect()
            } else {
                vec![c]
            };
            r
        })
        .collect();
    s(out)
}

fn replace(a: &[Value]) -> Result<Value, Error> {
    want("replace", a, 3, 3)?;
    let (old, new, src) = (text(&a[0]), text(&a[1]), text(&a[2]));
    if old.is_empty() {
        // Go inserts `new` before every character and at the end.
        let mut out = String::new();
        for c in src.chars() {
            out.push_str(&new);
            out.push(c);
        }
        out.push_str(&new);
        return s(out);
    }
    s(src.replace(&old, &new))
}

fn contains(a: &[Value]) -> Result<Value, Error> {
    want("contains", a, 2, 2)?;
    Ok(Value::from(text(&a[1]).contains(&text(&a[0]))))
}

fn has_prefix(a: &[Value]) -> Result<Value, Error> {
    want("hasPrefix", a, 2, 2)?;
    Ok(Value::from(text(&a[1]).starts_with(&text(&a[0]))))
}

fn has_suffix(a: &[Value]) -> Result<Value, Error> {
    want("hasSuffix", a, 2, 2)?;
    Ok(Value::from(text(&a[1]).ends_with(&text(&a[0]))))
}

fn indent_text(name: &str, n: i64, v: &str) -> Result<String, Error> {
    let lines = v.matches('\n').count() as u64 + 1;
    if (n.max(0) as u64).saturating_mul(lines) > MAX_OUTPUT {
        return Err(err(name, "the indented text would be too large"));
    }
    let pad = " ".repeat(n.max(0) as usize);
    Ok(format!("{pad}{}", v.replace('\n', &format!("\n{pad}"))))
}

fn indent(a: &[Value]) -> Result<Value, Error> {
    want("indent", a, 2, 2)?;
    s(indent_text("indent", to_i64(&a[0]), &text(&a[1]))?)
}

fn nindent(a: &[Value]) -> Result<Value, Error> {
    want("nindent", a, 2, 2)?;
    s(format!(
        "\n{}",
        indent_text("nindent", to_i64(&a[0]), &text(&a[1]))?
    ))
}

/// Go's `unicode.IsPrint` (close enough: Rust lacks the general categories).
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    !matches!(u,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F
        | 0x2028..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
        | 0xE000..=0xF8FF | 0xFFFE | 0xFFFF | 0xF0000..=0x10FFFF | 0xE0001..=0xE007F)
}

/// Go's `strconv.Quote` (`%q` of a string).
pub(crate) fn go_quote(st: &str) -> String {
    let mut out = String::with_capacity(st.len() + 2);
    out.push('"');
    for (_, _, c) in crate::gojson::go_chars(st) {
        let c = match c {
            // A byte that is not UTF-8 (see gojson::go_bytes_string): Go writes `\xNN`.
            crate::gojson::GoChar::Bad(b) => {
                out.push_str(&format!("\\x{b:02x}"));
                continue;
            }
            crate::gojson::GoChar::Char(c) => c,
        };
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

fn quote(a: &[Value]) -> Result<Value, Error> {
    let parts: Vec<String> = a
        .iter()
        .filter(|v| !is_nil(v))
        .map(|v| go_quote(&strval(v)))
        .collect();
    s(parts.join(" "))
}

fn squote(a: &[Value]) -> Result<Value, Error> {
    let parts: Vec<String> = a
        .iter()
        .filter(|v| !is_nil(v))
        .map(|v| format!("'{}'", go_sprint(v)))
        .collect();
    s(parts.join(" "))
}

fn cat(a: &[Value]) -> Result<Value, Error> {
    let parts: Vec<String> = a.iter().filter(|v| !is_nil(v)).map(go_sprint).collect();
    s(parts.join(" "))
}

fn nospace(a: &[Value]) -> Result<Value, Error> {
    want("nospace", a, 1, 1)?;
    s(text(&a[0]).chars().filter(|c| !c.is_whitespace()).collect())
}

fn repeat(a: &[Value]) -> Result<Value, Error> {
    want("repeat", a, 2, 2)?;
    let n = to_i64(&a[0]);
    if n < 0 {
        return Err(err("repeat", "strings: negative Repeat count"));
    }
    let st = text(&a[1]);
    if (st.len() as u64).saturating_mul(n as u64) > MAX_OUTPUT {
        return Err(err("repeat", "strings: Repeat output length overflow"));
    }
    s(st.repeat(n as usize))
}

fn substr(a: &[Value]) -> Result<Value, Error> {
    want("substr", a, 3, 3)?;
    let (start, end, st) = (to_i64(&a[0]), to_i64(&a[1]), text(&a[2]));
    let len = st.len() as i64;
    let bad = || {
        err(
            "substr",
            format!("runtime error: slice bounds out of range [{start}:{end}]"),
        )
    };
    if start < 0 {
        if end < 0 || end > len {
            return Err(bad());
        }
        return s(byte_slice(&st, 0, end as usize));
    }
    if end < 0 || end > len {
        if start > len {
            return Err(bad());
        }
        return s(byte_slice(&st, start as usize, st.len()));
    }
    if start > end {
        return Err(bad());
    }
    s(byte_slice(&st, start as usize, end as usize))
}

fn abbreviate_full(st: &str, offset: i64, max_width: i64) -> String {
    let len = st.len() as i64;
    if st.is_empty() || len <= max_width {
        return st.to_string();
    }
    let mut offset = offset.min(len);
    if len - offset < max_width - 3 {
        offset = len - (max_width - 3);
    }
    if offset <= 4 {
        return format!("{}...", byte_slice(st, 0, (max_width - 3) as usize));
    }
    if max_width < 7 {
        return st.to_string();
    }
    if offset + max_width - 3 < len {
        let rest = byte_slice(st, offset as usize, st.len());
        return format!("...{}", abbreviate_full(&rest, 0, max_width - 3));
    }
    format!(
        "...{}",
        byte_slice(st, (len - (max_width - 3)) as usize, st.len())
    )
}

fn abbrev(a: &[Value]) -> Result<Value, Error> {
    want("abbrev", a, 2, 2)?;
    let (w, st) = (to_i64(&a[0]), text(&a[1]));
    if w < 4 {
        return s(st);
    }
    s(abbreviate_full(&st, 0, w))
}

fn abbrevboth(a: &[Value]) -> Result<Value, Error> {
    want("abbrevboth", a, 3, 3)?;
    let (l, r, st) = (to_i64(&a[0]), to_i64(&a[1]), text(&a[2]));
    if r < 4 || l > 0 && r < 7 {
        return s(st);
    }
    s(abbreviate_full(&st, l, r))
}

/// goutils' `WrapCustom`.
fn wrap_custom(st: &str, wrap_len: i64, nl: &str, long_words: bool) -> String {
    if st.is_empty() {
        return String::new();
    }
    let nl = if nl.is_empty() { "\n" } else { nl };
    let wl = wrap_len.max(1) as usize;
    let b = st.as_bytes();
    let len = b.len();
    let mut offset = 0usize;
    let mut out = String::new();
    while len - offset > wl {
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = (wl + offset + 1).min(len);
        let window = &b[offset..end];
        match window.iter().rposition(|&c| c == b' ') {
            Some(p) => {
                out.push_str(&byte_slice(st, offset, offset + p));
                out.push_str(nl);
                offset += p + 1;
            }
            None if long_words => {
                out.push_str(&byte_slice(st, offset, offset + wl));
                out.push_str(nl);
                offset += wl;
            }
            None => {
                let end = wl + offset;
                match b[end..].iter().position(|&c| c == b' ') {
                    None => {
                        out.push_str(&byte_slice(st, offset, len));
                        offset = len;
                    }
                    Some(i) => {
                        out.push_str(&byte_slice(st, offset, end + i));
                        out.push_str(nl);
                        offset = end + i + 1;
                    }
                }
            }
        }
    }
    out.push_str(&byte_slice(st, offset, len));
    out
}

fn wrap(a: &[Value]) -> Result<Value, Error> {
    want("wrap", a, 2, 2)?;
    s(wrap_custom(&text(&a[1]), to_i64(&a[0]), "\n", false))
}

fn wrap_with(a: &[Value]) -> Result<Value, Error> {
    want("wrapWith", a, 3, 3)?;
    s(wrap_custom(&text(&a[2]), to_i64(&a[0]), &text(&a[1]), true))
}

fn plural(a: &[Value]) -> Result<Value, Error> {
    want("plural", a, 3, 3)?;
    Ok(if to_i64(&a[2]) == 1 {
        a[0].clone()
    } else {
        a[1].clone()
    })
}

fn initials(a: &[Value]) -> Result<Value, Error> {
    want("initials", a, 1, 1)?;
    s(text(&a[0])
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .collect())
}

fn swapcase(a: &[Value]) -> Result<Value, Error> {
    want("swapcase", a, 1, 1)?;
    s(text(&a[0])
        .chars()
        .flat_map(|c| -> Vec<char> {
            if c.is_uppercase() {
                c.to_lowercase().collect()
            } else if c.is_lowercase() {
                c.to_uppercase().collect()
            } else {
                vec![c]
            }
        })
        .collect())
}

// --- xstrings case conversion ---

fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || c.is_whitespace()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x2FDF | 0x3040..=0x30FF | 0x3100..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7FF
        | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn is_alphabet(c: char) -> bool {
    c.is_alphabetic() && !is_cjk(c)
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~')
        || (!c.is_ascii()
            && !c.is_alphanumeric()
            && !c.is_whitespace()
            && !c.is_control()
            && matches!(c as u32, 0xA1 | 0xA7 | 0xAB | 0xB6 | 0xB7 | 0xBB | 0xBF | 0x2010..=0x2027 | 0x2030..=0x205E | 0x3001..=0x3003 | 0x3008..=0x3011))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Word {
    Invalid,
    Number,
    Upper,
    Alphabet,
    Connector,
    Punct,
    Other,
}

/// xstrings' `nextWord`: the type of the next word, the word, and what remains.
fn next_word(st: &str) -> (Word, &str, &str) {
    let mut chars = st.char_indices().peekable();
    let Some((_, r)) = chars.next() else {
        return (Word::Invalid, "", "");
    };
    let mut end = r.len_utf8();
    let take_while = |end: &mut usize, f: &dyn Fn(char) -> bool| {
        for (i, c) in st[*end..].char_indices() {
            if !f(c) {
                *end += i;
                return;
            }
        }
        *end = st.len();
    };
    let wt;
    if is_connector(r) {
        wt = Word::Connector;
        take_while(&mut end, &is_connector);
    } else if is_punct(r) {
        wt = Word::Punct;
        take_while(&mut end, &is_punct);
    } else if r.is_uppercase() {
        wt = Word::Upper;
        let rest = &st[end..];
        if let Some(n) = rest.chars().next() {
            if n.is_uppercase() {
                // A run of capitals; the last one starts the next word if a letter follows.
                let mut last_size = n.len_utf8();
                let mut e = end + last_size;
                let mut following = None;
                for c in st[e..].chars() {
                    if !c.is_uppercase() {
                        following = Some(c);
                        break;
                    }
                    last_size = c.len_utf8();
                    e += last_size;
                }
                if let Some(f) = following {
                    if is_alphabet(f) {
                        e -= last_size;
                    }
                }
                end = e;
            } else if is_alphabet(n) {
                end += n.len_utf8();
                take_while(&mut end, &|c| is_alphabet(c) && !c.is_uppercase());
            }
        }
    } else if is_alphabet(r) {
        wt = Word::Alphabet;
        take_while(&mut end, &|c| is_alphabet(c) && !c.is_uppercase());
    } else if r.is_numeric() {
        wt = Word::Number;
        take_while(&mut end, &|c: char| c.is_numeric());
    } else {
        wt = Word::Other;
        take_while(&mut end, &|c| {
            !(is_connector(c) || is_alphabet(c) || c.is_numeric() || is_punct(c))
        });
    }
    (wt, &st[..end], &st[end..])
}

fn to_lower_word(buf: &mut String, wt: Word, word: &str, connector: char) {
    if wt != Word::Upper && wt != Word::Connector {
        buf.push_str(word);
        return;
    }
    for c in word.chars() {
        if is_connector(c) {
            buf.push(connector);
        } else if c.is_uppercase() {
            buf.extend(c.to_lowercase());
        } else {
            buf.push(c);
        }
    }
}

/// xstrings' `camelCaseToLowerCase` (ToSnakeCase, ToKebabCase).
fn camel_to_lower(st: &str, connector: char) -> String {
    if st.is_empty() {
        return String::new();
    }
    let mut buf = String::new();
    let (mut wt, mut word, mut remaining) = next_word(st);
    while !remaining.is_empty() {
        if wt != Word::Connector {
            to_lower_word(&mut buf, wt, word, connector);
        }
        let prev = wt;
        let last = word;
        (wt, word, remaining) = next_word(remaining);
        match prev {
            Word::Number => {
                while wt == Word::Alphabet || wt == Word::Number {
                    to_lower_word(&mut buf, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if wt != Word::Invalid && wt != Word::Punct && wt != Word::Connector {
                    buf.push(connector);
                }
            }
            Word::Connector => to_lower_word(&mut buf, prev, last, connector),
            Word::Punct => {}
            _ => {
                if wt != Word::Number {
                    if wt != Word::Connector && wt != Word::Punct {
                        buf.push(connector);
                    }
                    continue;
                }
                if remaining.is_empty() {
                    continue;
                }
                let last = word;
                (wt, word, remaining) = next_word(remaining);
                if wt != Word::Alphabet {
                    to_lower_word(&mut buf, Word::Number, last, connector);
                    if wt != Word::Connector && wt != Word::Punct {
                        buf.push(connector);
                    }
                    continue;
                }
                buf.push(connector);
                to_lower_word(&mut buf, Word::Number, last, connector);
                while wt == Word::Alphabet || wt == Word::Number {
                    to_lower_word(&mut buf, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if wt != Word::Invalid && wt != Word::Connector && wt != Word::Punct {
                    buf.push(connector);
                }
            }
        }
    }
    to_lower_word(&mut buf, wt, word, connector);
    buf
}

/// xstrings' `ToPascalCase` (Sprig's `camelcase`).
fn to_pascal(st: &str) -> String {
    let mut buf = String::new();
    let mut chars = st.chars();
    let mut r0 = None;
    for c in chars.by_ref() {
        if !is_connector(c) {
            r0 = Some(c.to_uppercase().next().unwrap_or(c));
            break;
        }
        buf.push(c);
    }
    let Some(mut r0) = r0 else {
        return buf;
    };
    for c in chars {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            buf.push(r1);
            continue;
        }
        if is_connector(r1) {
            r0 = r0.to_uppercase().next().unwrap_or(r0);
        } else {
            buf.push(r1);
        }
    }
    buf.push(r0);
    buf
}

fn snakecase(a: &[Value]) -> Result<Value, Error> {
    want("snakecase", a, 1, 1)?;
    s(camel_to_lower(&text(&a[0]), '_'))
}

fn kebabcase(a: &[Value]) -> Result<Value, Error> {
    want("kebabcase", a, 1, 1)?;
    s(camel_to_lower(&text(&a[0]), '-'))
}

fn camelcase(a: &[Value]) -> Result<Value, Error> {
    want("camelcase", a, 1, 1)?;
    s(to_pascal(&text(&a[0])))
}

/// Go's `strings.SplitN` (n < 0: all).
fn go_split(st: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let chars: Vec<String> = st.chars().map(String::from).collect();
        if n > 0 && (n as usize) < chars.len() {
            let n = n as usize;
            let mut head: Vec<String> = chars[..n - 1].to_vec();
            head.push(chars[n - 1..].concat());
            return head;
        }
        return chars;
    }
    if n < 0 {
        st.split(sep).map(String::from).collect()
    } else {
        st.splitn(n as usize, sep).map(String::from).collect()
    }
}

fn parts_map(parts: Vec<String>) -> Value {
    let m: BTreeMap<String, Value> = parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| (format!("_{i}"), Value::from(p)))
        .collect();
    GoMap::new_value(m)
}

fn split(a: &[Value]) -> Result<Value, Error> {
    want("split", a, 2, 2)?;
    Ok(parts_map(go_split(&text(&a[1]), &text(&a[0]), -1)))
}

fn splitn(a: &[Value]) -> Result<Value, Error> {
    want("splitn", a, 3, 3)?;
    Ok(parts_map(go_split(
        &text(&a[2]),
        &text(&a[0]),
        to_i64(&a[1]),
    )))
}

fn split_list(a: &[Value]) -> Result<Value, Error> {
    want("splitList", a, 2, 2)?;
    Ok(list_value(
        go_split(&text(&a[1]), &text(&a[0]), -1)
            .into_iter()
            .map(Value::from)
            .collect(),
    ))
}

/// Sprig's `strslice`: a list's non-nil items as strings; a scalar as a one-item list.
pub(crate) fn strslice(v: &Value) -> Vec<String> {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => Vec::new(),
        ValueKind::Seq | ValueKind::Iterable => v
            .try_iter()
            .map(|it| it.filter(|x| !is_nil(x)).map(|x| strval(&x)).collect())
            .unwrap_or_default(),
        _ => vec![strval(v)],
    }
}

fn join(a: &[Value]) -> Result<Value, Error> {
    want("join", a, 2, 2)?;
    s(strslice(&a[1]).join(&text(&a[0])))
}

fn to_strings(a: &[Value]) -> Result<Value, Error> {
    want("toStrings", a, 1, 1)?;
    Ok(list_value(
        strslice(&a[0]).into_iter().map(Value::from).collect(),
    ))
}

/// Compiles a regular expression, remembering the last few (templates call the same
/// expression in loops).
fn cached_regex(re: &str) -> Result<regex::Regex, regex::Error> {
    use std::cell::RefCell;
    thread_local! {
        static CACHE: RefCell<Vec<(String, regex::Regex)>> = const { RefCell::new(Vec::new()) };
    }
    if let Some(r) = CACHE.with(|c| {
        c.borrow()
            .iter()
            .find(|(k, _)| k == re)
            .map(|(_, r)| r.clone())
    }) {
        return Ok(r);
    }
    let r = regex::Regex::new(&go_class_dashes(re))?;
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= 64 {
            c.remove(0);
        }
        c.push((re.to_string(), r.clone()));
    });
    Ok(r)
}

/// RE2 (Go) reads a `-` next to a class escape in a bracket (`[\w-\.]`) as a literal dash;
/// the regex crate refuses it as a range. Escape such dashes.
fn go_class_dashes(re: &str) -> String {
    let b: Vec<char> = re.chars().collect();
    let mut out = String::with_capacity(re.len());
    let mut in_class = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == '\\' && i + 1 < b.len() {
            out.push(c);
            out.push(b[i + 1]);
            i += 2;
            continue;
        }
        if !in_class && c == '[' {
            in_class = true;
            out.push(c);
            // A leading `^` and `]` belong to the class.
            if b.get(i + 1) == Some(&'^') {
                out.push('^');
                i += 1;
            }
            if b.get(i + 1) == Some(&']') {
                out.push(']');
                i += 1;
            }
        } else if in_class && c == ']' {
            in_class = false;
            out.push(c);
        } else if in_class && c == '-' {
            let after_escape_class =
                i >= 2 && b[i - 2] == '\\' && matches!(b[i - 1], 'w' | 'W' | 'd' | 'D' | 's' | 'S');
            let before_escape_class = b.get(i + 1) == Some(&'\\')
                && b.get(i + 2)
                    .is_some_and(|n| matches!(n, 'w' | 'W' | 'd' | 'D' | 's' | 'S'));
            if after_escape_class || before_escape_class {
                out.push_str("\\-");
            } else {
                out.push(c);
            }
        } else {
            out.push(c);
        }
        i += 1;
    }
    out
}

fn compile(name: &str, re: &str) -> Result<regex::Regex, Error> {
    cached_regex(re).map_err(|e| {
        err(
            name,
            format!(
                "regexp: Compile({}): {}",
                go_quote(re),
                e.to_string().lines().last().unwrap_or("")
            ),
        )
    })
}

#[cfg(test)]
#[test]
fn dashes_after_class_escapes_are_literal() {
    assert_eq!(go_class_dashes(r"^[\w-\.]+$"), r"^[\w\-\.]+$");
    assert_eq!(go_class_dashes(r"[a-z]-[\d-x]"), r"[a-z]-[\d\-x]");
    assert!(cached_regex(r"^[\w-\.]+$").is_ok_and(|r| r.is_match("my-master.1")));
}

fn regex_match(a: &[Value]) -> Result<Value, Error> {
    want("regexMatch", a, 2, 2)?;
    Ok(Value::from(
        cached_regex(&text(&a[0]))
            .map(|r| r.is_match(&text(&a[1])))
            .unwrap_or(false),
    ))
}

fn must_regex_match(a: &[Value]) -> Result<Value, Error> {
    want("mustRegexMatch", a, 2, 2)?;
    let r = compile("mustRegexMatch", &text(&a[0]))?;
    Ok(Value::from(r.is_match(&text(&a[1]))))
}

fn regex_find(a: &[Value]) -> Result<Value, Error> {
    want("regexFind", a, 2, 2)?;
    let r = compile("regexFind", &text(&a[0]))?;
    let st = text(&a[1]);
    s(r.find(&st)
        .map(|m| m.as_str().to_string())
        .unwrap_or_default())
}

fn regex_find_all(a: &[Value]) -> Result<Value, Error> {
    want("regexFindAll", a, 3, 3)?;
    let r = compile("regexFindAll", &text(&a[0]))?;
    let st = text(&a[1]);
    let n = to_i64(&a[2]);
    let found: Vec<Value> = r
        .find_iter(&st)
        .take(if n < 0 { usize::MAX } else { n as usize })
        .map(|m| Value::from(m.as_str()))
        .collect();
    Ok(list_value(found))
}

fn regex_replace_all(a: &[Value]) -> Result<Value, Error> {
    want("regexReplaceAll", a, 3, 3)?;
    let r = compile("regexReplaceAll", &text(&a[0]))?;
    s(r.replace_all(&text(&a[1]), text(&a[2]).as_str())
        .into_owned())
}

fn regex_replace_all_literal(a: &[Value]) -> Result<Value, Error> {
    want("regexReplaceAllLiteral", a, 3, 3)?;
    let r = compile("regexReplaceAllLiteral", &text(&a[0]))?;
    s(r.replace_all(&text(&a[1]), regex::NoExpand(&text(&a[2])))
        .into_owned())
}

/// Go's `Regexp.Split`.
fn regex_split(a: &[Value]) -> Result<Value, Error> {
    want("regexSplit", a, 3, 3)?;
    let r = compile("regexSplit", &text(&a[0]))?;
    let st = text(&a[1]);
    let n = to_i64(&a[2]);
    if n == 0 {
        return Ok(list_value(Vec::new()));
    }
    if r.as_str().is_empty() {
        return Ok(list_value(
            go_split(&st, "", n).into_iter().map(Value::from).collect(),
        ));
    }
    let mut out = Vec::new();
    let mut beg = 0;
    for m in r.find_iter(&st) {
        if n > 0 && out.len() as i64 == n - 1 {
            break;
        }
        let end = m.start();
        if m.end() == 0 {
            continue;
        }
        out.push(Value::from(&st[beg..end]));
        beg = m.end();
    }
    out.push(Value::from(&st[beg..]));
    Ok(list_value(out))
}

fn regex_quote_meta(a: &[Value]) -> Result<Value, Error> {
    want("regexQuoteMeta", a, 1, 1)?;
    s(regex::escape(&text(&a[0])))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;

    #[test]
    fn quote_writes_bytes_that_are_not_utf8_as_go_does() {
        let s = crate::gojson::go_bytes_string(b"x\xe2\x82y \xef\xbf\xbd");
        assert_eq!(super::go_quote(&s), "\"x\\xe2\\x82y \u{fffd}\"");
    }

    #[test]
    fn trunc_and_trims() {
        assert_eq!(
            r(
                r#"{{ trunc(3, "abcdef") }}|{{ "abcdef" | trunc(-2) }}|{{ trunc(10, "ab") }}|{{ trunc(-10, "ab") }}"#
            ),
            "abc|ef|ab|ab"
        );
        assert_eq!(
            r(
                r#"{{ "  x \n" | trim }}|{{ trimAll("$", "$$5$") }}|{{ "a-b-" | trimSuffix("-") }}|{{ "--a" | trimPrefix("-") }}"#
            ),
            "x|5|a-b|-a"
        );
    }

    #[test]
    fn case_functions() {
        assert_eq!(
            r(
                r#"{{ "hello world-x_y" | title }}|{{ "Hello World" | untitle }}|{{ "aBc" | upper }}|{{ "aBc" | lower }}"#
            ),
            "Hello World-X_y|hello world|ABC|abc"
        );
        assert_eq!(
            r(
                r#"{{ "FirstName" | snakecase }}|{{ "HTTPServer" | kebabcase }}|{{ "http_server" | camelcase }}|{{ "foo__bar" | camelcase }}"#
            ),
            "first_name|http-server|HttpServer|Foo_Bar"
        );
        assert_eq!(
            r(r#"{{ "abc123def" | snakecase }}|{{ "getHTTP2Response" | kebabcase }}"#),
            "abc_123def|get-http2-response"
        );
    }

    #[test]
    fn quoting() {
        assert_eq!(
            r(
                r#"{{ quote("a\"b", 1.5, none, true) }}|{{ 5 | squote }}|{{ none | quote }}|{{ "é\n\x01" | quote }}"#
            ),
            "\"a\\\"b\" \"1.5\" \"true\"|'5'||\"é\\n\\x01\""
        );
    }

    #[test]
    fn indenting() {
        assert_eq!(
            r(r#"{{ "a\nb" | indent(2) }}|{{ "a\nb" | nindent(2) }}"#),
            "  a\n  b|\n  a\n  b"
        );
    }

    #[test]
    fn splitting_and_joining() {
        assert_eq!(
            r(
                r#"{{ splitList(",", "a,b,,c") }}|{{ (split("$", "a$b")._1) }}|{{ splitn(":", 2, "a:b:c") }}|{{ list(1, "a", none, 2.5) | join("-") }}"#
            ),
            "[a b  c]|b|map[_0:a _1:b:c]|1-a-2.5"
        );
    }

    #[test]
    fn misc_strings() {
        assert_eq!(
            r(
                r#"{{ substr(1, 3, "abcd") }}|{{ substr(-1, 2, "abcd") }}|{{ substr(2, 99, "abcd") }}|{{ repeat(3, "ab") }}|{{ nospace(" a b\tc ") }}|{{ cat("a", none, 1) }}"#
            ),
            "bc|ab|cd|ababab|abc|a 1"
        );
        assert_eq!(
            r(
                r#"{{ abbrev(5, "hello world") }}|{{ wrap(5, "hello world foo") }}|{{ plural("one", "many", 2) }}|{{ initials("hello big world") }}"#
            ),
            "he...|hello\nworld\nfoo|many|hbw"
        );
        assert_eq!(
            r(
                r#"{{ replace("a", "b", "aXa") }}|{{ "aXa" | replace("a", "b") }}|{{ contains("X", "aXa") }}|{{ hasPrefix("a", "ab") }}|{{ hasSuffix("a", "ab") }}"#
            ),
            "bXb|bXb|true|true|false"
        );
        assert!(e(r#"{{ substr(3, 1, "abcd") }}"#).contains("out of range"));
        assert!(e(r#"{{ repeat(-1, "a") }}"#).contains("negative"));
    }

    #[test]
    fn regexes() {
        assert_eq!(
            r(
                r#"{{ regexMatch("^[a-z]+$", "abc") }}|{{ regexMatch("(", "x") }}|{{ regexFind("[0-9]+", "ab12cd34") }}|{{ regexFindAll("[0-9]", "a1b2c3", 2) }}"#
            ),
            "true|false|12|[1 2]"
        );
        assert_eq!(
            r(
                r#"{{ regexReplaceAll("a(x*)b", "-ab-axxb-", "${1}W") }}|{{ regexReplaceAllLiteral("a(x*)b", "-ab-", "$1") }}|{{ regexSplit("z+", "pizza", -1) }}|{{ regexSplit("z+", "pizza", 1) }}"#
            ),
            "-W-xxW-|-$1-|[pi a]|[pizza]"
        );
        assert!(e(r#"{{ regexFind("(", "x") }}"#).contains("regexFind"));
    }
}
