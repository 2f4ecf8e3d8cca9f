//! HTTP and TLS for chart downloads: ureq 3 with rustls (a maintained, blocking client with no
//! async runtime and no system OpenSSL), configured the way Helm's getter is (pkg/getter/
//! httpgetter.go in v4.1.4): `--ca-file` replaces the trusted roots, `--cert-file`/`--key-file`
//! identify the client, `--insecure-skip-tls-verify` turns verification off, basic auth only
//! for the repository's own host unless `--pass-credentials`.

use super::SourceError;
use std::time::Duration;
use ureq::tls::{Certificate, ClientCert, PemItem, PrivateKey, RootCerts, TlsConfig};

/// How to reach a server: Helm's getter options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transport {
    pub username: String,
    pub password: String,
    pub ca_file: String,
    pub cert_file: String,
    pub key_file: String,
    pub insecure_skip_tls_verify: bool,
    pub pass_credentials_all: bool,
    /// `--plain-http` (OCI only): talk HTTP to the registry.
    pub plain_http: bool,
}

/// A failed request: the URL, and whether the server answered at all.
#[derive(Debug)]
pub struct HttpError {
    pub url: String,
    /// The status the server answered with, or `None` when it could not be reached.
    pub status: Option<u16>,
    pub message: String,
    /// `WWW-Authenticate` of a 401, for the OCI token dance.
    pub authenticate: Option<String>,
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.status {
            // Helm's getter: "failed to fetch URL : 404 Not Found".
            Some(s) => write!(f, "failed to fetch {} : {s} {}", self.url, self.message),
            None => write!(f, "cannot reach {}: {}", self.url, self.message),
        }
    }
}

impl std::error::Error for HttpError {}

/// A response body and its headers of interest.
#[derive(Debug, Clone)]
pub struct Response {
    pub body: Vec<u8>,
    pub content_type: String,
    pub docker_digest: Option<String>,
    pub link: Option<String>,
}

/// A configured client.
pub struct Client {
    agent: ureq::Agent,
}

fn read(path: &str, what: &'static str) -> Result<Vec<u8>, SourceError> {
    std::fs::read(path).map_err(|source| SourceError::TlsFile {
        what,
        path: path.to_string(),
        source,
    })
}

impl Client {
    pub fn new(t: &Transport) -> Result<Client, SourceError> {
        let mut tls = TlsConfig::builder();
        if !t.ca_file.is_empty() {
            let pem = read(&t.ca_file, "CA file")?;
            let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(&pem)
                .filter_map(|i| match i {
                    Ok(PemItem::Certificate(c)) => Some(c),
                    _ => None,
                })
                .collect();
            if certs.is_empty() {
                return Err(SourceError::NoCertificates {
                    path: t.ca_file.clone(),
                });
            }
            tls = tls.root_certs(RootCerts::new_with_certs(&certs));
        }
        if !t.cert_file.is_empty() && !t.key_file.is_empty() {
            let cert_pem = read(&t.cert_file, "client certificate")?;
            let key_pem = read(&t.key_file, "client key")?;
            let chain: Vec<Certificate<'static>> = ureq::tls::parse_pem(&cert_pem)
                .filter_map(|i| match i {
                    Ok(PemItem::Certificate(c)) => Some(c),
                    _ => None,
                })
                .collect();
            let key = PrivateKey::from_pem(&key_pem).map_err(|e| SourceError::KeyPair {
                path: t.key_file.clone(),
                reason: e.to_string(),
            })?;
            tls = tls.client_cert(Some(ClientCert::new_with_certs(&chain, key)));
        }
        if t.insecure_skip_tls_verify {
            tls = tls.disable_verification(true);
        }
        let config = ureq::Agent::config_builder()
            .tls_config(tls.build())
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .timeout_connect(Some(Duration::from_secs(15)))
            .user_agent(concat!("chartr/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Client {
            agent: config.into(),
        })
    }

    /// GET `url` with optional `Authorization` and `Accept` headers; a non-2xx status is an
    /// error carrying the status.
    pub fn get(
        &self,
        url: &str,
        authorization: Option<&str>,
        accept: Option<&str>,
    ) -> Result<Response, HttpError> {
        let mut req = self.agent.get(url);
        if let Some(a) = authorization {
            req = req.header("Authorization", a);
        }
        if let Some(a) = accept {
            req = req.header("Accept", a);
        }
        let unreachable = |e: ureq::Error| HttpError {
            url: url.to_string(),
            status: None,
            message: e.to_string(),
            authenticate: None,
        };
        let mut resp = req.call().map_err(unreachable)?;
        let status = resp.status();
        let header = |n: &str| {
            resp.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header("content-type").unwrap_or_default();
        let docker_digest = header("docker-content-digest");
        let link = header("link");
        let authenticate = header("www-authenticate");
        if !status.is_success() {
            return Err(HttpError {
                url: url.to_string(),
                status: Some(status.as_u16()),
                message: status.canonical_reason().unwrap_or("").to_string(),
                authenticate,
            });
        }
        let body = resp
            .body_mut()
            .with_config()
            .limit(crate::chart::MAX_CHART_SIZE)
            .read_to_vec()
            .map_err(unreachable)?;
        Ok(Response {
            body,
            content_type,
            docker_digest,
            link,
        })
    }
}

/// `Basic base64(user:password)`.
pub fn basic_auth(user: &str, password: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

/// The `scheme://host:port` of a URL, for Helm's same-host credential check.
pub fn origin(url: &str) -> &str {
    match url.find("://") {
        Some(i) => match url[i + 3..].find(['/', '?', '#']) {
            Some(j) => &url[..i + 3 + j],
            None => url,
        },
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_and_basic_auth() {
        assert_eq!(origin("http://a:1/b/c"), "http://a:1");
        assert_eq!(origin("https://a"), "https://a");
        assert_eq!(basic_auth("u", "p"), "Basic dTpw");
    }
}
