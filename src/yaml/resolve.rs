//! Plain-scalar resolution as go-yaml v2 does it (YAML 1.1): what `yes`, `0755`, `1e3`, `~`...
//! mean, and the Go number formats the conversion to JSON needs. Shared by the reader (which
//! resolves scalars) and the writer (which quotes strings that would resolve to something else).

/// A resolved scalar, as go-yaml v2 hands it to sigs.k8s.io/yaml.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    /// A string; also what timestamps become when decoded into `interface{}`.
    Str(String),
}

/// The tag a plain scalar resolves to (go-yaml's `rtag`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    Bool,
    Int,
    Float,
    Str,
    Timestamp,
}

impl Kind {
    pub(crate) fn short(self) -> &'static str {
        match self {
            Kind::Null => "!!null",
            Kind::Bool => "!!bool",
            Kind::Int => "!!int",
            Kind::Float => "!!float",
            Kind::Str => "!!str",
            Kind::Timestamp => "!!timestamp",
        }
    }
}

/// The fixed words of YAML 1.1 (go-yaml's `resolveMap`).
fn lookup(s: &str) -> Option<(Kind, Scalar)> {
    let r = match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            (Kind::Bool, Scalar::Bool(true))
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            (Kind::Bool, Scalar::Bool(false))
        }
        "" | "~" | "null" | "Null" | "NULL" => (Kind::Null, Scalar::Null),
        ".nan" | ".NaN" | ".NAN" => (Kind::Float, Scalar::Float(f64::NAN)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            (Kind::Float, Scalar::Float(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => (Kind::Float, Scalar::Float(f64::NEG_INFINITY)),
        _ => return None,
    };
    Some(r)
}

/// Resolves an untagged plain scalar (go-yaml v2 `resolve("", s)`).
pub(crate) fn resolve_plain(s: &str) -> (Kind, Scalar) {
    let Some(&first) = s.as_bytes().first() else {
        return (Kind::Null, Scalar::Null);
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => {
            if let Some(r) = lookup(s) {
                return r;
            }
        }
        b'.' => {
            if let Some(r) = lookup(s) {
                return r;
            }
            if let Some(f) = parse_dot_float(s) {
                return (Kind::Float, Scalar::Float(f));
            }
        }
        b'+' | b'-' | b'0'..=b'9' => {
            if let Some(r) = lookup(s) {
                return r;
            }
            if is_timestamp(s) {
                return (Kind::Timestamp, Scalar::Str(s.to_string()));
            }
            if let Some(r) = resolve_number(s) {
                return r;
            }
        }
        _ => {}
    }
    (Kind::Str, Scalar::Str(s.to_string()))
}

/// Only the kind (no allocation); the writer asks this for every string it prints.
pub(crate) fn plain_kind(s: &str) -> Kind {
    let Some(&first) = s.as_bytes().first() else {
        return Kind::Null;
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => {
            lookup(s).map_or(Kind::Str, |r| r.0)
        }
        b'.' => lookup(s)
            .map(|r| r.0)
            .or_else(|| parse_dot_float(s).map(|_| Kind::Float))
            .unwrap_or(Kind::Str),
        b'+' | b'-' | b'0'..=b'9' => {
            if let Some(r) = lookup(s) {
                r.0
            } else if is_timestamp(s) {
                Kind::Timestamp
            } else {
                resolve_number(s).map_or(Kind::Str, |r| r.0)
            }
        }
        _ => Kind::Str,
    }
}

fn resolve_number(s: &str) -> Option<(Kind, Scalar)> {
    let plain: std::borrow::Cow<str> = if s.contains('_') {
        s.replace('_', "").into()
    } else {
        s.into()
    };
    if let Some(i) = go_parse_int(&plain) {
        return Some((Kind::Int, Scalar::Int(i)));
    }
    if let Some(u) = go_parse_uint(&plain) {
        return Some((Kind::Int, Scalar::Uint(u)));
    }
    if is_yaml_style_float(&plain) {
        if let Ok(f) = plain.parse::<f64>() {
            if f.is_finite() {
                return Some((Kind::Float, Scalar::Float(f)));
            }
        }
    }
    None
}

/// `^\.[0-9]+([eE][-+]?[0-9]+)?$`: what Go's ParseFloat accepts from a string starting with `.`.
fn parse_dot_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 1;
    let start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == start {
        return None;
    }
    if i < b.len() {
        if b[i] != b'e' && b[i] != b'E' {
            return None;
        }
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let ds = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == ds || i != b.len() {
            return None;
        }
    }
    let f: f64 = s.parse().ok()?;
    f.is_finite().then_some(f)
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - st
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseUint(s, 0, 64)` magnitude part: base prefix, digits, no sign.
fn go_parse_magnitude(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let (base, digits) = if b.len() >= 2 && b[0] == b'0' {
        match b[1] {
            b'x' | b'X' => (16, &b[2..]),
            b'b' | b'B' => (2, &b[2..]),
            b'o' | b'O' => (8, &b[2..]),
            _ => (8, &b[1..]),
        }
    } else {
        (10, b)
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &c in digits {
        let d = match c {
            b'0'..=b'9' => (c - b'0') as u64,
            b'a'..=b'f' => (c - b'a' + 10) as u64,
            b'A'..=b'F' => (c - b'A' + 10) as u64,
            _ => return None,
        };
        if d >= base {
            return None;
        }
        n = n.checked_mul(base)?.checked_add(d)?;
    }
    Some(n)
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
pub(crate) fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let m = go_parse_magnitude(rest)?;
    if neg {
        if m <= i64::MAX as u64 + 1 {
            Some((m as i64).wrapping_neg())
        } else {
            None
        }
    } else if m <= i64::MAX as u64 {
        Some(m as i64)
    } else {
        None
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)` (no sign allowed).
pub(crate) fn go_parse_uint(s: &str) -> Option<u64> {
    match s.as_bytes().first() {
        Some(b'-') | Some(b'+') | None => None,
        _ => go_parse_magnitude(s),
    }
}

/// Whether go-yaml v2 takes `s` for a timestamp (Go's `time.Parse` with the layouts
/// `2006-1-2T15:4:5.999999999Z07:00`, the same with `t`, `2006-1-2 15:4:5.999999999`, `2006-1-2`).
pub(crate) fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let year: u32 = s[..4].parse().unwrap_or(0);
    let mut i = 5;
    // 1 or 2 digits.
    fn num(b: &[u8], i: &mut usize) -> Option<u32> {
        if *i >= b.len() || !b[*i].is_ascii_digit() {
            return None;
        }
        let mut n = (b[*i] - b'0') as u32;
        *i += 1;
        if *i < b.len() && b[*i].is_ascii_digit() {
            n = n * 10 + (b[*i] - b'0') as u32;
            *i += 1;
        }
        Some(n)
    }
    let Some(month) = num(b, &mut i) else {
        return false;
    };
    if !(1..=12).contains(&month) || i >= b.len() || b[i] != b'-' {
        return false;
    }
    i += 1;
    let Some(day) = num(b, &mut i) else {
        return false;
    };
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day < 1 || day > days {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let with_zone = match b[i] {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    i += 1;
    let Some(h) = num(b, &mut i) else {
        return false;
    };
    if h >= 24 || i >= b.len() || b[i] != b':' {
        return false;
    }
    i += 1;
    let Some(m) = num(b, &mut i) else {
        return false;
    };
    if m >= 60 || i >= b.len() || b[i] != b':' {
        return false;
    }
    i += 1;
    let Some(sec) = num(b, &mut i) else {
        return false;
    };
    if sec >= 60 {
        return false;
    }
    // Optional fraction: `.` or `,` and at least one digit.
    if i + 1 < b.len() && (b[i] == b'.' || b[i] == b',') && b[i + 1].is_ascii_digit() {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if !with_zone {
        return i == b.len();
    }
    let rest = &b[i..];
    if rest == b"Z" {
        return true;
    }
    rest.len() == 6
        && (rest[0] == b'+' || rest[0] == b'-')
        && rest[1].is_ascii_digit()
        && rest[2].is_ascii_digit()
        && rest[3] == b':'
        && rest[4].is_ascii_digit()
        && rest[5].is_ascii_digit()
}

/// Splits `f` (finite, non-zero) into its shortest round-trip decimal digits and the decimal
/// point position (`0.d1d2... × 10^dp`), as Go's `strconv` shortest formatting sees it.
fn shortest_digits(f: f64, single: bool) -> (String, i32) {
    let s = if single {
        format!("{:e}", f.abs() as f32)
    } else {
        format!("{:e}", f.abs())
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let mut digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let mut exp: i32 = exp.parse().unwrap_or(0);
    // When the value lies exactly halfway between the two shortest candidates, Rust rounds up
    // and Go (Ryū) takes the even one: 921973316968881.25 is 921973316968881.2 in Go.
    if digits.as_bytes().last().is_some_and(|d| d % 2 == 1) {
        if let Some((d, e)) = tie_to_even(f, single, &digits, exp) {
            digits = d;
            exp = e;
        }
    }
    (digits, exp + 1)
}

/// The even candidate when `digits`×10^`exp` (Rust's shortest form of `f`) was chosen by
/// rounding an exact tie up; None when there was no tie.
fn tie_to_even(f: f64, single: bool, digits: &str, exp: i32) -> Option<(String, i32)> {
    let n = digits.len();
    let exact = |prec: usize| {
        if single {
            format!("{:.*e}", prec, f.abs() as f32)
        } else {
            format!("{:.*e}", prec, f.abs())
        }
    };
    // Exact expansion truncated at n digits must be followed by exactly "5".
    let is_tie = |s: &str| -> Option<(String, i32)> {
        let (mant, e) = s.split_once('e')?;
        let all: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
        let e: i32 = e.parse().ok()?;
        let tail = all.get(n..)?;
        let mut chars = tail.chars();
        (chars.next() == Some('5') && chars.all(|c| c == '0')).then(|| (all[..n].to_string(), e))
    };
    // A cheap look first, then the full expansion (an f64 has at most 767 significant digits).
    is_tie(&exact(n + 40))?;
    let (lower, e) = is_tie(&exact(800))?;
    if e != exp || lower.as_bytes().last().is_some_and(|d| d % 2 == 1) {
        return None;
    }
    Some((lower, e))
}

fn fmt_e(neg: bool, digits: &str, dp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let exp = dp - 1;
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let e = exp.unsigned_abs();
    if e < 10 {
        out.push('0');
    }
    out.push_str(&e.to_string());
    out
}

fn fmt_f(neg: bool, digits: &str, dp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if dp <= 0 {
        out.push_str("0.");
        for _ in 0..(-dp) {
            out.push('0');
        }
        out.push_str(digits);
    } else if dp as usize >= digits.len() {
        out.push_str(digits);
        for _ in 0..(dp as usize - digits.len()) {
            out.push('0');
        }
    } else {
        out.push_str(&digits[..dp as usize]);
        out.push('.');
        out.push_str(&digits[dp as usize..]);
    }
    out
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` (`single`: bit size 32), with go-yaml's
/// `.inf`/`-.inf`/`.nan` spelling.
pub(crate) fn format_g(f: f64, single: bool) -> String {
    // Go converts to float32 first: beyond its range is infinite.
    let f = if single && f.is_finite() {
        f as f32 as f64
    } else {
        f
    };
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    let neg = f.is_sign_negative();
    if f == 0.0 {
        return if neg { "-0" } else { "0" }.into();
    }
    let (digits, dp) = shortest_digits(f, single);
    let exp = dp - 1;
    if !(-4..6).contains(&exp) {
        fmt_e(neg, &digits, dp)
    } else {
        fmt_f(neg, &digits, dp)
    }
}

/// Go's encoding/json float form: `'f'` unless |f| < 1e-6 or >= 1e21, then `'e'` with the
/// exponent's leading zero dropped (`1e-07` → `1e-7`).
pub(crate) fn format_json_float(f: f64) -> String {
    if !f.is_finite() {
        // encoding/json refuses these; callers never hold them (serde_json cannot).
        return "null".into();
    }
    let neg = f.is_sign_negative();
    if f == 0.0 {
        return if neg { "-0" } else { "0" }.into();
    }
    // Below 2^53 every whole number is exact and its neighbours are whole numbers too, so its
    // shortest digits are its own: print it as an integer (most values are; the search for
    // the shortest digits costs thousands of instructions).
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        return (f as i64).to_string();
    }
    format_json_float_digits(f)
}

/// [`format_json_float`] by way of the shortest digits, for any finite non-zero `f`.
fn format_json_float_digits(f: f64) -> String {
    let neg = f.is_sign_negative();
    let (digits, dp) = shortest_digits(f, false);
    let abs = f.abs();
    if !(1e-6..1e21).contains(&abs) {
        let mut s = fmt_e(neg, &digits, dp);
        let n = s.len();
        let b = s.as_bytes();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
        s
    } else {
        fmt_f(neg, &digits, dp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_resolve_like_go_yaml_v2() {
        for s in [
            "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
        ] {
            assert_eq!(resolve_plain(s).1, Scalar::Bool(true), "{s}");
        }
        for s in [
            "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
        ] {
            assert_eq!(resolve_plain(s).1, Scalar::Bool(false), "{s}");
        }
        for s in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(resolve_plain(s).1, Scalar::Null, "{s}");
        }
        assert_eq!(resolve_plain("yEs").1, Scalar::Str("yEs".into()));
        assert_eq!(resolve_plain("0755").1, Scalar::Int(493));
        assert_eq!(resolve_plain("0o17").1, Scalar::Int(15));
        assert_eq!(resolve_plain("0x1F").1, Scalar::Int(31));
        assert_eq!(resolve_plain("-0x1F").1, Scalar::Int(-31));
        assert_eq!(resolve_plain("0b101").1, Scalar::Int(5));
        assert_eq!(resolve_plain("1_000").1, Scalar::Int(1000));
        assert_eq!(resolve_plain("+12").1, Scalar::Int(12));
        assert_eq!(resolve_plain("08").1, Scalar::Float(8.0));
        assert_eq!(resolve_plain("1e3").1, Scalar::Float(1000.0));
        assert_eq!(resolve_plain("1.").1, Scalar::Float(1.0));
        assert_eq!(resolve_plain(".5").1, Scalar::Float(0.5));
        assert_eq!(resolve_plain("-.5").1, Scalar::Float(-0.5));
        assert_eq!(resolve_plain("1e400").1, Scalar::Str("1e400".into()));
        assert_eq!(
            resolve_plain("12345678901234567890").1,
            Scalar::Uint(12345678901234567890)
        );
        assert_eq!(resolve_plain("2001-12-14").0, Kind::Timestamp);
        assert_eq!(
            resolve_plain("2001-12-14t21:59:43.10-05:00").0,
            Kind::Timestamp
        );
        assert_eq!(resolve_plain("2001-12-14 21:59:43.10").0, Kind::Timestamp);
        assert_eq!(resolve_plain("2001-02-30").0, Kind::Str);
        assert_eq!(resolve_plain("1:20").0, Kind::Str);
        assert_eq!(resolve_plain("<<").0, Kind::Str);
        assert!(matches!(resolve_plain(".inf").1, Scalar::Float(f) if f.is_infinite()));
        assert_eq!(resolve_plain("+").1, Scalar::Str("+".into()));
        assert_eq!(resolve_plain("0x").1, Scalar::Str("0x".into()));
        for s in [
            "",
            "yes",
            "No",
            "~",
            ".5",
            ".inf",
            "-.inf",
            "1e3",
            "0755",
            "2001-12-14",
            "x",
            "1e400",
            "+",
            "0x",
            "12345678901234567890",
            "3:4",
            "null",
        ] {
            assert_eq!(plain_kind(s), resolve_plain(s).0, "{s}");
        }
    }

    #[test]
    fn go_float_formats() {
        assert_eq!(format_g(1e6, false), "1e+06");
        assert_eq!(format_g(123456.0, false), "123456");
        assert_eq!(format_g(1234567.5, false), "1.2345675e+06");
        assert_eq!(format_g(0.0001, false), "0.0001");
        assert_eq!(format_g(0.00001, false), "1e-05");
        assert_eq!(format_g(1e21, false), "1e+21");
        assert_eq!(format_g(1.5, false), "1.5");
        assert_eq!(format_g(1.23456789012, true), "1.2345679");
        assert_eq!(format_g(0.1, true), "0.1");
        assert_eq!(format_g(1e100, false), "1e+100");
        assert_eq!(format_json_float(1e21), "1e+21");
        assert_eq!(format_json_float(1e20), "100000000000000000000");
        assert_eq!(format_json_float(1e-7), "1e-7");
        assert_eq!(format_json_float(0.000001), "0.000001");
        assert_eq!(
            format_json_float(1.2345678901234567e19),
            "12345678901234567000"
        );
        assert_eq!(format_json_float(-0.0), "-0");
        // The whole-number shortcut prints what the shortest digits print.
        let mut whole = vec![
            1.0,
            -1.0,
            7.0,
            10.0,
            1e15,
            1e15 + 1.0,
            4_503_599_627_370_497.0,
        ];
        whole.extend([
            9_007_199_254_740_991.0,
            -9_007_199_254_740_991.0,
            123_456_789.0,
        ]);
        whole.extend((0..2000).map(|i| (i * 7919) as f64 - 5000.0));
        whole.extend((0..53).map(|e| 2f64.powi(e) + 1.0));
        for f in whole.into_iter().filter(|f| *f != 0.0) {
            assert_eq!(format_json_float(f), format_json_float_digits(f), "{f}");
        }
        assert_eq!(format_json_float(921973316968881.2), "921973316968881.2");
        assert_eq!(format_g(921973316968881.2, false), "9.219733169688812e+14");
        assert_eq!(format_json_float(5e-324), "5e-324");
        assert_eq!(
            format_json_float(1.7976931348623157e308),
            "1.7976931348623157e+308"
        );
    }
}
