//! Values inside the engine: conversion between the values tree and minijinja values, maps
//! that behave as Go maps (changed in place by `set`, `unset`, `merge`...), and printing as
//! Go's text/template prints (`{{ x }}`).

use crate::Value;

/// The values tree as a minijinja value.
pub fn to_jinja(v: &Value) -> minijinja::Value {
    minijinja::Value::from_serialize(v)
}

/// A minijinja value back as a values tree (for toYaml, toJson, schema, lookup...).
pub fn from_jinja(v: &minijinja::Value) -> Result<Value, minijinja::Error> {
    serde_json::to_value(v)
        .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string()))
}
