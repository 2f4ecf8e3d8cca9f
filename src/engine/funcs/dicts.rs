//! Dictionaries (Sprig's dict.go): Go maps changed in place by `set`, `unset`, `merge`,
//! `mergeOverwrite` (dario.cat/mergo's rules), read by `get`, `hasKey`, `dig`...

use super::{err, go_map, is_empty, is_nil, list_value, read_map, strval, text, want, Func};
use crate::engine::value::{GoMap, MAX_DEPTH};
use minijinja::value::ValueKind;
use minijinja::{Error, Value};
use std::collections::BTreeMap;

pub(super) const FUNCS: &[(&str, Func)] = &[
    ("dict", dict),
    ("get", get),
    ("set", set),
    ("unset", unset),
    ("hasKey", has_key),
    ("pluck", pluck),
    ("keys", keys),
    ("pick", pick),
    ("omit", omit),
    ("values", values),
    ("merge", merge),
    ("mustMerge", merge),
    ("mergeOverwrite", merge_overwrite),
    ("mustMergeOverwrite", merge_overwrite),
    ("deepCopy", deep_copy),
    ("mustDeepCopy", deep_copy),
    ("dig", dig),
];

fn key_of(v: &Value) -> String {
    strval(v)
}

fn dict(a: &[Value]) -> Result<Value, Error> {
    let mut m = BTreeMap::new();
    let mut i = 0;
    while i < a.len() {
        if a[i].is_kwargs() {
            for (k, v) in crate::engine::value::map_entries(&a[i])? {
                m.insert(k, v);
            }
            i += 1;
            continue;
        }
        let v = a.get(i + 1).cloned().unwrap_or(Value::from(""));
        m.insert(key_of(&a[i]), v);
        i += 2;
    }
    Ok(GoMap::new_value(m))
}

fn need_map<'a>(name: &str, v: &'a Value) -> Result<&'a GoMap, Error> {
    go_map(name, v)?.ok_or_else(|| {
        err(
            name,
            "wrong type for value; expected map[string]interface {}; got <nil>",
        )
    })
}

fn get(a: &[Value]) -> Result<Value, Error> {
    want("get", a, 2, 2)?;
    let k = text(&a[1]);
    Ok(read_map("get", &a[0])?
        .and_then(|m| m.get(&k))
        .unwrap_or(Value::from("")))
}

fn set(a: &[Value]) -> Result<Value, Error> {
    want("set", a, 3, 3)?;
    need_map("set", &a[0])?.insert(text(&a[1]), a[2].clone());
    Ok(a[0].clone())
}

fn unset(a: &[Value]) -> Result<Value, Error> {
    want("unset", a, 2, 2)?;
    need_map("unset", &a[0])?.remove(&text(&a[1]));
    Ok(a[0].clone())
}

fn has_key(a: &[Value]) -> Result<Value, Error> {
    want("hasKey", a, 2, 2)?;
    let k = text(&a[1]);
    Ok(Value::from(
        read_map("hasKey", &a[0])?.is_some_and(|m| m.contains_key(&k)),
    ))
}

fn pluck(a: &[Value]) -> Result<Value, Error> {
    want("pluck", a, 1, usize::MAX)?;
    let k = text(&a[0]);
    let mut out = Vec::new();
    for d in &a[1..] {
        if let Some(v) = read_map("pluck", d)?.and_then(|m| m.get(&k)) {
            out.push(v);
        }
    }
    Ok(list_value(out))
}

fn keys(a: &[Value]) -> Result<Value, Error> {
    let mut out = Vec::new();
    for d in a {
        if let Some(m) = read_map("keys", d)? {
            out.extend(m.entries().into_iter().map(|(k, _)| Value::from(k)));
        }
    }
    Ok(list_value(out))
}

fn pick(a: &[Value]) -> Result<Value, Error> {
    want("pick", a, 1, usize::MAX)?;
    let src = read_map("pick", &a[0])?;
    let mut out = BTreeMap::new();
    if let Some(m) = src {
        for k in &a[1..] {
            let k = text(k);
            if let Some(v) = m.get(&k) {
                out.insert(k, v);
            }
        }
    }
    Ok(GoMap::new_value(out))
}

fn omit(a: &[Value]) -> Result<Value, Error> {
    want("omit", a, 1, usize::MAX)?;
    let drop: Vec<String> = a[1..].iter().map(text).collect();
    let out = read_map("omit", &a[0])?
        .map(|m| {
            m.entries()
                .into_iter()
                .filter(|(k, _)| !drop.contains(k))
                .collect()
        })
        .unwrap_or_default();
    Ok(GoMap::new_value(out))
}

fn values(a: &[Value]) -> Result<Value, Error> {
    want("values", a, 1, 1)?;
    Ok(list_value(
        read_map("values", &a[0])?
            .map(|m| m.entries().into_iter().map(|(_, v)| v).collect())
            .unwrap_or_default(),
    ))
}

