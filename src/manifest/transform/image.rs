//! Container image references and registry rewrites.
//!
//! References are read as the container runtimes read them (distribution/reference's
//! `ParseNormalizedNamed`, the grammar in its `regexp.go`): a first path component with a `.` or
//! a `:`, or `localhost`, or an upper-case letter is the registry; otherwise the registry is
//! Docker Hub (`docker.io`, which `index.docker.io` also means), and a Docker Hub name with one
//! component is under `library/` (`redis:7.2.5` is `docker.io/library/redis:7.2.5`).

use regex::Regex;
use std::fmt;
use std::sync::OnceLock;

/// Docker Hub, as references name it once normalised.
pub const DOCKER_HUB: &str = "docker.io";

/// A parsed image reference: `registry/path[:tag][@digest]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The registry host, with its port when it has one (`host:5000`).
    pub registry: String,
    /// The repository path inside the registry (`library/redis`, `opencsghq/dataflow`).
    pub path: String,
    pub tag: Option<String>,
    /// `sha256:…`.
    pub digest: Option<String>,
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.path)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|_| unreachable!("a fixed pattern")))
}

/// One path component (distribution/reference's `pathComponent`).
fn component() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
}

/// A registry: host name labels or an IPv6 literal, an optional port.
fn host() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$",
    )
}

fn tag_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^[\w][\w.-]{0,127}$")
}

fn digest_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$",
    )
}

/// Whether the first component of a name is a registry (distribution's `splitDockerDomain`).
fn is_registry(first: &str) -> bool {
    first.contains(['.', ':']) || first == "localhost" || first.chars().any(char::is_uppercase)
}

fn normalise_registry(r: &str) -> &str {
    if r == "index.docker.io" {
        DOCKER_HUB
    } else {
        r
    }
}

/// Parses `image` and normalises it (registry made explicit, `library/` for Docker Hub's
/// official images). The error says what is wrong, in a few words.
pub fn parse(image: &str) -> Result<Reference, String> {
    if image.is_empty() {
        return Err("an image reference cannot be empty".into());
    }
    let (name_tag, digest) = match image.split_once('@') {
        Some((n, d)) => {
            if !digest_re().is_match(d) {
                return Err(format!("invalid digest {d:?}"));
            }
            (n, Some(d.to_string()))
        }
        None => (image, None),
    };
    let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name_tag[last_slash..].rfind(':') {
        Some(i) => {
            let t = &name_tag[last_slash + i + 1..];
            if !tag_re().is_match(t) {
                return Err(format!("invalid tag {t:?}"));
            }
            (&name_tag[..last_slash + i], Some(t.to_string()))
        }
        None => (name_tag, None),
    };
    let (registry, path) = match name.split_once('/') {
        Some((first, rest)) if is_registry(first) => (normalise_registry(first), rest.to_string()),
        _ => (DOCKER_HUB, name.to_string()),
    };
    if !host().is_match(registry) {
        return Err(format!("invalid registry {registry:?}"));
    }
    if path.is_empty() || !path.split('/').all(|c| component().is_match(c)) {
        return Err(format!(
            "invalid repository name {path:?} (lower-case letters, digits and . _ - separators)"
        ));
    }
    let path = if registry == DOCKER_HUB && !path.contains('/') {
        format!("library/{path}")
    } else {
        path
    };
    Ok(Reference {
        registry: registry.to_string(),
        path,
        tag,
        digest,
    })
}

/// A registry as `--image-registry` and `--registry-map` take it: `host[:port]` and an optional
/// path under which repositories live (`mirror.example.com/dockerhub`). Returned without a
/// trailing `/`; `index.docker.io` is `docker.io`.
pub fn parse_registry(text: &str) -> Result<String, String> {
    let t = text.trim_end_matches('/');
    if t.contains("://") {
        return Err("a registry is host[:port][/path], without a scheme".into());
    }
    let (first, rest) = match t.split_once('/') {
        Some((f, r)) => (f, Some(r)),
        None => (t, None),
    };
    if first.is_empty() || !host().is_match(first) {
        return Err("a registry is host[:port][/path], such as registry.example.com:5000".into());
    }
    if !is_registry(first) {
        return Err(format!(
            "{first:?} is not a registry host (it has no `.` or `:` and is not localhost), so it would mean a Docker Hub repository"
        ));
    }
    if let Some(rest) = rest {
        if !rest.split('/').all(|c| component().is_match(c)) {
            return Err(format!("invalid repository path {rest:?} after the host"));
        }
    }
    let host = normalise_registry(first);
    Ok(match rest {
        Some(r) => format!("{host}/{r}"),
        None => host.to_string(),
    })
}

/// How images move: `map` (from → to, longest `from` first) for the images of those registries
/// (or registry paths), `registry` for every other image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rewrite {
    pub registry: Option<String>,
    map: Vec<(String, String)>,
}

impl Rewrite {
    /// `registry` and `map` already validated with [`parse_registry`].
    pub fn new(registry: Option<String>, mut map: Vec<(String, String)>) -> Rewrite {
        // The most specific prefix wins; among equals, the last one given (as flags override).
        map.reverse();
        map.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
        Rewrite { registry, map }
    }

    pub fn is_empty(&self) -> bool {
        self.registry.is_none() && self.map.is_empty()
    }

