//! Conversions, types, defaults and Go's template built-ins (`eq`, `and`, `len`, `index`...).

use super::{err, fail_error, is_empty, is_nil, strval, text, to_f64, to_i64, want, Func};
use crate::engine::value::{kind_of, type_of, GoMap};
use minijinja::value::ValueKind;
use minijinja::{Error, ErrorKind, Value};

pub(super) const FUNCS: &[(&str, Func)] = &[
    ("toString", to_string),
    // Jinja's `string` filter, made Go's: `5432.0 | string` is "5432".
    ("string", to_string),
    ("atoi", atoi),
    ("int", int),
    ("int64", int),
    ("float64", float64),
    ("toDecimal", to_decimal),
    ("kindOf", kind_of_f),
    ("kindIs", kind_is),
    ("typeOf", type_of_f),
    ("typeIs", type_is),
    ("typeIsLike", type_is_like),
    ("deepEqual", deep_equal),
    ("default", default),
    ("empty", empty),
    ("coalesce", coalesce),
    ("all", all),
    ("any", any),
    ("ternary", ternary),
    ("required", required),
    ("fail", fail),
    ("eq", eq),
    ("ne", ne),
    ("lt", lt),
    ("le", le),
    ("gt", gt),
    ("ge", ge),
    ("and", and),
    ("or", or),
    ("not", not),
    ("len", len),
    ("index", index),
];

fn to_string(a: &[Value]) -> Result<Value, Error> {
    want("toString", a, 1, 1)?;
    Ok(Value::from(strval(&a[0])))
}

fn atoi(a: &[Value]) -> Result<Value, Error> {
    want("atoi", a, 1, 1)?;
    let st = text(&a[0]);
    let body = st.strip_prefix('+').unwrap_or(&st);
    let ok = !body.is_empty()
        && body
            .strip_prefix('-')
            .unwrap_or(body)
            .bytes()
            .all(|b| b.is_ascii_digit());
    Ok(Value::from(if ok {
        body.parse::<i64>().unwrap_or(0)
    } else {
        0
    }))
}

fn int(a: &[Value]) -> Result<Value, Error> {
    want("int", a, 1, 1)?;
    Ok(Value::from(to_i64(&a[0])))
}

fn float64(a: &[Value]) -> Result<Value, Error> {
    want("float64", a, 1, 1)?;
    Ok(Value::from(to_f64(&a[0])))
}

/// Sprig's `toDecimal`: an octal string read as a number.
fn to_decimal(a: &[Value]) -> Result<Value, Error> {
    want("toDecimal", a, 1, 1)?;
    let st = strval(&a[0]);
    Ok(Value::from(i64::from_str_radix(&st, 8).unwrap_or(0)))
}

fn kind_of_f(a: &[Value]) -> Result<Value, Error> {
    want("kindOf", a, 1, 1)?;
    Ok(Value::from(kind_of(&a[0])))
}

fn kind_is(a: &[Value]) -> Result<Value, Error> {
    want("kindIs", a, 2, 2)?;
    Ok(Value::from(text(&a[0]) == kind_of(&a[1])))
}

fn type_of_f(a: &[Value]) -> Result<Value, Error> {
    want("typeOf", a, 1, 1)?;
    Ok(Value::from(type_of(&a[0])))
}

fn type_is(a: &[Value]) -> Result<Value, Error> {
    want("typeIs", a, 2, 2)?;
    Ok(Value::from(text(&a[0]) == type_of(&a[1])))
}

fn type_is_like(a: &[Value]) -> Result<Value, Error> {
    want("typeIsLike", a, 2, 2)?;
    let t = text(&a[0]);
    let actual = type_of(&a[1]);
    Ok(Value::from(t == actual || t == format!("*{actual}")))
}

/// Go's `reflect.DeepEqual` over template values (an int is never equal to a float).
pub(crate) fn deep_eq(a: &Value, b: &Value) -> bool {
    if is_nil(a) || is_nil(b) {
        return is_nil(a) && is_nil(b);
    }
    match (a.kind(), b.kind()) {
        (ValueKind::Number, ValueKind::Number) => a.is_integer() == b.is_integer() && a == b,
        (ValueKind::Map, ValueKind::Map) => {
            let (Ok(x), Ok(y)) = (
                crate::engine::value::map_entries(a),
                crate::engine::value::map_entries(b),
            ) else {
                return false;
            };
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && deep_eq(v1, v2))
        }
        (ValueKind::Seq, ValueKind::Seq) => {
            let (Ok(x), Ok(y)) = (a.try_iter(), b.try_iter()) else {
                return false;
            };
            let (x, y): (Vec<Value>, Vec<Value>) = (x.collect(), y.collect());
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| deep_eq(p, q))
        }
        (k1, k2) => k1 == k2 && a == b,
    }
}

