//! Go's `%#v` (the Go-syntax representation, Go 1.25 fmt) of the values templates hold:
//! `map[string]interface {}{"a":1, "b":"x"}`, `[]interface {}{1, "a"}`, quoted strings,
//! numbers as `%v` prints them, `interface {}(nil)` for a nil inside a map or list (`<nil>`
//! alone), and Sprig's certificate as `sprig.certificate{Cert:"...", Key:"..."}` — and `%x`/`%X`
//! of a float (`strconv.FormatFloat(f, 'x', prec, 64)`: `0x1.fep+07`).

use super::pki::Certificate;
use super::strings::go_quote;
use crate::engine::value::{go_number, map_entries};
use minijinja::value::ValueKind;
use minijinja::Value;

/// `fmt.Sprintf("%#v", v)`.
pub(super) fn go_syntax(v: &Value) -> String {
    if super::is_nil(v) {
        return "<nil>".into();
    }
    let mut out = String::new();
    write(&mut out, v, 0);
    out
}

fn write(out: &mut String, v: &Value, depth: usize) {
    // As deep as values go in Helm (10,000 levels); a map that holds itself still ends.
    if depth > crate::engine::value::MAX_DEPTH {
        out.push_str("<too deep>");
        return;
    }
    if let Some(c) = v.downcast_object_ref::<Certificate>() {
        out.push_str(&format!(
            "sprig.certificate{{Cert:{}, Key:{}}}",
            go_quote(&c.cert),
            go_quote(&c.key)
        ));
        return;
    }
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => out.push_str("interface {}(nil)"),
        ValueKind::Bool => out.push_str(if v.is_true() { "true" } else { "false" }),
        ValueKind::Number => out.push_str(&go_number(v)),
        ValueKind::String => out.push_str(&go_quote(v.as_str().unwrap_or_default())),
        ValueKind::Bytes => {
            let b: Vec<String> = v
                .as_bytes()
                .unwrap_or_default()
                .iter()
                .map(|b| format!("0x{b:x}"))
                .collect();
            out.push_str(&format!("[]byte{{{}}}", b.join(", ")));
        }
        ValueKind::Seq | ValueKind::Iterable => {
            out.push_str("[]interface {}{");
            let items: Vec<Value> = v.try_iter().map(|i| i.collect()).unwrap_or_default();
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(out, item, depth + 1);
            }
            out.push('}');
        }
        ValueKind::Map => {
            out.push_str("map[string]interface {}{");
            for (i, (k, item)) in map_entries(v).unwrap_or_default().iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&go_quote(k));
                out.push(':');
                write(out, item, depth + 1);
            }
            out.push('}');
        }
        _ => out.push_str(&crate::engine::value::go_sprint(v)),
    }
}

/// `strconv.FormatFloat(f, 'x', prec, 64)` (`prec` None: as few digits as exact), upper-cased
/// for `%X`.
pub(super) fn hex_float(f: f64, prec: Option<usize>, upper: bool) -> String {
    let neg = f.is_sign_negative();
    let bits = f.to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    if exp == 0 && mant == 0 {
        exp = 0;
    } else if exp == 0 {
        exp = -1022;
        while mant & (1u64 << 52) == 0 {
            mant <<= 1;
            exp -= 1;
        }
        mant &= (1u64 << 52) - 1;
    } else {
        exp -= 1023;
    }
    let lead = if bits & !(1u64 << 63) == 0 { 0 } else { 1 };
    let mut digits = format!("{mant:013x}");
    match prec {
        None => digits = digits.trim_end_matches('0').to_string(),
        Some(p) if p < 13 && lead == 1 => {
            // Round half to even over the whole mantissa, the leading 1 included.
            let full = mant | (1u64 << 52);
            let shift = (13 - p) * 4;
            let mut keep = full >> shift;
            let rem = full & ((1u64 << shift) - 1);
            let half = 1u64 << (shift - 1);
            if rem > half || (rem == half && keep & 1 == 1) {
                keep += 1;
            }
            if keep >> (p * 4) >= 2 {
                // carried out of the leading digit: 2.000... is 1.000... times 2
                exp += 1;
                keep = 0;
            } else {
                keep &= (1u64 << (p * 4)) - 1;
            }
            digits = if p == 0 {
                String::new()
            } else {
                format!("{keep:0p$x}")
            };
        }
        Some(p) if p < 13 => digits = "0".repeat(p),
        Some(p) => digits.push_str(&"0".repeat(p - 13)),
    }
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    s.push_str(&format!("0x{lead}"));
    if !digits.is_empty() {
        s.push('.');
        s.push_str(&digits);
    }
    s.push_str(&format!(
        "p{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    ));
    if upper {
        s.to_uppercase()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::funcs::testutil::r;

    #[test]
    fn go_syntax_of_values() {
        assert_eq!(
            r(r#"{{ printf("%#v", dict("a", 1, "b", "x", "c", list(1.5, none), "d", dict())) }}"#),
            r#"map[string]interface {}{"a":1, "b":"x", "c":[]interface {}{1.5, interface {}(nil)}, "d":map[string]interface {}{}}"#
        );
        assert_eq!(
            r(r#"{{ printf("%#v|%#v|%#v", "q\"", none, true) }}"#),
            r#""q\""|<nil>|true"#
        );
    }

    #[test]
    fn hex_floats_as_strconv_writes_them() {
        assert_eq!(hex_float(1.0, None, false), "0x1p+00");
        assert_eq!(hex_float(255.0, None, false), "0x1.fep+07");
        assert_eq!(hex_float(-0.5, None, true), "-0X1P-01");
        assert_eq!(hex_float(0.0, None, false), "0x0p+00");
        assert_eq!(hex_float(1.0, Some(2), false), "0x1.00p+00");
        assert_eq!(hex_float(1.999, Some(1), false), "0x1.0p+01");
        assert_eq!(hex_float(5e-324, None, false), "0x1p-1074");
        assert_eq!(hex_float(1.5, Some(0), false), "0x1p+01");
        assert_eq!(hex_float(3.75, Some(2), false), "0x1.e0p+01");
        assert_eq!(hex_float(0.0, Some(2), false), "0x0.00p+00");
        assert_eq!(hex_float(0.1, None, false), "0x1.999999999999ap-04");
    }
}
