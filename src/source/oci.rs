//! Charts in OCI registries: a small client of the OCI distribution spec (v1.1: `GET
//! /v2/NAME/tags/list`, `/manifests/REF`, `/blobs/DIGEST`, and the registry token flow of
//! `WWW-Authenticate: Bearer`/`Basic`) over the HTTP client of [`super::http`]. The maintained
//! Rust crates (oci-client, oci-distribution) are async on tokio; three blocking GETs do not
//! justify a runtime. Resolution follows Helm v4.1.4 (pkg/registry/client.go): a tag in the
//! reference, else an exact version as the tag, else the newest tag a constraint admits; `+` in a
//! version is `_` in a tag. Credentials: `--username/--password`, else Helm's registry login file
//! (docker-style `auths`).

use super::http::{basic_auth, Client, Transport};
use super::SourceError;
use crate::semver;
use crate::Value;
use sha2::{Digest, Sha256};
use std::path::Path;

/// Helm's chart layer media types.
pub const CHART_LAYER: &str = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
const LEGACY_CHART_LAYER: &str = "application/tar+gzip";
const MANIFEST_TYPES: &str =
    "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

/// `oci://REGISTRY/REPOSITORY[:TAG][@DIGEST]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub registry: String,
    pub repository: String,
    pub tag: String,
    pub digest: String,
}

impl Reference {
    pub fn parse(r: &str) -> Result<Reference, SourceError> {
        let invalid = |what| {
            Err(SourceError::OciReference {
                reference: r.to_string(),
                what,
            })
        };
        let rest = r.strip_prefix("oci://").unwrap_or(r);
        let (rest, digest) = match rest.split_once('@') {
            Some((a, d)) => (a, d.to_string()),
            None => (rest, String::new()),
        };
        let Some((registry, path)) = rest.split_once('/') else {
            return invalid("repository");
        };
        let (repository, tag) = match path.rfind(':') {
            Some(i) if !path[i..].contains('/') => (&path[..i], path[i + 1..].to_string()),
            _ => (path, String::new()),
        };
        if registry.is_empty() || repository.is_empty() {
            return invalid("registry or repository");
        }
        Ok(Reference {
            registry: registry.to_string(),
            repository: repository.to_string(),
            tag,
            digest,
        })
    }

    /// The chart's name: the last part of the repository.
    pub fn chart_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }
}

/// A chart pulled from a registry.
#[derive(Debug, Clone)]
pub struct Pulled {
    /// The tag used (the chart version, `_` turned back into `+`).
    pub version: String,
    /// The manifest's digest (`sha256:…`), as `helm pull` prints it.
    pub manifest_digest: String,
    /// The chart layer's digest, verified against the data.
    pub layer_digest: String,
    pub data: Vec<u8>,
}

/// A registry session: the client, where to talk, and the credentials.
pub struct Registry {
    client: Client,
    base: String,
    credentials: Option<(String, String)>,
    token: Option<String>,
}

/// Reads the credentials for `host` from Helm's registry login file.
pub fn login_credentials(config: &Path, host: &str) -> Option<(String, String)> {
    let text = std::fs::read_to_string(config).ok()?;
    let v: Value = serde_json::from_str(&text).ok()?;
    let auths = v.get("auths")?.as_object()?;
    let entry = auths
        .get(host)
        .or_else(|| auths.get(&format!("https://{host}")))
        .or_else(|| auths.get(&format!("http://{host}")))?;
    if let Some(a) = entry.get("auth").and_then(|a| a.as_str()) {
        use base64::Engine;
        let raw = base64::engine::general_purpose::STANDARD.decode(a).ok()?;
        let s = String::from_utf8(raw).ok()?;
        let (u, p) = s.split_once(':')?;
        return Some((u.to_string(), p.to_string()));
    }
    let u = entry.get("username")?.as_str()?;
    let p = entry.get("password")?.as_str()?;
    Some((u.to_string(), p.to_string()))
}

