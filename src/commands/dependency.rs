//! `chartr dependency build|update|list CHART`: Helm v4.1.4's pkg/downloader/manager.go,
//! internal/resolver/resolver.go and pkg/action/dependency.go.
//!
//! `update` resolves every `dependencies:` entry of Chart.yaml (a repository of
//! repositories.yaml by URL or `@name`/`alias:name`, an unmanaged URL through a
//! `helm-manager-SHA256` cache entry, `oci://`, `file://`, or charts/ itself), fetches the charts
//! into charts/ and writes Chart.lock; `build` fetches what Chart.lock pins, after checking its
//! digest against Chart.yaml. The lock's digest is Helm's `HashReq`: `sha256:` and the sha256 of
//! the Go JSON of `[requested, locked]`, so Chart.lock files move between helm and chartr.
//! Nothing is written to charts/ unless every chart was fetched.

pub use super::error::DependencyError;
use crate::chart::{self, Dependency};
use crate::error::Error;
use crate::semver;
use crate::source::{self, repofile::Entry, repofile::RepoFile, HelmPaths, SourceOptions};
use crate::{gojson, yaml, Map, Value};

type Result<T, E = DependencyError> = std::result::Result<T, E>;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The options of `dependency build|update`.
#[derive(Debug, Clone, Default)]
pub struct DependencyOptions {
    pub chart_dir: PathBuf,
    /// `--skip-refresh`: do not refresh the repositories' indexes first.
    pub skip_refresh: bool,
    pub source: SourceOptions,
}

/// Chart.lock.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lock {
    pub generated: String,
    pub digest: String,
    pub dependencies: Vec<Dependency>,
}

/// Helm's JSON of a `chart.Dependency`: a Go struct, so its fields in declaration order (not
/// sorted, as maps are), `omitempty` ones left out when empty, strings HTML-escaped.
fn dependency_json(d: &Dependency, out: &mut String) {
    let field = |out: &mut String, k: &str, first: bool| {
        if !first {
            out.push(',');
        }
        gojson::write_string(out, k, true);
        out.push(':');
    };
    out.push('{');
    field(out, "name", true);
    gojson::write_string(out, &d.name, true);
    if !d.version.is_empty() {
        field(out, "version", false);
        gojson::write_string(out, &d.version, true);
    }
    field(out, "repository", false);
    gojson::write_string(out, &d.repository, true);
    if let Some(c) = d.condition.as_deref().filter(|c| !c.is_empty()) {
        field(out, "condition", false);
        gojson::write_string(out, c, true);
    }
    if !d.tags.is_empty() {
        field(out, "tags", false);
        let tags = Value::Array(d.tags.iter().cloned().map(Value::String).collect());
        out.push_str(&gojson::to_json(&tags));
    }
    if !d.import_values.is_empty() {
        field(out, "import-values", false);
        out.push_str(&gojson::to_json(&Value::Array(d.import_values.clone())));
    }
    if let Some(a) = d.alias.as_deref().filter(|a| !a.is_empty()) {
        field(out, "alias", false);
        gojson::write_string(out, a, true);
    }
    out.push('}');
}

/// Helm's `resolver.HashReq`: sha256 of `json.Marshal([2][]*Dependency{req, lock})`.
pub fn hash_req(req: &[Dependency], lock: &[Dependency]) -> String {
    let mut json = String::from("[");
    for (n, list) in [req, lock].iter().enumerate() {
        if n > 0 {
            json.push(',');
        }
        json.push('[');
        for (i, d) in list.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            dependency_json(d, &mut json);
        }
        json.push(']');
    }
    json.push(']');
    format!("sha256:{}", crate::hex(&Sha256::digest(json.as_bytes())))
}