/// mergo's deep merge of `src` into `dst` (both maps), in place. Without `overwrite` a key
/// is set only where `dst` lacks it or holds an empty value, and nil sources are skipped;
/// with it every source value wins. Two maps under one key merge recursively; a source map
/// placed into `dst` is shared, not copied.
fn merge_into(
    dst: &GoMap,
    src: &super::MapRef<'_>,
    overwrite: bool,
    depth: usize,
) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Err(err("merge", "maps nest too deeply"));
    }
    if let super::MapRef::Go(s) = src {
        if std::ptr::eq(dst, *s) {
            return Ok(());
        }
    }
    for (k, sv) in src.entries() {
        let dv = dst.get(&k);
        if is_nil(&sv) {
            if overwrite {
                dst.insert(k, sv);
            }
            continue;
        }
        if let Some(dm) = dv.as_ref().and_then(|d| d.downcast_object_ref::<GoMap>()) {
            if let Some(sm) = read_map("merge", &sv).ok().flatten() {
                merge_into(dm, &sm, overwrite, depth + 1)?;
                continue;
            }
        }
        let dst_empty = dv.as_ref().is_none_or(is_empty);
        if overwrite || dst_empty {
            dst.insert(k, sv);
        }
    }
    Ok(())
}

fn merge_with(name: &str, a: &[Value], overwrite: bool) -> Result<Value, Error> {
    want(name, a, 1, usize::MAX)?;
    let dst = need_map(name, &a[0])?;
    for s in &a[1..] {
        if let Some(src) = read_map(name, s)? {
            merge_into(dst, &src, overwrite, 0)?;
        }
    }
    Ok(a[0].clone())
}

fn merge(a: &[Value]) -> Result<Value, Error> {
    merge_with("merge", a, false)
}

fn merge_overwrite(a: &[Value]) -> Result<Value, Error> {
    merge_with("mergeOverwrite", a, true)
}

/// A deep copy: new maps and lists all the way down.
pub(crate) fn deep_copy_value(v: &Value, depth: usize) -> Result<Value, Error> {
    if depth > MAX_DEPTH {
        return Err(err("deepCopy", "value nests too deeply"));
    }
    Ok(match v.kind() {
        ValueKind::Map => {
            let mut out = BTreeMap::new();
            for (k, x) in crate::engine::value::map_entries(v)? {
                out.insert(k, deep_copy_value(&x, depth + 1)?);
            }
            GoMap::new_value(out)
        }
        ValueKind::Seq | ValueKind::Iterable => {
            let mut out = Vec::new();
            for x in v.try_iter()? {
                out.push(deep_copy_value(&x, depth + 1)?);
            }
            list_value(out)
        }
        _ => v.clone(),
    })
}

fn deep_copy(a: &[Value]) -> Result<Value, Error> {
    want("deepCopy", a, 1, 1)?;
    deep_copy_value(&a[0], 0)
}

