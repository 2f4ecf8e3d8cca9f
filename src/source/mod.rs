//! The source stage: a chart reference as Helm takes it → a chart on disk.
//!
//! Helm v4.1.4's `ChartPathOptions.LocateChart` (pkg/action/install.go) and `ChartDownloader`
//! (pkg/downloader/chart_downloader.go): an existing folder or `.tgz` is used as it is;
//! otherwise the reference is `oci://REGISTRY/PATH/CHART`, an `http(s)://…` URL, `CHART` with
//! `--repo URL`, or `REPO/CHART` for a repository of repositories.yaml (its index read from
//! the repository cache). `--version` is a version or a semver constraint, resolved as Helm
//! resolves it against index.yaml or the registry's tags.
//!
//! Downloads land in Helm's content cache (`$HELM_CACHE_HOME/content/XX/SHA256.chart`). When
//! the index gives a digest, a cached copy is used without any network (as Helm does), and a
//! download whose sha256 differs from the index's digest is refused (Helm v4.1.4 does not
//! check it). Nothing here prints: notices are returned for the caller.

mod error;
pub mod helmpath;
pub mod http;
pub mod index;
pub mod oci;
pub mod repofile;

pub use error::SourceError;
pub use helmpath::HelmPaths;
use http::{Client, Transport};
use index::{IndexFile, NotFound};
use repofile::{Entry, RepoFile};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

type Result<T, E = SourceError> = std::result::Result<T, E>;

/// How to find and fetch a chart: helm's `ChartPathOptions`.
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    /// `--version`: a version or a constraint; empty for the newest.
    pub version: String,
    /// `--devel`: admit prereleases (`>0.0.0-0`) when no `--version` is given.
    pub devel: bool,
    /// `--repo URL`.
    pub repo_url: String,
    pub transport: Transport,
    pub paths: Option<HelmPaths>,
}

impl SourceOptions {
    fn paths(&self) -> HelmPaths {
        self.paths.clone().unwrap_or_else(HelmPaths::from_env)
    }

    /// The version constraint to resolve: `--version`, else `>0.0.0-0` with `--devel`.
    pub fn version_constraint(&self) -> String {
        match (self.version.trim(), self.devel) {
            ("", true) => ">0.0.0-0".to_string(),
            (v, _) => v.to_string(),
        }
    }
}

/// A chart fetched from elsewhere.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The archive's bytes.
    pub data: Vec<u8>,
    /// The name Helm gives the downloaded file (`CHART-VERSION.tgz`, or the URL's last part).
    pub file_name: String,
    /// Where the archive sits in the content cache.
    pub cached: PathBuf,
    /// What helm tells the user on standard error while fetching (the version a constraint
    /// fell back to, what was pulled from a registry).
    pub notices: Vec<String>,
}

/// Where a reference points: a chart on disk (`path`), fetched when it had to be.
#[derive(Debug, Clone)]
pub struct Located {
    pub path: PathBuf,
    pub fetched: Option<Fetched>,
}

/// The kind of a reference that is not a path on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remote {
    Oci(String),
    Url(String),
    /// `CHART` with `--repo URL`.
    InRepoUrl {
        url: String,
        chart: String,
    },
    /// `REPO/CHART`.
    Named {
        repo: String,
        chart: String,
    },
}

/// Helm's reading of a reference that is not an existing path (LocateChart, ResolveChartVersion).
pub fn classify(reference: &str, repo_url: &str) -> Result<Remote> {
    let r = reference.trim();
    if r.starts_with("oci://") {
        return Ok(Remote::Oci(r.to_string()));
    }
    if !repo_url.is_empty() {
        return Ok(Remote::InRepoUrl {
            url: repo_url.to_string(),
            chart: r.to_string(),
        });
    }
    if r.starts_with('/') || r.starts_with('.') {
        return Err(SourceError::PathNotFound {
            reference: r.to_string(),
        });
    }
    if let Some((scheme, rest)) = r.split_once("://") {
        if matches!(scheme, "http" | "https") && !rest.is_empty() {
            return Ok(Remote::Url(r.to_string()));
        }
        return Err(SourceError::Scheme {
            scheme: scheme.to_string(),
        });
    }
    match r.split_once('/') {
        Some((repo, chart)) if !repo.is_empty() && !chart.is_empty() => Ok(Remote::Named {
            repo: repo.to_string(),
            chart: chart.to_string(),
        }),
        _ => Err(SourceError::NotRepoChart {
            reference: r.to_string(),
        }),
    }
}

