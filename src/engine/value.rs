//! Values inside the engine: conversion between the values tree and minijinja values, maps
//! that behave as Go maps (changed in place by `set`, `unset`, `merge`...), and printing as
//! Go's text/template prints (`{{ x }}`).
//!
//! Numbers keep Go's types: a float64 (every number read from YAML or JSON) is a minijinja
//! `f64`, an int64 (`--set` integers, results of `add`, `int`...) is an `i64`. Maps are
//! [`GoMap`] objects: shared, mutable in place, iterated in sorted key order as Go's `range`.

use crate::Value;
use minijinja::value::{Enumerator, Object, ObjectRepr};
use minijinja::{Error, ErrorKind, Output, State};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, MutexGuard};

type JValue = minijinja::Value;

/// How deep printing and conversion go before giving up: a map that holds itself
/// (`set $d "self" $d`) must end in an error, never in a stack overflow. Above the 10,000
/// levels Helm reads values to (Go's encoding/json limit), which Helm's `toJson`, `toYaml` and
/// printing handle: a values file that deep renders as in Helm.
pub(crate) const MAX_DEPTH: usize = 10_100;

/// How deep [`from_jinja`] goes (toYaml, toJson... of template values): past go-yaml's 10,000
/// levels, so that Helm's answers at its limit (toYaml of 10,000 levels prints, of 10,001
/// prints nothing) come out the same; a map that holds itself still ends in an error.
const TREE_DEPTH: usize = 20_000;

/// A Go `map[string]interface{}`: one shared, mutable map seen through every reference.
#[derive(Debug, Default)]
pub struct GoMap {
    entries: Mutex<BTreeMap<String, JValue>>,
}

impl GoMap {
    /// A new map value holding `entries`.
    pub fn new_value(entries: BTreeMap<String, JValue>) -> JValue {
        JValue::from_object(GoMap {
            entries: Mutex::new(entries),
        })
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, JValue>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<JValue> {
        self.lock().get(key).cloned()
    }

    /// Whether `key` is present (even with a nil value).
    pub fn contains_key(&self, key: &str) -> bool {
        self.lock().contains_key(key)
    }

    /// Sets `key` to `value`.
    pub fn insert(&self, key: String, value: JValue) {
        self.lock().insert(key, value);
    }

    /// Removes `key`.
    pub fn remove(&self, key: &str) -> Option<JValue> {
        self.lock().remove(key)
    }

    /// A copy of the entries, in sorted key order (the lock is not held afterwards).
    pub fn snapshot(&self) -> BTreeMap<String, JValue> {
        self.lock().clone()
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }
}

impl Object for GoMap {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &JValue) -> Option<JValue> {
        match key.as_str() {
            Some(k) => self.get(k),
            None => self.get(&go_sprint(key)),
        }
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<JValue> {
        self.get(key)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let keys: Vec<JValue> = self
            .lock()
            .keys()
            .map(|k| JValue::from(k.as_str()))
            .collect();
        Enumerator::Values(keys)
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.len())
    }

    fn is_true(self: &Arc<Self>) -> bool {
        !self.is_empty()
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &State<'_, '_>,
        method: &str,
        args: &[JValue],
    ) -> Result<JValue, Error> {
        let no_args = |v: JValue| {
            if args.is_empty() {
                Ok(v)
            } else {
                Err(Error::new(
                    ErrorKind::TooManyArguments,
                    format!("{method}() takes no arguments"),
                ))
            }
        };
        match method {
            "items" => no_args(JValue::from(
                self.snapshot()
                    .into_iter()
                    .map(|(k, v)| JValue::from(vec![JValue::from(k), v]))
                    .collect::<Vec<_>>(),
            )),
            "keys" => no_args(JValue::from(
                self.snapshot()
                    .into_keys()
                    .map(JValue::from)
                    .collect::<Vec<_>>(),
            )),
            "values" => no_args(JValue::from(
                self.snapshot().into_values().collect::<Vec<_>>(),
            )),
            "get" => {
                let key = args.first().map(go_sprint).unwrap_or_default();
                let default = args.get(1).cloned().unwrap_or(JValue::from(()));
                Ok(self.get(&key).unwrap_or(default))
            }
            _ => Err(Error::from(ErrorKind::UnknownMethod)),
        }
    }
}

/// Calls Helm's method `name` of an engine object (`Files.Get`, `Capabilities.APIVersions.Has`
/// ...): the one implementation both dialects use. `None` when the value has no such method
/// (Go maps have none: `.keys` on a map is the key `keys`).
pub fn call_method(v: &JValue, name: &str, args: &[JValue]) -> Option<Result<JValue, Error>> {
    if let Some(f) = v.downcast_object_ref::<super::files::Files>() {
        return f.method(name, args);
    }
    if let Some(a) = v.downcast_object_ref::<super::objects::ApiVersions>() {
        return a.method(name, args);
    }
    None
}

