//! chartr's library error: one type, [`Error`], whose variants say which stage failed and carry
//! the facts (file, line, template, Helm's message). Its `Display` is the message chartr prints
//! after `Error: `, which for everything Helm also refuses is Helm's exact text (the
//! differential tests compare it with Helm's standard error byte for byte); `source()` gives the
//! underlying error where there is one.
//!
//! A variant's `Display` is complete: it already says what its source says. Print an
//! [`Error`] with `{}`, not by walking its sources; [`chain_message`] prints a chain of other
//! errors as anyhow's `{:#}` does and stops at the first [`Error`] in it.
//!
//! The source (repositories, registries), chart, values, dependency, repo and pull stages still
//! build their messages with `anyhow` inside; their errors reach the library's API as
//! [`Error::Stage`], which keeps the whole message and the original error as its source.

use crate::engine::Dialect;
use crate::manifest::{store::StoreError, ParseError, TemplateNotFound};
use crate::schema::SchemaError;
use std::fmt;

/// What `helm template` prints after an error of its render (see [`Error::has_debug_hint`]).
pub const DEBUG_HINT: &str = "Use --debug flag to render out invalid YAML";

/// A stage whose errors are still built with `anyhow` inside and wrapped at its boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Finding and fetching a chart (folder, archive, `REPO/CHART`, URL, `oci://`).
    Source,
    /// Loading a chart (Chart.yaml, values.yaml, templates, subcharts).
    Chart,
    /// Reading user values and coalescing them (`-f`, the `--set` family).
    Values,
    /// `chartr dependency`: Chart.lock, charts/.
    Dependency,
    /// `chartr repo`: repositories.yaml and the index cache.
    Repository,
    /// `chartr pull`: downloading and unpacking.
    Pull,
}

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
    /// A chart that could not be loaded (Chart.yaml, values.yaml, templates, subcharts).
    Chart(crate::chart::LoadError),
    /// User values that could not be read (`-f`, the `--set` family) or coalesced.
    Values(crate::values::ValuesError),
    /// An error of a stage that builds its messages with `anyhow` inside; `message` is the
    /// whole chain as printed.
    Stage {
        stage: Stage,
        message: String,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
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
            | Error::Stage { message, .. }
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
            Error::TemplateParse { source, .. }
            | Error::TemplateExec { source, .. }
            | Error::Stage { source, .. } => Some(source.as_ref()),
            Error::Schema(e) => Some(e),
            Error::Source(e) => Some(e.as_ref()),
            Error::Chart(e) => Some(e),
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
            Error::Stage { stage, .. } => match stage {
                Stage::Source => "source",
                Stage::Chart => "chart",
                Stage::Values => "values",
                Stage::Dependency => "dependency",
                Stage::Repository => "repository",
                Stage::Pull => "pull",
            },
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
}

impl Error {
    /// Wraps an error of a stage that still uses `anyhow`, keeping its printed message.
    pub(crate) fn stage_error(stage: Stage) -> impl FnOnce(anyhow::Error) -> Error {
        move |e| Error::Stage {
            stage,
            message: chain_message(e.as_ref()),
            source: e.into(),
        }
    }

    pub(crate) fn usage(message: impl Into<String>) -> Error {
        Error::Usage {
            message: message.into(),
        }
    }
}

/// An error and its sources as anyhow's `{:#}` prints them (`outer: inner: innermost`), except
/// that an [`Error`] met on the way ends the chain: its message is already complete.
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_message_is_anyhow_alternate_and_stops_at_a_chartr_error() {
        let e = anyhow::anyhow!("inner").context("middle").context("outer");
        assert_eq!(chain_message(e.as_ref()), format!("{e:#}"));
        let typed = Error::Stage {
            stage: Stage::Chart,
            message: "Chart.yaml: bad: inner".into(),
            source: anyhow::anyhow!("inner").context("bad").into(),
        };
        let wrapped = anyhow::Error::new(typed).context("while loading");
        assert_eq!(
            chain_message(wrapped.as_ref()),
            "while loading: Chart.yaml: bad: inner"
        );
    }

    #[test]
    fn stage_errors_keep_the_message_and_the_source() {
        let e = Error::stage_error(Stage::Values)(anyhow::anyhow!("root").context("top"));
        assert_eq!(e.to_string(), "top: root");
        assert_eq!(e.stage(), "values");
        let src = std::error::Error::source(&e).map(|s| s.to_string());
        assert_eq!(src.as_deref(), Some("top"));
    }
}
