//! `chartr values CHART`: the values the chart's top-level templates will see.

use crate::values::ValueOptions;
use crate::{chart, schema, values, yaml, Value};
use anyhow::Result;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Yaml,
    Json,
}

pub fn run(
    chart_path: &Path,
    opts: &ValueOptions,
    skip_schema: bool,
    format: OutputFormat,
    stdin: &mut dyn std::io::Read,
) -> Result<String> {
    // Helm reads the user's values before it loads the chart.
    let user = values::read_user_values(opts, stdin)?;
    let mut chart = chart::load(chart_path)?;
    let coalesced = values::compose(&mut chart, user)?;
    if !skip_schema {
        schema::validate(&chart, &coalesced.values, &coalesced.origins)?;
    }
    let v = Value::Object(coalesced.values);
    Ok(match format {
        OutputFormat::Json => crate::gojson::to_json(&v) + "\n",
        OutputFormat::Yaml => yaml::to_yaml(&v),
    })
}