/// `LocateChart`: an existing path as it is (unless `--repo`), else the chart fetched into the
/// content cache.
pub fn locate(reference: &str, opts: &SourceOptions) -> Result<Located> {
    let r = reference.trim();
    if opts.repo_url.is_empty() && Path::new(r).exists() {
        return Ok(Located {
            path: PathBuf::from(r),
            fetched: None,
        });
    }
    let f = fetch(reference, opts)?;
    Ok(Located {
        path: f.cached.clone(),
        fetched: Some(f),
    })
}

/// Helm's warning when a version request is not an exact version of the index.
fn fallback_notice(chart: &str, requested: &str, selected: &str) -> Option<String> {
    (!requested.is_empty() && requested != selected).then(|| {
        format!("level=WARN msg=\"unable to find exact version requested; falling back to closest available version\" chart={chart} requested={requested} selected={selected}")
    })
}

/// Fetches a remote reference (never a local path).
pub fn fetch(reference: &str, opts: &SourceOptions) -> Result<Fetched> {
    let paths = opts.paths();
    let version = opts.version_constraint();
    match classify(reference, &opts.repo_url)? {
        Remote::Oci(r) => fetch_oci(&r, &version, opts, &paths),
        Remote::Url(u) => {
            // A URL that a known repository's index lists gets that repository's credentials
            // and TLS settings (Helm's scanReposForURL), and its digest.
            let (t, digest, repo_url) = match scan_repos_for_url(&u, &paths) {
                Some((e, digest)) => (entry_transport(&e, &opts.transport), digest, e.url),
                None => (opts.transport.clone(), String::new(), u.clone()),
            };
            download(&u, &repo_url, &digest, &t, &paths)
        }
        Remote::InRepoUrl { url, chart } => {
            let client = Client::new(&opts.transport)?;
            let index_url = index::resolve_reference_url(&url, "index.yaml");
            let text = get_text(&client, &index_url, &url, &opts.transport).map_err(|e| {
                SourceError::NotARepository {
                    url: url.clone(),
                    source: Box::new(e),
                }
            })?;
            let idx = IndexFile::parse(&text, &index_url)?;
            let what = match version.as_str() {
                "" => format!("chart {chart:?}"),
                v => format!("chart {chart:?} version {v:?}"),
            };
            let cv = idx
                .get(&chart, &version)
                .map_err(|e| SourceError::NotInRepoUrl {
                    what: what.clone(),
                    url: url.clone(),
                    hint: closest_hint(&idx, &chart, &e),
                })?;
            let first = cv.urls.first().ok_or(SourceError::NoUrls { what })?;
            let u = index::resolve_reference_url(&url, first);
            let mut f = download(&u, &url, &cv.digest, &opts.transport, &paths)?;
            f.notices
                .extend(fallback_notice(&chart, &version, &cv.version));
            Ok(f)
        }
        Remote::Named { repo, chart } => {
            let rf = RepoFile::load(&paths.repository_config)?;
            let entry = rf
                .as_ref()
                .and_then(|f| f.get(&repo))
                .cloned()
                .ok_or_else(|| SourceError::UnknownRepo {
                    name: repo.clone(),
                    config: paths.repository_config.clone(),
                    reference: Some(reference.to_string()),
                })?;
            if entry.url.is_empty() {
                return Err(SourceError::NoRepoUrl { repo });
            }
            let idx_path = paths.index_file(&repo);
            let text = std::fs::read_to_string(&idx_path).map_err(|source| {
                SourceError::NoCachedIndex {
                    path: idx_path.clone(),
                    source,
                }
            })?;
            let idx = IndexFile::parse(&text, &idx_path.display().to_string())?;
            let cv = idx.get(&chart, &version).map_err(|e| {
                let why = match &e {
                    NotFound::NoChartName => "no chart name found".to_string(),
                    NotFound::NoVersion { message, .. } => message.clone(),
                };
                SourceError::NotInIndex {
                    chart: chart.clone(),
                    version: version.clone(),
                    repo: repo.clone(),
                    why,
                    hint: closest_hint(&idx, &chart, &e),
                }
            })?;
            let first = cv.urls.first().ok_or_else(|| SourceError::NoUrls {
                what: format!("chart {reference:?}"),
            })?;
            let u = index::resolve_reference_url(&entry.url, first);
            let t = entry_transport(&entry, &opts.transport);
            let mut f = download(&u, &entry.url, &cv.digest, &t, &paths)?;
            f.notices
                .extend(fallback_notice(&chart, &version, &cv.version));
            Ok(f)
        }
    }
}