    /// The new reference for `image`, or None when it stays as it is.
    pub fn apply(&self, image: &str) -> Result<Option<String>, String> {
        let r = parse(image)?;
        let full = format!("{}/{}", r.registry, r.path);
        let under = |prefix: &str| {
            full.strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('/'))
                .map(str::to_string)
        };
        let moved = self
            .map
            .iter()
            .find_map(|(from, to)| under(from).map(|rest| format!("{to}/{rest}")))
            .or_else(|| {
                let reg = self.registry.as_ref()?;
                // Already under the target registry: leave it (post-rendering twice changes
                // nothing).
                if under(reg).is_some() {
                    return None;
                }
                Some(format!("{reg}/{}", r.path))
            });
        let Some(name) = moved else { return Ok(None) };
        let mut out = name;
        if let Some(t) = &r.tag {
            out.push(':');
            out.push_str(t);
        }
        if let Some(d) = &r.digest {
            out.push('@');
            out.push_str(d);
        }
        Ok((out != image).then_some(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e}")).to_string()
    }

    #[test]
    fn normalises_as_container_runtimes_do() {
        assert_eq!(p("redis:7.2.5"), "docker.io/library/redis:7.2.5");
        assert_eq!(p("redis"), "docker.io/library/redis");
        assert_eq!(p("library/redis"), "docker.io/library/redis");
        assert_eq!(p("index.docker.io/redis"), "docker.io/library/redis");
        assert_eq!(
            p("opencsghq/psql:latest"),
            "docker.io/opencsghq/psql:latest"
        );
        assert_eq!(p("host:5000/app:1"), "host:5000/app:1");
        assert_eq!(p("localhost/app"), "localhost/app");
        assert_eq!(p("[::1]:5000/a/b:c"), "[::1]:5000/a/b:c");
        let d = "sha256:".to_string() + &"a".repeat(64);
        assert_eq!(p(&format!("quay.io/x/y@{d}")), format!("quay.io/x/y@{d}"));
        assert_eq!(
            p(&format!("nginx:1.27@{d}")),
            format!("docker.io/library/nginx:1.27@{d}")
        );
        let r = parse("host:5000/a/b").unwrap();
        assert_eq!((r.registry.as_str(), r.tag), ("host:5000", None));
    }

    #[test]
    fn refuses_what_no_runtime_pulls() {
        for bad in [
            "",
            ":",
            "Redis:1",
            "a//b",
            "x:1@sha256:zz",
            "a:b:c",
            "app:",
            "-a",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn registries_as_flags_take_them() {
        assert_eq!(parse_registry("mirror.io/").unwrap(), "mirror.io");
        assert_eq!(parse_registry("host:5000/dh").unwrap(), "host:5000/dh");
        assert_eq!(parse_registry("index.docker.io").unwrap(), "docker.io");
        assert!(parse_registry("https://mirror.io").is_err());
        assert!(parse_registry("bitnami")
            .unwrap_err()
            .contains("Docker Hub"));
        assert!(parse_registry("").is_err());
        assert!(parse_registry("m.io/UP").is_err());
    }

    #[test]
    fn every_image_gets_the_registry_keeping_path_tag_and_digest() {
        let rw = Rewrite::new(Some("mirror.io".into()), vec![]);
        let a = |s: &str| rw.apply(s).unwrap();
        assert_eq!(
            a("redis:7.2.5").as_deref(),
            Some("mirror.io/library/redis:7.2.5")
        );
        assert_eq!(a("host:5000/app:1").as_deref(), Some("mirror.io/app:1"));
        assert_eq!(a("ghcr.io/o/i").as_deref(), Some("mirror.io/o/i"));
        let d = "sha256:".to_string() + &"0".repeat(64);
        assert_eq!(
            a(&format!("quay.io/x/y:v1@{d}")),
            Some(format!("mirror.io/x/y:v1@{d}"))
        );
        assert_eq!(a("mirror.io/x/y:1"), None);
        let prefixed = Rewrite::new(Some("m.io/hub".into()), vec![]);
        let once = prefixed.apply("busybox").unwrap().unwrap();
        assert_eq!(once, "m.io/hub/library/busybox");
        assert_eq!(prefixed.apply(&once).unwrap(), None, "idempotent");
    }

    #[test]
    fn registry_map_moves_only_its_registries() {
        let rw = Rewrite::new(
            None,
            vec![
                ("docker.io".into(), "hub.local".into()),
                ("docker.io/bitnami".into(), "b.local/bn".into()),
                ("host:5000".into(), "h.local:6000".into()),
            ],
        );
        let a = |s: &str| rw.apply(s).unwrap();
        assert_eq!(a("redis:7").as_deref(), Some("hub.local/library/redis:7"));
        assert_eq!(a("bitnami/pg:16").as_deref(), Some("b.local/bn/pg:16"));
        assert_eq!(a("host:5000/app:1").as_deref(), Some("h.local:6000/app:1"));
        assert_eq!(a("quay.io/x/y:1"), None);
        // `docker.io/bit` is not a prefix of `docker.io/bitnami/...` at a component boundary.
        let rw = Rewrite::new(None, vec![("docker.io/bit".into(), "x.io".into())]);
        assert_eq!(rw.apply("bitnami/pg").unwrap(), None);
        // A map and a registry: mapped images follow the map, the others the registry.
        let rw = Rewrite::new(
            Some("all.io".into()),
            vec![("quay.io".into(), "q.local".into())],
        );
        assert_eq!(
            rw.apply("quay.io/a/b").unwrap().as_deref(),
            Some("q.local/a/b")
        );
        assert_eq!(
            rw.apply("nginx").unwrap().as_deref(),
            Some("all.io/library/nginx")
        );
    }
}