fn param<'a>(header: &'a str, key: &str) -> Option<&'a str> {
    let at = header.find(&format!("{key}=\""))?;
    let rest = &header[at + key.len() + 2..];
    rest.find('"').map(|e| &rest[..e])
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl Registry {
    pub fn new(r: &Reference, t: &Transport, login_file: &Path) -> Result<Registry, SourceError> {
        let scheme = if t.plain_http { "http" } else { "https" };
        let credentials = if !t.username.is_empty() || !t.password.is_empty() {
            Some((t.username.clone(), t.password.clone()))
        } else {
            login_credentials(login_file, &r.registry)
        };
        // Docker Hub answers the distribution API on registry-1.docker.io (as oras-go maps it).
        let host = match r.registry.as_str() {
            "docker.io" | "index.docker.io" => "registry-1.docker.io",
            h => h,
        };
        Ok(Registry {
            client: Client::new(t)?,
            base: format!("{scheme}://{host}"),
            credentials,
            token: None,
        })
    }

    /// GET a registry path, answering one authentication challenge.
    fn get(
        &mut self,
        path: &str,
        accept: Option<&str>,
    ) -> Result<super::http::Response, SourceError> {
        let url = format!("{}{path}", self.base);
        let first = self.client.get(&url, self.token.as_deref(), accept);
        let e = match first {
            Ok(r) => return Ok(r),
            Err(e) => e,
        };
        let Some(challenge) = e.authenticate.clone().filter(|_| e.status == Some(401)) else {
            return Err(e.into());
        };
        let lower = challenge.to_ascii_lowercase();
        if lower.starts_with("basic") {
            let Some((u, p)) = &self.credentials else {
                return Err(SourceError::Credentials {
                    registry: self.base.split("://").nth(1).unwrap_or("").to_string(),
                    source: Box::new(e),
                });
            };
            self.token = Some(basic_auth(u, p));
        } else if lower.starts_with("bearer") {
            let Some(realm) = param(&challenge, "realm") else {
                return Err(SourceError::NoRealm {
                    source: Box::new(e),
                });
            };
            let mut q = Vec::new();
            if let Some(s) = param(&challenge, "service") {
                q.push(format!("service={}", percent(s)));
            }
            if let Some(s) = param(&challenge, "scope") {
                q.push(format!("scope={}", percent(s)));
            }
            let token_url = format!("{realm}?{}", q.join("&"));
            let auth = self.credentials.as_ref().map(|(u, p)| basic_auth(u, p));
            let resp = self.client.get(&token_url, auth.as_deref(), None)?;
            let v: Value =
                serde_json::from_slice(&resp.body).map_err(|source| SourceError::NotJson {
                    url: token_url.clone(),
                    what: "the token answer is not JSON",
                    source,
                })?;
            let token = v
                .get("token")
                .or_else(|| v.get("access_token"))
                .and_then(|t| t.as_str())
                .ok_or_else(|| SourceError::NoToken {
                    url: token_url.clone(),
                })?;
            self.token = Some(format!("Bearer {token}"));
        } else {
            return Err(e.into());
        }
        Ok(self.client.get(&url, self.token.as_deref(), accept)?)
    }

    /// The repository's tags as versions (`_` → `+`), newest semver first (Helm's `Tags`).
    pub fn tags(&mut self, repository: &str) -> Result<Vec<String>, SourceError> {
        let mut path = format!("/v2/{repository}/tags/list");
        let mut tags = Vec::new();
        loop {
            let resp = self.get(&path, None)?;
            let v: Value =
                serde_json::from_slice(&resp.body).map_err(|source| SourceError::NotJson {
                    url: format!("{}{path}", self.base),
                    what: "not a tag list",
                    source,
                })?;
            if let Some(list) = v.get("tags").and_then(|t| t.as_array()) {
                tags.extend(
                    list.iter()
                        .filter_map(|t| t.as_str())
                        .map(|t| t.replace('_', "+")),
                );
            }
            // Pagination: `Link: </v2/…?last=…&n=…>; rel="next"`.
            match resp
                .link
                .as_deref()
                .and_then(|l| l.split_once('<'))
                .and_then(|(_, r)| r.split_once('>'))
            {
                Some((next, _)) if next.starts_with('/') => path = next.to_string(),
                _ => break,
            }
        }
        let mut parsed: Vec<(semver::Version, String)> = tags
            .into_iter()
            .filter_map(|t| semver::parse_version(&t).ok().map(|v| (v, t)))
            .collect();
        parsed.sort_by(|a, b| b.0.compare(&a.0));
        Ok(parsed.into_iter().map(|(_, t)| t).collect())
    }

    /// Pulls the chart: resolves the version, fetches the manifest and the chart layer, and
    /// checks the layer against its digest.
    pub fn pull(&mut self, r: &Reference, version: &str) -> Result<Pulled, SourceError> {
        let version = if version.is_empty() {
            r.tag.clone()
        } else {
            if !r.tag.is_empty() && r.tag != version {
                return Err(SourceError::VersionMismatch {
                    version: version.to_string(),
                    tag: r.tag.clone(),
                });
            }
            version.to_string()
        };
        let oci = format!("oci://{}/{}", r.registry, r.repository);
        let tag = if !r.digest.is_empty() && version.is_empty() {
            String::new()
        } else if semver::parse_version(&version).is_ok() {
            version.clone()
        } else {
            let tags = self.tags(&r.repository)?;
            if tags.is_empty() {
                return Err(SourceError::NoTags { oci });
            }
            matching_tag(&tags, &version).ok_or_else(|| SourceError::NoMatchingTag {
                closest: super::index::closest(tags.iter().map(String::as_str), &version),
                version: version.clone(),
                oci: oci.clone(),
            })?
        };
        let manifest_ref = if r.digest.is_empty() {
            tag.replace('+', "_")
        } else {
            r.digest.clone()
        };
        let resp = self
            .get(
                &format!("/v2/{}/manifests/{manifest_ref}", r.repository),
                Some(MANIFEST_TYPES),
            )
            .map_err(|e| SourceError::Manifest {
                reference: format!("{oci}:{tag}"),
                source: Box::new(e),
            })?;
        let manifest_digest = format!("sha256:{}", crate::hex(&Sha256::digest(&resp.body)));
        if !r.digest.is_empty() && r.digest != manifest_digest {
            return Err(SourceError::ManifestDigest {
                reference: format!("{oci}@{}", r.digest),
                got: manifest_digest,
            });
        }
        let m: Value =
            serde_json::from_slice(&resp.body).map_err(|source| SourceError::NotJson {
                url: format!("{oci}:{tag}"),
                what: "the manifest is not JSON",
                source,
            })?;
        let layers = m.get("layers").and_then(|l| l.as_array());
        let layer = layers
            .into_iter()
            .flatten()
            .find(|l| {
                matches!(
                    l.get("mediaType").and_then(|t| t.as_str()),
                    Some(CHART_LAYER) | Some(LEGACY_CHART_LAYER)
                )
            })
            .ok_or(SourceError::NoChartLayer { layer: CHART_LAYER })?;
        let layer_digest = layer
            .get("digest")
            .and_then(|d| d.as_str())
            .unwrap_or("")
            .to_string();
        let blob = self.get(&format!("/v2/{}/blobs/{layer_digest}", r.repository), None)?;
        let got = format!("sha256:{}", crate::hex(&Sha256::digest(&blob.body)));
        if got != layer_digest {
            return Err(SourceError::LayerDigest {
                reference: format!("{oci}:{tag}"),
                expected: layer_digest,
                got,
            });
        }
        let version = if tag.is_empty() {
            // By digest only: the version is in the chart itself.
            crate::chart::load_archive_bytes(&blob.body, &oci)
                .map(|c| c.metadata.version)
                .unwrap_or_default()
        } else {
            tag
        };
        Ok(Pulled {
            version,
            manifest_digest,
            layer_digest,
            data: blob.body,
        })
    }
}