/// `dig "a" "b" DEFAULT DICT`: the value at a.b, or DEFAULT where a key is missing.
fn dig(a: &[Value]) -> Result<Value, Error> {
    want("dig", a, 3, usize::MAX)?;
    let n = a.len();
    let default = a[n - 2].clone();
    let keys: Vec<String> = a[..n - 2].iter().map(text).collect();
    if is_nil(&a[n - 1]) {
        return Ok(default);
    }
    read_map("dig", &a[n - 1])?;
    let mut cur = a[n - 1].clone();
    for (i, k) in keys.iter().enumerate() {
        let m = read_map("dig", &cur).ok().flatten().ok_or_else(|| {
            err(
                "dig",
                format!(
                    "interface conversion: interface {{}} is {}, not map[string]interface {{}}",
                    // Go's TypeAssertionError names a nil interface `nil`, not `<nil>`.
                    if is_nil(&cur) {
                        "nil"
                    } else {
                        crate::engine::value::type_of(&cur)
                    }
                ),
            )
        })?;
        match m.get(k) {
            None => return Ok(default),
            Some(x) if i + 1 == keys.len() => return Ok(x),
            Some(x) => cur = x,
        }
    }
    Ok(default)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use serde_json::json;

    #[test]
    fn dict_get_set_unset_are_in_place() {
        assert_eq!(
            r(r#"{% set d = dict("a", 1) %}{% set _ = set(d, "b", 2) %}{{ d.b }}|{{ d }}"#),
            "2|map[a:1 b:2]"
        );
        assert_eq!(
            r(
                r#"{% set d = dict("a", 1, "b") %}{{ d }}|{{ unset(d, "a") }}|{{ d }}|{{ get(d, "b") }}|{{ get(d, "zz") }}|{{ get(d, "zz") | kindOf }}"#
            ),
            "map[a:1 b:]|map[b:]|map[b:]|||string"
        );
        assert_eq!(
            r(
                r#"{% set d = dict(1, "x") %}{{ d["1"] }}|{{ hasKey(d, "1") }}|{{ hasKey(d, "2") }}|{{ hasKey(none, "a") }}"#
            ),
            "x|true|false|false"
        );
        assert!(e(r#"{{ set(none, "a", 1) }}"#).contains("expected map"));
        // Jinja's keyword form works too
        assert_eq!(r(r#"{{ dict("z", 0, a=1, b="x") }}"#), "map[a:1 b:x z:0]");
        assert!(e(r#"{{ set(list(), "a", 1) }}"#).contains("expected map"));
    }

    #[test]
    fn jinja_maps_and_objects_are_readable_not_writable() {
        assert_eq!(
            r(
                r#"{% set j = {"b": 1, "a": {"x": 2}} %}{{ hasKey(j, "a") }}|{{ get(j, "b") }}|{{ keys(j) }}|{{ pick(j, "b") }}|{{ dig("a", "x", 0, j) }}|{{ merge(dict("b", 5), j) }}|{{ deepCopy(j) | kindOf }}"#
            ),
            "true|1|[a b]|map[b:1]|2|map[a:map[x:2] b:5]|map"
        );
        assert!(e(r#"{{ set({"a": 1}, "b", 2) }}"#).contains("make it with dict"));
    }

    #[test]
    fn values_maps_are_mutable_too() {
        let out = render_ctx(
            r#"{% set v = Values %}{% set _ = set(Values.sub, "k", "new") %}{{ v.sub.k }}|{% for k in Values.sub %}{{ k }},{% endfor %}"#,
            json!({"Values": {"sub": {"z": 1, "a": 2}}}),
        )
        .unwrap();
        assert_eq!(out, "new|a,k,z,");
    }

    #[test]
    fn changing_a_map_while_looping_over_it_is_safe() {
        assert_eq!(
            r(
                r#"{% set d = dict("a", 1, "b", 2) %}{% for k in d %}{% set _ = set(d, k ~ k, 0) %}{% set _ = unset(d, "b") %}{% endfor %}{{ d }}"#
            ),
            "map[a:1 aa:0 bb:0]"
        );
    }

    #[test]
    fn pick_omit_keys_values_pluck() {
        assert_eq!(
            r(
                r#"{% set d = dict("a", 1, "b", 2, "c", 3) %}{{ pick(d, "a", "c", "x") }}|{{ omit(d, "a") }}|{{ keys(d) }}|{{ values(d) }}|{{ pluck("a", d, dict("a", 9), dict()) }}|{{ d }}"#
            ),
            "map[a:1 c:3]|map[b:2 c:3]|[a b c]|[1 2 3]|[1 9]|map[a:1 b:2 c:3]"
        );
    }

    #[test]
    fn merge_rules() {
        assert_eq!(
            r(
                r#"{% set d = dict("a", 1, "e", "", "m", dict("x", 1)) %}{% set _ = merge(d, dict("a", 2, "e", "filled", "n", none, "new", 3, "m", dict("x", 2, "y", 3))) %}{{ d }}"#
            ),
            "map[a:1 e:filled m:map[x:1 y:3] new:3]"
        );
        assert_eq!(
            r(
                r#"{% set d = dict("a", 1, "m", dict("x", 1), "s", "str") %}{% set _ = mergeOverwrite(d, dict("a", 2, "n", none, "m", dict("x", 2, "y", 3)), dict("s", "")) %}{{ d }}"#
            ),
            "map[a:2 m:map[x:2 y:3] n:<nil> s:]"
        );
        // the result is the first argument itself
        assert_eq!(
            r(
                r#"{% set d = dict() %}{% set m = merge(d, dict("a", 1)) %}{% set _ = set(m, "b", 2) %}{{ d }}"#
            ),
            "map[a:1 b:2]"
        );
        // merging a map into itself is harmless
        assert_eq!(
            r(r#"{% set d = dict("a", 1) %}{{ merge(d, d) }}"#),
            "map[a:1]"
        );
    }

    #[test]
    fn deep_copy_is_independent() {
        assert_eq!(
            r(
                r#"{% set d = dict("m", dict("x", 1), "l", list(dict("y", 1))) %}{% set c = deepCopy(d) %}{% set _ = set(c.m, "x", 2) %}{% set _ = set(c.l[0], "y", 2) %}{{ d }}|{{ c }}"#
            ),
            "map[l:[map[y:1]] m:map[x:1]]|map[l:[map[y:2]] m:map[x:2]]"
        );
    }

    #[test]
    fn dig_paths() {
        let out = render_ctx(
            r#"{{ dig("a", "b", "def", Values) }}|{{ dig("a", "zz", "def", Values) }}|{{ dig("n", "def", Values) }}|{{ Values | dig("a", "b", "def") }}|{{ dig("x", "def", none) }}"#,
            json!({"Values": {"a": {"b": 5.0}, "n": null}}),
        )
        .unwrap();
        assert_eq!(out, "5|def||5|def");
        let err = render_ctx(
            r#"{{ dig("a", "b", "c", "def", Values) }}"#,
            json!({"Values": {"a": {"b": 1}}}),
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("not map"));
    }
}
