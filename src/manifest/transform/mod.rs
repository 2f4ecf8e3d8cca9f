//! `chartr post-render`: transforms of a manifest stream, as Helm's post-renderers get it.
//!
//! The stream is cut into documents with Helm's splitter ([`crate::manifest::split_manifests`]),
//! each document is read with chartr's YAML reader (Helm's: sigs.k8s.io/yaml over go-yaml) and,
//! when a transform changes it, written back with chartr's writer (what Helm's `toYaml`
//! prints), its leading comment lines kept. Documents no transform changes are written back as
//! they came. What Helm needs to put documents back in their files is kept:
//! - Helm v3 (v3.17.3 pkg/action/action.go `renderResources`) sends `---\n# Source: FILE\n…`
//!   documents and prints what it gets back: the `# Source:` line stays above its document;
//! - Helm v4 (v4.1.4 pkg/action/action.go `annotateAndMerge` / `splitAndDeannotate`) re-serialises
//!   the stream with kyaml, annotates every document with `postrenderer.helm.sh/postrender-filename`
//!   and rebuilds the files from that annotation; a document without it comes back as
//!   `generated-by-postrender-N.yaml`. The annotation is put back if a patch removes or changes it.
//!
//! Transforms run on each object in this order (a fixed order, whatever the order of the flags):
//! 1. patches (`--patch`, config `patches:`), in the order given, on the objects as rendered;
//! 2. `--namespace` on namespaced objects that have none;
//! 3. `--label`, then `--annotation`, on every object and on its pod templates (`spec.template`,
//!    a CronJob's `jobTemplate` and its pod template, an EnvoyProxy's pods), never on selectors;
//! 4. image registries (`--registry-map`, `--image-registry`) on every container image;
//! 5. `--pull-secret` on every pod spec.
//!
//! Items of a `kind: …List` document (`kubectl get -o yaml` output) are objects in their own right.

pub mod config;
pub mod image;
pub mod patch;
pub mod scope;
mod select;

use crate::manifest::split_manifests;
use crate::{Map, Value};
use image::Rewrite;
use patch::Patch;
use scope::{group_of, KindRef, Scopes};
use std::fmt;

/// The annotation Helm v4 puts on each document it sends to a post-renderer.
pub const FILENAME_ANNOTATION: &str = "postrenderer.helm.sh/postrender-filename";

/// How error messages name standard input.
pub const STDIN: &str = "<stdin>";

/// Every transform to apply; empty fields do nothing.
#[derive(Debug, Clone, Default)]
pub struct Transforms {
    pub patches: Vec<Patch>,
    pub namespace: Option<String>,
    pub cluster_scoped: Vec<KindRef>,
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
    pub images: Rewrite,
    pub pull_secrets: Vec<String>,
}

