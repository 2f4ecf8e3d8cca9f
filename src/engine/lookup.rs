//! `lookup(apiVersion, kind, namespace, name)`: answers from `--lookup-from` objects as the
//! API server would, or with an empty map (what `helm template` always answers).

use crate::{Map, Value};
use anyhow::{Context, Result};
use std::path::Path;

/// Kinds that are not namespaced in Kubernetes: a namespace given for them is ignored, as the
/// API server (and Helm's lookup, which drops the namespace for cluster-scoped resources) does.
const CLUSTER_SCOPED: &[&str] = &[
    "APIService",
    "CertificateSigningRequest",
    "ClusterRole",
    "ClusterRoleBinding",
    "ComponentStatus",
    "CSIDriver",
    "CSINode",
    "CustomResourceDefinition",
    "FlowSchema",
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

/// The objects `lookup` can find.
#[derive(Debug, Clone, Default)]
pub struct LookupSource {
    objects: Vec<Map>,
    /// The namespace of objects that do not name one (the release's, where Helm would put them).
    default_namespace: String,
}

impl LookupSource {
    /// Reads a manifest stream, a folder of them (`.yaml`, `.yml`, `.json`, recursively, in
    /// path order), or `kubectl get -o yaml` output (`kind: List` with `items`).
    pub fn load(path: &Path, default_namespace: &str) -> Result<LookupSource> {
        let mut files = Vec::new();
        if path.is_dir() {
            for e in walkdir::WalkDir::new(path).sort_by_file_name() {
                let e = e.with_context(|| format!("--lookup-from {}", path.display()))?;
                let p = e.path();
                let ext = p.extension().and_then(|x| x.to_str()).unwrap_or_default();
                if e.file_type().is_file() && matches!(ext, "yaml" | "yml" | "json") {
                    files.push(p.to_path_buf());
                }
            }
        } else {
            files.push(path.to_path_buf());
        }
        let mut src = LookupSource {
            objects: Vec::new(),
            default_namespace: default_namespace.to_string(),
        };
        for f in files {
            let text = std::fs::read_to_string(&f)
                .with_context(|| format!("--lookup-from {}: cannot read", f.display()))?;
            src.add_stream(&text, &f.display().to_string())?;
        }
        Ok(src)
    }

    /// Adds the objects of a YAML stream.
    pub fn add_stream(&mut self, text: &str, file: &str) -> Result<()> {
        for doc in crate::yaml::parse_all(text, file)? {
            self.add(doc);
        }
        Ok(())
    }

    fn add(&mut self, doc: Value) {
        let Value::Object(m) = doc else { return };
        let is_list = m
            .get("kind")
            .and_then(Value::as_str)
            .is_some_and(|k| k.ends_with("List"))
            && matches!(m.get("items"), Some(Value::Array(_)));
        if is_list {
            if let Some(Value::Array(items)) = m.get("items") {
                for i in items {
                    self.add(i.clone());
                }
            }
        } else if m.get("kind").and_then(Value::as_str).is_some() {
            self.objects.push(m);
        }
    }

    /// Helm's `lookup`: one object by name (an empty map if there is none), or with an empty
    /// name every object of that kind as a list object. An empty namespace means every
    /// namespace; a namespace given for a cluster-scoped kind is ignored.
    pub fn lookup(&self, api_version: &str, kind: &str, namespace: &str, name: &str) -> Value {
        let cluster_scoped = CLUSTER_SCOPED.contains(&kind);
        let matches = |o: &&Map| {
            let s = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
            let meta = o.get("metadata").and_then(Value::as_object);
            let obj_ns = s(meta.and_then(|m| m.get("namespace")));
            let obj_ns = if obj_ns.is_empty() && !cluster_scoped {
                self.default_namespace.clone()
            } else {
                obj_ns
            };
            s(o.get("apiVersion")) == api_version
                && s(o.get("kind")) == kind
                && (namespace.is_empty() || cluster_scoped || obj_ns == namespace)
                && (name.is_empty() || s(meta.and_then(|m| m.get("name"))) == name)
        };
        if !name.is_empty() {
            return self
                .objects
                .iter()
                .rfind(matches)
                .map_or_else(|| Value::Object(Map::new()), |o| Value::Object(o.clone()));
        }
        let items: Vec<Value> = self
            .objects
            .iter()
            .filter(matches)
            .map(|o| Value::Object(o.clone()))
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

    fn src() -> LookupSource {
        let mut s = LookupSource {
            default_namespace: "default".into(),
            ..Default::default()
        };
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
        let s = LookupSource::load(dir.path(), "default").unwrap();
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
        assert!(LookupSource::load(&dir.path().join("missing.yaml"), "default").is_err());
    }
}
