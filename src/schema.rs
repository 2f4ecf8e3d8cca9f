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
    let schema = parse_json(raw).map_err(|e| format!("the schema is not valid JSON: {e}"))?;
    let validator = jsonschema::validator_for(&schema).map_err(|e| {
        format!(
            "the schema itself is invalid: {}",
            first_violation(&schema, &e)
        )
    })?;
    Ok((schema, validator))
}

/// `raw` as JSON. Text that is UTF-8 throughout (checked once, in one pass) is parsed as a
/// `str`, which spares serde_json's check of each string; other bytes go to `from_slice`,
/// which names where the bad bytes stand. The same parser either way: the same values and
/// the same errors.
fn parse_json(raw: &[u8]) -> serde_json::Result<Value> {
    match std::str::from_utf8(raw) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(raw),
    }
}

/// What is wrong with a schema that does not compile. jsonschema (with "macros") checks a
/// schema against its draft's meta-schema with code generated at build time, which reaches the
/// runtime-compiled meta-schema's verdict but may name another violation first (draft-04's
/// `exclusiveMinimum: 3`: "minimum" is required, against 3 is not a boolean). On this path
/// only, the meta-schema is compiled from its JSON, as jsonschema did on every run, so the
/// message stays the one it always gave. Documents whose parts declare their own `$schema`,
/// which jsonschema checks part by part, and schemas of an unknown draft keep `e`.
fn first_violation(schema: &Value, e: &jsonschema::ValidationError<'_>) -> String {
    use jsonschema::Draft;
    let Some(m) = schema.as_object() else {
        return e.to_string();
    };
    let nested_schema = m.values().any(|v| v.to_string().contains("\"$schema\""));
    let meta = match Draft::default().detect(schema) {
        _ if m.is_empty() || nested_schema => return e.to_string(),
        Draft::Draft4 => jsonschema::draft4::meta::validator(),
        Draft::Draft6 => jsonschema::draft6::meta::validator(),
        Draft::Draft7 => jsonschema::draft7::meta::validator(),
        Draft::Draft201909 => jsonschema::draft201909::meta::validator(),
        Draft::Draft202012 => jsonschema::draft202012::meta::validator(),
        _ => return e.to_string(),
    };
    // `as_ref()`: the runtime-compiled validator (the generated one's `validate` is inherent).
    let runtime: &jsonschema::Validator = meta.as_ref();
    match runtime.validate(schema) {
        Err(first) => first.to_string(),
        Ok(()) => e.to_string(),
    }
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
    let instance = Value::Object(instance_of(values));
    // Valid values are the usual case: is_valid stops at nothing and builds no error (the
    // same verdict as iter_errors, the tests below compare them).
    if validator.is_valid(&instance) {
        return Vec::new();
    }
    violations(schema, validator, &instance, prefix, origins)
}

