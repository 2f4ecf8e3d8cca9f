//! The chart stage's error: why a chart (folder, archive, subchart) could not be loaded, in
//! Helm v4.1.4's words where Helm has them (pkg/chart/v2/loader, pkg/chart/v2/metadata.go).

use crate::error::chain_message;
use crate::yaml::YamlError;
use std::fmt;
use std::path::PathBuf;

use super::{MAX_CHART_SIZE, MAX_FILE_SIZE};

/// Why a chart could not be loaded. `Display` is the whole message (its source included).
#[derive(Debug)]
#[non_exhaustive]
pub enum LoadError {
    /// The chart's path (folder or archive) could not be read.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A chart file that is not gzipped; `yaml` when its name ends in `.yaml`/`.yml`.
    NotGzip { name: String, yaml: bool },
    /// An archive whose contents could not be read; `name` labels it (`chart NAME: ...`).
    Archive {
        name: String,
        source: Box<LoadError>,
    },
    /// tar or gzip failed on the archive.
    BadArchive(std::io::Error),
    /// An archive member Helm's `LoadArchiveFiles` refuses; `member` is its path as written.
    Member {
        problem: MemberProblem,
        member: String,
    },
    /// An archive with no files.
    EmptyArchive,
    /// `.helmignore` could not be read.
    HelmignoreRead {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A `.helmignore` rule that does not parse; `reason` names it.
    HelmignoreRule { path: PathBuf, reason: String },
    /// Walking the chart's folder failed.
    Walk {
        top: PathBuf,
        source: walkdir::Error,
    },
    /// A file of the folder that is not a regular file (a socket, a device...).
    Irregular { path: PathBuf },
    /// A file of the folder larger than Helm's [`MAX_FILE_SIZE`]; `name` is its base name.
    FileTooLarge { name: String },
    /// A file of the folder that could not be read.
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Chart.yaml or requirements.yaml is not YAML.
    Yaml(YamlError),
    /// Chart.yaml or requirements.yaml (`manifest`) does not fit Helm's `Metadata`; `file` is
    /// its label, `reason` Helm's (encoding/json's) text.
    Metadata {
        file: String,
        manifest: &'static str,
        reason: String,
    },
    /// values.yaml does not parse (or a document of it is not a map).
    Values(YamlError),
    /// No Chart.yaml in the chart at `source`.
    MissingChartYaml { source: PathBuf },
    /// Helm's `Metadata.Validate` refused Chart.yaml (`file`); `reason` is Helm's.
    Invalid { file: String, reason: String },
    /// The top chart's apiVersion is neither v1 nor v2 (nor empty).
    ApiVersion { file: String, version: String },
    /// A subchart archive of `parent`'s charts/ whose first member is not the archive itself.
    SubchartTar {
        parent: String,
        expected: String,
        got: String,
    },
    /// The subchart `name` of `parent` could not be loaded.
    Subchart {
        name: String,
        parent: String,
        source: Box<LoadError>,
    },
    /// A chart whose `type` is not `application` (Helm: "library charts are not installable").
    NotInstallable { file: String, chart_type: String },
    /// Helm's `CheckDependencies`: `dependencies:` entries with no chart in charts/.
    MissingDependencies { file: String, names: Vec<String> },
}

/// Why Helm's archive loader refuses a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberProblem {
    AbsolutePath,
    OutsideBase,
    ParentDirectory,
    ChartYamlNotInBase,
    ChartTooLarge,
    FileTooLarge,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io { path, source } => {
                write!(f, "chart {}: {}", path.display(), io_msg(source))
            }
            LoadError::NotGzip { name, yaml: true } => write!(
                f,
                "file '{name}' seems to be a YAML file, but expected a gzipped archive"
            ),
            LoadError::NotGzip { name, yaml: false } => {
                write!(f, "file '{name}' does not appear to be a gzipped archive")
            }
            LoadError::Archive { name, source } => write!(f, "chart {name}: {source}"),
            LoadError::BadArchive(e) => {
                write!(f, "not a valid chart archive: {}", chain_message(e))
            }
            LoadError::Member { problem, member } => match problem {
                MemberProblem::AbsolutePath => f.write_str("chart illegally contains absolute paths"),
                MemberProblem::OutsideBase => write!(
                    f,
                    "chart illegally contains content outside the base directory: {member:?}"
                ),
                MemberProblem::ParentDirectory => {
                    f.write_str("chart illegally references parent directory")
                }
                MemberProblem::ChartYamlNotInBase => f.write_str("chart yaml not in base directory"),
                MemberProblem::ChartTooLarge => write!(
                    f,
                    "decompressed chart is larger than the maximum size {MAX_CHART_SIZE}"
                ),
                MemberProblem::FileTooLarge => write!(
                    f,
                    "decompressed chart file {member:?} is larger than the maximum file size {MAX_FILE_SIZE}"
                ),
            },
            LoadError::EmptyArchive => f.write_str("no files in chart archive"),
            LoadError::HelmignoreRead { path, source } => {
                write!(f, "{}: cannot read: {}", path.display(), chain_message(source))
            }
            LoadError::HelmignoreRule { path, reason } => write!(f, "{}: {reason}", path.display()),
            LoadError::Walk { top, source } => write!(f, "chart {}: {source}", top.display()),
            LoadError::Irregular { path } => write!(
                f,
                "cannot load irregular file {} as it has file mode type bits set",
                path.display()
            ),
            LoadError::FileTooLarge { name } => write!(
                f,
                "chart file {name:?} is larger than the maximum file size {MAX_FILE_SIZE}"
            ),
            LoadError::Read { path, source } => {
                write!(f, "error reading {}: {source}", path.display())
            }
            LoadError::Yaml(e) => write!(f, "{e}"),
            LoadError::Metadata {
                file,
                manifest,
                reason,
            } => write!(f, "{file}: cannot load {manifest}: {reason}"),
            LoadError::Values(e) => write!(f, "cannot load values.yaml: {e}"),
            LoadError::MissingChartYaml { source } => {
                write!(f, "{}: Chart.yaml file is missing", source.display())
            }
            LoadError::Invalid { file, reason } => write!(f, "{file}: validation: {reason}"),
            LoadError::ApiVersion { file, version } if version == "v3" => write!(
                f,
                "{file}: invalid chart apiVersion: \"v3\" charts are experimental in Helm v4 and cannot be installed; use apiVersion: v2"
            ),
            LoadError::ApiVersion { file, version } => write!(
                f,
                "{file}: unsupported chart version: apiVersion {version:?} (Helm reads v1 and v2 charts)"
            ),
            LoadError::SubchartTar {
                parent,
                expected,
                got,
            } => write!(
                f,
                "error unpacking subchart tar in {parent}: expected {expected}, got {got}"
            ),
            LoadError::Subchart {
                name,
                parent,
                source,
            } => write!(f, "error unpacking subchart {name} in {parent}: {source}"),
            LoadError::NotInstallable { file, chart_type } => {
                write!(f, "{file}: {chart_type} charts are not installable")
            }
            LoadError::MissingDependencies { file, names } => write!(
                f,
                "{file}: found in Chart.yaml, but missing in charts/ directory: {} (run `helm dependency build` to fetch missing dependencies)",
                names.join(", ")
            ),
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadError::Io { source, .. }
            | LoadError::Read { source, .. }
            | LoadError::HelmignoreRead { source, .. } => Some(source),
            LoadError::BadArchive(e) => Some(e),
            LoadError::Walk { source, .. } => Some(source),
            LoadError::Archive { source, .. } | LoadError::Subchart { source, .. } => {
                Some(source.as_ref())
            }
            LoadError::Yaml(e) | LoadError::Values(e) => Some(e),
            _ => None,
        }
    }
}

