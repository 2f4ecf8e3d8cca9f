//! The transforms as the user gives them: flags, `--config FILE` (validated against
//! `schemas/post-render.schema.json`, errors reported as values errors are, with file and line)
//! and `--patch FILE`. Flags add to the config's lists and maps (a later key wins) and override
//! its single values (`imageRegistry`, `namespace`).

use super::image::{parse_registry, Rewrite};
use super::patch::{Body, Patch, Target};
use super::scope::KindRef;
use super::{Error, Transforms};
use crate::yaml::Lines;
use crate::{Map, Value};
use regex::Regex;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The config file's schema, compiled in (the binary needs no file beside it).
pub const SCHEMA: &str = include_str!("../../../schemas/post-render.schema.json");
/// How messages name the schema.
pub const SCHEMA_FILE: &str = "schemas/post-render.schema.json";

/// `chartr post-render`'s flags, as given.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub config: Option<PathBuf>,
    pub image_registry: Option<String>,
    pub registry_map: Vec<String>,
    pub labels: Vec<String>,
    pub annotations: Vec<String>,
    pub namespace: Option<String>,
    pub cluster_scoped: Vec<String>,
    pub pull_secrets: Vec<String>,
    pub patches: Vec<PathBuf>,
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|_| unreachable!("a fixed pattern")))
}

/// A DNS-1123 subdomain (Secret names, label key prefixes).
fn dns_subdomain(s: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    s.len() <= 253
        && re(
            &R,
            r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
        )
        .is_match(s)
}

fn dns_label(s: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    s.len() <= 63 && re(&R, r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$").is_match(s)
}

/// Kubernetes' qualified name: `[prefix/]name`, as label and annotation keys are.
fn qualified_name(s: &str) -> Result<(), String> {
    static NAME: OnceLock<Regex> = OnceLock::new();
    let (prefix, name) = match s.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, s),
    };
    if let Some(p) = prefix {
        if !dns_subdomain(p) {
            return Err(format!(
                "{s:?} is not a valid key: the prefix {p:?} must be a DNS subdomain (lower case, 253 characters at most)"
            ));
        }
    }
    let ok =
        name.len() <= 63 && re(&NAME, r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$").is_match(name);
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{s:?} is not a valid key: the name part must be 63 characters at most, alphanumerics with - _ . inside"
        ))
    }
}

fn label_value(k: &str, v: &str) -> Result<(), String> {
    static R: OnceLock<Regex> = OnceLock::new();
    if v.len() <= 63 && re(&R, r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$").is_match(v) {
        Ok(())
    } else {
        Err(format!(
            "{v:?} is not a valid value for label {k}: 63 characters at most, alphanumerics with - _ . inside, or empty"
        ))
    }
}

fn key_value(flag: &str, s: &str) -> Result<(String, String), Error> {
    s.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| Error::Setting(format!("{flag} {s:?}: expected KEY=VALUE")))
}

/// Where a config path stands: `file:line`, or `file`.
fn at(file: &str, lines: &Lines, path: &[&str]) -> String {
    let key: Vec<String> = path.iter().map(|s| s.to_string()).collect();
    match lines.get(&key) {
        Some(l) => format!("{file}:{l}"),
        None => file.to_string(),
    }
}

/// A YAML file read as a map with its line table.
fn read_map(path: &Path, what: &str) -> Result<(String, Value, Lines), Error> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Setting(format!("reading {what} {file}: {e}")))?;
    let (v, lines) =
        crate::yaml::parse_with_lines(&text, &file).map_err(|e| Error::Setting(e.to_string()))?;
    if !v.is_object() {
        return Err(Error::Setting(format!(
            "{file}:1: a {what} must be a map, not {}",
            super::what(&v)
        )));
    }
    Ok((file, v, lines))
}

fn schema() -> Result<Value, Error> {
    serde_json::from_str(SCHEMA)
        .map_err(|e| Error::Setting(format!("{SCHEMA_FILE} is not JSON: {e}")))
}

