//! `chartr pull REF`: Helm v4.1.4's pkg/action/pull.go. The archive is saved in the destination
//! (`-d`, default `.`) under the name helm gives it; `--untar` unpacks it instead, under
//! `--untardir` (relative to the destination) in a folder named by the chart. Unpacking writes
//! only regular files from the archive's checked paths (no `..`, no absolute paths, no links).

use crate::chart;
use crate::error::{Error, Stage};
use crate::source::{self, SourceOptions};
use anyhow::{anyhow, bail, Context, Result};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct PullOptions {
    pub reference: String,
    pub source: SourceOptions,
    pub destination: PathBuf,
    pub untar: bool,
    pub untar_dir: PathBuf,
}

/// Runs `pull`; returns the notices for standard error (helm's `Pulled:`/`Digest:` lines and
/// warnings; pull prints nothing on standard output).
pub fn run(opts: &PullOptions) -> Result<Vec<String>, Error> {
    run_any(opts).map_err(Error::stage_error(Stage::Pull))
}

fn run_any(opts: &PullOptions) -> Result<Vec<String>> {
    let f = source::fetch(&opts.reference, &opts.source)?;
    let out = f.notices.clone();
    if !opts.untar {
        std::fs::create_dir_all(&opts.destination)
            .with_context(|| format!("creating {}", opts.destination.display()))?;
        source::write_atomic(&opts.destination.join(&f.file_name), &f.data)?;
        return Ok(out);
    }
    let ud = if opts.untar_dir.is_absolute() {
        opts.untar_dir.clone()
    } else {
        opts.destination.join(&opts.untar_dir)
    };
    // Helm checks (and creates) a folder named by the reference's last part.
    let last = opts
        .reference
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(&opts.reference)
        .to_string();
    let check = if ud == Path::new(".") {
        PathBuf::from(&last)
    } else {
        ud.join(&last)
    };
    if check.exists() {
        bail!(
            "failed to untar: a file or directory with the name {} already exists",
            check.display()
        );
    }
    let files = chart::archive_files(&f.data)
        .map_err(|e| anyhow!("failed to untar {}: {e:#}", f.file_name))?;
    let c = chart::load_archive_bytes(&f.data, &f.file_name)?;
    std::fs::create_dir_all(&check).map_err(|e| anyhow!("failed to untar (mkdir): {e}"))?;
    let name = c.name();
    if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\']) {
        bail!(
            "failed to untar {}: the chart's name {name:?} is not a folder name",
            f.file_name
        );
    }
    let top = ud.join(name);
    for file in files {
        let p = top.join(&file.name);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(&p, &file.data).with_context(|| format!("writing {}", p.display()))?;
    }
    Ok(out)
}