/// Every error of `validator` on `instance`, once each, with its dotted path under `prefix`,
/// the schema's own message where it has one, and the origin of the offending value.
fn violations(
    schema: &Value,
    validator: &jsonschema::Validator,
    instance: &Value,
    prefix: &str,
    origins: &Origins,
) -> Vec<Violation> {
    let mut seen = Vec::new();
    for err in validator.iter_errors(instance) {
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
            message: format!(
                "the schema itself is invalid: {}",
                first_violation(schema, &e)
            ),
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

/// A copy of `values` with `80.0` → `80` wherever a float is a whole number that fits an
/// i64, made in one pass (not a clone, then a rebuild).
fn instance_of(values: &Map) -> Map {
    values
        .iter()
        .map(|(k, v)| (k.clone(), instance_value(v)))
        .collect()
}

fn instance_value(v: &Value) -> Value {
    match v {
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => {
                Value::Number((f as i64).into())
            }
            _ => Value::Number(n.clone()),
        },
        Value::Array(a) => Value::Array(a.iter().map(instance_value).collect()),
        Value::Object(m) => Value::Object(instance_of(m)),
        other => other.clone(),
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

    // Differential tests: the path chartr takes now against the one it took before, on every
    // schema at hand (the corpus's, the bundled chart's, chartr's own, hand-made broken ones).

    /// The project's folder.
    fn root() -> std::path::PathBuf {
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    /// Every `*.schema.json` under charts/, schemas/ and ../shared/corpus (when present), by
    /// path, with their text.
    fn schema_files() -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        // The corpus: CHARTR_SHARED's, else in `shared/` beside the project or an ancestor (as
        // the integration tests find it).
        let shared = std::env::var_os("CHARTR_SHARED")
            .map(std::path::PathBuf::from)
            .or_else(|| {
                root()
                    .ancestors()
                    .skip(1)
                    .map(|d| d.join("shared"))
                    .find(|d| d.join("corpus").is_dir())
            })
            .unwrap_or_else(|| root().join("../shared"));
        for dir in [
            root().join("charts"),
            root().join("schemas"),
            shared.join("corpus"),
        ] {
            if !dir.is_dir() {
                println!("skipped: {} is not present", dir.display());
                continue;
            }
            for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let e = e.expect("a readable folder");
                let name = e.file_name().to_string_lossy();
                if e.file_type().is_file() && name.ends_with("schema.json") {
                    let text = std::fs::read(e.path()).expect("a readable schema");
                    out.push((e.path().display().to_string(), text));
                }
            }
        }
        assert!(out.len() >= 3, "schemas found: {}", out.len());
        out
    }

    /// Schemas that break their meta-schema (or fail to compile) in many ways, each draft.
    fn broken_schemas() -> Vec<Value> {
        let d4 = "http://json-schema.org/draft-04/schema#";
        let d6 = "http://json-schema.org/draft-06/schema#";
        let d7 = "http://json-schema.org/draft-07/schema#";
        let d19 = "https://json-schema.org/draft/2019-09/schema";
        let d20 = "https://json-schema.org/draft/2020-12/schema";
        let mut v = vec![
            json!(true),
            json!(false),
            json!({}),
            json!(3),
            json!("object"),
            json!([]),
            json!({"$schema": "https://example.com/custom-meta"}),
            json!({"$schema": 7}),
            json!({"pattern": "("}),
            json!({"properties": {"a": {"pattern": "[z-a]"}}}),
            json!({"$ref": "#/definitions/missing"}),
            json!({"$ref": "http://example.com/remote.json"}),
            json!({"$defs": {"x": {"$schema": d7, "$id": "http://e.x/x", "type": 3}}}),
            json!({"$defs": {"x": {"$schema": d7, "$id": "http://e.x/x", "type": "string"}},
                   "type": 3}),
            json!({"$schema": d4, "exclusiveMinimum": 3}),
            json!({"$schema": d4, "required": []}),
            json!({"$schema": d6, "maxItems": 1.5}),
            json!({"$schema": d19, "minLength": -1}),
            json!({"$schema": d19, "$recursiveRef": 1}),
            json!({"$schema": d20, "prefixItems": {}}),
            json!({"$schema": d20, "$dynamicRef": 1}),
        ];
        for draft in [d4, d6, d7, d19, d20] {
            for bad in [
                json!({"type": 5}),
                json!({"type": "strin"}),
                json!({"type": ["string", 3]}),
                json!({"type": ["string", "string"]}),
                json!({"minimum": "1"}),
                json!({"maxLength": -1}),
                json!({"multipleOf": 0}),
                json!({"properties": []}),
                json!({"properties": {"a": {"type": {}}}}),
                json!({"required": "a"}),
                json!({"required": ["a", "a"]}),
                json!({"items": 3}),
                json!({"enum": 1}),
                json!({"pattern": 3}),
                json!({"allOf": {}}),
                json!({"allOf": []}),
                json!({"anyOf": [1]}),
                json!({"additionalProperties": "no"}),
                json!({"if": 1, "then": {}}),
                json!({"format": 3}),
                json!({"definitions": {"a": {"minItems": "2"}}}),
                json!({"$defs": {"a": {"minItems": "2"}}}),
                json!({"dependencies": {"a": 3}}),
                json!({"not": []}),
                json!({"title": 1, "description": 2}),
                json!({"type": "object", "properties": {"a": {"type": "integer"}}}),
            ] {
                let mut m = match bad {
                    Value::Object(m) => m,
                    _ => unreachable!("hand-made schemas are maps"),
                };
                m.insert("$schema".into(), json!(draft));
                v.push(Value::Object(m));
            }
        }
        v
    }

    /// `schema` with its `n`-th keyword `key` (depth first) set to `to`, or None when it has
    /// fewer: breaks a real schema deep inside, where the meta-schema's errors have long paths.
    fn mutate(schema: &Value, key: &str, to: &Value, n: usize) -> Option<Value> {
        fn walk(v: &mut Value, key: &str, to: &Value, left: &mut usize) -> bool {
            match v {
                Value::Object(m) => {
                    if m.contains_key(key) {
                        if *left == 0 {
                            m.insert(key.to_string(), to.clone());
                            return true;
                        }
                        *left -= 1;
                    }
                    m.values_mut().any(|x| walk(x, key, to, left))
                }
                Value::Array(a) => a.iter_mut().any(|x| walk(x, key, to, left)),
                _ => false,
            }
        }
        let mut out = schema.clone();
        let mut left = n;
        walk(&mut out, key, to, &mut left).then_some(out)
    }

    /// The real schemas, and each broken at several places (a sample of each keyword's
    /// occurrences).
    fn real_and_broken_schemas() -> Vec<(String, Value)> {
        let mut out = Vec::new();
        for (name, raw) in schema_files() {
            let Ok(schema) = serde_json::from_slice::<Value>(&raw) else {
                continue;
            };
            for (key, to) in [
                ("type", json!(7)),
                ("type", json!("strng")),
                ("properties", json!([])),
                ("required", json!("x")),
                ("enum", json!({})),
                ("minimum", json!("0")),
                ("items", json!(1)),
                ("additionalProperties", json!(0)),
                ("$ref", json!(false)),
            ] {
                for n in [0, 1, 5, 17, 40] {
                    if let Some(m) = mutate(&schema, key, &to, n) {
                        out.push((format!("{name} with {key} #{n} = {to}"), m));
                    }
                }
            }
            out.push((name, schema));
        }
        for s in broken_schemas() {
            out.push((s.to_string(), s));
        }
        out
    }

    /// The meta-schema check as chartr ran it before (jsonschema without "macros": the
    /// meta-schema of the schema's draft compiled from its JSON at run time; under "macros" a
    /// meta validator's `as_ref()` is that runtime-compiled one), then the schema compiled;
    /// and, apart, the first meta-schema violation by each meta validator, the generated one
    /// and the runtime one (None where the library does not check the whole document against
    /// one meta-schema: boolean and empty schemas, resources with their own `$schema` inside).
    #[allow(clippy::type_complexity)]
    fn compile_with_runtime_meta_schemas(
        schema: &Value,
    ) -> (
        Result<(), String>,
        Option<(Result<(), String>, Result<(), String>)>,
    ) {
        use jsonschema::Draft;
        let meta = match Draft::default().detect(schema) {
            Draft::Draft4 => jsonschema::draft4::meta::validator(),
            Draft::Draft6 => jsonschema::draft6::meta::validator(),
            Draft::Draft7 => jsonschema::draft7::meta::validator(),
            Draft::Draft201909 => jsonschema::draft201909::meta::validator(),
            _ => jsonschema::draft202012::meta::validator(),
        };
        let runtime: &jsonschema::Validator = meta.as_ref();
        let checked_whole = schema.as_object().is_some_and(|m| {
            !m.is_empty() && !m.values().any(|v| v.to_string().contains("\"$schema\""))
        });
        let metas = checked_whole.then(|| {
            let text =
                |r: Result<(), jsonschema::ValidationError<'_>>| r.map_err(|e| e.to_string());
            (text(meta.validate(schema)), text(runtime.validate(schema)))
        });
        if let Some((_, Err(e))) = &metas {
            return (Err(format!("the schema itself is invalid: {e}")), metas);
        }
        let compiled = jsonschema::validator_for(schema)
            .map(drop)
            .map_err(|e| format!("the schema itself is invalid: {e}"));
        (compiled, metas)
    }

    #[test]
    fn meta_schema_verdicts_and_messages_are_the_runtime_ones() {
        let (mut invalid, mut compared) = (0, 0);
        let all = real_and_broken_schemas();
        let mut differ = Vec::new();
        for (name, schema) in &all {
            let raw = serde_json::to_vec(schema).expect("JSON");
            let now = compile(&raw).map(drop);
            let (before, metas) = compile_with_runtime_meta_schemas(schema);
            if now != before {
                differ.push(format!("{name}:\n  now    {now:?}\n  before {before:?}"));
            }
            if let Some((generated, runtime)) = metas {
                // The first violation may differ (the generated code checks keywords in
                // another order); the verdict may not.
                assert_eq!(generated.is_ok(), runtime.is_ok(), "{name}");
                compared += 1;
            }
            invalid += usize::from(now.is_err());
        }
        assert!(
            differ.is_empty(),
            "{} differ:\n{}",
            differ.len(),
            differ.join("\n")
        );
        assert!(all.len() > 200, "{} schemas", all.len());
        assert!(
            compared > all.len() - 20,
            "{compared} of {} compared",
            all.len()
        );
        assert!(
            invalid > 150 && invalid < all.len() - 10,
            "{invalid} of {} invalid",
            all.len()
        );
    }

    /// `80.0` → `80` wherever a float is a whole number that fits an i64: the instance as
    /// check built it before (a clone of the values, then rebuilt).
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

    /// check as it was: every error of iter_errors on the cloned, rebuilt instance.
    fn check_before(
        schema: &Value,
        validator: &jsonschema::Validator,
        values: &Map,
        origins: &Origins,
    ) -> Vec<Violation> {
        let instance = integral_floats_as_ints(Value::Object(values.clone()));
        violations(schema, validator, &instance, "", origins)
    }

    /// `doc` with its `n`-th leaf or list (depth first) replaced by a value of another type, or
    /// None when it has fewer.
    fn break_value(doc: &Value, n: usize) -> Option<Value> {
        fn walk(v: &mut Value, left: &mut usize) -> bool {
            let swap = match v {
                Value::Object(m) => return m.values_mut().any(|x| walk(x, left)),
                Value::Array(a) if !a.is_empty() && *left % 2 == 1 => {
                    return a.iter_mut().any(|x| walk(x, left))
                }
                Value::Array(_) => json!({"not": "a list"}),
                Value::String(_) => json!(7),
                Value::Number(_) => json!("7"),
                Value::Bool(_) => json!("yes"),
                Value::Null => json!([1.5, 2.0]),
            };
            if *left == 0 {
                *v = swap;
                return true;
            }
            *left -= 1;
            false
        }
        let mut out = doc.clone();
        let mut left = n;
        walk(&mut out, &mut left).then_some(out)
    }

    /// Every YAML document under `dir` (one level).
    fn yaml_docs(dir: &std::path::Path) -> Vec<Value> {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut paths: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        paths.sort();
        paths
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .filter_map(|p| {
                let text = std::fs::read(p).ok()?;
                crate::yaml::parse(&text, &p.display().to_string()).ok()
            })
            .collect()
    }

    #[test]
    fn violations_are_the_ones_iter_errors_gave_on_the_rebuilt_instance() {
        let (mut runs, mut invalid) = (0, 0);
        for (name, raw) in schema_files() {
            let Ok((schema, validator)) = compile(&raw) else {
                continue;
            };
            let dir = std::path::Path::new(&name).parent().expect("a folder");
            let mut docs = yaml_docs(dir);
            if name.ends_with("charts/dataflow/values.schema.json") {
                for d in ["values/dataflow", "tests/fixtures/dataflow/schema-valid"] {
                    docs.extend(yaml_docs(&root().join(d)));
                }
                docs.extend(yaml_docs(
                    &root().join("tests/fixtures/dataflow/schema-broken"),
                ));
            }
            docs.push(json!({}));
            docs.push(json!({"replicas": 2.0, "port": 80.5, "image": {"tag": 1.0}}));
            let mut all = Vec::new();
            for d in &docs {
                for n in (0..400).step_by(7) {
                    match break_value(d, n) {
                        Some(b) => all.push(b),
                        None => break,
                    }
                }
                all.push(d.clone());
            }
            for doc in all {
                let Value::Object(values) = doc else {
                    continue;
                };
                let now = check(&schema, &validator, &values, "", &Origins::new());
                let before = check_before(&schema, &validator, &values, &Origins::new());
                assert_eq!(now, before, "{name}: {}", Value::Object(values.clone()));
                runs += 1;
                invalid += usize::from(!now.is_empty());
            }
        }
        assert!(runs > 500, "{runs} documents");
        assert!(
            invalid > 100 && invalid < runs - 100,
            "{invalid} of {runs} invalid"
        );
    }

    #[test]
    fn schema_text_parses_and_fails_as_from_slice_does() {
        let mut texts: Vec<Vec<u8>> = schema_files().into_iter().map(|(_, t)| t).collect();
        let real = texts.clone();
        for t in &real {
            for cut in [1, 2, 10, 100, 1000, 5000, t.len() / 2, t.len() - 1] {
                if cut < t.len() {
                    texts.push(t[..cut].to_vec());
                    let mut bad = t.clone();
                    bad[cut] = 0xff;
                    texts.push(bad);
                    let mut odd = t.clone();
                    odd[cut] = b'}';
                    texts.push(odd);
                }
            }
        }
        for t in [
            &b"{\"a\": \"\xc3\x28\"}"[..],
            b"",
            b"  ",
            b"{\"a\": 1,}",
            b"[1] 2",
            b"\"\\ud800\"",
        ] {
            texts.push(t.to_vec());
        }
        let mut failed = 0;
        for t in &texts {
            let now = parse_json(t).map_err(|e| e.to_string());
            let before = serde_json::from_slice::<Value>(t).map_err(|e| e.to_string());
            assert_eq!(now, before, "{}", String::from_utf8_lossy(t));
            failed += usize::from(now.is_err());
        }
        assert!(failed > texts.len() / 2, "{failed} of {} fail", texts.len());
    }
}
