//! `chartr template [NAME] CHART`: `helm template`'s output.

use anyhow::{bail, Result};

pub fn run() -> Result<String> {
    bail!("template is not implemented yet")
}