impl From<YamlError> for LoadError {
    fn from(e: YamlError) -> Self {
        LoadError::Yaml(e)
    }
}

/// An io error as chartr words it: `no such file or folder` for a missing path (chart and
/// source errors both print it).
pub(crate) fn io_msg(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_file_and_what_was_expected() {
        let e = LoadError::Io {
            path: "c".into(),
            source: std::io::ErrorKind::NotFound.into(),
        };
        assert_eq!(e.to_string(), "chart c: no such file or folder");
        let e = LoadError::Subchart {
            name: "sub".into(),
            parent: "top".into(),
            source: Box::new(LoadError::Invalid {
                file: "top/charts/sub/Chart.yaml".into(),
                reason: "chart.metadata.name is required".into(),
            }),
        };
        assert_eq!(
            e.to_string(),
            "error unpacking subchart sub in top: top/charts/sub/Chart.yaml: validation: chart.metadata.name is required"
        );
        let e = LoadError::Values(YamlError {
            file: "c/values.yaml".into(),
            line: 3,
            message: "bad".into(),
            helm: false,
        });
        assert_eq!(
            e.to_string(),
            "cannot load values.yaml: c/values.yaml:3: bad"
        );
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn archive_errors_keep_the_io_chain_of_the_context_they_had() {
        let inner = std::io::Error::other("unexpected EOF");
        let e = LoadError::Archive {
            name: "c.tgz".into(),
            source: Box::new(LoadError::BadArchive(inner)),
        };
        assert_eq!(
            e.to_string(),
            "chart c.tgz: not a valid chart archive: unexpected EOF"
        );
    }
}