fn closest_hint(idx: &IndexFile, chart: &str, e: &NotFound) -> String {
    match e {
        NotFound::NoVersion { closest, .. } if !closest.is_empty() => {
            format!("; closest versions: {}", closest.join(", "))
        }
        NotFound::NoChartName if !idx.entries.is_empty() => {
            let names: Vec<&str> = idx.entries.keys().map(String::as_str).take(10).collect();
            format!(
                "; no chart {chart:?} in the index, which has: {}",
                names.join(", ")
            )
        }
        _ => String::new(),
    }
}

/// Helm's "repo NAME not found", with what to do about it.
pub fn unknown_repo(name: &str, paths: &HelmPaths) -> SourceError {
    SourceError::UnknownRepo {
        name: name.to_string(),
        config: paths.repository_config.clone(),
        reference: None,
    }
}

/// The transport for a repository entry; flags given on the command line win where set.
pub fn entry_transport(e: &Entry, flags: &Transport) -> Transport {
    let pick = |f: &str, e: &str| if f.is_empty() { e } else { f }.to_string();
    Transport {
        username: pick(&flags.username, &e.username),
        password: pick(&flags.password, &e.password),
        ca_file: pick(&flags.ca_file, &e.ca_file),
        cert_file: pick(&flags.cert_file, &e.cert_file),
        key_file: pick(&flags.key_file, &e.key_file),
        insecure_skip_tls_verify: flags.insecure_skip_tls_verify || e.insecure_skip_tls_verify,
        pass_credentials_all: flags.pass_credentials_all || e.pass_credentials_all,
        plain_http: flags.plain_http,
    }
}

/// GET with the repository's credentials when the URL is on the repository's host (or
/// `pass_credentials_all`), as Helm's getter sends them.
fn get_bytes(
    client: &Client,
    url: &str,
    repo_url: &str,
    t: &Transport,
) -> std::result::Result<Vec<u8>, http::HttpError> {
    let send = (!t.username.is_empty() || !t.password.is_empty())
        && (t.pass_credentials_all || http::origin(url) == http::origin(repo_url));
    let auth = send.then(|| http::basic_auth(&t.username, &t.password));
    client
        .get(
            url,
            auth.as_deref(),
            Some("application/gzip,application/octet-stream"),
        )
        .map(|r| r.body)
}

fn get_text(client: &Client, url: &str, repo_url: &str, t: &Transport) -> Result<String> {
    let b = get_bytes(client, url, repo_url, t)?;
    String::from_utf8(b).map_err(|_| SourceError::IndexNotUtf8 {
        url: url.to_string(),
    })
}

