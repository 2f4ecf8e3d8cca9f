//! chartr's library error: one type, [`Error`], whose variants say which stage failed and carry
//! the facts (file, line, template, Helm's message). Its `Display` is the message chartr prints
//! after `Error: `, which for everything Helm also refuses is Helm's exact text (the
//! differential tests compare it with Helm's standard error byte for byte); `source()` gives the
//! underlying error where there is one.
//!
//! Each stage has its own error type, an enum whose variants carry the facts (path, line,
//! flag, reference) and the underlying io / YAML / HTTP error as `source()`:
//! [`crate::source::SourceError`], [`crate::chart::LoadError`], [`crate::values::ValuesError`],
//! [`crate::commands::dependency::DependencyError`], [`crate::commands::repo::RepoError`],
//! [`crate::commands::pull::PullError`]. `?` turns each into its variant of [`Error`]
//! ([`Error::Source`], [`Error::Chart`], ...).
//!
//! A variant's `Display` is complete: it already says what its source says. Print an
//! [`Error`] (or a stage's error) with `{}`, not by walking its sources; [`chain_message`]
//! prints a chain of other errors, outermost first and joined by `: `, and stops at the first
//! of chartr's errors in it.

use crate::engine::Dialect;
use crate::manifest::{store::StoreError, ParseError, TemplateNotFound};
use crate::schema::SchemaError;
use std::fmt;

/// What `helm template` prints after an error of its render (see [`Error::has_debug_hint`]).
pub const DEBUG_HINT: &str = "Use --debug flag to render out invalid YAML";