/// Why post-rendering failed. Display says where (`<stdin>:LINE`, a file) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The stream itself: not YAML, a document that is not a map.
    Stream { line: usize, message: String },
    /// A transform that cannot apply to an object.
    Object {
        line: usize,
        object: String,
        message: String,
    },
    /// A patch whose target selects no object of the stream.
    Unmatched { source: String, target: String },
    /// A flag, the config file or a patch file.
    Setting(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Stream { line, message } => write!(f, "{STDIN}:{line}: {message}"),
            Error::Object {
                line,
                object,
                message,
            } => write!(f, "{STDIN}:{line}: {object}: {message}"),
            Error::Unmatched { source, target } => write!(
                f,
                "{source}: no object in the stream matches the patch's target ({target})"
            ),
            Error::Setting(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

/// One document of the stream.
struct Doc<'a> {
    /// The document's text, trimmed, as Helm's splitter gives it.
    text: &'a str,
    /// Its first line in the stream (1-based).
    line: usize,
    /// Its leading comment lines (`# Source: …`), each ending in a newline.
    head: &'a str,
    /// Its YAML documents (one, except in odd streams), empty ones left out.
    values: Vec<Value>,
}

/// The leading lines of `text` that are comments or blank. go-yaml also breaks lines at CR,
/// NEL, LS and PS: a line holding one of them inside is not all comment (`#<NEL> d: r` is the
/// map `{d: r}`), so the head stops before it.
fn head_comments(text: &str) -> &str {
    let mut end = 0;
    for l in text.split_inclusive('\n') {
        let t = l.trim();
        let body = l.strip_suffix('\n').unwrap_or(l);
        let body = body.strip_suffix('\r').unwrap_or(body);
        let inner_break = body.contains(['\r', '\u{85}', '\u{2028}', '\u{2029}']);
        if !(t.is_empty() || t.starts_with('#')) || !l.ends_with('\n') || inner_break {
            break;
        }
        end += l.len();
    }
    &text[..end]
}

fn read_stream(input: &str) -> Result<Vec<Doc<'_>>, Error> {
    let mut docs = Vec::new();
    let mut pos = 0;
    let mut line = 1;
    for piece in split_manifests(input) {
        // Each piece is a trimmed slice of the input, in order: find it to know its line.
        let at = input[pos..].find(piece.as_str()).map_or(pos, |i| pos + i);
        line += input[pos..at].bytes().filter(|b| *b == b'\n').count();
        pos = at;
        let text = &input[at..at + piece.len().min(input.len() - at)];
        let values = crate::yaml::parse_all_at(text, STDIN, line - 1)
            .map_err(|e| Error::Stream {
                line: e.line,
                message: e.message,
            })?
            .into_iter()
            .filter(|v| !v.is_null())
            .collect::<Vec<_>>();
        for v in &values {
            if !v.is_object() {
                return Err(Error::Stream {
                    line: line + head_comments(text).bytes().filter(|b| *b == b'\n').count(),
                    message: format!(
                        "a manifest must be a map (an object with apiVersion, kind and metadata), not {}",
                        what(v)
                    ),
                });
            }
        }
        let head = head_comments(text);
        docs.push(Doc {
            text,
            // Messages point at the object, below its comments.
            line: line + head.bytes().filter(|b| *b == b'\n').count(),
            head,
            values,
        });
    }
    Ok(docs)
}

fn what(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "a list",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
        Value::Object(_) => "a map",
    }
}

/// Post-renders `input` (a manifest stream) with `t`: the documents in order, framed with
/// `---` as `helm template` prints them.
pub fn post_render(input: &str, t: &Transforms) -> Result<String, Error> {
    let docs = read_stream(input)?;
    if docs.is_empty() {
        return Err(Error::Stream {
            line: 1,
            message: "standard input holds no manifests (Helm treats an empty post-render output as an error)".into(),
        });
    }
    let scopes = Scopes::new(
        &t.cluster_scoped,
        docs.iter().flat_map(|d| d.values.iter()).flat_map(objects),
    );
    let mut hits = vec![0usize; t.patches.len()];
    let mut out = String::with_capacity(input.len() + input.len() / 4);
    for doc in &docs {
        let mut changed = Vec::with_capacity(doc.values.len());
        for v in &doc.values {
            let mut v2 = v.clone();
            let mut ctx = Ctx {
                t,
                scopes: &scopes,
                hits: &mut hits,
                line: doc.line,
            };
            match v2.get("items") {
                Some(Value::Array(_)) if is_list(&v2) => {
                    if let Some(Value::Array(items)) = v2.get_mut("items") {
                        for item in items.iter_mut().filter(|i| i.is_object()) {
                            ctx.object(item)?;
                        }
                    }
                }
                _ => ctx.object(&mut v2)?,
            }
            changed.push((v2 != *v).then_some(v2));
        }
        out.push_str("---\n");
        if changed.iter().all(Option::is_none) {
            out.push_str(doc.text);
            out.push('\n');
            continue;
        }
        out.push_str(doc.head);
        for (i, (orig, new)) in doc.values.iter().zip(&changed).enumerate() {
            if i > 0 {
                out.push_str("---\n");
            }
            let text = crate::yaml::to_yaml(new.as_ref().unwrap_or(orig));
            if text.is_empty() {
                return Err(Error::Object {
                    line: doc.line,
                    object: describe(orig),
                    message: "holds characters YAML cannot carry (DEL, C1 controls)".into(),
                });
            }
            out.push_str(&text);
        }
    }
    for (p, n) in t.patches.iter().zip(&hits) {
        if *n == 0 {
            return Err(Error::Unmatched {
                source: p.source.clone(),
                target: p.target.to_string(),
            });
        }
    }
    Ok(out)
}