/// Downloads a repository's index.yaml into the repository cache (`NAME-index.yaml` and
/// `NAME-charts.txt`), as `ChartRepository.DownloadIndexFile` does; returns the index.
pub fn download_index(e: &Entry, flags: &Transport, paths: &HelmPaths) -> Result<IndexFile> {
    let t = entry_transport(e, flags);
    let client = Client::new(&t)?;
    let url = index::resolve_reference_url(&e.url, "index.yaml");
    let text = get_text(&client, &url, &e.url, &t)?;
    let idx = IndexFile::parse(&text, &e.url)?;
    let mut names = String::new();
    for n in idx.entries.keys() {
        names.push_str(n);
        names.push('\n');
    }
    write_atomic(&paths.charts_file(&e.name), names.as_bytes())?;
    write_atomic(&paths.index_file(&e.name), text.as_bytes())?;
    Ok(idx)
}

fn scan_repos_for_url(u: &str, paths: &HelmPaths) -> Option<(Entry, String)> {
    let rf = RepoFile::load(&paths.repository_config).ok()??;
    for e in &rf.repositories {
        let Ok(text) = std::fs::read_to_string(paths.index_file(&e.name)) else {
            continue;
        };
        let Ok(idx) = IndexFile::parse(&text, &e.name) else {
            continue;
        };
        for cv in idx.entries.values().flatten() {
            if cv
                .urls
                .iter()
                .any(|x| index::resolve_reference_url(&e.url, x) == u)
            {
                return Some((e.clone(), cv.digest.clone()));
            }
        }
    }
    None
}

/// The content cache's file for a sha256 (Helm's `DiskCache.fileName`).
pub fn cache_file(paths: &HelmPaths, hex: &str) -> PathBuf {
    paths
        .content_cache
        .join(hex.get(..2).unwrap_or("00"))
        .join(format!("{hex}.chart"))
}

fn strip_algorithm(d: &str) -> &str {
    d.split_once(':').map(|(_, h)| h).unwrap_or(d)
}

/// Downloads `url` (an archive), through the content cache when `digest` is known.
fn download(
    url: &str,
    repo_url: &str,
    digest: &str,
    t: &Transport,
    paths: &HelmPaths,
) -> Result<Fetched> {
    let file_name = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .rsplit('/')
        .next()
        .unwrap_or("chart.tgz")
        .to_string();
    let hex = strip_algorithm(digest).to_ascii_lowercase();
    if !hex.is_empty() {
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(SourceError::InvalidDigest {
                digest: digest.to_string(),
                url: url.to_string(),
            });
        }
        let p = cache_file(paths, &hex);
        if let Ok(data) = std::fs::read(&p) {
            if !data.is_empty() && crate::hex(&Sha256::digest(&data)) == hex {
                return Ok(Fetched {
                    data,
                    file_name,
                    cached: p,
                    notices: Vec::new(),
                });
            }
        }
    }
    let client = Client::new(t)?;
    let data = get_bytes(&client, url, repo_url, t).map_err(|source| SourceError::Download {
        source: Box::new(source),
        cache: (!hex.is_empty()).then(|| (hex.clone(), paths.content_cache.clone())),
    })?;
    let got = crate::hex(&Sha256::digest(&data));
    if !hex.is_empty() && got != hex {
        return Err(SourceError::DigestMismatch {
            url: url.to_string(),
            expected: hex,
            got,
        });
    }
    let p = cache_file(paths, &got);
    write_atomic(&p, &data)?;
    Ok(Fetched {
        data,
        file_name,
        cached: p,
        notices: Vec::new(),
    })
}

fn fetch_oci(r: &str, version: &str, opts: &SourceOptions, paths: &HelmPaths) -> Result<Fetched> {
    let reference = oci::Reference::parse(r)?;
    let mut reg = oci::Registry::new(&reference, &opts.transport, &paths.registry_config)?;
    let pulled = reg
        .pull(&reference, version)
        .map_err(|e| SourceError::Oci(Box::new(e)))?;
    let hex = strip_algorithm(&pulled.layer_digest).to_string();
    let p = cache_file(paths, &hex);
    write_atomic(&p, &pulled.data)?;
    let name = reference.chart_name().to_string();
    let shown = format!(
        "{}/{}:{}",
        reference.registry, reference.repository, pulled.version
    );
    let notices = vec![
        format!("Pulled: {shown}"),
        format!("Digest: {}", pulled.manifest_digest),
    ];
    Ok(Fetched {
        data: pulled.data,
        file_name: format!("{name}-{}.tgz", pulled.version),
        cached: p,
        notices,
    })
}

