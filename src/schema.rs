//! Validating coalesced values against each chart's values.schema.json, as Helm does: the
//! chart's schema on its values, then each enabled subchart's schema on its section, recursively.
//!
//! Unlike Helm, which stops at a bare list, every violation names the dotted path of the
//! offending value, what the schema expects and where the value came from (file and line, or
//! the `--set` flag). A schema node may carry `"errorMessage": "..."`: violations found inside
//! it are reported with that text (this is how cross-field `if`/`then` rules name both keys).

use crate::chart::Chart;
use crate::values::{Origin, Origins};
use crate::{Map, Value};
use std::fmt;

/// One value that breaks a schema rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Dotted path of the offending value from the top-level values (`global.postgresql.enabled`).
    pub path: String,
    /// What the schema expects.
    pub message: String,
    /// Where the offending value came from, when known.
    pub origin: Option<Origin>,
}

/// The violations of one chart's schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartViolations {
    /// The chart's name (a subchart's alias where it has one), as Helm prints it.
    pub chart: String,
    /// The schema file.
    pub schema_file: String,
    pub violations: Vec<Violation>,
}

/// Every schema violation of a render; Display prints them all, Helm's header first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    pub charts: Vec<ChartViolations>,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "values don't meet the specifications of the schema(s) in the following chart(s):"
        )?;
        for c in &self.charts {
            writeln!(f, "{} ({}):", c.chart, c.schema_file)?;
            for v in &c.violations {
                let path = if v.path.is_empty() { "(root)" } else { &v.path };
                write!(f, "- {path}: {}", v.message)?;
                if let Some(o) = &v.origin {
                    write!(f, " (from {o})")?;
                }
                writeln!(f)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for SchemaError {}

/// Validates `values` against `chart`'s schema and each enabled subchart's schema on its
/// section. `chart.dependencies` must hold only the enabled subcharts (as `values::compose`
/// leaves it). Returns every violation at once.
pub fn validate(chart: &Chart, values: &Map, origins: &Origins) -> Result<(), SchemaError> {
    let mut charts = Vec::new();
    let mut compiled = Compiled::new();
    validate_into(chart, values, "", origins, &mut compiled, &mut charts);
    if charts.is_empty() {
        Ok(())
    } else {
        Err(SchemaError { charts })
    }
}

/// A schema read and compiled, or why it could not be.
type Schema = Result<(Value, jsonschema::Validator), String>;

/// The schemas of one validation, by their text: a chart tree often vendors the same subchart
/// twice (CSGHub: reloader four times, prometheus and alertmanager twice), and each distinct
/// schema is parsed and compiled once.
type Compiled<'a> = std::collections::HashMap<&'a [u8], Schema>;

/// Parses and compiles values.schema.json's text (read only here: Helm reads it only to
/// validate, so `--skip-schema-validation` never touches it, and text that is not JSON fails
/// only then, as in Helm).
fn compile(raw: &[u8]) -> Schema {
    let schema: Value =
        serde_json::from_slice(raw).map_err(|e| format!("the schema is not valid JSON: {e}"))?;
    let validator = jsonschema::validator_for(&schema)
        .map_err(|e| format!("the schema itself is invalid: {e}"))?;
    Ok((schema, validator))
}

fn validate_into<'a>(
    chart: &'a Chart,
    values: &Map,
    prefix: &str,
    origins: &Origins,
    compiled: &mut Compiled<'a>,
    out: &mut Vec<ChartViolations>,
) {
    let schema_file = chart
        .source
        .join("values.schema.json")
        .display()
        .to_string();
    if let Some(raw) = &chart.schema_raw {
        let schema = compiled
            .entry(raw.as_slice())
            .or_insert_with(|| compile(raw));
        let violations = match schema {
            Ok((schema, validator)) => check(schema, validator, values, prefix, origins),
            Err(message) => vec![Violation {
                path: prefix.to_string(),
                message: message.clone(),
                origin: None,
            }],
        };
        if !violations.is_empty() {
            out.push(ChartViolations {
                chart: chart.name().to_string(),
                schema_file: schema_file.clone(),
                violations,
            });
        }
    }
    for sub in &chart.dependencies {
        let key = sub.name();
        let sub_prefix = join(prefix, key);
        match values.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Object(m)) => validate_into(sub, m, &sub_prefix, origins, compiled, out),
            Some(other) => out.push(ChartViolations {
                chart: key.to_string(),
                schema_file: sub.source.join("values.schema.json").display().to_string(),
                violations: vec![Violation {
                    message: format!(
                        "invalid type for values: expected object (map), got {}",
                        kind_name(other)
                    ),
                    origin: origin_of(origins, &sub_prefix),
                    path: sub_prefix,
                }],
            }),
        }
    }
}

