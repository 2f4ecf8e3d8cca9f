//! Chart.yaml read as Helm reads it: `sigs.k8s.io/yaml.Unmarshal` into Helm v4.1.4's
//! `chart.Metadata` (pkg/chart/v2/metadata.go). That library converts YAML to JSON knowing the
//! target struct, so a number or a boolean written where the struct wants a string becomes a
//! string (`version: 1.0` is version "1", `appVersion: 1.10` is "1.1": floats are printed as Go's
//! `FormatFloat(f, 'g', -1, 32)`, integers in decimal); then `encoding/json` fills the struct,
//! matching keys case-insensitively, leaving nulls as zero values, ignoring unknown keys, and
//! failing on the first mismatch (in sorted key order, as the JSON it reads was marshalled from
//! a map) with `json: cannot unmarshal array into Go struct field Metadata.name of type string`.
//!
//! [`normalize`] rewrites the parsed map in place into what the struct holds, so that every
//! later reader (`.Chart`, `show chart`, the dependency and values stages) sees Helm's view.

use crate::{Map, Value};

/// A field's Go type.
#[derive(Clone, Copy)]
enum Ty {
    Str,
    Bool,
    StrList,
    StrMap,
    /// `[]interface{}` (import-values): any list, left as it is.
    AnyList,
    Dependencies,
    Maintainers,
}

impl Ty {
    fn go_name(self) -> &'static str {
        match self {
            Ty::Str => "string",
            Ty::Bool => "bool",
            Ty::StrList => "[]string",
            Ty::StrMap => "map[string]string",
            Ty::AnyList => "[]interface {}",
            Ty::Dependencies => "[]*v2.Dependency",
            Ty::Maintainers => "[]*v2.Maintainer",
        }
    }
}

/// `chart.Metadata`'s JSON fields.
const METADATA: &[(&str, Ty)] = &[
    ("name", Ty::Str),
    ("home", Ty::Str),
    ("sources", Ty::StrList),
    ("version", Ty::Str),
    ("description", Ty::Str),
    ("keywords", Ty::StrList),
    ("maintainers", Ty::Maintainers),
    ("icon", Ty::Str),
    ("apiVersion", Ty::Str),
    ("condition", Ty::Str),
    ("tags", Ty::Str),
    ("appVersion", Ty::Str),
    ("deprecated", Ty::Bool),
    ("annotations", Ty::StrMap),
    ("kubeVersion", Ty::Str),
    ("dependencies", Ty::Dependencies),
    ("type", Ty::Str),
];

/// `chart.Dependency`'s JSON fields.
const DEPENDENCY: &[(&str, Ty)] = &[
    ("name", Ty::Str),
    ("version", Ty::Str),
    ("repository", Ty::Str),
    ("condition", Ty::Str),
    ("tags", Ty::StrList),
    ("enabled", Ty::Bool),
    ("import-values", Ty::AnyList),
    ("alias", Ty::Str),
];

/// `chart.Maintainer`'s JSON fields.
const MAINTAINER: &[(&str, Ty)] = &[("name", Ty::Str), ("email", Ty::Str), ("url", Ty::Str)];

