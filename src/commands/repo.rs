//! `chartr repo add|list|update|remove`: Helm v4.1.4's pkg/cmd/repo_*.go, on the same
//! repositories.yaml and repository cache, so helm and chartr see the same repositories.

pub use super::error::RepoError;
use crate::error::Error;
use crate::source::{self, repofile::Entry, repofile::RepoFile, HelmPaths};
use crate::source::{SourceError, SourceOptions};

type Result<T, E = RepoError> = std::result::Result<T, E>;

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
    Ok(add_any(o)?)
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
        return Err(RepoError::NameHasSlash {
            name: o.name.clone(),
        });
    }
    if !o.force_update {
        if let Some(existing) = f.get(&o.name) {
            if *existing != e {
                return Err(RepoError::NameExists {
                    name: o.name.clone(),
                });
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
        SourceError::NotARepository {
            url: o.url.clone(),
            source: Box::new(err),
        }
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
    Ok(list_any(o)?)
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

/// `repo update [NAME...]`.
pub fn update(o: &SourceOptions, names: &[String]) -> Result<Printed, Error> {
    Ok(update_any(o, names)?)
}

fn update_any(o: &SourceOptions, names: &[String]) -> Result<Printed> {
    let p = paths(o);
    let f = match RepoFile::load(&p.repository_config)? {
        Some(f) if !f.repositories.is_empty() => f,
        _ => {
            return Err(RepoError::NoRepositories {
                config: p.repository_config,
            })
        }
    };
    for n in names {
        if f.get(n).is_none() {
            return Err(RepoError::NoMatch { name: n.clone() });
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
                    "...Unable to get an update from the {:?} chart repository ({}):\n\t{err}\n",
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
    Ok(remove_any(o, names)?)
}

fn remove_any(o: &SourceOptions, names: &[String]) -> Result<Printed> {
    let p = paths(o);
    let mut f = match RepoFile::load(&p.repository_config)? {
        Some(f) if !f.repositories.is_empty() => f,
        _ => return Err(RepoError::NoneConfigured),
    };
    let mut out = String::new();
    for n in names {
        if !f.remove(n) {
            return Err(RepoError::NoRepoNamed { name: n.clone() });
        }
        f.write(&p.repository_config)?;
        for cached in [p.index_file(n), p.charts_file(n)] {
            match std::fs::remove_file(&cached) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => {
                    return Err(RepoError::RemoveIndex {
                        path: cached,
                        source,
                    })
                }
            }
        }
        out.push_str(&format!("{n:?} has been removed from your repositories\n"));
    }
    Ok(Printed {
        stdout: out,
        ..Default::default()
    })
}