/// Whether [`call_method`] knows the method `name` of `v`.
pub fn has_method(v: &JValue, name: &str) -> bool {
    match v.kind() {
        minijinja::value::ValueKind::Map | minijinja::value::ValueKind::Seq => {
            (v.downcast_object_ref::<super::files::Files>().is_some()
                && matches!(
                    name,
                    "Get" | "GetBytes" | "Glob" | "Lines" | "AsConfig" | "AsSecrets"
                ))
                || (v
                    .downcast_object_ref::<super::objects::ApiVersions>()
                    .is_some()
                    && name == "Has")
        }
        _ => false,
    }
}

/// The values tree as a minijinja value: maps become [`GoMap`]s, f64 stays f64, i64 stays i64.
pub fn to_jinja(v: &Value) -> JValue {
    match v {
        Value::Null => JValue::from(()),
        Value::Bool(b) => JValue::from(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                JValue::from(i)
            } else if let Some(u) = n.as_u64() {
                JValue::from(u)
            } else {
                JValue::from(n.as_f64().unwrap_or(0.0))
            }
        }
        Value::String(s) => JValue::from(s.as_str()),
        Value::Array(a) => JValue::from(a.iter().map(to_jinja).collect::<Vec<_>>()),
        Value::Object(m) => {
            GoMap::new_value(m.iter().map(|(k, v)| (k.clone(), to_jinja(v))).collect())
        }
    }
}

/// A minijinja value back as a values tree (for toYaml, toJson, schema, lookup...).
/// Maps come out with their keys sorted, as Go marshals them.
pub fn from_jinja(v: &JValue) -> Result<Value, Error> {
    from_jinja_depth(v, 0)
}

fn too_deep() -> Error {
    Error::new(
        ErrorKind::InvalidOperation,
        "value nests too deeply (does a map contain itself?)",
    )
}

fn from_jinja_depth(v: &JValue, depth: usize) -> Result<Value, Error> {
    use minijinja::value::ValueKind;
    if depth > TREE_DEPTH {
        return Err(too_deep());
    }
    Ok(match v.kind() {
        ValueKind::Undefined | ValueKind::None => Value::Null,
        ValueKind::Bool => Value::Bool(v.is_true()),
        ValueKind::Number => number_to_json(v),
        ValueKind::String => Value::String(v.as_str().unwrap_or_default().to_string()),
        ValueKind::Bytes => {
            Value::String(String::from_utf8_lossy(v.as_bytes().unwrap_or_default()).into_owned())
        }
        ValueKind::Seq | ValueKind::Iterable => {
            let mut out = Vec::new();
            for item in v.try_iter()? {
                out.push(from_jinja_depth(&item, depth + 1)?);
            }
            Value::Array(out)
        }
        ValueKind::Map => {
            let mut entries = BTreeMap::new();
            if let Some(m) = v.downcast_object_ref::<GoMap>() {
                for (k, item) in m.snapshot() {
                    entries.insert(k, from_jinja_depth(&item, depth + 1)?);
                }
            } else {
                for key in v.try_iter()? {
                    let item = v.get_item(&key)?;
                    let key = match key.as_str() {
                        Some(s) => s.to_string(),
                        None => go_sprint(&key),
                    };
                    entries.insert(key, from_jinja_depth(&item, depth + 1)?);
                }
            }
            Value::Object(entries.into_iter().collect())
        }
        ValueKind::Plain => Value::String(v.to_string()),
        ValueKind::Invalid => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("invalid value: {v}"),
            ))
        }
        _ => Value::String(v.to_string()),
    })
}