fn is_list(v: &Value) -> bool {
    v.get("kind")
        .and_then(Value::as_str)
        .is_some_and(|k| k.ends_with("List"))
}

/// The objects of a document: itself, or the items of a List.
fn objects(v: &Value) -> Box<dyn Iterator<Item = &Value> + '_> {
    match v.get("items") {
        Some(Value::Array(items)) if is_list(v) => Box::new(items.iter()),
        _ => Box::new(std::iter::once(v)),
    }
}

fn str_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// `Deployment/web` (or `document` for an object without kind and name), for messages.
fn describe(v: &Value) -> String {
    let kind = str_at(v, "kind");
    let name = v.get("metadata").map_or("", |m| str_at(m, "name"));
    match (kind, name) {
        ("", "") => "document".into(),
        (k, "") => k.into(),
        ("", n) => n.into(),
        (k, n) => format!("{k}/{n}"),
    }
}

/// Where pod templates and pod specs stand in the workload kinds.
struct Shape {
    /// Template metadata that gets labels and annotations (besides the object's own).
    metas: &'static [&'static [&'static str]],
    /// Pod specs.
    pods: &'static [&'static [&'static str]],
}

fn shape(group: &str, kind: &str) -> Shape {
    const TEMPLATE_META: &[&[&str]] = &[&["spec", "template", "metadata"]];
    const TEMPLATE_POD: &[&[&str]] = &[&["spec", "template", "spec"]];
    match (group, kind) {
        ("", "Pod") => Shape {
            metas: &[],
            pods: &[&["spec"]],
        },
        ("", "PodTemplate") => Shape {
            metas: &[&["template", "metadata"]],
            pods: &[&["template", "spec"]],
        },
        ("", "ReplicationController")
        | ("apps" | "extensions", "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet")
        | ("batch", "Job") => Shape {
            metas: TEMPLATE_META,
            pods: TEMPLATE_POD,
        },
        ("batch", "CronJob") => Shape {
            metas: &[
                &["spec", "jobTemplate", "metadata"],
                &["spec", "jobTemplate", "spec", "template", "metadata"],
            ],
            pods: &[&["spec", "jobTemplate", "spec", "template", "spec"]],
        },
        _ => Shape {
            metas: &[],
            pods: &[],
        },
    }
}

/// Envoy Gateway's EnvoyProxy: the proxies' Deployment or DaemonSet settings.
const ENVOY_PROXY_WORKLOADS: [&str; 2] = ["envoyDeployment", "envoyDaemonSet"];

fn at_mut<'a>(v: &'a mut Value, path: &[&str]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, k| v.get_mut(*k))
}

struct Ctx<'a> {
    t: &'a Transforms,
    scopes: &'a Scopes,
    hits: &'a mut [usize],
    line: usize,
}