impl Lock {
    /// Reads `DIR/Chart.lock`; `Ok(None)` when absent.
    pub(crate) fn load(dir: &Path) -> Result<Option<Lock>> {
        let p = dir.join("Chart.lock");
        let text = match std::fs::read_to_string(&p) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(DependencyError::LockRead { path: p, source }),
        };
        let label = p.display().to_string();
        let v = yaml::parse(&text, &label)?;
        let s = |m: &Map, k: &str| m.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
        let Value::Object(m) = v else {
            return Err(DependencyError::LockNotMap { label });
        };
        let deps = match m.get("dependencies") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|d| d.as_object())
                .map(|d| Dependency {
                    name: s(d, "name"),
                    version: s(d, "version"),
                    repository: s(d, "repository"),
                    ..Default::default()
                })
                .collect(),
            _ => Vec::new(),
        };
        Ok(Some(Lock {
            generated: s(&m, "generated"),
            digest: s(&m, "digest"),
            dependencies: deps,
        }))
    }

    /// The file's text, as Helm's `writeLock` marshals it.
    pub fn to_yaml(&self) -> String {
        let deps = self
            .dependencies
            .iter()
            .map(|d| {
                let mut m = Map::new();
                m.insert("name".into(), Value::String(d.name.clone()));
                m.insert("repository".into(), Value::String(d.repository.clone()));
                if !d.version.is_empty() {
                    m.insert("version".into(), Value::String(d.version.clone()));
                }
                Value::Object(m)
            })
            .collect();
        let mut m = Map::new();
        m.insert("dependencies".into(), Value::Array(deps));
        m.insert("digest".into(), Value::String(self.digest.clone()));
        m.insert("generated".into(), Value::String(self.generated.clone()));
        yaml::to_yaml(&Value::Object(m))
    }
}

fn same_url(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

fn is_oci(r: &str) -> bool {
    r.starts_with("oci://")
}

/// `resolver.GetLocalPath`.
fn local_path(repo: &str, chart_dir: &Path) -> Result<PathBuf> {
    let p = repo.trim_start_matches("file://");
    let path = if p.starts_with('/') {
        PathBuf::from(p)
    } else {
        chart_dir.join(p)
    };
    if !path.exists() {
        return Err(DependencyError::DirectoryNotFound { path });
    }
    Ok(path)
}

struct Run<'a> {
    opts: &'a DependencyOptions,
    paths: HelmPaths,
    repos: Vec<Entry>,
    out: String,
}