fn number_to_json(v: &JValue) -> Value {
    if v.is_integer() {
        if let Ok(i) = i64::try_from(v.clone()) {
            return Value::from(i);
        }
        if let Ok(u) = u64::try_from(v.clone()) {
            return Value::from(u);
        }
    }
    let f = f64::try_from(v.clone()).unwrap_or(0.0);
    serde_json::Number::from_f64(f)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// The formatter for `env.set_formatter`: prints `{{ x }}` as Go's text/template with Helm's
/// `<no value>` removal: nothing for null and undefined, everything else as Go's `%v`.
pub fn format(out: &mut Output, _state: &State, value: &JValue) -> Result<(), Error> {
    if value.is_undefined() || value.is_none() {
        return Ok(());
    }
    let mut s = String::new();
    sprint_into(&mut s, value, 0)?;
    // Helm prints a byte that is not UTF-8 as it is; text cannot: U+FFFD.
    out.write_str(&crate::gojson::bad_bytes_as_fffd(&s))
        .map_err(|_| Error::new(ErrorKind::WriteFailure, "could not write output"))
}

/// Go's `fmt.Sprint(v)` (`%v`): `<nil>` for nil, numbers in Go's form, `[a b]`, `map[a:1]`.
pub fn go_sprint(v: &JValue) -> String {
    let mut s = String::new();
    if sprint_into(&mut s, v, 0).is_err() {
        s.push_str("<too deep>");
    }
    s
}

fn sprint_into(out: &mut String, v: &JValue, depth: usize) -> Result<(), Error> {
    use minijinja::value::ValueKind;
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => out.push_str("<nil>"),
        ValueKind::Bool => out.push_str(if v.is_true() { "true" } else { "false" }),
        ValueKind::Number => out.push_str(&go_number(v)),
        // Go's %v keeps a byte that is not UTF-8: its stand-in pair stays (the template's
        // output writes it as U+FFFD).
        ValueKind::String => out.push_str(v.as_str().unwrap_or_default()),
        ValueKind::Bytes => {
            // Go prints a []byte with %v as a list of numbers.
            out.push('[');
            for (i, b) in v.as_bytes().unwrap_or_default().iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let _ = write!(out, "{b}");
            }
            out.push(']');
        }
        ValueKind::Seq | ValueKind::Iterable => {
            out.push('[');
            for (i, item) in v.try_iter()?.enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                sprint_into(out, &item, depth + 1)?;
            }
            out.push(']');
        }
        ValueKind::Map if v.downcast_object_ref::<GoMap>().is_none() && has_own_render(v) => {
            // An object that prints itself (Go's Stringer), e.g. Capabilities.KubeVersion.
            let _ = write!(out, "{v}");
        }
        ValueKind::Map => {
            out.push_str("map[");
            let mut first = true;
            for (k, item) in map_entries(v)? {
                if !first {
                    out.push(' ');
                }
                first = false;
                out.push_str(&k);
                out.push(':');
                sprint_into(out, &item, depth + 1)?;
            }
            out.push(']');
        }
        _ => {
            let _ = write!(out, "{v}");
        }
    }
    Ok(())
}

/// Whether a map-like object renders as something of its own rather than minijinja's
/// default `{key: value}` form.
fn has_own_render(v: &JValue) -> bool {
    !v.to_string().starts_with('{')
}

/// The entries of a map value, in sorted key order.
pub fn map_entries(v: &JValue) -> Result<Vec<(String, JValue)>, Error> {
    if let Some(m) = v.downcast_object_ref::<GoMap>() {
        return Ok(m.snapshot().into_iter().collect());
    }
    let mut entries = BTreeMap::new();
    for key in v.try_iter()? {
        let item = v.get_item(&key)?;
        let key = match key.as_str() {
            Some(s) => s.to_string(),
            None => go_sprint(&key),
        };
        entries.insert(key, item);
    }
    Ok(entries.into_iter().collect())
}

/// A number as Go's `%v` prints it: integers in decimal, floats in `%g` shortest form
/// (`5432`, `1.5`, `1e+06`).
pub fn go_number(v: &JValue) -> String {
    if v.is_integer() {
        if let Ok(i) = i128::try_from(v.clone()) {
            return i.to_string();
        }
        if let Ok(u) = u128::try_from(v.clone()) {
            return u.to_string();
        }
    }
    go_float(f64::try_from(v.clone()).unwrap_or(0.0))
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which `%v` uses.
pub fn go_float(f: f64) -> String {
    crate::gojson::format_float_v(f)
}

/// Go's `reflect.Kind` name of a value, as Sprig's `kindOf` prints it.
pub fn kind_of(v: &JValue) -> &'static str {
    use minijinja::value::ValueKind;
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => "invalid",
        ValueKind::Bool => "bool",
        ValueKind::Number => {
            if v.is_integer() {
                "int64"
            } else {
                "float64"
            }
        }
        ValueKind::String => "string",
        ValueKind::Bytes | ValueKind::Seq | ValueKind::Iterable => "slice",
        ValueKind::Map => "map",
        _ => "struct",
    }
}