fn deep_equal(a: &[Value]) -> Result<Value, Error> {
    want("deepEqual", a, 2, 2)?;
    Ok(Value::from(deep_eq(&a[0], &a[1])))
}

fn default(a: &[Value]) -> Result<Value, Error> {
    want("default", a, 1, usize::MAX)?;
    let given = a.get(1);
    match given {
        Some(g) if !is_empty(g) => Ok(g.clone()),
        _ => Ok(a[0].clone()),
    }
}

fn empty(a: &[Value]) -> Result<Value, Error> {
    want("empty", a, 1, 1)?;
    Ok(Value::from(is_empty(&a[0])))
}

fn coalesce(a: &[Value]) -> Result<Value, Error> {
    Ok(a.iter()
        .find(|v| !is_empty(v))
        .cloned()
        .unwrap_or(Value::from(())))
}

fn all(a: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(a.iter().all(|v| !is_empty(v))))
}

fn any(a: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(a.iter().any(|v| !is_empty(v))))
}

fn ternary(a: &[Value]) -> Result<Value, Error> {
    want("ternary", a, 3, 3)?;
    if is_nil(&a[2]) {
        return Err(err("ternary", "invalid value; expected bool"));
    }
    if a[2].kind() != ValueKind::Bool {
        return Err(err(
            "ternary",
            format!(
                "wrong type for value; expected bool; got {}",
                type_of(&a[2])
            ),
        ));
    }
    Ok(if a[2].is_true() {
        a[0].clone()
    } else {
        a[1].clone()
    })
}

/// Helm's `required`: the value, or an error with the chart's message if it is nil or "".
fn required(a: &[Value]) -> Result<Value, Error> {
    want("required", a, 2, 2)?;
    let v = &a[1];
    if is_nil(v) || v.as_str() == Some("") {
        return Err(fail_error(&text(&a[0])));
    }
    Ok(v.clone())
}

fn fail(a: &[Value]) -> Result<Value, Error> {
    want("fail", a, 1, 1)?;
    Err(fail_error(&text(&a[0])))
}

/// Go's type of a value in the comparison functions' messages (integers are `int`).
fn cmp_type(v: &Value) -> &'static str {
    if v.is_integer() {
        "int"
    } else {
        type_of(v)
    }
}

/// Go's `basicKind`: what Go's comparisons can compare.
fn basic_kind(v: &Value) -> Option<u8> {
    match v.kind() {
        ValueKind::Bool => Some(0),
        ValueKind::Number if v.is_integer() => Some(1),
        ValueKind::Number => Some(2),
        ValueKind::String => Some(3),
        _ => None,
    }
}

/// Go template's basic comparison (`eq`, Go 1.25's funcs.go): numbers by value (ints and
/// floats do not mix), strings, bools; nil equals nil; lists and maps are not comparable.
fn basic_eq(name: &str, x: &Value, y: &Value) -> Result<bool, Error> {
    if is_nil(x) || is_nil(y) {
        return Ok(is_nil(x) && is_nil(y));
    }
    match (basic_kind(x), basic_kind(y)) {
        (Some(k1), Some(k2)) if k1 == k2 => Ok(x == y),
        (None, None) if x.kind() == y.kind() => Err(err(
            name,
            format!(
                "non-comparable type {}: {}",
                super::printf::sprintf("%s", std::slice::from_ref(y)),
                type_of(y)
            ),
        )),
        _ => Err(err(
            name,
            format!(
                "incompatible types for comparison: {} and {}",
                cmp_type(x),
                cmp_type(y)
            ),
        )),
    }
}

fn eq(a: &[Value]) -> Result<Value, Error> {
    want("eq", a, 1, usize::MAX)?;
    if a.len() < 2 {
        return Err(err("eq", "missing argument for comparison"));
    }
    for y in &a[1..] {
        if basic_eq("eq", &a[0], y)? {
            return Ok(Value::from(true));
        }
    }
    Ok(Value::from(false))
}

fn ne(a: &[Value]) -> Result<Value, Error> {
    want("ne", a, 2, 2)?;
    Ok(Value::from(!basic_eq("ne", &a[0], &a[1])?))
}

