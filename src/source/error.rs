//! The source stage's error: a chart reference that could not be resolved or fetched (folder,
//! `REPO/CHART`, `--repo`, URL, `oci://`), in Helm v4.1.4's words where Helm has them
//! (pkg/action/install.go `LocateChart`, pkg/downloader, pkg/repo, pkg/registry).

use super::http::HttpError;
use crate::chart::io_msg;
use crate::error::chain_message;
use crate::yaml::YamlError;
use std::fmt;
use std::path::PathBuf;

/// Why a chart could not be found or fetched. `Display` is the whole message.
#[derive(Debug)]
#[non_exhaustive]
pub enum SourceError {
    /// A reference that looks like a path (`./x`, `/x`) and is not there.
    PathNotFound {
        reference: String,
    },
    /// A URL whose scheme chartr does not fetch.
    Scheme {
        scheme: String,
    },
    /// Neither a path, a URL nor `REPO/CHART`.
    NotRepoChart {
        reference: String,
    },
    /// An `oci://` reference without a registry or a repository; `what` is Helm's
    /// "repository" or "registry or repository".
    OciReference {
        reference: String,
        what: &'static str,
    },
    /// A request that failed (unreachable, or a status that is not 2xx).
    Http(Box<HttpError>),
    /// A TLS file (`what`: "CA file", "client certificate", "client key") that cannot be read.
    TlsFile {
        what: &'static str,
        path: String,
        source: std::io::Error,
    },
    /// `--ca-file` holds no certificate.
    NoCertificates {
        path: String,
    },
    /// `--key-file` holds no usable key.
    KeyPair {
        path: String,
        reason: String,
    },
    /// `--repo URL` or `repo add`: the repository's index.yaml could not be fetched or read.
    NotARepository {
        url: String,
        source: Box<SourceError>,
    },
    /// An index that is not UTF-8.
    IndexNotUtf8 {
        url: String,
    },
    /// Helm's `loadIndex` errors: an empty file, no apiVersion.
    EmptyIndex,
    NoApiVersion,
    /// An index (`source` names it) that is not a map.
    IndexNotMap {
        source: String,
    },
    /// index.yaml, repositories.yaml or another YAML file that does not parse.
    Yaml(YamlError),
    /// `--repo URL`: the chart (`what`: `chart "x"` and the version asked for) is not in the
    /// index; `hint` names the closest versions or charts.
    NotInRepoUrl {
        what: String,
        url: String,
        hint: String,
    },
    /// An index entry (`what` as above) with no URL.
    NoUrls {
        what: String,
    },
    /// `REPO/CHART` for a repository repositories.yaml (`config`) does not have; `reference`
    /// when it was also not a path.
    UnknownRepo {
        name: String,
        config: PathBuf,
        reference: Option<String>,
    },
    /// A repositories.yaml entry without a URL.
    NoRepoUrl {
        repo: String,
    },
    /// `REPO/CHART` with no cached index for the repository.
    NoCachedIndex {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `REPO/CHART` not in the repository's cached index; `why` is Helm's reason.
    NotInIndex {
        chart: String,
        version: String,
        repo: String,
        why: String,
        hint: String,
    },
    /// repositories.yaml exists and cannot be read.
    RepoFile {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An index's digest that is not a sha256.
    InvalidDigest {
        digest: String,
        url: String,
    },
    /// A download that failed; `cache` is the digest looked up and the cache folder, when the
    /// index gave one.
    Download {
        source: Box<HttpError>,
        cache: Option<(String, PathBuf)>,
    },
    /// A download whose sha256 differs from the index's.
    DigestMismatch {
        url: String,
        expected: String,
        got: String,
    },
    /// A file or folder of the caches or the destination (`action`: "creating", "writing",
    /// "removing") that could not be written.
    Write {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// An OCI pull that failed.
    Oci(Box<SourceError>),
    /// A registry that asks for credentials none were given for; `registry` is its host.
    Credentials {
        source: Box<HttpError>,
        registry: String,
    },
    /// A bearer challenge without a realm.
    NoRealm {
        source: Box<HttpError>,
    },
    /// A registry answer (`url`) that is not the JSON expected; `what` says what was expected.
    NotJson {
        url: String,
        what: &'static str,
        source: serde_json::Error,
    },
    /// A token answer (`url`) without a token.
    NoToken {
        url: String,
    },
    /// `oci://…:TAG` with a different `--version`.
    VersionMismatch {
        version: String,
        tag: String,
    },
    /// A repository (`oci`) with no tag.
    NoTags {
        oci: String,
    },
    /// No tag matches the constraint `version`.
    NoMatchingTag {
        version: String,
        oci: String,
        closest: Vec<String>,
    },
    /// Fetching the manifest of `reference` (`oci://…:TAG`) failed.
    Manifest {
        reference: String,
        source: Box<SourceError>,
    },
    /// `oci://…@DIGEST` whose manifest has another digest.
    ManifestDigest {
        reference: String,
        got: String,
    },
    /// A manifest without a chart layer (`layer` is Helm's media type).
    NoChartLayer {
        layer: &'static str,
    },
    /// A chart layer whose sha256 differs from the manifest's.
    LayerDigest {
        reference: String,
        expected: String,
        got: String,
    },
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SourceError as E;
        match self {
            E::PathNotFound { reference } => write!(f, "path {reference:?} not found"),
            E::Scheme { scheme } => write!(
                f,
                "scheme {scheme:?} not supported (chartr fetches charts over http, https and oci)"
            ),
            E::NotRepoChart { reference: r } => write!(
                f,
                "non-absolute URLs should be in form of repo_name/path_to_chart, got: {r} (no folder or archive {r:?} here either)"
            ),
            E::OciReference { reference, what } => {
                write!(f, "invalid reference: missing {what}: {reference}")
            }
            E::Http(e) => write!(f, "{e}"),
            E::TlsFile { what, path, source } => {
                write!(f, "can't read {what} {path}: {}", chain_message(source))
            }
            E::NoCertificates { path } => {
                write!(f, "failed to append certificates from file: {path}")
            }
            E::KeyPair { path, reason } => write!(f, "can't load key pair from {path}: {reason}"),
            E::NotARepository { url, source } => write!(
                f,
                "looks like {url:?} is not a valid chart repository or cannot be reached: {source}"
            ),
            E::IndexNotUtf8 { url } => write!(f, "{url}: the index is not UTF-8 text"),
            E::EmptyIndex => f.write_str("empty index.yaml file"),
            E::NoApiVersion => f.write_str("no API version specified"),
            E::IndexNotMap { source } => {
                write!(f, "{source}: expected a YAML map with apiVersion and entries")
            }
            E::Yaml(e) => write!(f, "{e}"),
            E::NotInRepoUrl { what, url, hint } => {
                write!(f, "{what} not found in {url} repository{hint}")
            }
            E::NoUrls { what } => write!(f, "{what} has no downloadable URLs"),
            E::UnknownRepo {
                name,
                config,
                reference,
            } => {
                write!(
                    f,
                    "repo {name} not found in {} (add it with: chartr repo add {name} URL)",
                    config.display()
                )?;
                match reference {
                    Some(r) => write!(f, "; no folder or archive {r:?} exists here either"),
                    None => Ok(()),
                }
            }
            E::NoRepoUrl { repo } => write!(f, "no URL found for repository {repo}"),
            E::NoCachedIndex { path, source } => write!(
                f,
                "no cached repo found. (try 'chartr repo update'): open {}: {}",
                path.display(),
                io_msg(source)
            ),
            E::NotInIndex {
                chart,
                version,
                repo,
                why,
                hint,
            } => write!(
                f,
                "chart {chart:?} matching {version} not found in {repo} index. (try 'chartr repo update'): {why}{hint}"
            ),
            E::RepoFile { path, source } => write!(
                f,
                "couldn't load repositories file ({}): {source}",
                path.display()
            ),
            E::InvalidDigest { digest, url } => write!(
                f,
                "invalid digest {digest:?} for {url} in the repository's index"
            ),
            E::Download { source, cache } => match cache {
                None => write!(f, "{source} (no cached copy could be used: nothing gives this chart's digest; `chartr repo add` its repository so its index does)"),
                Some((hex, dir)) => write!(
                    f,
                    "{source} (no cached copy: {hex} is not in {})",
                    dir.display()
                ),
            },
            E::DigestMismatch { url, expected, got } => write!(
                f,
                "digest mismatch for {url}: the repository's index says sha256:{expected}, the download is sha256:{got}; the index may be stale (try 'chartr repo update') or the archive was altered"
            ),
            E::Write {
                action,
                path,
                source,
            } => write!(f, "{action} {}: {}", path.display(), chain_message(source)),
            E::Oci(e) => write!(
                f,
                "{e} (no cached copy used: an OCI chart is resolved by its registry)"
            ),
            E::Credentials { source, registry } => write!(
                f,
                "{source}: the registry asks for credentials (give --username/--password, or log in with `helm registry login {registry}`)"
            ),
            E::NoRealm { source } => write!(f, "{source}: no realm"),
            E::NotJson { url, what, source } => write!(f, "{url}: {what}: {source}"),
            E::NoToken { url } => write!(f, "{url}: the token answer has no token"),
            E::VersionMismatch { version, tag } => write!(
                f,
                "chart reference and version mismatch: {version} is not {tag}"
            ),
            E::NoTags { oci } => write!(
                f,
                "unable to locate any tags in provided repository: {oci}"
            ),
            E::NoMatchingTag {
                version,
                oci,
                closest,
            } => write!(
                f,
                "could not locate a version matching provided version string {version} in {oci}; closest tags: {}",
                closest.join(", ")
            ),
            E::Manifest { reference, source } => write!(f, "{reference}: {source}"),
            E::ManifestDigest { reference, got } => write!(
                f,
                "digest mismatch for {reference}: the registry sent a manifest whose digest is {got}"
            ),
            E::NoChartLayer { layer } => write!(
                f,
                "manifest does not contain a layer with mediatype {layer}"
            ),
            E::LayerDigest {
                reference,
                expected,
                got,
            } => write!(
                f,
                "digest mismatch for {reference}: the manifest names {expected}, the registry sent {got}"
            ),
        }
    }
}

impl std::error::Error for SourceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        use SourceError as E;
        match self {
            E::Http(e)
            | E::Download { source: e, .. }
            | E::Credentials { source: e, .. }
            | E::NoRealm { source: e } => Some(e.as_ref()),
            E::TlsFile { source, .. }
            | E::NoCachedIndex { source, .. }
            | E::RepoFile { source, .. }
            | E::Write { source, .. } => Some(source),
            E::NotARepository { source, .. } | E::Manifest { source, .. } => Some(source.as_ref()),
            E::Oci(e) => Some(e.as_ref()),
            E::Yaml(e) => Some(e),
            E::NotJson { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<HttpError> for SourceError {
    fn from(e: HttpError) -> Self {
        SourceError::Http(Box::new(e))
    }
}

impl From<YamlError> for SourceError {
    fn from(e: YamlError) -> Self {
        SourceError::Yaml(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_file_or_url_and_what_was_expected() {
        let e = SourceError::NoCachedIndex {
            path: "/c/stable-index.yaml".into(),
            source: std::io::ErrorKind::NotFound.into(),
        };
        assert_eq!(
            e.to_string(),
            "no cached repo found. (try 'chartr repo update'): open /c/stable-index.yaml: no such file or folder"
        );
        let e = SourceError::NotARepository {
            url: "http://r".into(),
            source: Box::new(SourceError::from(HttpError {
                url: "http://r/index.yaml".into(),
                status: Some(404),
                message: "Not Found".into(),
                authenticate: None,
            })),
        };
        assert!(std::mem::size_of::<SourceError>() <= 128);
        assert_eq!(
            e.to_string(),
            "looks like \"http://r\" is not a valid chart repository or cannot be reached: failed to fetch http://r/index.yaml : 404 Not Found"
        );
        let e = SourceError::Yaml(YamlError {
            file: "/c/r.yaml".into(),
            line: 4,
            message: "bad".into(),
            helm: false,
        });
        assert_eq!(e.to_string(), "/c/r.yaml:4: bad");
        assert!(std::error::Error::source(&e).is_some());
    }
}