/// Rewrites Chart.yaml's parsed map into what Helm's `Metadata` struct holds; the error is
/// `encoding/json`'s message for the first field of the wrong type.
pub fn normalize(raw: &mut Map) -> Result<(), String> {
    *raw = object(std::mem::take(raw), "Metadata", "", METADATA)?;
    Ok(())
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn mismatch(v: &Value, strukt: &str, path: &str, ty: &str) -> String {
    format!(
        "json: cannot unmarshal {} into Go struct field {strukt}.{path} of type {ty}",
        json_kind(v)
    )
}

/// One struct: known keys (matched as encoding/json matches them: exactly, else ignoring
/// case) converted to their canonical names and types, unknown keys kept as they are (Helm
/// ignores them; chartr's own readers never look at them).
fn object(m: Map, strukt: &str, prefix: &str, fields: &[(&str, Ty)]) -> Result<Map, String> {
    let mut entries: Vec<(String, Value)> = m.into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Map::new();
    for (key, value) in entries {
        let field = fields
            .iter()
            .find(|(n, _)| *n == key)
            .or_else(|| fields.iter().find(|(n, _)| n.eq_ignore_ascii_case(&key)));
        let Some(&(name, ty)) = field else {
            out.insert(key, value);
            continue;
        };
        let path = format!("{prefix}{name}");
        match convert(value, ty, strukt, &path)? {
            Some(v) => {
                out.insert(name.to_string(), v);
            }
            None => {
                out.remove(name);
            }
        }
    }
    Ok(out)
}

/// A value converted to `ty`; None for a null (the field keeps its zero value).
fn convert(v: Value, ty: Ty, strukt: &str, path: &str) -> Result<Option<Value>, String> {
    if v.is_null() {
        return Ok(None);
    }
    let elem = |v: Value, ty: Ty| -> Result<Value, String> {
        Ok(convert(v, ty, strukt, path)?.unwrap_or_else(|| zero(ty)))
    };
    let out = match (ty, v) {
        (Ty::Str, v) => {
            Value::String(string(&v).ok_or_else(|| mismatch(&v, strukt, path, "string"))?)
        }
        (Ty::Bool, v @ Value::Bool(_)) => v,
        (Ty::StrList | Ty::AnyList | Ty::Dependencies | Ty::Maintainers, Value::Array(items)) => {
            let mut list = Vec::with_capacity(items.len());
            for item in items {
                list.push(match ty {
                    Ty::StrList => elem(item, Ty::Str)?,
                    Ty::AnyList => item,
                    Ty::Dependencies => match item {
                        Value::Object(m) => {
                            Value::Object(object(m, "Dependency", &format!("{path}."), DEPENDENCY)?)
                        }
                        Value::Null => Value::Null,
                        other => return Err(mismatch(&other, strukt, path, "v2.Dependency")),
                    },
                    _ => match item {
                        Value::Object(m) => {
                            Value::Object(object(m, "Maintainer", &format!("{path}."), MAINTAINER)?)
                        }
                        Value::Null => Value::Null,
                        other => return Err(mismatch(&other, strukt, path, "v2.Maintainer")),
                    },
                });
            }
            Value::Array(list)
        }
        (Ty::StrMap, Value::Object(m)) => {
            let mut out = Map::new();
            let mut entries: Vec<(String, Value)> = m.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            for (k, v) in entries {
                out.insert(k, elem(v, Ty::Str)?);
            }
            Value::Object(out)
        }
        (ty, v) => return Err(mismatch(&v, strukt, path, ty.go_name())),
    };
    Ok(Some(out))
}

fn zero(ty: Ty) -> Value {
    match ty {
        Ty::Str => Value::String(String::new()),
        Ty::Bool => Value::Bool(false),
        _ => Value::Null,
    }
}

/// A scalar as sigs.k8s.io/yaml turns it into a string target; None for maps and lists.
fn string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            // chartr's reader holds every YAML number as a float64, so an integer literal and a
            // float literal of the same whole value look alike: print whole values below 2^53
            // as integers (an integer literal gives that; a float literal gives the same text
            // below one million, where 'g' starts using exponents).
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => {
                format!("{}", f as i64)
            }
            (None, Some(f)) => crate::yaml::format_g(f, true),
            (None, None) => n.to_string(),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn norm(v: Value) -> Result<Value, String> {
        let Value::Object(mut m) = v else {
            return Err("not a map".into());
        };
        normalize(&mut m).map(|()| Value::Object(m))
    }

    #[test]
    fn scalars_become_strings_as_sigs_yaml_converts_them() {
        let got = norm(json!({
            "apiVersion": "v2", "name": true, "version": 1.0, "appVersion": 1.1,
            "kubeVersion": 1.23456789, "description": 12, "keywords": [null, 1.5, 2],
            "annotations": {"x": null, "y": 1.25e-5, "z": 16777217}
        }));
        assert_eq!(
            got,
            Ok(json!({
                "apiVersion": "v2", "name": "true", "version": "1", "appVersion": "1.1",
                "kubeVersion": "1.2345679", "description": "12", "keywords": ["", "1.5", "2"],
                "annotations": {"x": "", "y": "1.25e-05", "z": "16777217"}
            }))
        );
    }

    #[test]
    fn keys_match_ignoring_case_and_nulls_are_dropped() {
        let got = norm(json!({"NAME": "a", "Version": "1.0.0", "description": null, "zzz": [1]}));
        assert_eq!(
            got,
            Ok(json!({"name": "a", "version": "1.0.0", "zzz": [1]}))
        );
    }

    #[test]
    fn mismatches_are_encoding_json_messages_in_key_order() {
        let cases = [
            (json!({"name": ["c"]}), "json: cannot unmarshal array into Go struct field Metadata.name of type string"),
            (json!({"zzz": 1, "home": [1], "name": {}}), "json: cannot unmarshal array into Go struct field Metadata.home of type string"),
            (json!({"deprecated": "yes"}), "json: cannot unmarshal string into Go struct field Metadata.deprecated of type bool"),
            (json!({"keywords": "a"}), "json: cannot unmarshal string into Go struct field Metadata.keywords of type []string"),
            (json!({"keywords": [["a"]]}), "json: cannot unmarshal array into Go struct field Metadata.keywords of type string"),
            (json!({"annotations": [1]}), "json: cannot unmarshal array into Go struct field Metadata.annotations of type map[string]string"),
            (json!({"dependencies": "a"}), "json: cannot unmarshal string into Go struct field Metadata.dependencies of type []*v2.Dependency"),
            (json!({"dependencies": ["a"]}), "json: cannot unmarshal string into Go struct field Metadata.dependencies of type v2.Dependency"),
            (json!({"dependencies": [{"name": ["x"]}]}), "json: cannot unmarshal array into Go struct field Dependency.dependencies.name of type string"),
            (json!({"dependencies": [{"name": "d", "tags": "a"}]}), "json: cannot unmarshal string into Go struct field Dependency.dependencies.tags of type []string"),
            (json!({"dependencies": [{"name": "d", "import-values": "a"}]}), "json: cannot unmarshal string into Go struct field Dependency.dependencies.import-values of type []interface {}"),
            (json!({"maintainers": [{"name": [1]}]}), "json: cannot unmarshal array into Go struct field Maintainer.maintainers.name of type string"),
        ];
        for (input, want) in cases {
            assert_eq!(norm(input.clone()), Err(want.to_string()), "{input}");
        }
    }
}
