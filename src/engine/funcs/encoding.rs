//! Encodings and data formats (base64/32, hashes, JSON, YAML, URL query), paths, and the
//! random functions (the OS's CSPRNG).

use super::{err, text, to_i64, want, Func};
use crate::engine::value::{from_jinja, to_jinja};
use base64::Engine as _;
use minijinja::{Error, Value};
use sha2::Digest as _;

pub(super) const FUNCS: &[(&str, Func)] = &[
    ("b64enc", b64enc),
    ("b64dec", b64dec),
    ("b32enc", b32enc),
    ("b32dec", b32dec),
    ("sha1sum", sha1sum),
    ("sha256sum", sha256sum),
    ("sha512sum", sha512sum),
    ("adler32sum", adler32sum),
    ("toJson", to_json),
    ("mustToJson", must_to_json),
    ("toPrettyJson", to_pretty_json),
    ("mustToPrettyJson", must_to_pretty_json),
    ("toRawJson", to_raw_json),
    ("mustToRawJson", must_to_raw_json),
    ("fromJson", from_json),
    ("mustFromJson", must_from_json),
    ("fromJsonArray", from_json_array),
    ("toYaml", to_yaml),
    ("mustToYaml", must_to_yaml),
    ("fromYaml", from_yaml),
    ("fromYamlArray", from_yaml_array),
    ("urlquery", urlquery),
    ("base", base),
    ("dir", dir),
    ("ext", ext),
    ("clean", clean),
    ("isAbs", is_abs),
    ("osBase", base),
    ("osDir", dir),
    ("osExt", ext),
    ("osClean", clean),
    ("osIsAbs", is_abs),
    ("randAlphaNum", rand_alpha_num),
    ("randAlpha", rand_alpha),
    ("randNumeric", rand_numeric),
    ("randAscii", rand_ascii),
    ("randInt", rand_int),
    ("shuffle", shuffle),
    ("uuidv4", uuidv4),
    ("randBytes", rand_bytes),
    ("urlParse", url_parse),
    ("urlJoin", url_join),
];

/// The bytes of an argument as Go's `[]byte(s)` sees them: bytes that are not UTF-8 (held as
/// stand-ins, see crate::gojson::go_bytes_string) as themselves.
fn bytes(v: &Value) -> Vec<u8> {
    crate::gojson::go_string_bytes(&text(v)).into_owned()
}

fn s(v: String) -> Result<Value, Error> {
    Ok(Value::from(v))
}

fn b64enc(a: &[Value]) -> Result<Value, Error> {
    want("b64enc", a, 1, 1)?;
    s(base64::engine::general_purpose::STANDARD.encode(bytes(&a[0])))
}

fn b64dec(a: &[Value]) -> Result<Value, Error> {
    want("b64dec", a, 1, 1)?;
    match base64::engine::general_purpose::STANDARD.decode(text(&a[0])) {
        Ok(b) => s(String::from_utf8_lossy(&b).into_owned()),
        Err(e) => s(go_base64_error(&e)),
    }
}

