//! A repository's index.yaml, as Helm v4.1.4 reads it (pkg/repo/v1/index.go): entries by chart
//! name, each sorted newest first by semver (versions that do not parse last), and `Get`'s
//! resolution of a version or constraint (an exact string match first, else the newest version
//! the constraint admits).

use super::SourceError;
use crate::semver::{self, Version};
use crate::{yaml, Value};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// One version of a chart in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartVersion {
    pub name: String,
    pub version: String,
    pub urls: Vec<String>,
    /// `sha256` hex of the archive (may carry a `sha256:` prefix; may be empty).
    pub digest: String,
}

/// index.yaml.
#[derive(Debug, Clone, Default)]
pub struct IndexFile {
    pub entries: BTreeMap<String, Vec<ChartVersion>>,
}

/// Why `get` found nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotFound {
    /// Helm's `ErrNoChartName`.
    NoChartName,
    /// Helm's "no chart version found for NAME-VERSION", with the versions closest to the
    /// request, for the message.
    NoVersion {
        message: String,
        closest: Vec<String>,
    },
}

fn as_text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => crate::gojson::format_number(n),
        _ => String::new(),
    }
}

impl IndexFile {
    /// `loadIndex`: `source` names the file or URL in messages.
    pub fn parse(data: &str, source: &str) -> Result<IndexFile, SourceError> {
        if data.trim().is_empty() {
            return Err(SourceError::EmptyIndex);
        }
        let v = yaml::parse(data, source)?;
        let Value::Object(top) = v else {
            return Err(SourceError::IndexNotMap {
                source: source.to_string(),
            });
        };
        if as_text(top.get("apiVersion")).is_empty() {
            return Err(SourceError::NoApiVersion);
        }
        let mut idx = IndexFile::default();
        if let Some(Value::Object(entries)) = top.get("entries") {
            for (name, list) in entries {
                let mut vs = Vec::new();
                if let Value::Array(list) = list {
                    for e in list {
                        let Value::Object(e) = e else { continue };
                        let urls = match e.get("urls") {
                            Some(Value::Array(u)) => u
                                .iter()
                                .filter_map(|x| x.as_str().map(str::to_string))
                                .collect(),
                            _ => Vec::new(),
                        };
                        vs.push(ChartVersion {
                            name: as_text(e.get("name")),
                            version: as_text(e.get("version")),
                            urls,
                            digest: as_text(e.get("digest")),
                        });
                    }
                }
                sort_versions(&mut vs);
                idx.entries.insert(name.clone(), vs);
            }
        }
        Ok(idx)
    }

    /// `IndexFile.Get(name, version)`.
    pub fn get(&self, name: &str, version: &str) -> Result<&ChartVersion, NotFound> {
        let vs = self.entries.get(name).ok_or(NotFound::NoChartName)?;
        let not_found = || NotFound::NoVersion {
            message: format!("no chart version found for {name}-{version}"),
            closest: closest(vs.iter().map(|v| v.version.as_str()), version),
        };
        if vs.is_empty() {
            return Err(not_found());
        }
        let constraint = semver::parse_constraints(if version.is_empty() { "*" } else { version })
            .map_err(|e| NotFound::NoVersion {
                message: e,
                closest: Vec::new(),
            })?;
        if !version.is_empty() {
            if let Some(v) = vs.iter().find(|v| v.version == version) {
                return Ok(v);
            }
        }
        vs.iter()
            .find(|v| semver::parse_version(&v.version).is_ok_and(|p| constraint.check(&p)))
            .ok_or_else(not_found)
    }
}

/// `IndexFile.SortEntries`: newest first; versions that do not parse go last.
pub fn sort_versions(vs: &mut [ChartVersion]) {
    vs.sort_by(|a, b| {
        match (
            semver::parse_version(&a.version),
            semver::parse_version(&b.version),
        ) {
            (Ok(x), Ok(y)) => y.compare(&x),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            (Err(_), Err(_)) => Ordering::Equal,
        }
    });
}

/// Up to five of `versions` nearest the version a request names (its first `x.y.z` part, or the
/// newest when it names none), nearest first: for "no version matches" messages.
pub fn closest<'a>(versions: impl Iterator<Item = &'a str>, request: &str) -> Vec<String> {
    let parsed: Vec<(Version, &str)> = versions
        .filter_map(|v| semver::parse_version(v).ok().map(|p| (p, v)))
        .collect();
    let target = request
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .find_map(|t| {
            let t = t.trim_start_matches(['v', 'V']);
            t.starts_with(|c: char| c.is_ascii_digit())
                .then(|| semver::parse_version(t).ok())
                .flatten()
        });
    // Distance: the major versions apart, then (same major) the minors, then the patches;
    // ties go to the newer version.
    let mut ranked: Vec<(u64, u64, u64, &Version, &str)> = parsed
        .iter()
        .map(|(p, s)| match &target {
            Some(t) => {
                let major = p.major.abs_diff(t.major);
                let minor = if major == 0 {
                    p.minor.abs_diff(t.minor)
                } else {
                    0
                };
                let patch = if major == 0 && minor == 0 {
                    p.patch.abs_diff(t.patch)
                } else {
                    0
                };
                (major, minor, patch, p, *s)
            }
            None => (0, 0, 0, p, *s),
        })
        .collect();
    ranked.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)).then(b.3.compare(a.3)));
    ranked
        .into_iter()
        .take(5)
        .map(|r| r.4.to_string())
        .collect()
}

