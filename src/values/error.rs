//! The values stage's error: user values that could not be read (`-f`, the `--set` family) and
//! values that could not be coalesced with a chart's, in Helm v4.1.4's words where Helm has them
//! (pkg/cli/values/options.go, pkg/chart/common/util/coalesce.go).

use crate::chart::LoadError;
use crate::yaml::YamlError;
use std::fmt;
use std::path::PathBuf;

/// Why the values could not be read or coalesced. `Display` is the whole message.
#[derive(Debug)]
#[non_exhaustive]
pub enum ValuesError {
    /// A `-f` file (or a `--set-file` file) that could not be read.
    Read(ReadError),
    /// `-f DIR`: the folder could not be listed (`source`), or holds no `*.yaml`/`*.yml` file.
    Folder {
        path: PathBuf,
        source: Option<std::io::Error>,
    },
    /// A values file that is not YAML, or a document of it that is not a map.
    Parse(YamlError),
    /// A value of a `--set`-family flag (`--set`, `--set-json`...) that does not parse;
    /// `reason` is Helm's strvals message.
    Flag {
        flag: &'static str,
        value: String,
        reason: String,
    },
    /// A `--set-json` value that starts with `{` and is not a JSON object.
    SetJsonObject { value: String, reason: String },
    /// The chart cannot take values: a library chart, or dependencies missing from charts/.
    Chart(LoadError),
    /// Helm's `ProcessDependencies`/`CoalesceValues` failed for the chart of `file`.
    Dependencies { file: String, source: TypeMismatch },
    /// The coalesced values cannot be written as YAML (`chartr values`); `reason` says why.
    Output { reason: String },
}

/// A subchart whose section of the parent's values is not a map (Helm's coalesce error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeMismatch {
    pub subchart: String,
    /// Go's `%T` of the value found.
    pub found: String,
}

/// A values file (`what`: "values file", "file") that could not be read.
#[derive(Debug)]
pub struct ReadError {
    pub what: &'static str,
    /// The path as given (`-` for standard input).
    pub path: String,
    pub problem: ReadProblem,
}

/// Why a values file could not be read.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadProblem {
    /// Standard input failed.
    Stdin(std::io::Error),
    /// A URL: chartr reads local files only.
    Remote,
    NotFound,
    IsFolder,
    Io(std::io::Error),
    /// Larger than `--max-values-bytes` (`size` when known before reading).
    TooLarge {
        size: Option<u64>,
        limit: u64,
    },
}

impl fmt::Display for ValuesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValuesError::Read(e) => write!(f, "{e}"),
            ValuesError::Folder {
                path,
                source: Some(e),
            } => write!(f, "values folder {}: {e}", path.display()),
            ValuesError::Folder { path, source: None } => write!(
                f,
                "values folder {}: no *.yaml or *.yml file in it",
                path.display()
            ),
            ValuesError::Parse(e) => write!(f, "failed to parse {e}"),
            ValuesError::Flag {
                flag,
                value,
                reason,
            } => write!(f, "failed parsing {flag} data '{value}': {reason}"),
            ValuesError::SetJsonObject { value, reason } => {
                write!(f, "failed parsing --set-json data JSON '{value}': {reason}")
            }
            ValuesError::Chart(e) => write!(f, "{e}"),
            ValuesError::Dependencies { file, source } => {
                write!(f, "{file}: chart dependencies processing failed: {source}")
            }
            ValuesError::Output { reason } => write!(
                f,
                "unable to write YAML output: {reason} (Helm's toYaml prints nothing for these values)"
            ),
        }
    }
}

impl std::error::Error for ValuesError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ValuesError::Read(e) => Some(e),
            ValuesError::Folder { source, .. } => source.as_ref().map(|e| e as _),
            ValuesError::Parse(e) => Some(e),
            ValuesError::Chart(e) => Some(e),
            ValuesError::Dependencies { source, .. } => Some(source),
            ValuesError::Flag { .. }
            | ValuesError::SetJsonObject { .. }
            | ValuesError::Output { .. } => None,
        }
    }
}

impl From<LoadError> for ValuesError {
    fn from(e: LoadError) -> Self {
        ValuesError::Chart(e)
    }
}

impl fmt::Display for TypeMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "type mismatch on {0}: {1} (the values of subchart {0} must be a map)",
            self.subchart, self.found
        )
    }
}

impl std::error::Error for TypeMismatch {}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ReadError {
            what,
            path,
            problem,
        } = self;
        match problem {
            ReadProblem::Stdin(e) => write!(f, "{what} -: cannot read standard input: {e}"),
            ReadProblem::Remote => write!(
                f,
                "{what} {path}: chartr reads local files only (no downloads)"
            ),
            ReadProblem::NotFound => write!(f, "{what} {path}: no such file or folder"),
            ReadProblem::IsFolder => write!(f, "{what} {path}: is a folder, not a file"),
            ReadProblem::Io(e) => write!(f, "{what} {path}: {e}"),
            ReadProblem::TooLarge { size, limit } => {
                write!(f, "{what} {path}: ")?;
                if let Some(n) = size {
                    write!(f, "{n} bytes, ")?;
                }
                write!(
                    f,
                    "larger than the limit of {limit} bytes (--max-values-bytes raises it)"
                )
            }
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.problem {
            ReadProblem::Stdin(e) | ReadProblem::Io(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_the_flag_the_file_and_what_was_expected() {
        let e = ValuesError::Flag {
            flag: "--set",
            value: "a".into(),
            reason: "key \"a\" has no value".into(),
        };
        assert_eq!(
            e.to_string(),
            "failed parsing --set data 'a': key \"a\" has no value"
        );
        let e = ValuesError::Parse(YamlError {
            file: "v.yaml".into(),
            line: 2,
            message: "error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context".into(),
            helm: true,
        });
        assert_eq!(
            e.to_string(),
            "failed to parse v.yaml: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"
        );
        let e = ValuesError::Read(ReadError {
            what: "values file",
            path: "big.yaml".into(),
            problem: ReadProblem::TooLarge {
                size: Some(10),
                limit: 4,
            },
        });
        assert_eq!(
            e.to_string(),
            "values file big.yaml: 10 bytes, larger than the limit of 4 bytes (--max-values-bytes raises it)"
        );
        let e = ValuesError::Dependencies {
            file: "c/Chart.yaml".into(),
            source: TypeMismatch {
                subchart: "db".into(),
                found: "string".into(),
            },
        };
        assert_eq!(
            e.to_string(),
            "c/Chart.yaml: chart dependencies processing failed: type mismatch on db: string (the values of subchart db must be a map)"
        );
    }
}