fn check(
    schema: &Value,
    validator: &jsonschema::Validator,
    values: &Map,
    prefix: &str,
    origins: &Origins,
) -> Vec<Violation> {
    // Values read from YAML are float64 as in Helm; integral ones are integers to JSON Schema
    // either way, and as integers the validator's messages print them as the user wrote them.
    let instance = integral_floats_as_ints(Value::Object(values.clone()));
    let mut seen = Vec::new();
    for err in validator.iter_errors(&instance) {
        let rel = pointer_to_dotted(err.instance_path().as_str());
        let path = join(prefix, &rel);
        let message =
            custom_message(schema, err.schema_path().as_str()).unwrap_or_else(|| err.to_string());
        let v = Violation {
            origin: origin_of(origins, &path),
            path,
            message,
        };
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen
}

/// Validates a document read from `file` (with its line table) against `schema`: every
/// violation with its dotted path, what the schema expects and `file:line` of the offending
/// value, as values are reported. For files chartr reads that are not values (the post-render
/// config).
pub fn check_document(
    schema: &Value,
    doc: &Map,
    file: &str,
    lines: &crate::yaml::Lines,
) -> Vec<Violation> {
    let mut origins = Origins::new();
    origins.insert(
        String::new(),
        Origin {
            source: file.to_string(),
            line: None,
        },
    );
    let mut path = Vec::new();
    for (k, v) in doc {
        path.push(k.clone());
        collect_lines(v, k.clone(), &mut path, file, lines, &mut origins);
        path.pop();
    }
    match jsonschema::validator_for(schema) {
        Ok(validator) => check(schema, &validator, doc, "", &origins),
        Err(e) => vec![Violation {
            path: String::new(),
            message: format!("the schema itself is invalid: {e}"),
            origin: None,
        }],
    }
}

fn collect_lines(
    v: &Value,
    dotted: String,
    path: &mut Vec<String>,
    file: &str,
    lines: &crate::yaml::Lines,
    out: &mut Origins,
) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                path.push(k.clone());
                collect_lines(x, join(&dotted, k), path, file, lines, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(i.to_string());
                collect_lines(x, format!("{dotted}[{i}]"), path, file, lines, out);
                path.pop();
            }
        }
        _ => {}
    }
    if let Some(l) = lines.get(path.as_slice()) {
        out.insert(
            dotted,
            Origin {
                source: file.to_string(),
                line: Some(*l),
            },
        );
    }
}

/// `80.0` → `80` wherever a float is a whole number that fits an i64.
fn integral_floats_as_ints(v: Value) -> Value {
    match v {
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => {
                Value::Number((f as i64).into())
            }
            _ => Value::Number(n),
        },
        Value::Array(a) => Value::Array(a.into_iter().map(integral_floats_as_ints).collect()),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, integral_floats_as_ints(v)))
                .collect(),
        ),
        other => other,
    }
}

/// The nearest `errorMessage` on the way from the schema's root to the failing keyword,
/// following local `$ref`s (`#/...`) the way the validator did.
fn custom_message(schema: &Value, schema_pointer: &str) -> Option<String> {
    let mut node = schema;
    let mut found = node.get("errorMessage").and_then(Value::as_str);
    for token in schema_pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        let next = match node {
            Value::Object(m) if token == "$ref" => m
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|p| schema.pointer(p)),
            Value::Object(m) => m.get(&token),
            Value::Array(a) => token.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        };
        let Some(next) = next else { break };
        node = next;
        if let Some(m) = node.get("errorMessage").and_then(Value::as_str) {
            found = Some(m);
        }
    }
    found.map(str::to_string)
}

/// `/a/b/0/c` → `a.b[0].c`.
fn pointer_to_dotted(pointer: &str) -> String {
    let mut out = String::new();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{token}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token);
        }
    }
    out
}

fn join(prefix: &str, rel: &str) -> String {
    match (prefix.is_empty(), rel.is_empty()) {
        (true, _) => rel.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) if rel.starts_with('[') => format!("{prefix}{rel}"),
        (false, false) => format!("{prefix}.{rel}"),
    }
}

