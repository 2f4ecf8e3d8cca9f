//! `chartr repo add|list|update|remove`: Helm v4.1.4's pkg/cmd/repo_*.go, on the same
//! repositories.yaml and repository cache, so helm and chartr see the same repositories.

use crate::error::{Error, Stage};
use crate::source::{self, repofile::Entry, repofile::RepoFile, HelmPaths, SourceOptions};
use anyhow::{anyhow, bail, Result};

/// What a repo command prints: standard output and standard error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Printed {
    pub stdout: String,
    pub stderr: String,
    /// An error to report after printing `stdout` (helm prints progress, then fails).
    pub failure: Option<String>,
}

fn paths(o: &SourceOptions) -> HelmPaths {
    o.paths.clone().unwrap_or_else(HelmPaths::from_env)
}

/// The options of `repo add` beyond the transport.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    pub name: String,
    pub url: String,
    pub force_update: bool,
    pub source: SourceOptions,
}

/// `repo add NAME URL`.
pub fn add(o: &AddOptions) -> Result<Printed, Error> {
    add_any(o).map_err(Error::stage_error(Stage::Repository))
}

fn add_any(o: &AddOptions) -> Result<Printed> {
    let p = paths(&o.source);
    // A file helm has not written yet unmarshals to an empty File: apiVersion "" and Go's zero
    // time, which is what helm then writes.
    let mut f = RepoFile::load(&p.repository_config)?.unwrap_or_else(|| RepoFile {
        api_version: String::new(),
        generated: "0001-01-01T00:00:00Z".into(),
        repositories: Vec::new(),
    });
    let t = &o.source.transport;
    let e = Entry {
        name: o.name.clone(),
        url: o.url.clone(),
        username: t.username.clone(),
        password: t.password.clone(),
        cert_file: t.cert_file.clone(),
        key_file: t.key_file.clone(),
        ca_file: t.ca_file.clone(),
        insecure_skip_tls_verify: t.insecure_skip_tls_verify,
        pass_credentials_all: t.pass_credentials_all,
    };
    if o.name.contains('/') {
        bail!(
            "repository name ({}) contains '/', please specify a different name without '/'",
            o.name
        );
    }
    if !o.force_update {
        if let Some(existing) = f.get(&o.name) {
            if *existing != e {
                bail!(
                    "repository name ({}) already exists, please specify a different name (or replace it with --force-update)",
                    o.name
                );
            }
            return Ok(Printed {
                stdout: format!(
                    "{:?} already exists with the same configuration, skipping\n",
                    o.name
                ),
                ..Default::default()
            });
        }
    }
    source::download_index(&e, &Default::default(), &p).map_err(|err| {
        anyhow!(
            "looks like {:?} is not a valid chart repository or cannot be reached: {err:#}",
            o.url
        )
    })?;
    f.update(e);
    f.write(&p.repository_config)?;
    Ok(Printed {
        stdout: format!("{:?} has been added to your repositories\n", o.name),
        ..Default::default()
    })
}

/// `repo list`.
pub fn list(o: &SourceOptions) -> Result<Printed, Error> {
    list_any(o).map_err(Error::stage_error(Stage::Repository))
}

fn list_any(o: &SourceOptions) -> Result<Printed> {
    let p = paths(o);
    let f = RepoFile::load(&p.repository_config)?.unwrap_or_default();
    if f.repositories.is_empty() {
        return Ok(Printed {
            stderr: "no repositories to show\n".into(),
            ..Default::default()
        });
    }
    let w = f
        .repositories
        .iter()
        .map(|r| r.name.chars().count())
        .chain(std::iter::once(4))
        .max()
        .unwrap_or(4);
    let wu = f
        .repositories
        .iter()
        .map(|r| r.url.chars().count())
        .chain(std::iter::once(3))
        .max()
        .unwrap_or(3);
    let mut out = format!("{:<w$}\t{:<wu$}\n", "NAME", "URL");
    for r in &f.repositories {
        out.push_str(&format!("{:<w$}\t{:<wu$}\n", r.name, r.url));
    }
    Ok(Printed {
        stdout: out,
        ..Default::default()
    })
}

const NO_REPOSITORIES: &str = "no repositories found. You must add one before updating";

/// `repo update [NAME...]`.
pub fn update(o: &SourceOptions, names: &[String]) -> Result<Printed, Error> {
    update_any(o, names).map_err(Error::stage_error(Stage::Repository))
}

fn update_any(o: &SourceOptions, names: &[String]) -> Result<Printed> {
    let p = paths(o);
    let f = match RepoFile::load(&p.repository_config)? {
        Some(f) if !f.repositories.is_empty() => f,
        _ => bail!(
            "{NO_REPOSITORIES} (with: chartr repo add NAME URL; the repositories file is {})",
            p.repository_config.display()
        ),
    };
    for n in names {
        if f.get(n).is_none() {
            bail!("no repositories found matching '{n}'.  Nothing will be updated");
        }
    }
    let mut out =
        String::from("Hang tight while we grab the latest from your chart repositories...\n");
    let mut failed = Vec::new();
    for e in &f.repositories {
        if !names.is_empty() && !names.contains(&e.name) {
            continue;
        }
        match source::download_index(e, &Default::default(), &p) {
            Ok(_) => out.push_str(&format!(
                "...Successfully got an update from the {:?} chart repository\n",
                e.name
            )),
            Err(err) => {
                out.push_str(&format!(
                    "...Unable to get an update from the {:?} chart repository ({}):\n\t{err:#}\n",
                    e.name, e.url
                ));
                failed.push(e.url.clone());
            }
        }
    }
    if !failed.is_empty() {
        // Helm prints the progress, then fails.
        return Ok(Printed {
            stdout: out,
            stderr: String::new(),
            failure: Some(format!(
                "failed to update the following repositories: [{}] (their cached indexes are kept and still used)",
                failed.join(" ")
            )),
        });
    }
    out.push_str("Update Complete. ⎈Happy Helming!⎈\n");
    Ok(Printed {
        stdout: out,
        ..Default::default()
    })
}

/// `repo remove NAME...`.
pub fn remove(o: &SourceOptions, names: &[String]) -> Result<Printed, Error> {
    remove_any(o, names).map_err(Error::stage_error(Stage::Repository))
}

fn remove_any(o: &SourceOptions, names: &[String]) -> Result<Printed> {
    let p = paths(o);
    let mut f = match RepoFile::load(&p.repository_config)? {
        Some(f) if !f.repositories.is_empty() => f,
        _ => bail!("no repositories configured"),
    };
    let mut out = String::new();
    for n in names {
        if !f.remove(n) {
            bail!("no repo named {n:?} found");
        }
        f.write(&p.repository_config)?;
        for cached in [p.index_file(n), p.charts_file(n)] {
            match std::fs::remove_file(&cached) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => bail!("can't remove index file {}: {e}", cached.display()),
            }
        }
        out.push_str(&format!("{n:?} has been removed from your repositories\n"));
    }
    Ok(Printed {
        stdout: out,
        ..Default::default()
    })
}
