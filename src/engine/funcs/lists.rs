//! Lists (Sprig's list.go): new lists from old, never changed in place.

use super::conv::deep_eq;
use super::strings::strslice;
use super::{err, is_empty, is_nil, items, list_value, strval, to_i64, want, Func};
use crate::engine::value::kind_of;
use minijinja::value::ValueKind;
use minijinja::{Error, Value};

pub(super) const FUNCS: &[(&str, Func)] = &[
    ("list", list),
    ("tuple", list),
    ("append", append),
    ("push", append),
    ("mustAppend", append),
    ("mustPush", append),
    ("prepend", prepend),
    ("mustPrepend", prepend),
    ("first", first),
    ("mustFirst", first),
    ("last", last),
    ("mustLast", last),
    ("rest", rest),
    ("mustRest", rest),
    ("initial", initial),
    ("mustInitial", initial),
    ("reverse", reverse),
    ("mustReverse", reverse),
    ("uniq", uniq),
    ("mustUniq", uniq),
    ("without", without),
    ("mustWithout", without),
    ("has", has),
    ("mustHas", has),
    ("compact", compact),
    ("mustCompact", compact),
    ("concat", concat),
    ("slice", slice),
    ("mustSlice", slice),
    ("chunk", chunk),
    ("mustChunk", chunk),
    ("sortAlpha", sort_alpha),
    ("until", until),
    ("untilStep", until_step),
    ("seq", seq),
];

/// A list argument; anything else is Sprig's "Cannot NAME on type KIND".
fn need_list(name: &str, what: &str, v: &Value) -> Result<Vec<Value>, Error> {
    match v.kind() {
        ValueKind::Seq | ValueKind::Iterable => items(name, v),
        _ => Err(err(name, format!("Cannot {what} on type {}", kind_of(v)))),
    }
}

fn list(a: &[Value]) -> Result<Value, Error> {
    Ok(list_value(a.to_vec()))
}

fn append(a: &[Value]) -> Result<Value, Error> {
    want("append", a, 2, 2)?;
    let mut l = need_list("append", "push", &a[0])?;
    l.push(a[1].clone());
    Ok(list_value(l))
}

fn prepend(a: &[Value]) -> Result<Value, Error> {
    want("prepend", a, 2, 2)?;
    let mut l = need_list("prepend", "prepend", &a[0])?;
    l.insert(0, a[1].clone());
    Ok(list_value(l))
}

fn first(a: &[Value]) -> Result<Value, Error> {
    want("first", a, 1, 1)?;
    let l = need_list("first", "find first", &a[0])?;
    Ok(l.first().cloned().unwrap_or(Value::from(())))
}

fn last(a: &[Value]) -> Result<Value, Error> {
    want("last", a, 1, 1)?;
    let l = need_list("last", "find last", &a[0])?;
    Ok(l.last().cloned().unwrap_or(Value::from(())))
}

fn rest(a: &[Value]) -> Result<Value, Error> {
    want("rest", a, 1, 1)?;
    let l = need_list("rest", "find rest", &a[0])?;
    Ok(list_value(l.into_iter().skip(1).collect()))
}

fn initial(a: &[Value]) -> Result<Value, Error> {
    want("initial", a, 1, 1)?;
    let mut l = need_list("initial", "find initial", &a[0])?;
    l.pop();
    Ok(list_value(l))
}

fn reverse(a: &[Value]) -> Result<Value, Error> {
    want("reverse", a, 1, 1)?;
    let mut l = need_list("reverse", "find reverse", &a[0])?;
    l.reverse();
    Ok(list_value(l))
}

fn in_list(hay: &[Value], needle: &Value) -> bool {
    hay.iter().any(|h| deep_eq(h, needle))
}

fn uniq(a: &[Value]) -> Result<Value, Error> {
    want("uniq", a, 1, 1)?;
    let mut out: Vec<Value> = Vec::new();
    for x in need_list("uniq", "find uniq", &a[0])? {
        if !in_list(&out, &x) {
            out.push(x);
        }
    }
    Ok(list_value(out))
}

