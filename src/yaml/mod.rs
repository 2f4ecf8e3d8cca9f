//! YAML as Helm reads and writes it.
//!
//! Reading follows sigs.k8s.io/yaml over go-yaml: YAML 1.1 scalars (`yes`/`on`/`off`... are
//! booleans, `0755` is octal), anchors, aliases and merge keys, every number a Go float64.
//! Writing ([`to_yaml`]) prints byte for byte what Helm's `toYaml` prints.
//!
//! The first version here is a stand-in built on yaml-rust2's YAML 1.2 loader; `load.rs` and
//! `emit.rs` replace it with the Helm-exact reader and writer.

use crate::Value;
use std::collections::BTreeMap;
use std::fmt;

/// Where each value of a document stands: the path to it (map keys, list indexes in decimal)
/// mapped to its 1-based line in the source.
pub type Lines = BTreeMap<Vec<String>, usize>;

/// A YAML syntax or conversion error, with the file and the 1-based line it was found at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for YamlError {}

/// Parses the first document of `text` (Helm reads only the first); an empty document is null.
pub fn parse(text: &str, file: &str) -> Result<Value, YamlError> {
    parse_with_lines(text, file).map(|(v, _)| v)
}

/// Like [`parse`], and also says on which line each value stands.
pub fn parse_with_lines(text: &str, file: &str) -> Result<(Value, Lines), YamlError> {
    let docs = parse_all(text, file)?;
    Ok((docs.into_iter().next().unwrap_or(Value::Null), Lines::new()))
}

/// Parses every document of a multi-document stream.
pub fn parse_all(text: &str, file: &str) -> Result<Vec<Value>, YamlError> {
    let docs = yaml_rust2::YamlLoader::load_from_str(text).map_err(|e| YamlError {
        file: file.to_string(),
        line: e.marker().line(),
        message: e.info().to_string(),
    })?;
    Ok(docs.iter().map(stand_in_convert).collect())
}

fn stand_in_convert(y: &yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match y {
        Yaml::Real(s) => s
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Yaml::Integer(i) => serde_json::Number::from_f64(*i as f64)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(a) => Value::Array(a.iter().map(stand_in_convert).collect()),
        Yaml::Hash(h) => Value::Object(
            h.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Yaml::String(s) => s.clone(),
                        other => match stand_in_convert(other) {
                            Value::String(s) => s,
                            v => v.to_string(),
                        },
                    };
                    (key, stand_in_convert(v))
                })
                .collect(),
        ),
        _ => Value::Null,
    }
}

/// Prints `v` as Helm's `toYaml` does (sigs.k8s.io/yaml.Marshal), with the trailing newline
/// (Helm's `toYaml` trims it; the engine does that, not this function).
pub fn to_yaml(v: &Value) -> String {
    // Stand-in until emit.rs lands.
    let mut out = String::new();
    let mut emitter = yaml_rust2::YamlEmitter::new(&mut out);
    let y = yaml_rust2::Yaml::from_str(&serde_json::to_string(v).unwrap_or_default());
    let _ = emitter.dump(&y);
    out
}