/// Writes `data` to `path` through a temporary file in the same folder (folders created), so
/// a reader never sees half a file.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(write_error("creating", dir))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        std::process::id()
    ));
    std::fs::write(&tmp, data).map_err(write_error("writing", &tmp))?;
    std::fs::rename(&tmp, path).map_err(write_error("writing", path))
}

/// A file or folder (`action`: "creating", "writing", "removing") that could not be written.
pub fn write_error(
    action: &'static str,
    path: &Path,
) -> impl FnOnce(std::io::Error) -> SourceError {
    let path = path.to_path_buf();
    move |source| SourceError::Write {
        action,
        path,
        source,
    }
}

/// The current time as Go's `time.Time` marshals to JSON (RFC 3339 with nanoseconds, trailing
/// zeros dropped), in UTC.
pub fn now_rfc3339() -> String {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    rfc3339(d.as_secs() as i64, d.subsec_nanos())
}

fn rfc3339(secs: i64, nanos: u32) -> String {
    let (y, mo, d, h, mi, s, _, _) = crate::engine::funcs::time::civil(secs);
    let frac = if nanos == 0 {
        String::new()
    } else {
        format!(".{nanos:09}").trim_end_matches('0').to_string()
    };
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_classify_as_helm() {
        assert_eq!(
            classify("oci://h/c", "").unwrap(),
            Remote::Oci("oci://h/c".into())
        );
        assert_eq!(
            classify("web", "http://r").unwrap(),
            Remote::InRepoUrl {
                url: "http://r".into(),
                chart: "web".into()
            }
        );
        assert_eq!(
            classify("https://h/w.tgz", "").unwrap(),
            Remote::Url("https://h/w.tgz".into())
        );
        assert_eq!(
            classify("stable/web", "").unwrap(),
            Remote::Named {
                repo: "stable".into(),
                chart: "web".into()
            }
        );
        assert_eq!(
            classify("./nope", "").unwrap_err().to_string(),
            "path \"./nope\" not found"
        );
        assert!(classify("web", "").unwrap_err().to_string().starts_with(
            "non-absolute URLs should be in form of repo_name/path_to_chart, got: web"
        ));
        assert!(classify("ftp://h/x", "").is_err());
    }

    #[test]
    fn times_as_go_marshals_them() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(1_796_166_000, 120_000_000),
            "2026-12-01T23:00:00.12Z"
        );
    }

    #[test]
    fn cached_copies_are_used_only_when_their_digest_matches() {
        let d = tempfile::tempdir().unwrap();
        let paths = HelmPaths {
            repository_config: d.path().join("r.yaml"),
            repository_cache: d.path().join("rc"),
            content_cache: d.path().join("content"),
            registry_config: d.path().join("reg.json"),
        };
        let data = b"archive".to_vec();
        let hex = crate::hex(&Sha256::digest(&data));
        write_atomic(&cache_file(&paths, &hex), &data).unwrap();
        // The URL is unreachable (port 9 on loopback, discard): the cache answers.
        let f = download(
            "http://127.0.0.1:9/w-1.0.0.tgz",
            "http://127.0.0.1:9",
            &format!("sha256:{hex}"),
            &Transport::default(),
            &paths,
        )
        .unwrap();
        assert_eq!((f.data, f.file_name.as_str()), (data, "w-1.0.0.tgz"));
        let other = "0".repeat(64);
        let e = download(
            "http://127.0.0.1:9/w-1.0.0.tgz",
            "http://127.0.0.1:9",
            &other,
            &Transport::default(),
            &paths,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("http://127.0.0.1:9/w-1.0.0.tgz"), "{e}");
        assert!(e.contains("no cached copy"), "{e}");
    }
}