/// Anything the library's public functions can fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Arguments or flags Helm refuses as a usage error (`[NAME] CHART` counts, flags that
    /// exclude each other); `message` is Helm's.
    Usage { message: String },
    /// Helm's `ValidateReleaseName` refused `name`; `reason` is Helm's text after the name.
    ReleaseName { name: String, reason: String },
    /// Helm's `checkIfInstallable`: a chart whose `type` is not `application` (a library).
    NotInstallable { chart_type: String },
    /// `--kube-version` that does not parse; `message` is Helm's.
    KubeVersion { message: String },
    /// The top chart's `kubeVersion` constraint excludes the Kubernetes version rendered for.
    IncompatibleKubeVersion {
        constraint: String,
        kube_version: String,
    },
    /// Values that do not meet a chart's `values.schema.json`, every violation with its origin.
    Schema(SchemaError),
    /// A template that does not parse, in the dialect its chart declares. `message` is the
    /// whole text printed (Helm's `parse error at (FILE:LINE): ...` and which dialect was
    /// assumed, with how to declare the other).
    TemplateParse {
        /// `CHART/templates/x.yaml`.
        template: String,
        line: Option<usize>,
        dialect: Dialect,
        message: String,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A template that failed while rendering (`fail`, `required`, a nil pointer, a
    /// function's error...). `message` is Helm's whole text (`execution error at
    /// (FILE:LINE:COL): ...`, or Go's `template: FILE:LINE:COL: executing ...` chain).
    TemplateExec {
        /// The template rendered when it failed (the outermost one), when known.
        template: Option<String>,
        /// `FILE:LINE:COL` (or `FILE:LINE`) of the failing node, as the message names it.
        location: Option<String>,
        /// `fail`'s or `required`'s own message, when one of them failed.
        fail: Option<String>,
        message: String,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// `--lookup-from PATH` could not be read.
    LookupFrom {
        path: std::path::PathBuf,
        source: StoreError,
    },
    /// A rendered document Helm cannot read as a manifest (`YAML parse error on FILE: ...`).
    ManifestYaml(ParseError),
    /// A `--show-only` pattern that matched no template.
    ShowOnly(TemplateNotFound),
    /// `--post-renderer`: the executable could not be found (`message` is Helm's flag error)
    /// or, `ran`, it failed (`error while running post render on files: ...`).
    PostRenderer { message: String, ran: bool },
    /// `--output-dir` could not be written; nothing this run created is left behind.
    OutputDir(crate::manifest::output::WriteError),
    /// Manifests (a stream, a folder of them, `kubectl get -o yaml` output) that could not be
    /// read: a side of `chartr diff`, or the file of `flag` (`--cluster`).
    Manifests {
        flag: Option<&'static str>,
        source: StoreError,
    },
    /// A `chartr diff --ignore` path that does not parse.
    IgnorePath(crate::manifest::diff::PathError),
    /// `chartr post-render`'s input, flags, config or patches.
    Transform(crate::manifest::transform::Error),
    /// A chart reference that could not be resolved or fetched (repositories, registries).
    /// (Boxed: it is the largest stage error.)
    Source(Box<crate::source::SourceError>),
    /// `chartr dependency`: Chart.lock, charts/, resolving and downloading dependencies.
    Dependency(crate::commands::dependency::DependencyError),
    /// `chartr repo`: repositories.yaml and the index cache.
    Repository(crate::commands::repo::RepoError),
    /// `chartr pull`: downloading and unpacking.
    Pull(crate::commands::pull::PullError),
    /// A chart that could not be loaded (Chart.yaml, values.yaml, templates, subcharts).
    Chart(crate::chart::LoadError),
    /// User values that could not be read (`-f`, the `--set` family) or coalesced.
    Values(crate::values::ValuesError),
    /// A render (or a post-renderer's output) larger than `--max-output-bytes`.
    OutputLimit { message: String },
    /// A failure of chartr itself (a thread that could not start or panicked).
    Internal { message: String },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage { message }
            | Error::KubeVersion { message }
            | Error::TemplateParse { message, .. }
            | Error::TemplateExec { message, .. }
            | Error::PostRenderer { message, .. }
            | Error::OutputLimit { message }
            | Error::Internal { message } => f.write_str(message),
            Error::ReleaseName { name, reason } => {
                write!(f, "release name check failed: release name \"{name}\": {reason}")
            }
            Error::NotInstallable { chart_type } => {
                write!(f, "{chart_type} charts are not installable")
            }
            Error::IncompatibleKubeVersion {
                constraint,
                kube_version,
            } => write!(
                f,
                "chart requires kubeVersion: {constraint} which is incompatible with Kubernetes {kube_version}"
            ),
            Error::Schema(e) => write!(f, "{e}"),
            Error::Source(e) => write!(f, "{e}"),
            Error::Chart(e) => write!(f, "{e}"),
            Error::Dependency(e) => write!(f, "{e}"),
            Error::Repository(e) => write!(f, "{e}"),
            Error::Pull(e) => write!(f, "{e}"),
            Error::Values(e) => write!(f, "{e}"),
            Error::LookupFrom { path, source } => {
                write!(f, "--lookup-from {}: {source}", path.display())
            }
            Error::ManifestYaml(e) => write!(f, "{e}"),
            Error::ShowOnly(e) => write!(f, "{e}"),
            Error::Manifests { flag, source } => match flag {
                Some(flag) => write!(f, "{flag}: {source}"),
                None => write!(f, "{source}"),
            },
            Error::IgnorePath(e) => write!(f, "{e}"),
            Error::OutputDir(e) => write!(f, "--output-dir: {e}"),
            Error::Transform(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::TemplateParse { source, .. } | Error::TemplateExec { source, .. } => {
                Some(source.as_ref())
            }
            Error::Schema(e) => Some(e),
            Error::Source(e) => Some(e.as_ref()),
            Error::Chart(e) => Some(e),
            Error::Dependency(e) => Some(e),
            Error::Repository(e) => Some(e),
            Error::Pull(e) => Some(e),
            Error::Values(e) => Some(e),
            Error::LookupFrom { source, .. } => Some(source),
            Error::ManifestYaml(e) => Some(e),
            Error::ShowOnly(e) => Some(e),
            Error::Manifests { source, .. } => Some(source),
            Error::IgnorePath(e) => Some(e),
            Error::OutputDir(e) => Some(e),
            Error::Transform(e) => Some(e),
            Error::Usage { .. }
            | Error::ReleaseName { .. }
            | Error::NotInstallable { .. }
            | Error::KubeVersion { .. }
            | Error::IncompatibleKubeVersion { .. }
            | Error::PostRenderer { .. }
            | Error::OutputLimit { .. }
            | Error::Internal { .. } => None,
        }
    }
}

impl Error {
    /// The stage that failed.
    pub fn stage(&self) -> &'static str {
        match self {
            Error::Usage { .. } | Error::ReleaseName { .. } | Error::KubeVersion { .. } => {
                "arguments"
            }
            Error::NotInstallable { .. }
            | Error::IncompatibleKubeVersion { .. }
            | Error::Chart(_) => "chart",
            Error::Values(_) => "values",
            Error::Source(_) => "source",
            Error::Dependency(_) => "dependency",
            Error::Repository(_) => "repository",
            Error::Pull(_) => "pull",
            Error::Schema(_) => "schema",
            Error::TemplateParse { .. } | Error::TemplateExec { .. } | Error::LookupFrom { .. } => {
                "engine"
            }
            Error::ManifestYaml(_)
            | Error::ShowOnly(_)
            | Error::OutputDir(_)
            | Error::Manifests { .. }
            | Error::IgnorePath(_)
            | Error::OutputLimit { .. } => "manifest",
            Error::PostRenderer { .. } | Error::Transform(_) => "post-render",
            Error::Internal { .. } => "internal",
        }
    }

    /// Whether `helm template` follows this error with its hint [`DEBUG_HINT`]: Helm's
    /// pkg/cmd/template.go adds it to every error of `renderResources`, returned with the
    /// release (the kubeVersion check, parsing and executing templates, the post-renderer,
    /// sorting the manifests, writing `--output-dir`), not to errors before the release exists
    /// (arguments, chart, values, schema) or after it (`--show-only`). Helm v3.17.3 does the same.
    pub fn has_debug_hint(&self) -> bool {
        match self {
            Error::IncompatibleKubeVersion { .. }
            | Error::ManifestYaml(_)
            | Error::OutputDir(_)
            | Error::TemplateParse { .. } => true,
            Error::PostRenderer { ran, .. } => *ran,
            // `--name-template` is rendered before the release exists.
            Error::TemplateExec { template, .. } => template.as_deref() != Some("name-template"),
            _ => false,
        }
    }
}

