//! Objects read from manifests, indexed as the API server knows them: API group, kind,
//! namespace and name. `lookup` (`--lookup-from`), `chartr diff` and its upgrade preflight
//! (`--cluster`) read the same store.
//!
//! A store reads a manifest stream (`helm template`'s output: each document's `# Source:` line
//! is kept), a folder of them (what `--output-dir` writes: `.yaml`, `.yml`, `.json`,
//! recursively, in path order), or `kubectl get -o yaml` output (a `kind: List` with `items`).
//! Documents are cut at `---` lines as `kubectl apply -f` cuts them.

use crate::yaml::{self, YamlError};
use crate::{Map, Value};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Kinds that are not namespaced in Kubernetes: a namespace given for them is ignored, as the
/// API server (and Helm's lookup, which drops the namespace for cluster-scoped resources) does.
pub const CLUSTER_SCOPED: &[&str] = &[
    "APIService",
    "CertificateSigningRequest",
    "ClusterRole",
    "ClusterRoleBinding",
    "ComponentStatus",
    "CSIDriver",
    "CSINode",
    "CustomResourceDefinition",
    "FlowSchema",
    "GatewayClass",
    "IngressClass",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PriorityClass",
    "PriorityLevelConfiguration",
    "RuntimeClass",
    "SelfSubjectAccessReview",
    "SelfSubjectRulesReview",
    "StorageClass",
    "StorageVersionMigration",
    "SubjectAccessReview",
    "TokenReview",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
    "VolumeAttributesClass",
    "DeviceClass",
    "ClusterIssuer",
];

/// Whether objects of `kind` live outside namespaces.
pub fn is_cluster_scoped(kind: &str) -> bool {
    CLUSTER_SCOPED.contains(&kind)
}

/// An object's identity: API group (`""` for the core group), kind, namespace (`""` for
/// cluster-scoped kinds) and name. The version is not part of it: an object whose apiVersion
/// moves from `v1beta1` to `v1` is the same object.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub group: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl Key {
    /// `kubectl`'s name for the resource type: `deployment.apps`, `configmap`.
    pub fn kubectl_type(&self) -> String {
        let kind = self.kind.to_lowercase();
        if self.group.is_empty() {
            kind
        } else {
            format!("{kind}.{}", self.group)
        }
    }
}

impl fmt::Display for Key {
    /// `Deployment.apps csghub/dataflow`, `ConfigMap csghub/x`, `ClusterRole x`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        if !self.group.is_empty() {
            write!(f, ".{}", self.group)?;
        }
        if self.namespace.is_empty() {
            write!(f, " {}", self.name)
        } else {
            write!(f, " {}/{}", self.namespace, self.name)
        }
    }
}

/// The group of an apiVersion: `apps/v1` → `apps`, `v1` → `""`.
pub fn api_group(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(g, _)| g)
}

/// One object and where it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub key: Key,
    pub api_version: String,
    /// The `# Source:` name of its document (`CHART/templates/x.yaml`), when it has one.
    pub source: Option<String>,
    /// The file it was read from and the 1-based line its document starts on.
    pub file: String,
    pub line: usize,
    /// The document's text as written (for a `List` item: the item printed as YAML).
    pub text: String,
    pub value: Map,
}

impl Object {
    /// `metadata.<field>.<key>` as a string (labels, annotations).
    pub fn meta_str(&self, field: &str, key: &str) -> Option<&str> {
        self.value.get("metadata")?.get(field)?.get(key)?.as_str()
    }

    /// Whether it came from a chart's `crds/` folder (its `# Source:` path has a `crds`
    /// folder), which `helm install` applies first and `helm upgrade` never applies.
    pub fn from_crds_folder(&self) -> bool {
        self.source.as_deref().is_some_and(|s| {
            let mut parts: Vec<&str> = s.split('/').collect();
            parts.pop();
            parts.contains(&"crds")
        })
    }
}