impl Ctx<'_> {
    fn err(&self, obj: &Value, message: String) -> Error {
        Error::Object {
            line: self.line,
            object: describe(obj),
            message,
        }
    }

    fn object(&mut self, obj: &mut Value) -> Result<(), Error> {
        let t = self.t;
        let filename = obj
            .get("metadata")
            .and_then(|m| m.get("annotations"))
            .and_then(|a| a.get(FILENAME_ANNOTATION))
            .cloned();
        let before = describe(obj);
        for (i, p) in t.patches.iter().enumerate() {
            if !p.target.matches(obj) {
                continue;
            }
            self.hits[i] += 1;
            p.apply(obj)
                .map_err(|e| self.err(obj, format!("patch {}: {e}", p.source)))?;
            if !obj.is_object() {
                return Err(Error::Object {
                    line: self.line,
                    object: before,
                    message: format!("patch {} leaves {} instead of a map", p.source, what(obj)),
                });
            }
        }
        let api = str_at(obj, "apiVersion").to_string();
        let kind = str_at(obj, "kind").to_string();
        if let Some(ns) = &t.namespace {
            let has = obj
                .get("metadata")
                .and_then(|m| m.get("namespace"))
                .is_some_and(|n| !n.is_null() && n.as_str() != Some(""));
            if !has && !kind.is_empty() && !self.scopes.is_cluster_scoped(&api, &kind) {
                self.metadata(obj)?
                    .insert("namespace".into(), Value::String(ns.clone()));
            }
        }
        let sh = shape(group_of(&api), &kind);
        let envoy = group_of(&api) == "gateway.envoyproxy.io" && kind == "EnvoyProxy";
        for (field, entries) in [("labels", &t.labels), ("annotations", &t.annotations)] {
            if entries.is_empty() {
                continue;
            }
            let meta = self.metadata(obj)?;
            self.set_entries(meta, field, entries, &before)?;
            for path in sh.metas {
                let Some(m) = at_mut(obj, &path[..path.len() - 1]) else {
                    continue;
                };
                let Some(m) = m.as_object_mut() else { continue };
                let meta = child_map(m, "metadata").map_err(|e| self.err_named(&before, e))?;
                self.set_entries(meta, field, entries, &before)?;
            }
            if field == "labels" && !sh.metas.is_empty() {
                self.check_selector(obj, entries, &before)?;
            }
            if envoy {
                for w in ENVOY_PROXY_WORKLOADS {
                    if let Some(Value::Object(wl)) =
                        at_mut(obj, &["spec", "provider", "kubernetes", w])
                    {
                        let pod = child_map(wl, "pod").map_err(|e| self.err_named(&before, e))?;
                        self.set_entries(pod, field, entries, &before)?;
                    }
                }
            }
        }
        if !t.images.is_empty() {
            for path in sh.pods {
                if let Some(Value::Object(pod)) = at_mut(obj, path) {
                    self.pod_images(pod, &before)?;
                }
            }
            if envoy {
                for w in ENVOY_PROXY_WORKLOADS {
                    let Some(Value::Object(wl)) =
                        at_mut(obj, &["spec", "provider", "kubernetes", w])
                    else {
                        continue;
                    };
                    if let Some(Value::Object(c)) = wl.get_mut("container") {
                        self.container_image(c, &before, &format!("{w}.container"))?;
                    }
                    self.container_list(wl, "initContainers", &before)?;
                    if let Some(Value::Object(pod)) = wl.get_mut("pod") {
                        self.volume_images(pod, &before)?;
                    }
                }
            }
        }
        if !t.pull_secrets.is_empty() {
            for path in sh.pods {
                if let Some(Value::Object(pod)) = at_mut(obj, path) {
                    self.pull_secrets(pod, &before)?;
                }
            }
            if envoy {
                for w in ENVOY_PROXY_WORKLOADS {
                    if let Some(Value::Object(wl)) =
                        at_mut(obj, &["spec", "provider", "kubernetes", w])
                    {
                        let pod = child_map(wl, "pod").map_err(|e| self.err_named(&before, e))?;
                        self.pull_secrets(pod, &before)?;
                    }
                }
            }
        }
        if let Some(f) = filename {
            let meta = self.metadata(obj)?;
            let ann = child_map(meta, "annotations").map_err(|e| self.err_named(&before, e))?;
            if ann.get(FILENAME_ANNOTATION) != Some(&f) {
                ann.insert(FILENAME_ANNOTATION.into(), f);
            }
        }
        Ok(())
    }

    fn err_named(&self, object: &str, message: String) -> Error {
        Error::Object {
            line: self.line,
            object: object.to_string(),
            message,
        }
    }

    fn metadata<'v>(&self, obj: &'v mut Value) -> Result<&'v mut Map, Error> {
        let name = describe(obj);
        match obj.as_object_mut() {
            Some(m) => child_map(m, "metadata").map_err(|e| self.err_named(&name, e)),
            None => Err(self.err_named(&name, "not a map".into())),
        }
    }

    fn set_entries(
        &self,
        meta: &mut Map,
        field: &str,
        entries: &[(String, String)],
        object: &str,
    ) -> Result<(), Error> {
        let m = child_map(meta, field).map_err(|e| self.err_named(object, e))?;
        for (k, v) in entries {
            if m.get(k).and_then(Value::as_str) != Some(v) {
                m.insert(k.clone(), Value::String(v.clone()));
            }
        }
        Ok(())
    }

    /// A label that changes a pod-template label the workload's selector uses would leave the
    /// workload selecting none of its pods: refuse it.
    fn check_selector(
        &self,
        obj: &Value,
        labels: &[(String, String)],
        object: &str,
    ) -> Result<(), Error> {
        let Some(sel) = obj.get("spec").and_then(|s| s.get("selector")) else {
            return Ok(());
        };
        let match_labels = sel.get("matchLabels").unwrap_or(sel);
        for (k, v) in labels {
            let used = match_labels.get(k).is_some()
                || sel
                    .get("matchExpressions")
                    .and_then(Value::as_array)
                    .is_some_and(|es| {
                        es.iter()
                            .any(|e| e.get("key").and_then(Value::as_str) == Some(k))
                    });
            let selected = match_labels.get(k).and_then(Value::as_str);
            if used && selected != Some(v.as_str()) {
                return Err(self.err_named(
                    object,
                    format!(
                        "--label {k}={v} would change the pod-template label {k} that the selector uses (selectors are never changed): choose another key"
                    ),
                ));
            }
        }
        Ok(())
    }

    fn rewrite(&self, image: &str, object: &str, at: &str) -> Result<Option<String>, Error> {
        self.t.images.apply(image).map_err(|e| {
            self.err_named(
                object,
                format!("{at}: image {image:?} is not an image reference: {e}"),
            )
        })
    }

    fn container_image(&self, c: &mut Map, object: &str, at: &str) -> Result<(), Error> {
        if let Some(Value::String(image)) = c.get("image") {
            if let Some(new) = self.rewrite(image, object, at)? {
                c.insert("image".into(), Value::String(new));
            }
        }
        Ok(())
    }

    fn container_list(&self, pod: &mut Map, field: &str, object: &str) -> Result<(), Error> {
        if let Some(Value::Array(cs)) = pod.get_mut(field) {
            for (i, c) in cs.iter_mut().enumerate() {
                if let Value::Object(c) = c {
                    let name = c.get("name").and_then(Value::as_str).map(str::to_string);
                    let at = match name {
                        Some(n) => format!("{field}[{i}] ({n})"),
                        None => format!("{field}[{i}]"),
                    };
                    self.container_image(c, object, &at)?;
                }
            }
        }
        Ok(())
    }

    /// Image volumes (`volumes[].image.reference`, Kubernetes 1.31+) are pulled like images.
    fn volume_images(&self, pod: &mut Map, object: &str) -> Result<(), Error> {
        if let Some(Value::Array(vs)) = pod.get_mut("volumes") {
            for (i, v) in vs.iter_mut().enumerate() {
                if let Some(Value::Object(img)) = v.get_mut("image") {
                    if let Some(Value::String(r)) = img.get("reference") {
                        let at = format!("volumes[{i}].image.reference");
                        if let Some(new) = self.rewrite(r, object, &at)? {
                            img.insert("reference".into(), Value::String(new));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn pod_images(&self, pod: &mut Map, object: &str) -> Result<(), Error> {
        for field in ["initContainers", "containers", "ephemeralContainers"] {
            self.container_list(pod, field, object)?;
        }
        self.volume_images(pod, object)
    }

    fn pull_secrets(&self, pod: &mut Map, object: &str) -> Result<(), Error> {
        let list = match pod.get_mut("imagePullSecrets") {
            Some(Value::Array(a)) => a,
            Some(Value::Null) | None => {
                pod.insert("imagePullSecrets".into(), Value::Array(Vec::new()));
                match pod.get_mut("imagePullSecrets") {
                    Some(Value::Array(a)) => a,
                    _ => unreachable!("just inserted"),
                }
            }
            Some(other) => {
                return Err(self.err_named(
                    object,
                    format!("imagePullSecrets is {}, expected a list", what(other)),
                ))
            }
        };
        for name in &self.t.pull_secrets {
            let present = list
                .iter()
                .any(|s| s.get("name").and_then(Value::as_str) == Some(name));
            if !present {
                let mut m = Map::new();
                m.insert("name".into(), Value::String(name.clone()));
                list.push(Value::Object(m));
            }
        }
        Ok(())
    }
}

/// The map under `key` in `m`, made when absent or null; an error when it is something else.
fn child_map<'a>(m: &'a mut Map, key: &str) -> Result<&'a mut Map, String> {
    if matches!(m.get(key), None | Some(Value::Null)) {
        m.insert(key.to_string(), Value::Object(Map::new()));
    }
    match m.get_mut(key) {
        Some(Value::Object(x)) => Ok(x),
        Some(other) => Err(format!("{key} is {}, expected a map", what(other))),
        None => unreachable!("just inserted"),
    }
}

#[cfg(test)]
mod tests;