/// Go's `base64.CorruptInputError` text.
pub(super) fn go_base64_error(e: &base64::DecodeError) -> String {
    let at = match e {
        base64::DecodeError::InvalidByte(i, _) => *i,
        base64::DecodeError::InvalidLength(n) => *n,
        base64::DecodeError::InvalidLastSymbol(i, _) => *i,
        base64::DecodeError::InvalidPadding => 0,
    };
    format!("illegal base64 data at input byte {at}")
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn b32enc(a: &[Value]) -> Result<Value, Error> {
    want("b32enc", a, 1, 1)?;
    let data = bytes(&a[0]);
    let mut out = String::new();
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = u64::from_be_bytes([0, 0, 0, buf[0], buf[1], buf[2], buf[3], buf[4]]);
        let chars = match chunk.len() {
            1 => 2,
            2 => 4,
            3 => 5,
            4 => 7,
            _ => 8,
        };
        for i in 0..8 {
            if i < chars {
                out.push(B32[((n >> (35 - i * 5)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    s(out)
}

fn b32dec(a: &[Value]) -> Result<Value, Error> {
    want("b32dec", a, 1, 1)?;
    let input = text(&a[0]);
    let body = input.trim_end_matches('=');
    let mut bits: u64 = 0;
    let mut nbits = 0;
    let mut out = Vec::new();
    for (i, c) in body.bytes().enumerate() {
        let Some(v) = B32.iter().position(|&b| b == c) else {
            return s(format!("illegal base32 data at input byte {i}"));
        };
        bits = (bits << 5) | v as u64;
        nbits += 5;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    if !input.len().is_multiple_of(8) {
        return s(format!(
            "illegal base32 data at input byte {}",
            input.len() / 8 * 8
        ));
    }
    s(String::from_utf8_lossy(&out).into_owned())
}

use crate::hex;

fn sha1sum(a: &[Value]) -> Result<Value, Error> {
    want("sha1sum", a, 1, 1)?;
    s(hex(&sha1::Sha1::digest(bytes(&a[0]))))
}

fn sha256sum(a: &[Value]) -> Result<Value, Error> {
    want("sha256sum", a, 1, 1)?;
    s(hex(&sha2::Sha256::digest(bytes(&a[0]))))
}

fn sha512sum(a: &[Value]) -> Result<Value, Error> {
    want("sha512sum", a, 1, 1)?;
    s(hex(&sha2::Sha512::digest(bytes(&a[0]))))
}

fn adler32sum(a: &[Value]) -> Result<Value, Error> {
    want("adler32sum", a, 1, 1)?;
    let (mut x, mut y) = (1u32, 0u32);
    for &b in bytes(&a[0]).iter() {
        x = (x + b as u32) % 65521;
        y = (y + x) % 65521;
    }
    s(((y << 16) | x).to_string())
}

fn tree(v: &Value) -> Result<crate::Value, Error> {
    from_jinja(v)
}

fn to_json(a: &[Value]) -> Result<Value, Error> {
    want("toJson", a, 1, 1)?;
    s(tree(&a[0])
        .map(|t| crate::gojson::to_json(&t))
        .unwrap_or_default())
}

fn must_to_json(a: &[Value]) -> Result<Value, Error> {
    want("mustToJson", a, 1, 1)?;
    s(crate::gojson::to_json(&tree(&a[0])?))
}

fn to_pretty_json(a: &[Value]) -> Result<Value, Error> {
    want("toPrettyJson", a, 1, 1)?;
    s(tree(&a[0])
        .map(|t| crate::gojson::to_pretty_json(&t))
        .unwrap_or_default())
}

fn must_to_pretty_json(a: &[Value]) -> Result<Value, Error> {
    want("mustToPrettyJson", a, 1, 1)?;
    s(crate::gojson::to_pretty_json(&tree(&a[0])?))
}

/// Go's JSON with HTML escaping off: `\u003c`, `\u003e`, `\u0026` written as `<`, `>`, `&`
/// (only where the backslash is an escape, not an escaped backslash).
fn unescape_html(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let b = json.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            if b[i + 1] == b'u' && i + 6 <= b.len() {
                let rep = match &json[i + 2..i + 6] {
                    "003c" => Some('<'),
                    "003e" => Some('>'),
                    "0026" => Some('&'),
                    _ => None,
                };
                if let Some(c) = rep {
                    out.push(c);
                    i += 6;
                    continue;
                }
            }
            out.push_str(&json[i..i + 2]);
            i += 2;
            continue;
        }
        let ch_len = json[i..].chars().next().map(char::len_utf8).unwrap_or(1);
        out.push_str(&json[i..i + ch_len]);
        i += ch_len;
    }
    out
}

fn to_raw_json(a: &[Value]) -> Result<Value, Error> {
    want("toRawJson", a, 1, 1)?;
    s(tree(&a[0])
        .map(|t| unescape_html(&crate::gojson::to_json(&t)))
        .unwrap_or_default())
}

fn must_to_raw_json(a: &[Value]) -> Result<Value, Error> {
    want("mustToRawJson", a, 1, 1)?;
    s(unescape_html(&crate::gojson::to_json(&tree(&a[0])?)))
}

/// Numbers decoded by Go's encoding/json into interface{} are float64.
fn all_floats(v: crate::Value) -> crate::Value {
    use crate::Value as V;
    match v {
        V::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map(V::Number)
            .unwrap_or(V::Null),
        V::Array(a) => V::Array(a.into_iter().map(all_floats).collect()),
        V::Object(m) => V::Object(m.into_iter().map(|(k, v)| (k, all_floats(v))).collect()),
        other => other,
    }
}

fn error_map(msg: String) -> Value {
    to_jinja(&serde_json::json!({ "Error": msg }))
}

fn parse_json(st: &str) -> Result<crate::Value, String> {
    serde_json::from_str::<crate::Value>(st)
        .map(all_floats)
        .map_err(|e| e.to_string())
}

fn from_json(a: &[Value]) -> Result<Value, Error> {
    want("fromJson", a, 1, 1)?;
    Ok(match parse_json(&text(&a[0])) {
        Ok(v @ crate::Value::Object(_)) => to_jinja(&v),
        Ok(crate::Value::Null) => to_jinja(&serde_json::json!({})),
        Ok(_) => {
            error_map("json: cannot unmarshal into Go value of type map[string]interface {}".into())
        }
        Err(e) => error_map(e),
    })
}

fn must_from_json(a: &[Value]) -> Result<Value, Error> {
    want("mustFromJson", a, 1, 1)?;
    parse_json(&text(&a[0]))
        .map(|v| to_jinja(&v))
        .map_err(|e| err("mustFromJson", e))
}

fn from_json_array(a: &[Value]) -> Result<Value, Error> {
    want("fromJsonArray", a, 1, 1)?;
    Ok(match parse_json(&text(&a[0])) {
        Ok(v @ crate::Value::Array(_)) => to_jinja(&v),
        Ok(crate::Value::Null) => Value::from(Vec::<Value>::new()),
        Ok(_) => Value::from(vec![Value::from(
            "json: cannot unmarshal object into Go value of type []interface {}",
        )]),
        Err(e) => Value::from(vec![Value::from(e)]),
    })
}

/// Helm's `toYaml`: sigs.k8s.io/yaml's output without its final newline; where Marshal fails
/// (a map holding itself, values go-yaml cannot read back from JSON) Helm swallows the error and
/// prints nothing.
fn to_yaml(a: &[Value]) -> Result<Value, Error> {
    want("toYaml", a, 1, 1)?;
    let y = tree(&a[0])
        .map(|t| crate::yaml::to_yaml(&t))
        .unwrap_or_default();
    s(y.strip_suffix('\n').unwrap_or(&y).to_string())
}

/// Helm's `mustToYaml`: `toYaml`, failing where Marshal fails.
fn must_to_yaml(a: &[Value]) -> Result<Value, Error> {
    want("mustToYaml", a, 1, 1)?;
    let y = crate::yaml::to_yaml_checked(&tree(&a[0])?).map_err(|e| err("mustToYaml", e))?;
    s(y.strip_suffix('\n').unwrap_or(&y).to_string())
}

fn from_yaml(a: &[Value]) -> Result<Value, Error> {
    want("fromYaml", a, 1, 1)?;
    Ok(match crate::yaml::parse(&text(&a[0]), "fromYaml") {
        Ok(v @ crate::Value::Object(_)) => to_jinja(&v),
        Ok(crate::Value::Null) => to_jinja(&serde_json::json!({})),
        Ok(other) => error_map(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_kind(&other)
        )),
        Err(e) => error_map(e.message),
    })
}

fn json_kind(v: &crate::Value) -> &'static str {
    match v {
        crate::Value::Array(_) => "array",
        crate::Value::String(_) => "string",
        crate::Value::Number(_) => "number",
        crate::Value::Bool(_) => "bool",
        crate::Value::Object(_) => "object",
        crate::Value::Null => "null",
    }
}

fn from_yaml_array(a: &[Value]) -> Result<Value, Error> {
    want("fromYamlArray", a, 1, 1)?;
    Ok(match crate::yaml::parse(&text(&a[0]), "fromYamlArray") {
        Ok(v @ crate::Value::Array(_)) => to_jinja(&v),
        Ok(crate::Value::Null) => Value::from(Vec::<Value>::new()),
        Ok(other) => Value::from(vec![Value::from(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type []interface {{}}",
            json_kind(&other)
        ))]),
        Err(e) => Value::from(vec![Value::from(e.message)]),
    })
}

/// Go template's `urlquery`: `url.QueryEscape(fmt.Sprint(args...))`.
fn urlquery(a: &[Value]) -> Result<Value, Error> {
    let st = super::printf::sprint(a);
    let mut out = String::new();
    for b in st.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    s(out)
}

/// Go's `path.Clean`.
pub(crate) fn path_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

fn base(a: &[Value]) -> Result<Value, Error> {
    want("base", a, 1, 1)?;
    let p = text(&a[0]);
    if p.is_empty() {
        return s(".".into());
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return s("/".into());
    }
    s(t.rsplit('/').next().unwrap_or(t).to_string())
}

fn dir(a: &[Value]) -> Result<Value, Error> {
    want("dir", a, 1, 1)?;
    let p = text(&a[0]);
    let d = match p.rfind('/') {
        Some(i) => &p[..=i],
        None => "",
    };
    s(path_clean(d))
}

fn ext(a: &[Value]) -> Result<Value, Error> {
    want("ext", a, 1, 1)?;
    let p = text(&a[0]);
    for (i, c) in p.char_indices().rev() {
        if c == '/' {
            break;
        }
        if c == '.' {
            return s(p[i..].to_string());
        }
    }
    s(String::new())
}

fn clean(a: &[Value]) -> Result<Value, Error> {
    want("clean", a, 1, 1)?;
    s(path_clean(&text(&a[0])))
}

fn is_abs(a: &[Value]) -> Result<Value, Error> {
    want("isAbs", a, 1, 1)?;
    Ok(Value::from(text(&a[0]).starts_with('/')))
}

/// A uniformly random index below `n`, from the OS's CSPRNG.
fn rand_below(n: u32) -> Result<u32, Error> {
    let zone = u32::MAX - (u32::MAX % n);
    loop {
        let mut b = [0u8; 4];
        getrandom::fill(&mut b).map_err(|e| err("rand", e))?;
        let v = u32::from_le_bytes(b);
        if v < zone {
            return Ok(v % n);
        }
    }
}

fn rand_from(name: &str, a: &[Value], set: &[u8]) -> Result<Value, Error> {
    want(name, a, 1, 1)?;
    let n = to_i64(&a[0]);
    if n < 0 {
        return Err(err(
            name,
            format!("Requested random string length {n} is less than 0."),
        ));
    }
    if n > 1 << 20 {
        return Err(err(name, "requested random string is too long"));
    }
    let mut out = String::with_capacity(n as usize);
    for _ in 0..n {
        out.push(set[rand_below(set.len() as u32)? as usize] as char);
    }
    s(out)
}

const ALPHA: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const NUM: &[u8] = b"0123456789";

fn rand_alpha_num(a: &[Value]) -> Result<Value, Error> {
    rand_from("randAlphaNum", a, ALNUM)
}
fn rand_alpha(a: &[Value]) -> Result<Value, Error> {
    rand_from("randAlpha", a, ALPHA)
}
fn rand_numeric(a: &[Value]) -> Result<Value, Error> {
    rand_from("randNumeric", a, NUM)
}
fn rand_ascii(a: &[Value]) -> Result<Value, Error> {
    let printable: Vec<u8> = (32u8..=126).collect();
    rand_from("randAscii", a, &printable)
}

fn rand_int(a: &[Value]) -> Result<Value, Error> {
    want("randInt", a, 2, 2)?;
    let (lo, hi) = (to_i64(&a[0]), to_i64(&a[1]));
    let span = hi as i128 - lo as i128;
    if span <= 0 || span > u32::MAX as i128 {
        return Err(err("randInt", "invalid argument to Intn"));
    }
    Ok(Value::from(lo + rand_below(span as u32)? as i64))
}

fn shuffle(a: &[Value]) -> Result<Value, Error> {
    want("shuffle", a, 1, 1)?;
    let mut chars: Vec<char> = text(&a[0]).chars().collect();
    for i in (1..chars.len()).rev() {
        let j = rand_below(i as u32 + 1)? as usize;
        chars.swap(i, j);
    }
    s(chars.into_iter().collect())
}

fn rand_bytes(a: &[Value]) -> Result<Value, Error> {
    want("randBytes", a, 1, 1)?;
    let n = to_i64(&a[0]);
    if !(0..=1 << 20).contains(&n) {
        return Err(err("randBytes", "invalid length"));
    }
    let mut b = vec![0u8; n as usize];
    getrandom::fill(&mut b).map_err(|e| err("randBytes", e))?;
    s(base64::engine::general_purpose::STANDARD.encode(b))
}

/// Go's `url.PathUnescape`-like decoding of `%XX` (invalid escapes left as they are).
fn percent_decode(st: &str) -> String {
    let b = st.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if let (Some(h), Some(l)) = (
                (b.get(i + 1).copied()).and_then(|c| (c as char).to_digit(16)),
                (b.get(i + 2).copied()).and_then(|c| (c as char).to_digit(16)),
            ) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Go's `url.Parse`, the parts Sprig's `urlParse` returns.
fn parse_url(raw: &str) -> Result<std::collections::BTreeMap<String, String>, String> {
    let mut m = std::collections::BTreeMap::new();
    let (rest, fragment) = match raw.split_once('#') {
        Some((r, f)) => (r, percent_decode(f)),
        None => (raw, String::new()),
    };
    let mut scheme = String::new();
    let mut rest = rest;
    if let Some(i) = rest.find(':') {
        let cand = &rest[..i];
        let valid = cand.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && cand
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if valid {
            scheme = cand.to_ascii_lowercase();
            rest = &rest[i + 1..];
        } else if i == 0 {
            return Err(format!("parse {:?}: missing protocol scheme", raw));
        }
    }
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, q.to_string()),
        None => (rest, String::new()),
    };
    let (mut host, mut userinfo, mut path, mut opaque) =
        (String::new(), String::new(), String::new(), String::new());
    if !scheme.is_empty() && !rest.starts_with('/') {
        opaque = rest.to_string();
    } else if let Some(after) = rest.strip_prefix("//") {
        let end = after.find('/').unwrap_or(after.len());
        let authority = &after[..end];
        path = percent_decode(&after[end..]);
        match authority.rsplit_once('@') {
            Some((u, h)) => {
                userinfo = u.to_string();
                host = h.to_string();
            }
            None => host = authority.to_string(),
        }
    } else {
        path = percent_decode(rest);
    }
    let hostname = if let Some(h) = host.strip_prefix('[') {
        h.split(']').next().unwrap_or("").to_string()
    } else {
        host.split(':').next().unwrap_or("").to_string()
    };
    m.insert("scheme".into(), scheme);
    m.insert("host".into(), host);
    m.insert("hostname".into(), hostname);
    m.insert("path".into(), path);
    m.insert("query".into(), query);
    m.insert("opaque".into(), opaque);
    m.insert("fragment".into(), fragment);
    m.insert("userinfo".into(), userinfo);
    Ok(m)
}

fn url_parse(a: &[Value]) -> Result<Value, Error> {
    want("urlParse", a, 1, 1)?;
    let m = parse_url(&text(&a[0]))
        .map_err(|e| err("urlParse", format!("unable to parse url: {e}")))?;
    Ok(crate::engine::value::GoMap::new_value(
        m.into_iter().map(|(k, v)| (k, Value::from(v))).collect(),
    ))
}

/// Go's `url.PathEscape`-style escaping for a URL's path (`/` kept).
fn escape_url_part(st: &str, keep: &str) -> String {
    let mut out = String::new();
    for b in st.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || keep.as_bytes().contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn url_join(a: &[Value]) -> Result<Value, Error> {
    want("urlJoin", a, 1, 1)?;
    let m = super::read_map("urlJoin", &a[0])?;
    let get = |k: &str| {
        m.as_ref()
            .and_then(|m| m.get(k))
            .map(|v| text(&v))
            .unwrap_or_default()
    };
    let (scheme, host, path, query, opaque, fragment, userinfo) = (
        get("scheme"),
        get("host"),
        get("path"),
        get("query"),
        get("opaque"),
        get("fragment"),
        get("userinfo"),
    );
    let mut out = String::new();
    if !scheme.is_empty() {
        out.push_str(&scheme);
        out.push(':');
    }
    if !opaque.is_empty() {
        out.push_str(&opaque);
    } else {
        if !scheme.is_empty() || !host.is_empty() || !userinfo.is_empty() {
            if !host.is_empty() || !path.is_empty() || !userinfo.is_empty() {
                out.push_str("//");
            }
            if !userinfo.is_empty() {
                out.push_str(&userinfo);
                out.push('@');
            }
            out.push_str(&host);
        }
        let ep = escape_url_part(&path, "$&+,/:;=@");
        if !ep.is_empty() && !ep.starts_with('/') && !host.is_empty() {
            out.push('/');
        }
        out.push_str(&ep);
    }
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query);
    }
    if !fragment.is_empty() {
        out.push('#');
        out.push_str(&escape_url_part(&fragment, "$&+,/:;=@!()*?'"));
    }
    s(out)
}

fn uuidv4(a: &[Value]) -> Result<Value, Error> {
    want("uuidv4", a, 0, 0)?;
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| err("uuidv4", e))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    s(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;

    #[test]
    fn base_encodings() {
        assert_eq!(
            r(
                r#"{{ "hello" | b64enc }}|{{ "aGVsbG8=" | b64dec }}|{{ "!!" | b64dec }}|{{ "hello" | b32enc }}|{{ "NBSWY3DP" | b32dec }}|{{ "a" | b32enc }}"#
            ),
            "aGVsbG8=|hello|illegal base64 data at input byte 0|NBSWY3DP|hello|ME======"
        );
    }

    #[test]
    fn hashes() {
        assert_eq!(
            r(r#"{{ "abc" | sha1sum }}|{{ "abc" | adler32sum }}"#),
            "a9993e364706816aba3e25717850c26c9cd0d89d|38600999"
        );
        assert_eq!(
            r(r#"{{ "abc" | sha256sum }}"#),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(r(r#"{{ "abc" | sha512sum }}"#).starts_with("ddaf35a193617aba"));
    }

    #[test]
    fn json() {
        assert_eq!(
            r(
                r#"{{ fromJson("{\"a\": 1, \"b\": [1.5]}") | kindOf }}|{{ (fromJson("{\"a\": 1}")).a | kindOf }}|{{ fromJson("[1]").Error is defined }}|{{ fromJsonArray("[1, \"x\"]") }}|{{ fromJson("") | length }}"#
            ),
            "map|float64|true|[1 x]|1"
        );
        assert_eq!(r(r#"{{ toRawJson(dict("a", "<&>")) }}"#), r#"{"a":"<&>"}"#);
        assert!(e(r#"{{ mustFromJson("{") }}"#).contains("mustFromJson"));
    }

    #[test]
    fn yaml() {
        assert_eq!(
            r(
                r#"{{ (fromYaml("a: 1\nb: [x]")).b }}|{{ fromYaml("") }}|{{ fromYamlArray("- 1\n- b") }}"#
            ),
            "[x]|map[]|[1 b]"
        );
        assert!(r(r#"{{ fromYaml("- 1").Error }}"#).contains("cannot unmarshal array"));
    }

    #[test]
    fn paths_and_urls() {
        assert_eq!(
            r(
                r#"{{ base("/a/b.txt") }}|{{ base("") }}|{{ base("/") }}|{{ dir("/a/b.txt") }}|{{ dir("b") }}|{{ ext("x/a.tar.gz") }}|{{ ext("a") }}|{{ clean("a//b/../c/.") }}|{{ clean("/../a") }}|{{ isAbs("/x") }}"#
            ),
            "b.txt|.|/|/a|.|.gz||a/c|/a|true"
        );
        assert_eq!(r(r#"{{ urlquery("a b&c=d/é") }}"#), "a+b%26c%3Dd%2F%C3%A9");
    }

    #[test]
    fn urls() {
        assert_eq!(
            r(
                r#"{% set u = urlParse("https://u:p@h.io:81/a%20b?x=1#f") %}{{ u.hostname }}|{{ u.host }}|{{ u.path }}|{{ u.query }}|{{ u.fragment }}|{{ u.userinfo }}|{{ urlJoin(u) }}"#
            ),
            "h.io|h.io:81|/a b|x=1|f|u:p|https://u:p@h.io:81/a%20b?x=1#f"
        );
        assert_eq!(
            r(
                r#"{{ urlJoin(dict("host", "h", "path", "p")) }}|{{ urlParse("mailto:a@b").opaque }}"#
            ),
            "//h/p|a@b"
        );
        assert!(e(r#"{{ urlParse(":nope") }}"#).contains("missing protocol scheme"));
    }

    #[test]
    fn random() {
        let out = r(
            r#"{{ randAlphaNum(16) }}|{{ randNumeric(5) }}|{{ randAlpha(3) }}|{{ randAscii(4) | length }}|{{ uuidv4() }}"#,
        );
        let parts: Vec<&str> = out.split('|').collect();
        assert_eq!(parts[0].len(), 16);
        assert!(parts[0].chars().all(|c| c.is_ascii_alphanumeric()));
        assert!(parts[1].chars().all(|c| c.is_ascii_digit()) && parts[1].len() == 5);
        assert!(parts[2].chars().all(|c| c.is_ascii_alphabetic()));
        assert_eq!(parts[3], "4");
        let u = parts[4];
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_ne!(r("{{ uuidv4() }}"), r("{{ uuidv4() }}"));
        assert!(e("{{ randAlpha(-1) }}").contains("less than 0"));
        assert_eq!(r("{{ randBytes(12) | len }}"), "16");
        assert!(e("{{ randBytes(-1) }}").contains("invalid length"));
    }
}