/// Helm's `ResolveReferenceURL`: a chart URL of the index, relative to the repository's URL.
pub fn resolve_reference_url(base: &str, reference: &str) -> String {
    if reference.contains("://") {
        return reference.to_string();
    }
    let (base, query) = match base.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (base, None),
    };
    let joined = if let Some(abs) = reference.strip_prefix('/') {
        // An absolute path replaces the base's path.
        let origin_end = base
            .find("://")
            .and_then(|i| base[i + 3..].find('/').map(|j| i + 3 + j))
            .unwrap_or(base.len());
        format!("{}/{abs}", &base[..origin_end])
    } else {
        format!("{}/{}", base.trim_end_matches('/'), reference)
    };
    let joined = clean_url_path(&joined);
    match query {
        Some(q) => format!("{joined}?{q}"),
        None => joined,
    }
}

/// Removes `.` and `..` segments from a URL's path, as Go's `ResolveReference` does.
fn clean_url_path(u: &str) -> String {
    let Some(i) = u.find("://") else {
        return u.to_string();
    };
    let rest = &u[i + 3..];
    let Some(j) = rest.find('/') else {
        return u.to_string();
    };
    let (origin, path) = (&u[..i + 3 + j], &rest[j..]);
    let mut out: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    let last = parts.len().saturating_sub(1);
    for (k, p) in parts.iter().enumerate() {
        match *p {
            "." => {
                if k == last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if k == last {
                    out.push("");
                }
            }
            x => out.push(x),
        }
    }
    format!("{origin}/{}", out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = "apiVersion: v1\nentries:\n  web:\n  - name: web\n    version: 0.1.0\n    urls: [web-0.1.0.tgz]\n    digest: aa\n  - name: web\n    version: 0.10.0\n    urls: [web-0.10.0.tgz]\n  - name: web\n    version: 1.0.0-rc.1\n    urls: [web-1.0.0-rc.1.tgz]\n  - name: web\n    version: 0.2.0\n    urls: [https://other.example/web-0.2.0.tgz]\ngenerated: \"2026-01-01T00:00:00Z\"\n";

    #[test]
    fn versions_resolve_as_helms_index_get() {
        let i = IndexFile::parse(INDEX, "index.yaml").unwrap();
        let order: Vec<_> = i.entries["web"]
            .iter()
            .map(|v| v.version.as_str())
            .collect();
        assert_eq!(order, ["1.0.0-rc.1", "0.10.0", "0.2.0", "0.1.0"]);
        assert_eq!(i.get("web", "").unwrap().version, "0.10.0");
        assert_eq!(i.get("web", "^0.1").unwrap().version, "0.1.0");
        assert_eq!(i.get("web", "~0.2").unwrap().version, "0.2.0");
        assert_eq!(i.get("web", ">0.0.0-0").unwrap().version, "1.0.0-rc.1");
        assert_eq!(i.get("web", "1.0.0-rc.1").unwrap().version, "1.0.0-rc.1");
        assert_eq!(i.get("nope", "").unwrap_err(), NotFound::NoChartName);
        match i.get("web", "0.3.0").unwrap_err() {
            NotFound::NoVersion { message, closest } => {
                assert_eq!(message, "no chart version found for web-0.3.0");
                assert_eq!(closest, ["0.2.0", "0.1.0", "0.10.0", "1.0.0-rc.1"]);
            }
            e => panic!("{e:?}"),
        }
        assert!(IndexFile::parse("", "x").is_err());
        assert_eq!(
            IndexFile::parse("entries: {}\n", "x")
                .unwrap_err()
                .to_string(),
            "no API version specified"
        );
    }

    #[test]
    fn urls_resolve_against_the_repository() {
        let r = resolve_reference_url;
        assert_eq!(
            r("http://h:1/charts", "web-0.1.0.tgz"),
            "http://h:1/charts/web-0.1.0.tgz"
        );
        assert_eq!(
            r("http://h:1/charts/", "sub/web.tgz"),
            "http://h:1/charts/sub/web.tgz"
        );
        assert_eq!(r("http://h:1/charts", "/x/web.tgz"), "http://h:1/x/web.tgz");
        assert_eq!(r("http://h:1/a/b", "../web.tgz"), "http://h:1/a/web.tgz");
        assert_eq!(
            r("http://h:1/charts?t=1", "w.tgz"),
            "http://h:1/charts/w.tgz?t=1"
        );
        assert_eq!(r("http://h", "https://o/w.tgz"), "https://o/w.tgz");
    }
}