impl<'a> Run<'a> {
    fn new(opts: &'a DependencyOptions) -> Result<Run<'a>> {
        let paths = opts
            .source
            .paths
            .clone()
            .unwrap_or_else(HelmPaths::from_env);
        let repos = RepoFile::load(&paths.repository_config)?
            .map(|f| f.repositories)
            .unwrap_or_default();
        Ok(Run {
            opts,
            paths,
            repos,
            out: String::new(),
        })
    }

    /// `resolveRepoNames`: the repository name of each dependency (None: an unmanaged URL), with
    /// `@name` and `alias:name` replaced by the repository's URL in `req`.
    fn resolve_repo_names(&self, req: &mut [Dependency]) -> Result<BTreeMap<String, String>> {
        let mut names = BTreeMap::new();
        let mut missing = Vec::new();
        for d in req.iter_mut() {
            if d.repository.is_empty() {
                continue;
            }
            if d.repository.starts_with("file://") {
                local_path(&d.repository, &self.opts.chart_dir)?;
                names.insert(d.name.clone(), d.repository.clone());
                continue;
            }
            if is_oci(&d.repository) {
                names.insert(d.name.clone(), d.repository.clone());
                continue;
            }
            let alias = d
                .repository
                .strip_prefix('@')
                .or_else(|| d.repository.strip_prefix("alias:"));
            let found = self.repos.iter().find(|r| match alias {
                Some(a) => a == r.name,
                None => same_url(&r.url, &d.repository),
            });
            match found {
                Some(r) => {
                    if alias.is_some() {
                        d.repository = r.url.clone();
                    }
                    names.insert(d.name.clone(), r.name.clone());
                }
                None if d.repository.contains("://") => {}
                None => missing.push(d.repository.clone()),
            }
        }
        if !missing.is_empty() {
            return Err(DependencyError::UnknownRepositories { repos: missing });
        }
        Ok(names)
    }

    fn update_index(&mut self, e: &Entry, shown: &str) {
        match source::download_index(e, &self.opts.source.transport, &self.paths) {
            Ok(_) => self.out.push_str(&format!(
                "...Successfully got an update from the {shown:?} chart repository\n"
            )),
            Err(err) => {
                let what = if e.name.starts_with("helm-manager-") {
                    format!("{shown:?} chart repository:")
                } else {
                    format!("{:?} chart repository ({}):", e.name, e.url)
                };
                self.out.push_str(&format!(
                    "...Unable to get an update from the {what}\n\t{err}\n"
                ));
            }
        }
    }

    /// `UpdateRepositories`: refreshes every repository of repositories.yaml.
    fn update_repositories(&mut self) {
        if self.opts.skip_refresh || self.repos.is_empty() {
            return;
        }
        self.out
            .push_str("Hang tight while we grab the latest from your chart repositories...\n");
        let mut seen: Vec<String> = Vec::new();
        for e in self.repos.clone() {
            if seen.iter().any(|u| same_url(u, &e.url)) {
                continue;
            }
            seen.push(e.url.clone());
            let name = e.name.clone();
            self.update_index(&e, &name);
        }
        self.out.push_str("Update Complete. ⎈Happy Helming!⎈\n");
    }

    /// `ensureMissingRepos`: unmanaged URLs get a `helm-manager-SHA256` cached index.
    fn ensure_missing_repos(&mut self, names: &mut BTreeMap<String, String>, req: &[Dependency]) {
        let mut unmanaged = Vec::new();
        for d in req {
            if d.repository.is_empty() || names.contains_key(&d.name) {
                continue;
            }
            let n = format!(
                "helm-manager-{}",
                crate::hex(&Sha256::digest(d.repository.as_bytes()))
            );
            names.insert(d.name.clone(), n.clone());
            unmanaged.push(Entry {
                name: n,
                url: d.repository.clone(),
                ..Default::default()
            });
        }
        if !self.opts.skip_refresh && !unmanaged.is_empty() {
            self.out
                .push_str("Getting updates for unmanaged Helm repositories...\n");
            let mut seen: Vec<String> = Vec::new();
            for e in unmanaged {
                if seen.iter().any(|u| same_url(u, &e.url)) {
                    continue;
                }
                seen.push(e.url.clone());
                let url = e.url.clone();
                self.update_index(&e, &url);
            }
        }
    }

    /// `Resolver.Resolve`: the version each dependency locks to.
    fn resolve(
        &self,
        req: &[Dependency],
        names: &BTreeMap<String, String>,
    ) -> Result<Vec<Dependency>> {
        let mut locked = Vec::new();
        let mut missing = Vec::new();
        for d in req {
            let constraint = semver::parse_constraints(&d.version).map_err(|reason| {
                DependencyError::InvalidConstraint {
                    name: d.name.clone(),
                    reason,
                    quoted: true,
                }
            })?;
            let lock = |v: &str| Dependency {
                name: d.name.clone(),
                repository: d.repository.clone(),
                version: v.to_string(),
                ..Default::default()
            };
            let miss = || {
                format!(
                    "{:?} (repository {:?}, version {:?})",
                    d.name, d.repository, d.version
                )
            };
            if d.repository.is_empty() {
                local_path(&format!("charts/{}", d.name), &self.opts.chart_dir)?;
                locked.push(lock(&d.version));
                continue;
            }
            if d.repository.starts_with("file://") {
                let p = local_path(&d.repository, &self.opts.chart_dir)?;
                let ch = chart::load(&p)?;
                match semver::parse_version(&ch.metadata.version) {
                    Ok(v) if constraint.check(&v) => locked.push(lock(&ch.metadata.version)),
                    Ok(_) => missing.push(miss()),
                    Err(_) => {}
                }
                continue;
            }
            let versions: Vec<String> = if is_oci(&d.repository) {
                if semver::parse_version(&d.version).is_ok() {
                    vec![d.version.clone()]
                } else {
                    let r = format!("{}/{}", d.repository.trim_end_matches('/'), d.name);
                    let reference = source::oci::Reference::parse(&r)?;
                    let mut reg = source::oci::Registry::new(
                        &reference,
                        &self.opts.source.transport,
                        &self.paths.registry_config,
                    )?;
                    reg.tags(&reference.repository)
                        .map_err(|source| DependencyError::Tags {
                            repository: d.repository.clone(),
                            source: Box::new(source),
                        })?
                }
            } else {
                let repo_name = names.get(&d.name).cloned().unwrap_or_default();
                let p = self.paths.index_file(&repo_name);
                let text = std::fs::read_to_string(&p).map_err(|source| {
                    DependencyError::NoCachedRepository {
                        repo: repo_name.clone(),
                        path: p.clone(),
                        source,
                    }
                })?;
                let idx = source::index::IndexFile::parse(&text, &p.display().to_string())?;
                let vs =
                    idx.entries
                        .get(&d.name)
                        .ok_or_else(|| DependencyError::ChartNotInRepo {
                            name: d.name.clone(),
                            repository: d.repository.clone(),
                        })?;
                vs.iter()
                    .filter(|v| !v.urls.is_empty())
                    .map(|v| v.version.clone())
                    .collect()
            };
            let pick = versions
                .iter()
                .find(|v| semver::parse_version(v).is_ok_and(|p| constraint.check(&p)));
            match pick {
                Some(v) => locked.push(lock(v)),
                None => {
                    let near =
                        source::index::closest(versions.iter().map(String::as_str), &d.version);
                    missing.push(if near.is_empty() {
                        miss()
                    } else {
                        format!("{} [closest versions: {}]", miss(), near.join(", "))
                    });
                }
            }
        }
        if !missing.is_empty() {
            return Err(DependencyError::NoValidVersions { missing });
        }
        Ok(locked)
    }

    /// `downloadAll`: fetches every locked chart into a temporary folder, then moves them into
    /// charts/ and removes outdated archives; versions of `file://` charts are updated in `deps`.
    fn download_all(&mut self, deps: &mut [Dependency]) -> Result<()> {
        let dest = self.opts.chart_dir.join("charts");
        match std::fs::metadata(&dest) {
            Ok(m) if !m.is_dir() => {
                return Err(DependencyError::NotADirectory {
                    path: dest.display().to_string(),
                })
            }
            Ok(_) => {}
            Err(_) => {
                std::fs::create_dir_all(&dest).map_err(source::write_error("creating", &dest))?
            }
        }
        self.out
            .push_str(&format!("Saving {} charts\n", deps.len()));
        let mut fetched: Vec<(String, Vec<u8>)> = Vec::new();
        for dep in deps.iter_mut() {
            if dep.repository.is_empty() {
                self.out.push_str(&format!(
                    "Dependency {} did not declare a repository. Assuming it exists in the charts directory\n",
                    dep.name
                ));
                let p = dest.join(&dep.name);
                let ch = chart::load(&p).map_err(|source| DependencyError::LoadChart {
                    path: p.clone(),
                    source,
                })?;
                let c = semver::parse_constraints(&dep.version)
                    .map_err(invalid_constraint(&dep.name))?;
                let v = semver::parse_version(&ch.metadata.version).map_err(|reason| {
                    DependencyError::InvalidVersion {
                        version: dep.version.clone(),
                        name: dep.name.clone(),
                        reason,
                    }
                })?;
                if !c.check(&v) {
                    return Err(DependencyError::Unsatisfied {
                        name: dep.name.clone(),
                        version: ch.metadata.version.clone(),
                        constraint: dep.version.clone(),
                    });
                }
                continue;
            }
            if dep.repository.starts_with("file://") {
                let p = local_path(&dep.repository, &self.opts.chart_dir)?;
                let ch = chart::load(&p)?;
                let c = semver::parse_constraints(&dep.version)
                    .map_err(invalid_constraint(&dep.name))?;
                let ok = semver::parse_version(&ch.metadata.version).is_ok_and(|v| c.check(&v));
                if !ok {
                    return Err(DependencyError::NoValidVersion {
                        name: dep.name.clone(),
                    });
                }
                let files = chart::dir_files(&p)?;
                let data = archive(ch.name(), &files)?;
                fetched.push((format!("{}-{}.tgz", ch.name(), ch.metadata.version), data));
                dep.version = ch.metadata.version.clone();
                continue;
            }
            self.out.push_str(&format!(
                "Downloading {} from repo {}\n",
                dep.name, dep.repository
            ));
            let mut so = self.opts.source.clone();
            so.paths = Some(self.paths.clone());
            so.version = dep.version.clone();
            so.devel = false;
            let reference = if is_oci(&dep.repository) {
                format!("{}/{}", dep.repository.trim_end_matches('/'), dep.name)
            } else if let Some(e) = self
                .repos
                .iter()
                .find(|r| same_url(&r.url, &dep.repository))
            {
                format!("{}/{}", e.name, dep.name)
            } else {
                so.repo_url = dep.repository.clone();
                dep.name.clone()
            };
            let f = source::fetch(&reference, &so).map_err(|source| DependencyError::Download {
                name: dep.name.clone(),
                repository: dep.repository.clone(),
                source: Box::new(source),
            })?;
            if !fetched.iter().any(|(n, _)| *n == f.file_name) {
                fetched.push((f.file_name, f.data));
            }
        }
        // Every chart is in hand: now charts/ changes.
        let local: Vec<&str> = deps
            .iter()
            .filter(|d| d.repository.is_empty())
            .map(|d| d.name.as_str())
            .collect();
        let mut outdated = Vec::new();
        if let Ok(rd) = std::fs::read_dir(&dest) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if e.path().is_dir() || fetched.iter().any(|(n, _)| *n == name) {
                    continue;
                }
                match chart::load(&e.path()) {
                    Ok(c) if !local.contains(&c.name()) => outdated.push(e.path()),
                    Ok(_) => {}
                    Err(_) => self.out.push_str(&format!(
                        "Could not verify {} for deletion (Skipping)\n",
                        e.path().display()
                    )),
                }
            }
        }
        for (name, data) in &fetched {
            source::write_atomic(&dest.join(name), data)?;
        }
        self.out.push_str("Deleting outdated charts\n");
        for p in outdated {
            std::fs::remove_file(&p).map_err(source::write_error("removing", &p))?;
        }
        Ok(())
    }
}

