//! chartr: a Helm-compatible chart renderer. Templates are Go templates as Helm runs them, or
//! Jinja (minijinja) for charts that declare it.
//!
//! Data flows one way through the stages, one module each:
//! [`source`] (find and fetch a chart) → [`chart`] (load it in Helm's layout) → [`values`]
//! (coalesce values exactly as Helm does, the `--set` parser) → [`schema`] (validate against
//! values.schema.json) → [`engine`] (both dialects, Helm's objects and functions) →
//! [`manifest`] (split, sort, format, write) → [`commands`] (thin compositions used by the CLI).
//! Nothing below `commands` prints or exits.
//!
//! Rendering returns data: [`render`] (`helm template`'s options in, a [`Release`] out: CRDs,
//! manifests and hooks in install order, notes, notices); the `helm template` stream,
//! `--show-only`, `--output-dir` and the post-renderer's input are made from it
//! ([`commands::template::print`]). Every public function of the engine and the commands fails
//! with one [`Error`], whose variants say which stage failed and carry the facts, and whose
//! `Display` is the message chartr prints (Helm's, where Helm has one).
//!
//! ```no_run
//! use chartr::commands::template::TemplateOptions;
//!
//! let opts = TemplateOptions {
//!     args: vec!["dataflow".into(), "charts/dataflow".into()],
//!     namespace: "csghub".into(),
//!     ..TemplateOptions::default()
//! };
//! match chartr::render(&opts, &mut std::io::empty()) {
//!     Ok(release) => {
//!         for m in &release.manifests {
//!             println!("{} {} from {}", m.head.kind, m.head.name, m.name);
//!         }
//!         println!("{} hooks, notes: {:?}", release.hooks.len(), release.notes);
//!     }
//!     Err(chartr::Error::TemplateExec { location, fail: Some(why), .. }) => {
//!         eprintln!("required value missing at {location:?}: {why}")
//!     }
//!     Err(e) => eprintln!("Error: {e}"),
//! }
//! ```

// No unwrap/expect outside tests: user data must end in an error, never a panic (clippy.toml
// allows them in tests).
#![deny(clippy::unwrap_used, clippy::expect_used)]

pub mod chart;
pub mod commands;
pub mod engine;
pub mod error;
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

pub use commands::template::render;
pub use error::Error;
pub use manifest::Release;

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