/// Go's `%T` of a value, as Sprig's `typeOf` prints it.
pub fn type_of(v: &JValue) -> &'static str {
    use minijinja::value::ValueKind;
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => "<nil>",
        ValueKind::Bool => "bool",
        ValueKind::Number => {
            if v.is_integer() {
                "int64"
            } else {
                "float64"
            }
        }
        ValueKind::String => "string",
        ValueKind::Bytes => "[]uint8",
        ValueKind::Seq | ValueKind::Iterable => "[]interface {}",
        ValueKind::Map => "map[string]interface {}",
        _ => "struct",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(tmpl: &str, ctx: Value) -> String {
        let mut env = minijinja::Environment::new();
        env.set_formatter(format);
        env.render_str(tmpl, to_jinja(&ctx)).unwrap()
    }

    #[test]
    fn floats_print_as_go() {
        let cases = [
            (5432.0, "5432"),
            (1.5, "1.5"),
            (1e6, "1e+06"),
            (123456.0, "123456"),
            (1234567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5, "-2.5"),
            (0.1, "0.1"),
            (1e21, "1e+21"),
            (1.5e-7, "1.5e-07"),
            (100.0, "100"),
            (-0.0, "-0"),
        ];
        for (f, want) in cases {
            assert_eq!(go_float(f), want, "{f}");
        }
        assert_eq!(go_float(f64::NAN), "NaN");
        assert_eq!(go_float(f64::NEG_INFINITY), "-Inf");
    }

    #[test]
    fn round_trip_keeps_int_and_float() {
        let v =
            json!({"f": 5432.0, "i": 7, "s": "x", "l": [1.5, null, true], "m": {"b": 1, "a": 2}});
        let back = from_jinja(&to_jinja(&v)).unwrap();
        assert!(back["f"].is_f64());
        assert!(back["i"].is_i64());
        assert_eq!(back, v);
        let keys: Vec<_> = back["m"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["a", "b"]);
    }

    #[test]
    fn printing_is_go_like() {
        let ctx = json!({"n": null, "f": 5432.0, "big": 1000000.0, "i": 3, "b": false,
            "l": ["a", 1.5, null], "m": {"z": 1.0, "a": {"k": "v"}}, "e": {}, "s": "<&>"});
        assert_eq!(
            render(
                "{{ n }}|{{ missing }}|{{ f }}|{{ big }}|{{ i }}|{{ b }}|{{ l }}|{{ m }}|{{ e }}|{{ s }}",
                ctx
            ),
            "||5432|1e+06|3|false|[a 1.5 <nil>]|map[a:map[k:v] z:1]|map[]|<&>"
        );
        // Jinja's own map and list literals print as Go's too
        assert_eq!(
            render("{{ {'b': 1, 'a': [2, none]} }}", json!({})),
            "map[a:[2 <nil>] b:1]"
        );
    }

    #[test]
    fn maps_behave_in_templates() {
        let ctx = json!({"m": {"b": 2, "a": 1}, "e": {}});
        let out = render(
            "{% for k in m %}{{ k }}{% endfor %} {% for k, v in m.items() %}{{ k }}={{ v }};{% endfor %} \
             {{ m.keys() }} {{ m.values() }} {{ m | length }} {{ 'a' in m }} {{ 'x' in m }} \
             {{ m.a }} {{ m['b'] }} {{ m.get('x', 'd') }} {% if e %}full{% else %}empty{% endif %}",
            ctx,
        );
        assert_eq!(out, "ab a=1;b=2; [a b] [1 2] 2 true false 1 2 d empty");
    }

    #[test]
    fn maps_are_shared() {
        let v = to_jinja(&json!({"a": {"x": 1}}));
        let inner = v.get_attr("a").unwrap();
        inner
            .downcast_object_ref::<GoMap>()
            .unwrap()
            .insert("y".into(), JValue::from(2));
        assert_eq!(from_jinja(&v).unwrap(), json!({"a": {"x": 1, "y": 2}}));
    }

    #[test]
    fn self_containing_map_is_an_error_not_an_overflow() {
        // On the stack templates render with (from_jinja goes 20,000 levels deep).
        let t = std::thread::Builder::new()
            .stack_size(crate::engine::RENDER_STACK)
            .spawn(|| {
                let v = to_jinja(&json!({}));
                v.downcast_object_ref::<GoMap>()
                    .unwrap()
                    .insert("self".into(), v.clone());
                assert!(from_jinja(&v).is_err());
                assert!(go_sprint(&v).contains("<too deep>"));
            });
        t.unwrap().join().unwrap();
    }

    #[test]
    fn kinds_and_types() {
        let v =
            to_jinja(&json!({"f": 1.0, "i": 1, "l": [], "m": {}, "n": null, "s": "", "b": true}));
        let k = |name: &str| {
            let x = v.get_attr(name).unwrap();
            (kind_of(&x), type_of(&x))
        };
        assert_eq!(k("f"), ("float64", "float64"));
        assert_eq!(k("i"), ("int64", "int64"));
        assert_eq!(k("l"), ("slice", "[]interface {}"));
        assert_eq!(k("m"), ("map", "map[string]interface {}"));
        assert_eq!(k("n"), ("invalid", "<nil>"));
        assert_eq!(k("s"), ("string", "string"));
        assert_eq!(k("b"), ("bool", "bool"));
    }
}