/// The downloader's error for a `version:` that is not a constraint (the name bare).
fn invalid_constraint(name: &str) -> impl FnOnce(String) -> DependencyError + '_ {
    move |reason| DependencyError::InvalidConstraint {
        name: name.to_string(),
        reason,
        quoted: false,
    }
}

/// A chart folder's files as a `.tgz` whose members sit under `NAME/`, as `chartutil.Save`
/// lays them out.
fn archive(name: &str, files: &[chart::File]) -> Result<Vec<u8>> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    for f in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(f.data.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
        );
        h.set_cksum();
        tar.append_data(&mut h, format!("{name}/{}", f.name), f.data.as_slice())
            .map_err(DependencyError::Archive)?;
    }
    let gz = tar.into_inner().map_err(DependencyError::Archive)?;
    gz.finish().map_err(DependencyError::Archive)
}

fn load_dir(dir: &Path) -> Result<chart::Chart> {
    let m = std::fs::metadata(dir).map_err(|source| DependencyError::ChartNotFound {
        path: dir.to_path_buf(),
        source,
    })?;
    if !m.is_dir() {
        return Err(DependencyError::NotUnpacked);
    }
    Ok(chart::load(dir)?)
}

/// `dependency update`: returns what to print.
pub fn update(opts: &DependencyOptions) -> Result<String, Error> {
    Ok(update_any(opts)?)
}