/// The origin of `path`, or of its nearest ancestor that has one.
fn origin_of(origins: &Origins, path: &str) -> Option<Origin> {
    let mut p = path;
    loop {
        if let Some(o) = origins.get(p) {
            return Some(o.clone());
        }
        let cut = p.rfind(['.', '['])?;
        p = &p[..cut];
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn chart(name: &str, schema: Value) -> Chart {
        let mut c = Chart::default();
        c.metadata.name = name.into();
        c.source = format!("charts/{name}").into();
        c.schema_raw = Some(serde_json::to_vec(&schema).unwrap());
        c
    }

    #[test]
    fn a_schema_that_is_not_json_fails_only_when_validating() {
        let mut c = chart("c", json!({}));
        c.schema_raw = Some(b"{\"type\": \"object\",\n".to_vec());
        let e = validate(&c, &Map::new(), &Origins::new()).unwrap_err();
        let v = &e.charts[0].violations[0];
        assert!(
            v.message.starts_with("the schema is not valid JSON: "),
            "{}",
            v.message
        );
    }

    #[test]
    fn one_schema_text_is_compiled_once_and_checks_every_chart() {
        let s = json!({"properties": {"n": {"type": "integer"}}});
        let mut root = chart("root", s.clone());
        root.dependencies = vec![chart("a", s.clone()), chart("b", s)];
        let values = map(json!({"n": "x", "a": {"n": 1}, "b": {"n": "y"}}));
        let e = validate(&root, &values, &Origins::new()).unwrap_err();
        let paths: Vec<_> = e
            .charts
            .iter()
            .map(|c| c.violations[0].path.as_str())
            .collect();
        assert_eq!(paths, ["n", "b.n"]);
    }

    fn map(v: Value) -> Map {
        match v {
            Value::Object(m) => m,
            _ => unreachable!("test input is a map"),
        }
    }

    #[test]
    fn reports_every_violation_with_path_and_origin() {
        let c = chart(
            "top",
            json!({"type": "object", "properties": {
                "port": {"type": "integer", "minimum": 1},
                "global": {"type": "object", "properties": {"pg": {"type": "object",
                    "properties": {"enabled": {"type": "boolean"}}}}}
            }}),
        );
        let values = map(json!({"port": 0, "global": {"pg": {"enabled": "yes"}}}));
        let mut origins = Origins::new();
        origins.insert(
            "port".into(),
            Origin {
                source: "--set port=0".into(),
                line: None,
            },
        );
        origins.insert(
            "global.pg".into(),
            Origin {
                source: "values.yaml".into(),
                line: Some(3),
            },
        );
        let err = validate(&c, &values, &origins).unwrap_err();
        let v = &err.charts[0].violations;
        assert_eq!(v.len(), 2, "{err}");
        assert_eq!(v[0].path, "port");
        assert_eq!(
            v[0].origin.as_ref().map(|o| o.to_string()).as_deref(),
            Some("--set port=0")
        );
        assert_eq!(v[1].path, "global.pg.enabled");
        assert_eq!(
            v[1].origin.as_ref().map(|o| o.to_string()).as_deref(),
            Some("values.yaml:3")
        );
        assert!(err
            .to_string()
            .starts_with("values don't meet the specifications"));
    }

    #[test]
    fn integral_floats_are_integers() {
        let c = chart("top", json!({"properties": {"port": {"type": "integer"}}}));
        assert!(validate(&c, &map(json!({"port": 80.0})), &Origins::new()).is_ok());
        assert!(validate(&c, &map(json!({"port": 80.5})), &Origins::new()).is_err());
    }

    #[test]
    fn subcharts_are_validated_on_their_section() {
        let mut top = chart("top", json!({"type": "object"}));
        top.dependencies.push(chart(
            "sub",
            json!({"properties": {"n": {"type": "string"}}}),
        ));
        let err = validate(&top, &map(json!({"sub": {"n": 1}})), &Origins::new()).unwrap_err();
        assert_eq!(err.charts[0].chart, "sub");
        assert_eq!(err.charts[0].violations[0].path, "sub.n");
        let err = validate(&top, &map(json!({"sub": 3})), &Origins::new()).unwrap_err();
        assert!(err.charts[0].violations[0]
            .message
            .contains("expected object"));
    }

    #[test]
    fn error_message_names_both_keys_of_a_cross_field_rule() {
        let c = chart(
            "top",
            json!({"allOf": [{
                "if": {"properties": {"pg": {"properties": {"enabled": {"const": false}}}}},
                "then": {"properties": {"pg": {"required": ["host"],
                    "errorMessage": "pg.host is required when pg.enabled is false"}}}
            }]}),
        );
        let err =
            validate(&c, &map(json!({"pg": {"enabled": false}})), &Origins::new()).unwrap_err();
        assert_eq!(
            err.charts[0].violations[0].message,
            "pg.host is required when pg.enabled is false"
        );
        assert!(validate(&c, &map(json!({"pg": {"enabled": true}})), &Origins::new()).is_ok());
    }

    #[test]
    fn error_message_is_found_through_a_local_ref() {
        let c = chart(
            "top",
            json!({"$defs": {"host": {"required": ["host"], "errorMessage": "pg.host is required"}},
                   "properties": {"pg": {"$ref": "#/$defs/host"}}}),
        );
        let err = validate(&c, &map(json!({"pg": {}})), &Origins::new()).unwrap_err();
        assert_eq!(err.charts[0].violations[0].message, "pg.host is required");
    }

    #[test]
    fn whole_floats_print_as_integers_in_messages() {
        let c = chart("top", json!({"properties": {"port": {"minimum": 100}}}));
        let err = validate(&c, &map(json!({"port": 80.0})), &Origins::new()).unwrap_err();
        let msg = &err.charts[0].violations[0].message;
        assert!(msg.starts_with("80 "), "{msg}");
    }

    #[test]
    fn dotted_paths() {
        assert_eq!(pointer_to_dotted("/a/b/0/c~1d"), "a.b[0].c/d");
        assert_eq!(pointer_to_dotted(""), "");
        assert_eq!(join("sub", "[1]"), "sub[1]");
    }
}
