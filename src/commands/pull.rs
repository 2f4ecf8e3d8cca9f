//! `chartr pull REF`: Helm v4.1.4's pkg/action/pull.go. The archive is saved in the destination
//! (`-d`, default `.`) under the name helm gives it; `--untar` unpacks it instead, under
//! `--untardir` (relative to the destination) in a folder named by the chart. Unpacking writes
//! only regular files from the archive's checked paths (no `..`, no absolute paths, no links).

pub use super::error::PullError;
use crate::chart;
use crate::error::Error;
use crate::source::{self, write_error, SourceOptions};
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
    Ok(run_any(opts)?)
}

fn run_any(opts: &PullOptions) -> Result<Vec<String>, PullError> {
    let f = source::fetch(&opts.reference, &opts.source)?;
    let out = f.notices.clone();
    if !opts.untar {
        std::fs::create_dir_all(&opts.destination)
            .map_err(write_error("creating", &opts.destination))?;
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
        return Err(PullError::Exists { path: check });
    }
    let files = chart::archive_files(&f.data).map_err(|source| PullError::Untar {
        file: f.file_name.clone(),
        source,
    })?;
    let c = chart::load_archive_bytes(&f.data, &f.file_name)?;
    std::fs::create_dir_all(&check).map_err(PullError::Mkdir)?;
    let name = c.name();
    if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\']) {
        return Err(PullError::BadName {
            file: f.file_name.clone(),
            name: name.to_string(),
        });
    }
    let top = ud.join(name);
    for file in files {
        let p = top.join(&file.name);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir).map_err(write_error("creating", dir))?;
        }
        std::fs::write(&p, &file.data).map_err(write_error("writing", &p))?;
    }
    Ok(out)
}