fn update_any(opts: &DependencyOptions) -> Result<String> {
    let c = load_dir(&opts.chart_dir)?;
    if !c.metadata.dependencies_declared {
        return Ok(String::new());
    }
    let mut req = c.metadata.dependencies.clone();
    let mut run = Run::new(opts)?;
    let mut names = run.resolve_repo_names(&mut req)?;
    run.ensure_missing_repos(&mut names, &req);
    run.update_repositories();
    let mut locked = run.resolve(&req, &names)?;
    run.download_all(&mut locked)?;
    let digest = hash_req(&req, &locked);
    let old = Lock::load(&opts.chart_dir)?;
    if old.as_ref().is_some_and(|l| l.digest == digest) {
        return Ok(run.out);
    }
    let lock = Lock {
        generated: source::now_rfc3339(),
        digest,
        dependencies: locked,
    };
    let dest = opts.chart_dir.join("Chart.lock");
    if let Ok(m) = std::fs::symlink_metadata(&dest) {
        if m.file_type().is_symlink() {
            let link = std::fs::read_link(&dest).unwrap_or_default();
            return Err(DependencyError::LockSymlink {
                target: link.display().to_string(),
            });
        }
    }
    std::fs::write(&dest, lock.to_yaml()).map_err(source::write_error("writing", &dest))?;
    Ok(run.out)
}

