//! `chartr values CHART`: the values the chart's top-level templates will see.

use crate::error::{Error, Stage};
use crate::values::ValueOptions;
use crate::{chart, schema, values, yaml, Value};
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
) -> Result<String, Error> {
    // Helm reads the user's values before it loads the chart.
    let user = values::read_user_values(opts, stdin).map_err(Error::stage_error(Stage::Values))?;
    let mut chart = chart::load(chart_path).map_err(Error::stage_error(Stage::Chart))?;
    let coalesced = values::compose(&mut chart, user).map_err(Error::stage_error(Stage::Values))?;
    if !skip_schema {
        schema::validate(&chart, &coalesced.values, &coalesced.origins).map_err(Error::Schema)?;
    }
    let v = Value::Object(coalesced.values);
    Ok(match format {
        OutputFormat::Json => crate::gojson::to_json(&v) + "\n",
        OutputFormat::Yaml => yaml::to_yaml(&v),
    })
}
