//! The errors of `chartr dependency`, `chartr repo` and `chartr pull`, in Helm v4.1.4's words
//! where Helm has them (pkg/downloader/manager.go, internal/resolver, pkg/cmd/repo_*.go,
//! pkg/action/pull.go). Errors of the stages they use (loading a chart, fetching one) are kept
//! whole as variants.

use crate::chart::LoadError;
use crate::error::chain_message;
use crate::source::SourceError;
use crate::yaml::YamlError;
use std::fmt;
use std::path::PathBuf;

/// Why `dependency update|build|list` failed. `Display` is the whole message.
#[derive(Debug)]
#[non_exhaustive]
pub enum DependencyError {
    Chart(LoadError),
    /// (Source errors are boxed here: they are the largest.)
    Source(Box<SourceError>),
    /// Chart.lock exists and cannot be read.
    LockRead {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Chart.lock is not YAML.
    Yaml(YamlError),
    /// Chart.lock (`label`) is not a map.
    LockNotMap {
        label: String,
    },
    /// Chart.lock is a symbolic link (Helm refuses to write through it).
    LockSymlink {
        target: String,
    },
    /// Chart.lock's digest does not match Chart.yaml's dependencies.
    LockOutOfSync,
    /// The chart folder does not exist.
    ChartNotFound {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The chart is an archive.
    NotUnpacked,
    /// A `file://` (or charts/) dependency whose folder does not exist.
    DirectoryNotFound {
        path: PathBuf,
    },
    /// `dependency update`: repositories that repositories.yaml does not have.
    UnknownRepositories {
        repos: Vec<String>,
    },
    /// `dependency build`: Chart.lock's repositories that repositories.yaml does not have.
    LockedRepositoriesUnknown {
        repos: Vec<String>,
    },
    /// A `version:` that is not a semver constraint; `quoted` when Helm prints the name
    /// quoted (the resolver) rather than bare (the downloader).
    InvalidConstraint {
        name: String,
        reason: String,
        quoted: bool,
    },
    /// An OCI repository whose tags could not be listed.
    Tags {
        repository: String,
        source: Box<SourceError>,
    },
    /// No cached index for the dependency's repository.
    NoCachedRepository {
        repo: String,
        path: PathBuf,
        source: std::io::Error,
    },
    /// The repository's index has no chart of that name.
    ChartNotInRepo {
        name: String,
        repository: String,
    },
    /// Dependencies with no version matching their constraint (each described as Helm does).
    NoValidVersions {
        missing: Vec<String>,
    },
    /// charts/ exists and is not a folder.
    NotADirectory {
        path: String,
    },
    /// A charts/ dependency (no repository) that cannot be loaded.
    LoadChart {
        path: PathBuf,
        source: LoadError,
    },
    /// A charts/ dependency whose version is not semver.
    InvalidVersion {
        version: String,
        name: String,
        reason: String,
    },
    /// A charts/ dependency whose version misses its constraint.
    Unsatisfied {
        name: String,
        version: String,
        constraint: String,
    },
    /// A `file://` dependency whose version misses its constraint.
    NoValidVersion {
        name: String,
    },
    /// A `file://` dependency that could not be archived.
    Archive(std::io::Error),
    /// A dependency that could not be downloaded.
    Download {
        name: String,
        repository: String,
        source: Box<SourceError>,
    },
}

/// Why `repo add|list|update|remove` failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum RepoError {
    Source(Box<SourceError>),
    /// A name with `/` in it.
    NameHasSlash {
        name: String,
    },
    /// A name repositories.yaml has, with other settings (and no `--force-update`).
    NameExists {
        name: String,
    },
    /// `repo update` with no repository in repositories.yaml (`config`).
    NoRepositories {
        config: PathBuf,
    },
    /// `repo update NAME` for a name repositories.yaml does not have.
    NoMatch {
        name: String,
    },
    /// `repo remove` with no repository configured.
    NoneConfigured,
    /// `repo remove NAME` for a name repositories.yaml does not have.
    NoRepoNamed {
        name: String,
    },
    /// A cached index that could not be removed.
    RemoveIndex {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Why `pull` failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum PullError {
    Source(Box<SourceError>),
    Chart(LoadError),
    /// `--untar`: the folder named by the reference exists.
    Exists {
        path: PathBuf,
    },
    /// `--untar`: the archive (`file`) could not be unpacked.
    Untar {
        file: String,
        source: LoadError,
    },
    /// `--untar`: the folder could not be made.
    Mkdir(std::io::Error),
    /// `--untar`: a chart name that cannot be a folder's.
    BadName {
        file: String,
        name: String,
    },
}

impl fmt::Display for DependencyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DependencyError as E;
        match self {
            E::Chart(e) => write!(f, "{e}"),
            E::Source(e) => write!(f, "{e}"),
            E::LockRead { path, source } => write!(f, "{}: {source}", path.display()),
            E::Yaml(e) => write!(f, "{e}"),
            E::LockNotMap { label } => write!(
                f,
                "{label}: expected a map with dependencies, digest and generated"
            ),
            E::LockSymlink { target } => {
                write!(f, "the Chart.lock file is a symlink to {target:?}")
            }
            E::LockOutOfSync => f.write_str("the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies"),
            E::ChartNotFound { path, source } => {
                write!(f, "could not find {}: {source}", path.display())
            }
            E::NotUnpacked => f.write_str("only unpacked charts can be updated"),
            E::DirectoryNotFound { path } => write!(f, "directory {} not found", path.display()),
            E::UnknownRepositories { repos } => {
                write!(
                    f,
                    "no repository definition for {}. Please add them via 'chartr repo add' (or 'helm repo add')",
                    repos.join(", ")
                )?;
                if repos
                    .iter()
                    .any(|r| !r.contains("//") && !r.starts_with('@') && !r.starts_with("alias:"))
                {
                    f.write_str("\nNote that repositories must be URLs or aliases. For example, to refer to the \"example\"\nrepository, use \"https://charts.example.com/\" or \"@example\" instead of\n\"example\". Don't forget to add the repo, too ('chartr repo add').")?;
                }
                Ok(())
            }
            E::LockedRepositoriesUnknown { repos } => write!(
                f,
                "no repository definition for {} (add each with: chartr repo add NAME URL)",
                repos.join(", ")
            ),
            E::InvalidConstraint {
                name,
                reason,
                quoted,
            } => {
                if *quoted {
                    write!(f, "dependency {name:?}")?;
                } else {
                    write!(f, "dependency {name}")?;
                }
                write!(f, " has an invalid version/constraint format: {reason}")
            }
            E::Tags { repository, source } => write!(
                f,
                "could not retrieve list of tags for repository {repository}: {source}"
            ),
            E::NoCachedRepository { repo, path, source } => write!(
                f,
                "no cached repository for {repo} found. (try 'chartr repo update'): {}: {source}",
                path.display()
            ),
            E::ChartNotInRepo { name, repository } => {
                write!(f, "{name} chart not found in repo {repository}")
            }
            E::NoValidVersions { missing } => write!(
                f,
                "can't get a valid version for {} subchart(s): {}. Make sure a matching chart version exists in the repo, or change the version constraint in Chart.yaml",
                missing.len(),
                missing.join(", ")
            ),
            E::NotADirectory { path } => write!(f, "{path:?} is not a directory"),
            E::LoadChart { path, source } => {
                write!(f, "unable to load chart '{}': {source}", path.display())
            }
            E::InvalidVersion {
                version,
                name,
                reason,
            } => write!(f, "invalid version {version} for dependency {name}: {reason}"),
            E::Unsatisfied {
                name,
                version,
                constraint,
            } => write!(
                f,
                "dependency {name} at version {version} does not satisfy the constraint {constraint}"
            ),
            E::NoValidVersion { name } => {
                write!(f, "can't get a valid version for dependency {name}")
            }
            E::Archive(e) => write!(f, "writing the chart archive: {}", chain_message(e)),
            E::Download {
                name,
                repository,
                source,
            } => write!(f, "could not download {name} from {repository}: {source}"),
        }
    }
}

impl std::error::Error for DependencyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        use DependencyError as E;
        match self {
            E::Chart(e) | E::LoadChart { source: e, .. } => Some(e),
            E::Source(e) | E::Tags { source: e, .. } | E::Download { source: e, .. } => {
                Some(e.as_ref())
            }
            E::LockRead { source, .. }
            | E::ChartNotFound { source, .. }
            | E::NoCachedRepository { source, .. }
            | E::Archive(source) => Some(source),
            E::Yaml(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for RepoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use RepoError as E;
        match self {
            E::Source(e) => write!(f, "{e}"),
            E::NameHasSlash { name } => write!(
                f,
                "repository name ({name}) contains '/', please specify a different name without '/'"
            ),
            E::NameExists { name } => write!(
                f,
                "repository name ({name}) already exists, please specify a different name (or replace it with --force-update)"
            ),
            E::NoRepositories { config } => write!(
                f,
                "no repositories found. You must add one before updating (with: chartr repo add NAME URL; the repositories file is {})",
                config.display()
            ),
            E::NoMatch { name } => write!(
                f,
                "no repositories found matching '{name}'.  Nothing will be updated"
            ),
            E::NoneConfigured => f.write_str("no repositories configured"),
            E::NoRepoNamed { name } => write!(f, "no repo named {name:?} found"),
            E::RemoveIndex { path, source } => {
                write!(f, "can't remove index file {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for RepoError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RepoError::Source(e) => Some(e.as_ref()),
            RepoError::RemoveIndex { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl fmt::Display for PullError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PullError::Source(e) => write!(f, "{e}"),
            PullError::Chart(e) => write!(f, "{e}"),
            PullError::Exists { path } => write!(
                f,
                "failed to untar: a file or directory with the name {} already exists",
                path.display()
            ),
            PullError::Untar { file, source } => write!(f, "failed to untar {file}: {source}"),
            PullError::Mkdir(e) => write!(f, "failed to untar (mkdir): {e}"),
            PullError::BadName { file, name } => write!(
                f,
                "failed to untar {file}: the chart's name {name:?} is not a folder name"
            ),
        }
    }
}

impl std::error::Error for PullError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PullError::Source(e) => Some(e.as_ref()),
            PullError::Chart(e) | PullError::Untar { source: e, .. } => Some(e),
            PullError::Mkdir(e) => Some(e),
            PullError::Exists { .. } | PullError::BadName { .. } => None,
        }
    }
}

/// `?` wraps the errors of the stages a command uses (`$wrap`: how the inner error is held).
macro_rules! wrap {
    ($($outer:ident :: $variant:ident ($inner:ty) $(= $wrap:path)?),* $(,)?) => {$(
        impl From<$inner> for $outer {
            fn from(e: $inner) -> $outer {
                $outer::$variant($($wrap)?(e))
            }
        }
    )*};
}

wrap! {
    DependencyError::Chart(LoadError),
    DependencyError::Source(SourceError) = Box::new,
    DependencyError::Yaml(YamlError),
    RepoError::Source(SourceError) = Box::new,
    PullError::Source(SourceError) = Box::new,
    PullError::Chart(LoadError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_helms_with_the_facts() {
        let e = DependencyError::InvalidConstraint {
            name: "db".into(),
            reason: "improper constraint: x".into(),
            quoted: true,
        };
        assert_eq!(
            e.to_string(),
            "dependency \"db\" has an invalid version/constraint format: improper constraint: x"
        );
        let e = DependencyError::UnknownRepositories {
            repos: vec!["@stable".into()],
        };
        assert_eq!(
            e.to_string(),
            "no repository definition for @stable. Please add them via 'chartr repo add' (or 'helm repo add')"
        );
        let e = PullError::Exists {
            path: "out/web".into(),
        };
        assert_eq!(
            e.to_string(),
            "failed to untar: a file or directory with the name out/web already exists"
        );
        let e = RepoError::NoRepoNamed { name: "x".into() };
        assert_eq!(e.to_string(), "no repo named \"x\" found");
    }
}