fn validate(schema: &Value, doc: &Value, file: &str, lines: &Lines) -> Result<(), Error> {
    let Some(m) = doc.as_object() else {
        return Ok(());
    };
    let violations = crate::schema::check_document(schema, m, file, lines);
    if violations.is_empty() {
        return Ok(());
    }
    let mut msg = format!("{file} doesn't meet the specifications of the schema ({SCHEMA_FILE}):");
    for v in violations {
        let path = if v.path.is_empty() { "(root)" } else { &v.path };
        msg.push_str(&format!("\n- {path}: {}", v.message));
        if let Some(o) = &v.origin {
            msg.push_str(&format!(" (from {o})"));
        }
    }
    Err(Error::Setting(msg))
}

/// Accumulates settings from the config file, then the flags.
#[derive(Default)]
struct Builder {
    registry: Option<String>,
    map: Vec<(String, String)>,
    labels: Vec<(String, String)>,
    annotations: Vec<(String, String)>,
    namespace: Option<String>,
    cluster_scoped: Vec<KindRef>,
    pull_secrets: Vec<String>,
    patches: Vec<Patch>,
}

/// Appends or replaces (a later key wins, at its first place).
fn upsert(list: &mut Vec<(String, String)>, k: String, v: String) {
    match list.iter_mut().find(|(x, _)| *x == k) {
        Some(e) => e.1 = v,
        None => list.push((k, v)),
    }
}

impl Builder {
    fn registry(&mut self, where_: &str, v: &str) -> Result<(), Error> {
        self.registry =
            Some(parse_registry(v).map_err(|e| Error::Setting(format!("{where_}: {v:?}: {e}")))?);
        Ok(())
    }

    fn map_entry(&mut self, where_: &str, from: &str, to: &str) -> Result<(), Error> {
        let f =
            parse_registry(from).map_err(|e| Error::Setting(format!("{where_}: {from:?}: {e}")))?;
        let t = parse_registry(to).map_err(|e| Error::Setting(format!("{where_}: {to:?}: {e}")))?;
        self.map.push((f, t));
        Ok(())
    }

    fn label(&mut self, where_: &str, k: &str, v: &str) -> Result<(), Error> {
        qualified_name(k)
            .and_then(|_| label_value(k, v))
            .map_err(|e| Error::Setting(format!("{where_}: {e}")))?;
        upsert(&mut self.labels, k.into(), v.into());
        Ok(())
    }

    fn annotation(&mut self, where_: &str, k: &str, v: &str) -> Result<(), Error> {
        qualified_name(k).map_err(|e| Error::Setting(format!("{where_}: {e}")))?;
        upsert(&mut self.annotations, k.into(), v.into());
        Ok(())
    }

    fn namespace(&mut self, where_: &str, v: &str) -> Result<(), Error> {
        if !dns_label(v) {
            return Err(Error::Setting(format!(
                "{where_}: {v:?} is not a valid namespace: lower-case alphanumerics and -, 63 characters at most"
            )));
        }
        self.namespace = Some(v.into());
        Ok(())
    }

    fn cluster_scoped(&mut self, where_: &str, v: &str) -> Result<(), Error> {
        self.cluster_scoped
            .push(KindRef::parse(v).map_err(|e| Error::Setting(format!("{where_}: {e}")))?);
        Ok(())
    }

    fn pull_secret(&mut self, where_: &str, v: &str) -> Result<(), Error> {
        if !dns_subdomain(v) {
            return Err(Error::Setting(format!(
                "{where_}: {v:?} is not a valid Secret name: a DNS subdomain (lower case, 253 characters at most)"
            )));
        }
        if !self.pull_secrets.iter().any(|s| s == v) {
            self.pull_secrets.push(v.into());
        }
        Ok(())
    }

