//! Helm's function library (Go template built-ins, Sprig, Helm's own), each registered under
//! its Helm name as a minijinja function (Helm's argument order) and as a filter (the piped
//! value first).

use minijinja::Environment;

/// Registers every function and filter on `env`.
pub fn register(_env: &mut Environment<'_>) {}