fn ordered(name: &str, a: &[Value]) -> Result<std::cmp::Ordering, Error> {
    want(name, a, 2, 2)?;
    let (x, y) = (&a[0], &a[1]);
    match (basic_kind(x), basic_kind(y)) {
        (None, _) | (_, None) | (Some(0), Some(0)) => Err(err(name, "invalid type for comparison")),
        (Some(k1), Some(k2)) if k1 != k2 => Err(err(
            name,
            format!(
                "incompatible types for comparison: {} and {}",
                cmp_type(x),
                cmp_type(y)
            ),
        )),
        (Some(3), _) => Ok(x.as_str().cmp(&y.as_str())),
        _ => x.partial_cmp(y).ok_or_else(|| err(name, "incomparable")),
    }
}

fn lt(a: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(ordered("lt", a)?.is_lt()))
}
fn le(a: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(ordered("le", a)?.is_le()))
}
fn gt(a: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(ordered("gt", a)?.is_gt()))
}
fn ge(a: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(ordered("ge", a)?.is_ge()))
}

/// Go's template truth: false, 0, nil, and empty strings, lists and maps are false.
fn truth(v: &Value) -> bool {
    !is_empty(v)
}

fn and(a: &[Value]) -> Result<Value, Error> {
    want("and", a, 1, usize::MAX)?;
    for v in a {
        if !truth(v) {
            return Ok(v.clone());
        }
    }
    Ok(a[a.len() - 1].clone())
}

fn or(a: &[Value]) -> Result<Value, Error> {
    want("or", a, 1, usize::MAX)?;
    for v in a {
        if truth(v) {
            return Ok(v.clone());
        }
    }
    Ok(a[a.len() - 1].clone())
}

fn not(a: &[Value]) -> Result<Value, Error> {
    want("not", a, 1, 1)?;
    Ok(Value::from(!truth(&a[0])))
}

fn len(a: &[Value]) -> Result<Value, Error> {
    want("len", a, 1, 1)?;
    let v = &a[0];
    match v.kind() {
        // Go's len counts bytes; one that is not UTF-8 is held as a stand-in pair.
        ValueKind::String => Ok(Value::from(
            crate::gojson::go_string_bytes(v.as_str().unwrap_or_default()).len(),
        )),
        ValueKind::Seq | ValueKind::Map | ValueKind::Bytes | ValueKind::Iterable => {
            Ok(Value::from(v.len().unwrap_or(0)))
        }
        ValueKind::Undefined | ValueKind::None => Err(err("len", "len of nil pointer")),
        _ => Err(err("len", format!("len of type {}", cmp_type(v)))),
    }
}

