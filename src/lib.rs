//! chartr: a Helm-compatible chart renderer whose templates are Jinja, rendered by minijinja.
//!
//! Data flows one way through the stages, one module each:
//! [`chart`] (load a chart in Helm's layout) → [`values`] (coalesce values exactly as Helm does,
//! the `--set` parser) → [`schema`] (validate against values.schema.json) → [`engine`]
//! (minijinja with Helm's objects and functions) → [`manifest`] (split, sort, format, write) →
//! [`commands`] (thin compositions used by the CLI). Nothing below `commands` prints or exits.

// No unwrap/expect outside tests: user data must end in an error, never a panic (clippy.toml
// allows them in tests).
#![deny(clippy::unwrap_used, clippy::expect_used)]

pub mod chart;
pub mod commands;
pub mod engine;
#[doc(hidden)]
pub mod fuzzing;
pub mod glob;
pub mod gojson;
pub mod manifest;
pub mod schema;
pub mod semver;
pub mod source;
pub mod values;
pub mod yaml;

/// The tree every stage passes around: Helm's `map[string]interface{}` values.
///
/// Numbers are held as Helm holds them: values read from YAML or JSON files are `f64`
/// (Go's float64), integers typed by `--set` are `i64`.
pub type Value = serde_json::Value;
/// A map of values; keys keep their insertion order (Helm's output sorts them where Go would).
pub type Map = serde_json::Map<String, Value>;

/// Lower-case hexadecimal of `bytes` (digests in Chart.lock, OCI, `sha256sum`...).
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