/// A file that could not be read or parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    Read { path: String, message: String },
    Yaml(YamlError),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Read { path, message } => write!(f, "{path}: cannot read: {message}"),
            StoreError::Yaml(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<YamlError> for StoreError {
    fn from(e: YamlError) -> Self {
        StoreError::Yaml(e)
    }
}

/// Objects by identity, in the order they were read.
#[derive(Debug, Clone, Default)]
pub struct Store {
    objects: Vec<Object>,
    index: HashMap<Key, usize>,
    /// The namespace of namespaced objects that do not name one (the release's, where Helm
    /// would put them).
    default_namespace: String,
}

impl Store {
    pub fn new(default_namespace: &str) -> Store {
        Store {
            default_namespace: default_namespace.to_string(),
            ..Default::default()
        }
    }

    /// Reads a manifest stream, a folder of them (`.yaml`, `.yml`, `.json`, recursively, in
    /// path order), or `kubectl get -o yaml` output.
    pub fn load(path: &Path, default_namespace: &str) -> Result<Store, StoreError> {
        let mut store = Store::new(default_namespace);
        for f in manifest_files(path)? {
            let text = std::fs::read_to_string(&f).map_err(|e| StoreError::Read {
                path: f.display().to_string(),
                message: e.to_string(),
            })?;
            store.add_stream(&text, &f.display().to_string())?;
        }
        Ok(store)
    }

    /// Adds the objects of a YAML stream read from `file`. A document without a `# Source:`
    /// line belongs to the last one named before it: `helm template --include-crds` prints a
    /// CRD file of several documents under one `# Source:` line.
    pub fn add_stream(&mut self, text: &str, file: &str) -> Result<(), StoreError> {
        let mut last: Option<String> = None;
        for doc in yaml::parse_stream(text, file)? {
            let own = doc.text.lines().find_map(|l| {
                l.strip_prefix("# Source: ")
                    .map(|s| s.trim_end().to_string())
            });
            if own.is_some() {
                last = own;
            }
            self.add(doc.value, &doc.text, last.clone(), file, doc.first_line);
        }
        Ok(())
    }

    fn add(&mut self, doc: Value, text: &str, source: Option<String>, file: &str, line: usize) {
        let Value::Object(m) = doc else { return };
        let kind = m.get("kind").and_then(Value::as_str).unwrap_or_default();
        if kind.ends_with("List") {
            if let Some(Value::Array(items)) = m.get("items") {
                for i in items {
                    let t = yaml::to_yaml(i);
                    self.add(i.clone(), &t, None, file, line);
                }
                return;
            }
        }
        if kind.is_empty() {
            return;
        }
        let s = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
        let api_version = s(m.get("apiVersion"));
        let meta = m.get("metadata");
        let namespace = if is_cluster_scoped(kind) {
            String::new()
        } else {
            match s(meta.and_then(|x| x.get("namespace"))) {
                ns if ns.is_empty() => self.default_namespace.clone(),
                ns => ns,
            }
        };
        let key = Key {
            group: api_group(&api_version).to_string(),
            kind: kind.to_string(),
            namespace,
            name: s(meta.and_then(|x| x.get("name"))),
        };
        self.index.insert(key.clone(), self.objects.len());
        self.objects.push(Object {
            key,
            api_version,
            source,
            file: file.to_string(),
            line,
            text: text.to_string(),
            value: m,
        });
    }

    /// Every object read, in order (an object read twice appears twice; [`Store::get`] finds
    /// the last).
    pub fn objects(&self) -> &[Object] {
        &self.objects
    }

    /// The objects by identity, each once (the last read wins), in the order first read.
    pub fn unique(&self) -> impl Iterator<Item = &Object> {
        self.objects
            .iter()
            .enumerate()
            .filter(|(i, o)| self.index.get(&o.key) == Some(i))
            .map(|(_, o)| o)
    }

    pub fn get(&self, key: &Key) -> Option<&Object> {
        self.index.get(key).map(|&i| &self.objects[i])
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Helm's `lookup`: one object by name (an empty map if there is none), or with an empty
    /// name every object of that kind as a list object. An empty namespace means every
    /// namespace; a namespace given for a cluster-scoped kind is ignored. The apiVersion must
    /// match exactly, as the API server serves each version at its own path.
    pub fn lookup(&self, api_version: &str, kind: &str, namespace: &str, name: &str) -> Value {
        let cluster_scoped = is_cluster_scoped(kind);
        let matches = |o: &&Object| {
            o.api_version == api_version
                && o.key.kind == kind
                && (namespace.is_empty() || cluster_scoped || o.key.namespace == namespace)
                && (name.is_empty() || o.key.name == name)
        };
        if !name.is_empty() {
            return self.objects.iter().rfind(matches).map_or_else(
                || Value::Object(Map::new()),
                |o| Value::Object(o.value.clone()),
            );
        }
        let items: Vec<Value> = self
            .objects
            .iter()
            .filter(matches)
            .map(|o| Value::Object(o.value.clone()))
            .collect();
        let mut list = Map::new();
        list.insert("apiVersion".into(), Value::String(api_version.into()));
        list.insert("items".into(), Value::Array(items));
        list.insert("kind".into(), Value::String(format!("{kind}List")));
        let mut meta = Map::new();
        meta.insert("resourceVersion".into(), Value::String(String::new()));
        list.insert("metadata".into(), Value::Object(meta));
        Value::Object(list)
    }
}

/// The files a path names: itself, or a folder's manifest files in path order.
fn manifest_files(path: &Path) -> Result<Vec<PathBuf>, StoreError> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(path).sort_by_file_name() {
        let e = e.map_err(|e| StoreError::Read {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let p = e.path();
        let ext = p.extension().and_then(|x| x.to_str()).unwrap_or_default();
        if e.file_type().is_file() && matches!(ext, "yaml" | "yml" | "json") {
            files.push(p.to_path_buf());
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const STREAM: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  namespace: ns1
data:
  k: v1
---
# Source: chart/templates/b.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
data:
  k: v2
---
apiVersion: v1
kind: Namespace
metadata:
  name: ns1
";

    fn src() -> Store {
        let mut s = Store::new("default");
        s.add_stream(STREAM, "stream.yaml").unwrap();
        s
    }

    #[test]
    fn by_name_and_namespace() {
        let s = src();
        assert_eq!(
            s.lookup("v1", "ConfigMap", "ns1", "a")["data"]["k"],
            json!("v1")
        );
        assert_eq!(s.lookup("v1", "ConfigMap", "ns2", "a"), json!({}));
        // No namespace in the object: the release namespace.
        assert_eq!(
            s.lookup("v1", "ConfigMap", "default", "b")["data"]["k"],
            json!("v2")
        );
        assert_eq!(s.lookup("apps/v1", "ConfigMap", "ns1", "a"), json!({}));
        // Cluster-scoped: the namespace is ignored.
        assert_eq!(
            s.lookup("v1", "Namespace", "whatever", "ns1")["metadata"]["name"],
            json!("ns1")
        );
    }

    #[test]
    fn lists() {
        let s = src();
        let all = s.lookup("v1", "ConfigMap", "", "");
        assert_eq!(all["kind"], json!("ConfigMapList"));
        assert_eq!(all["apiVersion"], json!("v1"));
        assert_eq!(all["items"].as_array().unwrap().len(), 2);
        let ns1 = s.lookup("v1", "ConfigMap", "ns1", "");
        assert_eq!(ns1["items"].as_array().unwrap().len(), 1);
        let none = s.lookup("v1", "Secret", "", "");
        assert_eq!(none["items"], json!([]));
    }

    #[test]
    fn keys_sources_and_lines() {
        let s = src();
        let b = Key {
            group: String::new(),
            kind: "ConfigMap".into(),
            namespace: "default".into(),
            name: "b".into(),
        };
        let o = s.get(&b).unwrap();
        assert_eq!(o.source.as_deref(), Some("chart/templates/b.yaml"));
        assert_eq!(o.line, 9);
        assert_eq!(b.to_string(), "ConfigMap default/b");
        let ns = s.objects().last().unwrap();
        assert_eq!(ns.key.namespace, "");
        assert_eq!(ns.key.to_string(), "Namespace ns1");
        assert_eq!(api_group("apps/v1"), "apps");
        assert_eq!(api_group("v1"), "");
    }

    #[test]
    fn crds_folder() {
        let mut s = Store::new("default");
        s.add_stream(
            "# Source: c/charts/envoy/crds/gw.yaml\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: x.io\n---\n# the same file's second CRD\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: w.io\n---\n# Source: c/templates/crds.yaml\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: y.io\n",
            "s.yaml",
        )
        .unwrap();
        let flags: Vec<bool> = s.objects().iter().map(Object::from_crds_folder).collect();
        assert_eq!(flags, [true, true, false]);
    }

    #[test]
    fn kubectl_list_and_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), STREAM).unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(
            dir.path().join("sub/list.yaml"),
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: s\n    namespace: ns1\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not: read").unwrap();
        let s = Store::load(dir.path(), "default").unwrap();
        assert_eq!(
            s.lookup("v1", "Secret", "ns1", "s")["metadata"]["name"],
            json!("s")
        );
        assert_eq!(
            s.lookup("v1", "ConfigMap", "", "")["items"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(s.len(), 4);
        let e = Store::load(&dir.path().join("missing.yaml"), "default").unwrap_err();
        assert!(e.to_string().contains("missing.yaml: cannot read"), "{e}");
        std::fs::write(dir.path().join("bad.yaml"), "a: 1\n---\nb: [\n").unwrap();
        let e = Store::load(&dir.path().join("bad.yaml"), "default").unwrap_err();
        assert!(e.to_string().contains("bad.yaml:"), "{e}");
    }
}