/// Go's `index`: `index m "a" "b"` is `m.a.b`; a list takes integer indexes.
fn index(a: &[Value]) -> Result<Value, Error> {
    want("index", a, 1, usize::MAX)?;
    let mut cur = a[0].clone();
    for key in &a[1..] {
        cur = match cur.kind() {
            ValueKind::Map => {
                // Go's prepareArg: a map's keys are strings.
                let k = match key.as_str() {
                    Some(s) => s.to_string(),
                    None if is_nil(key) => {
                        return Err(err("index", "value is nil; should be of type string"))
                    }
                    None => {
                        return Err(err(
                            "index",
                            format!("value has type {}; should be string", cmp_type(key)),
                        ))
                    }
                };
                match cur.downcast_object_ref::<GoMap>() {
                    Some(m) => m.get(&k).unwrap_or(Value::from(())),
                    None => cur.get_attr(&k).unwrap_or(Value::from(())),
                }
            }
            ValueKind::Seq | ValueKind::String | ValueKind::Iterable => {
                if is_nil(key) {
                    return Err(err("index", "cannot index slice/array with nil"));
                }
                if !key.is_integer() {
                    return Err(err(
                        "index",
                        format!("cannot index slice/array with type {}", type_of(key)),
                    ));
                }
                let i = to_i64(key);
                let n = if cur.kind() == ValueKind::String {
                    cur.as_str().unwrap_or_default().len()
                } else {
                    cur.len().unwrap_or(0)
                };
                if i < 0 || i as usize >= n {
                    return Err(err("index", format!("index out of range: {i}")));
                }
                if cur.kind() == ValueKind::String {
                    Value::from(cur.as_str().unwrap_or_default().as_bytes()[i as usize])
                } else {
                    cur.get_item_by_index(i as usize)?
                }
            }
            ValueKind::Undefined | ValueKind::None => {
                return Err(err("index", "index of untyped nil"))
            }
            _ => {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    format!(
                        "error calling index: can't index item of type {}",
                        type_of(&cur)
                    ),
                ))
            }
        };
    }
    Ok(cur)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use serde_json::json;

    #[test]
    fn defaults_and_empty() {
        assert_eq!(
            r(
                r#"{{ default("d", "") }}|{{ default("d", 0) }}|{{ default("d", 0.0) }}|{{ default("d", false) }}|{{ default("d", list()) }}|{{ default("d", dict()) }}|{{ default("d", none) }}|{{ default("d") }}|{{ missing | default("d") }}|{{ default("d", "x") }}|{{ default("d", list(0)) }}"#
            ),
            "d|d|d|d|d|d|d|d|d|x|[0]"
        );
        assert_eq!(
            r(r#"{{ empty("") }}|{{ empty(0) }}|{{ empty(" ") }}|{{ empty(dict("a", 1)) }}"#),
            "true|true|false|false"
        );
        assert_eq!(
            r(
                r#"{{ coalesce(none, "", 0, "x", "y") }}|{{ coalesce(none) }}|{{ all(1, "a") }}|{{ any(0, "") }}"#
            ),
            "x||true|false"
        );
    }

    #[test]
    fn ternary_required_fail() {
        assert_eq!(
            r(r#"{{ ternary("a", "b", true) }}|{{ false | ternary("a", "b") }}"#),
            "a|b"
        );
        assert!(e(r#"{{ ternary("a", "b", "x") }}"#).contains("expected bool"));
        assert!(e(r#"{{ ternary("a", "b", none) }}"#).contains("invalid value; expected bool"));
        assert_eq!(
            r(r#"{{ required("m", "v") }}|{{ required("m", 0) }}"#),
            "v|0"
        );
        assert!(e(r#"{{ required("value is required!", "") }}"#).contains("value is required!"));
        assert!(e(r#"{{ none | required("need it") }}"#).contains("need it"));
        assert!(e(r#"{{ fail("boom: the chart's words") }}"#).contains("boom: the chart's words"));
    }

    fn ctx2() -> serde_json::Value {
        json!({"f": 5432.0, "big": 1e6})
    }

    #[test]
    fn conversions() {
        let ctx = json!({"f": 5432.0, "h": 1.9, "big": 1e6, "s": "42"});
        let out = render_ctx(
            "{{ toString(f) }}|{{ int(h) }}|{{ int(s) }}|{{ int(\"0x10\") }}|{{ int(\"x\") }}|{{ atoi(\"12\") }}|{{ atoi(\"1.5\") }}|{{ float64(\"1.5\") }}|{{ float64(3) }}|{{ toString(big) }}|{{ int64(true) }}|{{ toDecimal(\"0777\") }}",
            ctx,
        )
        .unwrap();
        assert_eq!(out, "5432|1|42|16|0|12|0|1.5|3|1e+06|1|511");
        let out = render_ctx("{{ f | string }}|{{ big | string }}", ctx2()).unwrap();
        assert_eq!(out, "5432|1e+06");
    }

    #[test]
    fn kinds_types() {
        let ctx = json!({"f": 1.0, "m": {}, "l": [], "n": null});
        let out = render_ctx(
            "{{ kindOf(f) }} {{ kindOf(m) }} {{ kindOf(l) }} {{ kindOf(\"\") }} {{ kindOf(1) }} {{ kindOf(n) }} {{ typeOf(m) }} {{ typeOf(l) }} {{ typeOf(n) }} {{ kindIs(\"map\", m) }} {{ typeIs(\"float64\", f) }}",
            ctx,
        )
        .unwrap();
        assert_eq!(out, "float64 map slice string int64 invalid map[string]interface {} []interface {} <nil> true true");
    }

    #[test]
    fn comparisons_and_logic() {
        assert_eq!(
            r(
                r#"{{ eq(1, 2, 1) }}|{{ ne("a", "b") }}|{{ lt(1, 2) }}|{{ ge("b", "a") }}|{{ eq(none, none) }}"#
            ),
            "true|true|true|true|true"
        );
        assert!(e(r#"{{ eq(1, 1.0) }}"#).contains("incompatible"));
        assert_eq!(
            r(
                r#"{{ and(1, "", 2) }}|{{ and(1, 2) }}|{{ or(0, "", "x") }}|{{ or(0, "") }}|{{ not(list()) }}"#
            ),
            "|2|x||true"
        );
    }

    #[test]
    fn len_and_index() {
        assert_eq!(
            r(
                r#"{{ len("héllo") }}|{{ len(list(1, 2)) }}|{{ len(dict("a", 1)) }}|{{ index(dict("a", dict("b", 7)), "a", "b") }}|{{ index(list(4, 5), 1) }}|{{ index(dict(), "x") }}"#
            ),
            "6|2|1|7|5|"
        );
        assert!(e(r#"{{ index(list(1), 3) }}"#).contains("out of range"));
        assert!(e(r#"{{ len(none) }}"#).contains("nil"));
        assert!(e(r#"{{ index(none, "a") }}"#).contains("nil"));
    }
}