/// `helm template --dependency-update`: `update` when Chart.yaml names a dependency charts/
/// lacks (Helm's `CheckDependencies`); `None` when nothing was missing.
pub fn update_if_missing(opts: &DependencyOptions) -> Result<Option<String>, Error> {
    Ok(update_if_missing_any(opts)?)
}

fn update_if_missing_any(opts: &DependencyOptions) -> Result<Option<String>> {
    let c = load_dir(&opts.chart_dir)?;
    if !c.metadata.dependencies_declared || chart::check_dependencies(&c).is_ok() {
        return Ok(None);
    }
    update_any(opts).map(Some)
}

/// `dependency build`: returns what to print.
pub fn build(opts: &DependencyOptions) -> Result<String, Error> {
    Ok(build_any(opts)?)
}

fn build_any(opts: &DependencyOptions) -> Result<String> {
    let c = load_dir(&opts.chart_dir)?;
    let Some(lock) = Lock::load(&opts.chart_dir)? else {
        return update_any(opts);
    };
    let mut req = c.metadata.dependencies.clone();
    let mut run = Run::new(opts)?;
    run.resolve_repo_names(&mut req)?;
    if hash_req(&req, &lock.dependencies) != lock.digest {
        return Err(DependencyError::LockOutOfSync);
    }
    let missing: Vec<String> = lock
        .dependencies
        .iter()
        .filter(|d| {
            !d.repository.is_empty()
                && !d.repository.starts_with("file://")
                && !is_oci(&d.repository)
                && !run.repos.iter().any(|r| same_url(&r.url, &d.repository))
        })
        .map(|d| d.repository.clone())
        .collect();
    if !missing.is_empty() {
        return Err(DependencyError::LockedRepositoriesUnknown { repos: missing });
    }
    run.update_repositories();
    let mut deps = lock.dependencies.clone();
    run.download_all(&mut deps)?;
    Ok(run.out)
}

/// `dependency list`: the table helm prints.
pub fn list(dir: &Path) -> Result<String, Error> {
    Ok(list_any(dir)?)
}

fn list_any(dir: &Path) -> Result<String> {
    let c = chart::load(dir)?;
    if !c.metadata.dependencies_declared {
        return Ok(format!(
            "WARNING: no dependencies at {}\n",
            dir.join("charts").display()
        ));
    }
    let mut rows = vec![[
        "NAME".to_string(),
        "VERSION".to_string(),
        "REPOSITORY".to_string(),
        "STATUS".to_string(),
    ]];
    for d in &c.metadata.dependencies {
        rows.push([
            d.name.clone(),
            d.version.clone(),
            d.repository.clone(),
            status(dir, d, &c),
        ]);
    }
    let mut out = table(&rows);
    out.push_str("\n\n");
    // Charts on disk that Chart.yaml does not name.
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir.join("charts"))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    for p in entries {
        if !p.is_dir() && p.extension().and_then(|e| e.to_str()) != Some("tgz") {
            continue;
        }
        match chart::load(&p) {
            Ok(ch) => {
                if !c.metadata.dependencies.iter().any(|d| d.name == ch.name()) {
                    out.push_str(&format!(
                        "WARNING: {:?} is not in Chart.yaml.\n",
                        p.display().to_string()
                    ));
                }
            }
            Err(_) => out.push_str(&format!(
                "WARNING: {:?} is not a chart.\n",
                p.display().to_string()
            )),
        }
    }
    Ok(out)
}

