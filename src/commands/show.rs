//! `chartr show all|chart|values|readme|crds CHART`, as `helm show` (v4) prints them.

use anyhow::{bail, Result};

pub fn run() -> Result<String> {
    bail!("show is not implemented yet")
}