    fn config(&mut self, path: &Path, schema: &Value) -> Result<(), Error> {
        let (file, doc, lines) = read_map(path, "post-render config")?;
        validate(schema, &doc, &file, &lines)?;
        let s = |k: &str| doc.get(k).and_then(Value::as_str);
        let entries = |k: &str| -> Vec<(String, String)> {
            doc.get(k)
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(a, b)| (a.clone(), b.as_str().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default()
        };
        let strings = |k: &str| -> Vec<String> {
            doc.get(k)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        if let Some(r) = s("imageRegistry") {
            self.registry(&at(&file, &lines, &["imageRegistry"]), r)?;
        }
        for (f, t) in entries("registryMap") {
            self.map_entry(&at(&file, &lines, &["registryMap", &f]), &f, &t)?;
        }
        for (k, v) in entries("labels") {
            self.label(&at(&file, &lines, &["labels", &k]), &k, &v)?;
        }
        for (k, v) in entries("annotations") {
            self.annotation(&at(&file, &lines, &["annotations", &k]), &k, &v)?;
        }
        if let Some(n) = s("namespace") {
            self.namespace(&at(&file, &lines, &["namespace"]), n)?;
        }
        for (i, k) in strings("clusterScoped").iter().enumerate() {
            self.cluster_scoped(&at(&file, &lines, &["clusterScoped", &i.to_string()]), k)?;
        }
        for (i, k) in strings("pullSecrets").iter().enumerate() {
            self.pull_secret(&at(&file, &lines, &["pullSecrets", &i.to_string()]), k)?;
        }
        let base = path.parent().unwrap_or(Path::new(""));
        if let Some(Value::Array(ps)) = doc.get("patches") {
            for (i, p) in ps.iter().enumerate() {
                let source = at(&file, &lines, &["patches", &i.to_string()]);
                self.patches.push(entry(p, source, base)?);
            }
        }
        Ok(())
    }
}

/// One `patches:` entry (`target`, and `patch` or `path`).
fn entry(p: &Value, source: String, base: &Path) -> Result<Patch, Error> {
    let fail = |e: String| Error::Setting(format!("{source}: {e}"));
    let (body, source) = match (p.get("patch"), p.get("path").and_then(Value::as_str)) {
        (Some(b), _) => (b.clone(), source.clone()),
        (None, Some(rel)) => {
            let file = base.join(rel);
            let shown = file.display().to_string();
            let text = std::fs::read_to_string(&file)
                .map_err(|e| fail(format!("reading patch {shown}: {e}")))?;
            let v = crate::yaml::parse(&text, &shown).map_err(|e| fail(e.to_string()))?;
            (v, format!("{shown} (from {source})"))
        }
        (None, None) => return Err(fail("a patch needs `patch:` or `path:`".into())),
    };
    let fail = |e: String| Error::Setting(format!("{source}: {e}"));
    match p.get("target") {
        Some(t) => {
            let target = Target::from_value(t).map_err(fail)?;
            let body = Body::from_value(&body, &source).map_err(fail)?;
            Ok(Patch::new(source.clone(), target, body))
        }
        None => {
            let parsed = match &body {
                Value::String(text) => {
                    crate::yaml::parse(text, &source).map_err(|e| fail(e.to_string()))?
                }
                other => other.clone(),
            };
            if parsed.is_array() {
                return Err(fail(
                    "a JSON Patch needs a `target:` (kind, name, namespace, labelSelector...)"
                        .into(),
                ));
            }
            Patch::of_manifest(&parsed, source.clone()).map_err(fail)
        }
    }
}

/// A `--patch FILE`: a map with `patch:` (and `target:`), validated against the schema's patch
/// entry, or a manifest that merges into the object it names.
fn patch_file(path: &Path, schema: &Value) -> Result<Patch, Error> {
    let (file, doc, lines) = read_map(path, "patch")?;
    let is_entry = ["patch", "path", "target"]
        .iter()
        .any(|k| doc.get(*k).is_some());
    if !is_entry {
        return Patch::of_manifest(&doc, file.clone())
            .map_err(|e| Error::Setting(format!("{file}: {e}")));
    }
    let mut entry_schema = Map::new();
    if let Some(defs) = schema.get("$defs") {
        entry_schema.insert("$defs".into(), defs.clone());
    }
    entry_schema.insert("$ref".into(), Value::String("#/$defs/patch".into()));
    validate(&Value::Object(entry_schema), &doc, &file, &lines)?;
    let base = path.parent().unwrap_or(Path::new(""));
    entry(&doc, file, base)
}

/// The transforms `flags` ask for: the config file's first, then the flags'.
pub fn transforms(flags: &Flags) -> Result<Transforms, Error> {
    let schema = schema()?;
    let mut b = Builder::default();
    if let Some(c) = &flags.config {
        b.config(c, &schema)?;
    }
    if let Some(r) = &flags.image_registry {
        b.registry("--image-registry", r)?;
    }
    for m in &flags.registry_map {
        let (f, t) = key_value("--registry-map", m)?;
        b.map_entry(&format!("--registry-map {m}"), &f, &t)?;
    }
    for l in &flags.labels {
        let (k, v) = key_value("--label", l)?;
        b.label(&format!("--label {l}"), &k, &v)?;
    }
    for a in &flags.annotations {
        let (k, v) = key_value("--annotation", a)?;
        b.annotation(&format!("--annotation {a}"), &k, &v)?;
    }
    if let Some(n) = &flags.namespace {
        b.namespace("--namespace", n)?;
    }
    for k in &flags.cluster_scoped {
        b.cluster_scoped("--cluster-scoped", k)?;
    }
    for s in &flags.pull_secrets {
        b.pull_secret("--pull-secret", s)?;
    }
    for p in &flags.patches {
        b.patches.push(patch_file(p, &schema)?);
    }
    Ok(Transforms {
        patches: b.patches,
        namespace: b.namespace,
        cluster_scoped: b.cluster_scoped,
        labels: b.labels,
        annotations: b.annotations,
        images: Rewrite::new(b.registry, b.map),
        pull_secrets: b.pull_secrets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values() {
        assert!(qualified_name("app.kubernetes.io/name").is_ok());
        assert!(qualified_name("team").is_ok());
        assert!(qualified_name("Bad Key").is_err());
        assert!(qualified_name("UP.io/x").is_err());
        assert!(qualified_name(&"a".repeat(64)).is_err());
        assert!(label_value("k", "").is_ok());
        assert!(label_value("k", "a.b_c-d").is_ok());
        assert!(label_value("k", "-a").is_err());
        assert!(label_value("k", &"a".repeat(64)).is_err());
    }

    #[test]
    fn flags_override_and_extend_in_order() {
        let f = Flags {
            labels: vec!["a=1".into(), "b=2".into(), "a=3".into()],
            pull_secrets: vec!["s".into(), "s".into(), "t".into()],
            ..Default::default()
        };
        let t = transforms(&f).unwrap();
        assert_eq!(
            t.labels,
            vec![("a".into(), "3".into()), ("b".into(), "2".into())]
        );
        assert_eq!(t.pull_secrets, vec!["s", "t"]);
        for (f, msg) in [
            (
                Flags {
                    labels: vec!["nokv".into()],
                    ..Default::default()
                },
                "--label \"nokv\": expected KEY=VALUE",
            ),
            (
                Flags {
                    namespace: Some("Bad_NS".into()),
                    ..Default::default()
                },
                "not a valid namespace",
            ),
            (
                Flags {
                    image_registry: Some("https://x.io".into()),
                    ..Default::default()
                },
                "without a scheme",
            ),
            (
                Flags {
                    pull_secrets: vec!["UPPER".into()],
                    ..Default::default()
                },
                "not a valid Secret name",
            ),
        ] {
            let e = transforms(&f).unwrap_err().to_string();
            assert!(e.contains(msg), "{e}");
        }
    }

    #[test]
    fn the_schema_is_json() {
        assert!(schema().is_ok());
    }
}
