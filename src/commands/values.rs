//! `chartr values CHART`: the values the chart's top-level templates will see.

use crate::error::Error;
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
    let user = values::read_user_values(opts, stdin)?;
    let mut chart = chart::load(chart_path)?;
    let coalesced = values::compose(&mut chart, user)?;
    if !skip_schema {
        schema::validate(&chart, &coalesced.values, &coalesced.origins).map_err(Error::Schema)?;
    }
    let v = Value::Object(coalesced.values);
    Ok(match format {
        OutputFormat::Json => crate::gojson::to_json(&v) + "\n",
        // Helm's `toYaml .Values` and a final newline (Marshal writes none after a scalar
        // ending in U+2028 or U+2029); where Marshal fails, Helm's `helm get values -o yaml`
        // error.
        OutputFormat::Yaml => {
            let text = yaml::to_yaml_checked(&v).map_err(|e| values::ValuesError::Output {
                reason: e.to_string(),
            })?;
            format!("{}\n", text.strip_suffix('\n').unwrap_or(&text))
        }
    })
}