fn without(a: &[Value]) -> Result<Value, Error> {
    want("without", a, 1, usize::MAX)?;
    let omit = &a[1..];
    Ok(list_value(
        need_list("without", "find without", &a[0])?
            .into_iter()
            .filter(|x| !in_list(omit, x))
            .collect(),
    ))
}

fn has(a: &[Value]) -> Result<Value, Error> {
    want("has", a, 2, 2)?;
    if is_nil(&a[1]) {
        return Ok(Value::from(false));
    }
    let l = need_list("has", "find has", &a[1])?;
    Ok(Value::from(in_list(&l, &a[0])))
}

fn compact(a: &[Value]) -> Result<Value, Error> {
    want("compact", a, 1, 1)?;
    Ok(list_value(
        need_list("compact", "compact", &a[0])?
            .into_iter()
            .filter(|x| !is_empty(x))
            .collect(),
    ))
}

fn concat(a: &[Value]) -> Result<Value, Error> {
    let mut out = Vec::new();
    for l in a {
        out.extend(need_list("concat", "concat", l).map_err(|_| {
            err(
                "concat",
                format!("Cannot concat type {} as list", kind_of(l)),
            )
        })?);
    }
    Ok(list_value(out))
}

/// Sprig's `slice`: indexes after the second are ignored; out-of-range ones make
/// reflect's `Slice` panic, which Go reports as the error.
fn slice(a: &[Value]) -> Result<Value, Error> {
    want("slice", a, 1, usize::MAX)?;
    if is_nil(&a[0]) {
        return Err(err(
            "slice",
            "runtime error: invalid memory address or nil pointer dereference",
        ));
    }
    let l = need_list("slice", "slice", &a[0]).map_err(|_| {
        err(
            "slice",
            format!(
                "list should be type of slice or array but {}",
                kind_of(&a[0])
            ),
        )
    })?;
    if l.is_empty() {
        return Ok(Value::from(()));
    }
    let start = a.get(1).map(to_i64).unwrap_or(0);
    let end = a.get(2).map(to_i64).unwrap_or(l.len() as i64);
    if start < 0 || end < start || end as usize > l.len() {
        return Err(err(
            "slice",
            "reflect.Value.Slice: slice index out of bounds",
        ));
    }
    Ok(list_value(l[start as usize..end as usize].to_vec()))
}

fn chunk(a: &[Value]) -> Result<Value, Error> {
    want("chunk", a, 2, 2)?;
    let size = to_i64(&a[0]);
    let l = need_list("chunk", "chunk", &a[1])?;
    if size <= 0 {
        return Err(err("chunk", "runtime error: chunk size must be positive"));
    }
    Ok(list_value(
        l.chunks(size as usize)
            .map(|c| list_value(c.to_vec()))
            .collect(),
    ))
}

fn sort_alpha(a: &[Value]) -> Result<Value, Error> {
    want("sortAlpha", a, 1, 1)?;
    let mut l = match a[0].kind() {
        ValueKind::Seq | ValueKind::Iterable => strslice(&a[0]),
        _ => vec![strval(&a[0])],
    };
    l.sort();
    Ok(list_value(l.into_iter().map(Value::from).collect()))
}