/// `?` turns a stage's error into the library's.
macro_rules! from_stage {
    ($($ty:ty => $variant:ident),* $(,)?) => {$(
        impl From<$ty> for Error {
            fn from(e: $ty) -> Error {
                Error::$variant(e)
            }
        }
    )*};
}

impl From<crate::source::SourceError> for Error {
    fn from(e: crate::source::SourceError) -> Error {
        Error::Source(Box::new(e))
    }
}

from_stage! {
    crate::chart::LoadError => Chart,
    crate::values::ValuesError => Values,
    crate::commands::dependency::DependencyError => Dependency,
    crate::commands::repo::RepoError => Repository,
    crate::commands::pull::PullError => Pull,
}

impl Error {
    pub(crate) fn usage(message: impl Into<String>) -> Error {
        Error::Usage {
            message: message.into(),
        }
    }
}

/// An error and its sources, outermost first, joined by `: ` (`outer: inner: innermost`, the
/// alternate form of a context chain), except that one of chartr's errors met on the way ends
/// the chain: its message is already complete.
pub fn chain_message(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = String::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&e.to_string());
        if is_complete(e) {
            break;
        }
        cur = e.source();
    }
    out
}

/// Whether `e` is one of chartr's errors, whose message already says what its sources say.
fn is_complete(e: &(dyn std::error::Error + 'static)) -> bool {
    e.is::<Error>()
        || e.is::<crate::chart::LoadError>()
        || e.is::<crate::values::ValuesError>()
        || e.is::<crate::source::SourceError>()
        || e.is::<crate::commands::dependency::DependencyError>()
        || e.is::<crate::commands::repo::RepoError>()
        || e.is::<crate::commands::pull::PullError>()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A context over another error, as main.rs's error type chains them.
    #[derive(Debug)]
    struct Context(&'static str, Option<Box<dyn std::error::Error + 'static>>);

    impl fmt::Display for Context {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Context {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref()
        }
    }

    #[test]
    fn chain_message_joins_sources_and_stops_at_a_chartr_error() {
        let inner = Context("inner", None);
        let e = Context(
            "outer",
            Some(Box::new(Context("middle", Some(Box::new(inner))))),
        );
        assert_eq!(chain_message(&e), "outer: middle: inner");
        // A LoadError's message already says what its io source says: not repeated.
        let load = crate::chart::LoadError::Io {
            path: "c".into(),
            source: std::io::Error::other("denied"),
        };
        let typed = Error::from(load);
        assert_eq!(typed.to_string(), "chart c: denied");
        let wrapped = Context("while loading", Some(Box::new(typed)));
        assert_eq!(chain_message(&wrapped), "while loading: chart c: denied");
    }

    #[test]
    fn stage_errors_keep_their_stage_and_source() {
        let e = Error::from(crate::values::ValuesError::Output {
            reason: "bad".into(),
        });
        assert_eq!(e.stage(), "values");
        assert!(e
            .to_string()
            .starts_with("unable to write YAML output: bad"));
        let e = Error::from(crate::source::SourceError::NoRepoUrl { repo: "r".into() });
        assert_eq!(e.stage(), "source");
        assert_eq!(e.to_string(), "no URL found for repository r");
        let src = std::error::Error::source(&e).map(|s| s.to_string());
        assert_eq!(src.as_deref(), Some("no URL found for repository r"));
    }
}