/// gosuri/uitable as Helm uses it: cells padded to their column's width, joined by tabs.
fn table(rows: &[[String; 4]]) -> String {
    let mut w = [0usize; 4];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(c.chars().count());
        }
    }
    rows.iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(i, c)| format!("{c:<width$}", width = w[i]))
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn version_status(have: &str, want: &str) -> Option<&'static str> {
    if have == want {
        return None;
    }
    let Ok(c) = semver::parse_constraints(want) else {
        return Some("invalid version");
    };
    let Ok(v) = semver::parse_version(have) else {
        return Some("invalid version");
    };
    (!c.check(&v)).then_some("wrong version")
}

/// `dependencyStatus`.
fn status(dir: &Path, d: &Dependency, parent: &chart::Chart) -> String {
    let archive_status = |p: &Path| -> String {
        match chart::load(p) {
            Err(_) => "corrupt".into(),
            Ok(c) if c.name() != d.name => "misnamed".into(),
            Ok(c) => version_status(&c.metadata.version, &d.version)
                .unwrap_or("ok")
                .into(),
        }
    };
    let prefix = format!("{}-", d.name);
    let mut archives: Vec<PathBuf> = std::fs::read_dir(dir.join("charts"))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".tgz"))
                })
                .collect()
        })
        .unwrap_or_default();
    archives.sort();
    if archives.len() == 1 {
        return archive_status(&archives[0]);
    }
    if archives.len() > 1 {
        let found: Vec<&PathBuf> = archives
            .iter()
            .filter(|p| {
                let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                let v = n.trim_end_matches(".tgz").trim_start_matches(&prefix);
                semver::parse_version(v).is_ok()
                    && !v.starts_with('v')
                    && v.matches('.').count() == 2
            })
            .collect();
        match found.len() {
            1 => return archive_status(found[0]),
            0 => {}
            _ => return "too many matches".into(),
        }
    }
    match parent
        .dependencies
        .iter()
        .rev()
        .find(|c| c.name() == d.name)
    {
        None => "missing".into(),
        Some(c) => version_status(&c.metadata.version, &d.version)
            .unwrap_or("unpacked")
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dep(name: &str, version: &str, repo: &str) -> Dependency {
        Dependency {
            name: name.into(),
            version: version.into(),
            repository: repo.into(),
            ..Default::default()
        }
    }

    #[test]
    fn lock_digest_is_helms_hash_req() {
        // The JSON Helm hashes: [[requested], [locked]] in chart.Dependency's field order.
        let req = vec![Dependency {
            condition: Some("web.enabled".into()),
            alias: Some("w".into()),
            ..dep("web", "^0.1.0", "http://127.0.0.1/charts")
        }];
        let lock = vec![dep("web", "0.1.0", "http://127.0.0.1/charts")];
        let json = r#"[[{"name":"web","version":"^0.1.0","repository":"http://127.0.0.1/charts","condition":"web.enabled","alias":"w"}],[{"name":"web","version":"0.1.0","repository":"http://127.0.0.1/charts"}]]"#;
        assert_eq!(
            hash_req(&req, &lock),
            format!("sha256:{}", crate::hex(&Sha256::digest(json.as_bytes())))
        );
    }

    #[test]
    fn lock_files_round_trip() {
        let l = Lock {
            generated: "2026-12-01T23:00:00.5Z".into(),
            digest: "sha256:00".into(),
            dependencies: vec![dep("web", "0.1.0", "")],
        };
        let text = l.to_yaml();
        assert_eq!(
            text,
            "dependencies:\n- name: web\n  repository: \"\"\n  version: 0.1.0\ndigest: sha256:00\ngenerated: \"2026-12-01T23:00:00.5Z\"\n"
        );
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("Chart.lock"), text).unwrap();
        assert_eq!(Lock::load(d.path()).unwrap(), Some(l));
    }

    #[test]
    fn tables_as_uitable() {
        let rows = [
            ["NAME".into(), "V".into(), "R".into(), "STATUS".into()],
            ["a".into(), "1.0.0".into(), "".into(), "ok".into()],
        ];
        assert_eq!(
            table(&rows),
            "NAME\tV    \tR\tSTATUS\na   \t1.0.0\t \tok    "
        );
    }
}