/// Helm's `GetTagMatchingVersionOrConstraint` over tags sorted newest first.
pub fn matching_tag(tags: &[String], version: &str) -> Option<String> {
    let c = if version.is_empty() {
        "*"
    } else {
        if let Some(t) = tags.iter().find(|t| *t == version) {
            return Some(t.clone());
        }
        version
    };
    let c = semver::parse_constraints(c).ok()?;
    tags.iter()
        .find(|t| semver::parse_version(t).is_ok_and(|v| c.check(&v)))
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse() {
        let r = Reference::parse("oci://127.0.0.1:5000/charts/web:0.1.0").unwrap();
        assert_eq!(r.registry, "127.0.0.1:5000");
        assert_eq!(r.repository, "charts/web");
        assert_eq!(r.tag, "0.1.0");
        assert_eq!(r.chart_name(), "web");
        let r = Reference::parse("oci://h/a/b@sha256:00").unwrap();
        assert_eq!((r.tag.as_str(), r.digest.as_str()), ("", "sha256:00"));
        assert!(Reference::parse("oci://h").is_err());
    }

    #[test]
    fn tags_match_as_helm() {
        let tags: Vec<String> = ["1.2.0", "1.1.0+b", "1.0.0", "0.9.0-rc.1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(matching_tag(&tags, "").as_deref(), Some("1.2.0"));
        assert_eq!(matching_tag(&tags, "~1.1").as_deref(), Some("1.1.0+b"));
        assert_eq!(matching_tag(&tags, "<1.0.0").as_deref(), None);
        assert_eq!(
            matching_tag(&tags, "0.9.0-rc.1").as_deref(),
            Some("0.9.0-rc.1")
        );
    }

    /// A registry that wants a bearer token: 401 with `WWW-Authenticate: Bearer`, a token
    /// endpoint that checks the basic credentials, then the tag list for the token.
    #[test]
    fn bearer_tokens_are_fetched_from_the_realm() {
        use std::io::{BufRead, BufReader, Write};
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for _ in 0..3 {
                let (mut s, _) = l.accept().unwrap();
                let mut r = BufReader::new(s.try_clone().unwrap());
                let mut req = Vec::new();
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                        break;
                    }
                    req.push(line.trim_end().to_string());
                }
                let auth = req
                    .iter()
                    .find_map(|h| {
                        h.strip_prefix("authorization: ")
                            .or_else(|| h.strip_prefix("Authorization: "))
                    })
                    .unwrap_or("")
                    .to_string();
                let (status, extra, body) = if req[0].starts_with("GET /token?") {
                    if auth == basic_auth("u", "p")
                        && req[0].contains("scope=repository%3Acharts%2Fweb%3Apull")
                    {
                        ("200 OK", String::new(), r#"{"token":"t0k"}"#.to_string())
                    } else {
                        ("401 Unauthorized", String::new(), String::new())
                    }
                } else if auth == "Bearer t0k" {
                    (
                        "200 OK",
                        String::new(),
                        r#"{"name":"charts/web","tags":["0.1.0","0.2.0_b"]}"#.to_string(),
                    )
                } else {
                    (
                        "401 Unauthorized",
                        format!("WWW-Authenticate: Bearer realm=\"http://127.0.0.1:{port}/token\",service=\"test\",scope=\"repository:charts/web:pull\"\r\n"),
                        String::new(),
                    )
                };
                seen.push(format!("{} {status}", req[0]));
                write!(
                    s,
                    "HTTP/1.0 {status}\r\n{extra}Content-Length: {}\r\n\r\n{body}",
                    body.len()
                )
                .unwrap();
            }
            seen
        });
        let r = Reference::parse(&format!("oci://127.0.0.1:{port}/charts/web")).unwrap();
        let t = Transport {
            username: "u".into(),
            password: "p".into(),
            plain_http: true,
            ..Default::default()
        };
        let mut reg = Registry::new(&r, &t, Path::new("/nonexistent")).unwrap();
        assert_eq!(reg.tags(&r.repository).unwrap(), ["0.2.0+b", "0.1.0"]);
        let seen = server.join().unwrap();
        assert_eq!(seen.len(), 3, "{seen:?}");
        assert!(
            seen[0].ends_with("401 Unauthorized") && seen[2].ends_with("200 OK"),
            "{seen:?}"
        );
    }

    #[test]
    fn login_file_credentials() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("config.json");
        std::fs::write(&p, r#"{"auths":{"127.0.0.1:5000":{"auth":"dTpw"}}}"#).unwrap();
        assert_eq!(
            login_credentials(&p, "127.0.0.1:5000"),
            Some(("u".into(), "p".into()))
        );
        assert_eq!(login_credentials(&p, "other"), None);
    }
}