fn until_step_vec(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, Error> {
    let mut v = Vec::new();
    let too_long = || err("untilStep", "list too long");
    if stop < start {
        if step >= 0 {
            return Ok(v);
        }
        let mut i = start;
        while i > stop {
            v.push(i);
            if v.len() > 1_000_000 {
                return Err(too_long());
            }
            i = i.saturating_add(step);
        }
        return Ok(v);
    }
    if step <= 0 {
        return Ok(v);
    }
    let mut i = start;
    while i < stop {
        v.push(i);
        if v.len() > 1_000_000 {
            return Err(too_long());
        }
        i = i.saturating_add(step);
    }
    Ok(v)
}

fn ints(v: Vec<i64>) -> Value {
    list_value(v.into_iter().map(Value::from).collect())
}

fn until(a: &[Value]) -> Result<Value, Error> {
    want("until", a, 1, 1)?;
    let n = to_i64(&a[0]);
    Ok(ints(until_step_vec(0, n, if n < 0 { -1 } else { 1 })?))
}

fn until_step(a: &[Value]) -> Result<Value, Error> {
    want("untilStep", a, 3, 3)?;
    Ok(ints(until_step_vec(
        to_i64(&a[0]),
        to_i64(&a[1]),
        to_i64(&a[2]),
    )?))
}

fn seq(a: &[Value]) -> Result<Value, Error> {
    let p: Vec<i64> = a.iter().map(to_i64).collect();
    let v = match p.len() {
        1 => {
            let (start, end) = (1, p[0]);
            let inc = if end < start { -1 } else { 1 };
            until_step_vec(start, end.saturating_add(inc), inc)?
        }
        2 => {
            let (start, end) = (p[0], p[1]);
            let step = if end < start { -1 } else { 1 };
            until_step_vec(start, end.saturating_add(step), step)?
        }
        3 => {
            let (start, step, end) = (p[0], p[1], p[2]);
            let mut inc = 1;
            if end < start {
                inc = -1;
                if step > 0 {
                    return Ok(Value::from(""));
                }
            }
            until_step_vec(start, end.saturating_add(inc), step)?
        }
        _ => return Ok(Value::from("")),
    };
    let parts: Vec<String> = v.iter().map(|i| i.to_string()).collect();
    Ok(Value::from(parts.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;

    #[test]
    fn building_lists() {
        assert_eq!(
            r(
                r#"{% set l = list(1, "a") %}{{ append(l, 2) }}|{{ append(l, 3) }}|{{ prepend(l, 0) }}|{{ l }}|{{ concat(l, list(9), tuple()) }}"#
            ),
            "[1 a 2]|[1 a 3]|[0 1 a]|[1 a]|[1 a 9]"
        );
        assert!(e(r#"{{ append("x", 1) }}"#).contains("Cannot push on type string"));
        // piped, the list goes last as in Go, which is the wrong place for append
        assert!(e(r#"{{ list(1) | append(3) }}"#).contains("Cannot push on type int64"));
    }

    #[test]
    fn reading_lists() {
        assert_eq!(
            r(
                r#"{% set l = list(1, 2, 3) %}{{ first(l) }}|{{ last(l) }}|{{ rest(l) }}|{{ initial(l) }}|{{ reverse(l) }}|{{ first(list()) }}|{{ rest(list()) }}|{{ l | first }}"#
            ),
            "1|3|[2 3]|[1 2]|[3 2 1]||[]|1"
        );
        assert_eq!(
            r(
                r#"{{ uniq(list(1, 1, "a", "a", 2)) }}|{{ without(list(1, 2, 3), 2) }}|{{ has(2, list(1, 2)) }}|{{ list(1, 2) | has(3) }}|{{ compact(list(0, "", none, "a", false, 1)) }}"#
            ),
            "[1 a 2]|[1 3]|true|false|[a 1]"
        );
        assert_eq!(
            r(
                r#"{{ slice(list(1, 2, 3, 4), 1, 3) }}|{{ slice(list(1, 2, 3), 1) }}|{{ chunk(2, list(1, 2, 3)) }}|{{ sortAlpha(list("b", "a", 10, 2)) }}"#
            ),
            "[2 3]|[2 3]|[[1 2] [3]]|[10 2 a b]"
        );
        assert!(e(r#"{{ slice(list(1, 2), 1, 5) }}"#).contains("slice index out of bounds"));
    }

    #[test]
    fn ranges() {
        assert_eq!(
            r(
                r#"{{ until(3) }}|{{ until(-2) }}|{{ untilStep(0, 10, 4) }}|{{ untilStep(3, 0, -1) }}|{{ seq(3) }}|{{ seq(2, 4) }}|{{ seq(5, -2, 1) }}|{{ seq(0) }}"#
            ),
            "[0 1 2]|[0 -1]|[0 4 8]|[3 2 1]|1 2 3|2 3 4|5 3 1|1 0"
        );
    }
}
