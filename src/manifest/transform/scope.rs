//! Which kinds are cluster-scoped: the built-in and well-known ones of `cluster-scoped.txt`,
//! CustomResourceDefinitions in the stream (`spec.scope`), and kinds the user names.

use crate::Value;
use std::collections::HashSet;

const BUILT_IN: &str = include_str!("cluster-scoped.txt");

/// The API group of an `apiVersion` (`apps/v1` → `apps`, `v1` → the core group, ``).
pub fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(g, _)| g)
}

/// A kind as `--cluster-scoped` names it: `KIND` (in any group) or `KIND.GROUP`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindRef {
    pub kind: String,
    pub group: Option<String>,
}

impl KindRef {
    pub fn parse(text: &str) -> Result<KindRef, String> {
        let (kind, group) = match text.split_once('.') {
            Some((k, g)) => (k, Some(g.to_string())),
            None => (text, None),
        };
        if kind.is_empty() || !kind.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!(
                "{text:?} is not a kind: expected KIND or KIND.GROUP, such as ClusterIssuer.cert-manager.io"
            ));
        }
        Ok(KindRef {
            kind: kind.to_string(),
            group,
        })
    }
}

/// The scope of every kind a stream can hold.
#[derive(Debug, Clone, Default)]
pub struct Scopes {
    /// (group, kind)
    cluster: HashSet<(String, String)>,
    /// Kinds the user called cluster-scoped in every group.
    cluster_any_group: HashSet<String>,
    /// Namespaced CRDs of the stream (they win over the well-known list).
    namespaced: HashSet<(String, String)>,
}

impl Scopes {
    /// The built-in list, `extra` (from `--cluster-scoped`) and the CRDs among `objects`.
    pub fn new<'a>(extra: &[KindRef], objects: impl IntoIterator<Item = &'a Value>) -> Scopes {
        let mut s = Scopes::default();
        for line in BUILT_IN.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (kind, group) = line.split_once('.').unwrap_or((line, ""));
            s.cluster.insert((group.to_string(), kind.to_string()));
        }
        for o in objects {
            let is_crd = o.get("kind").and_then(Value::as_str) == Some("CustomResourceDefinition")
                && o.get("apiVersion")
                    .and_then(Value::as_str)
                    .is_some_and(|a| group_of(a) == "apiextensions.k8s.io");
            if !is_crd {
                continue;
            }
            let spec = o.get("spec");
            let field = |k: &str| spec.and_then(|s| s.get(k)).and_then(Value::as_str);
            let kind = spec
                .and_then(|s| s.get("names"))
                .and_then(|n| n.get("kind"))
                .and_then(Value::as_str);
            if let (Some(group), Some(kind)) = (field("group"), kind) {
                let key = (group.to_string(), kind.to_string());
                if field("scope") == Some("Cluster") {
                    s.cluster.insert(key);
                } else {
                    s.cluster.remove(&key);
                    s.namespaced.insert(key);
                }
            }
        }
        for k in extra {
            match &k.group {
                Some(g) => {
                    let key = (g.clone(), k.kind.clone());
                    s.namespaced.remove(&key);
                    s.cluster.insert(key);
                }
                None => {
                    s.cluster_any_group.insert(k.kind.clone());
                }
            }
        }
        s
    }

    pub fn is_cluster_scoped(&self, api_version: &str, kind: &str) -> bool {
        let key = (group_of(api_version).to_string(), kind.to_string());
        self.cluster_any_group.contains(kind)
            || (self.cluster.contains(&key) && !self.namespaced.contains(&key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn built_in_crds_and_named_kinds() {
        let crds = [
            json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                   "spec": {"group": "x.io", "scope": "Cluster", "names": {"kind": "Wide"}}}),
            json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                   "spec": {"group": "x.io", "scope": "Namespaced", "names": {"kind": "Narrow"}}}),
            // A namespaced CRD for a kind of the well-known list wins over the list.
            json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                   "spec": {"group": "cert-manager.io", "scope": "Namespaced", "names": {"kind": "ClusterIssuer"}}}),
        ];
        let extra = [
            KindRef::parse("Tenant").unwrap(),
            KindRef::parse("Zone.dns.io").unwrap(),
        ];
        let s = Scopes::new(&extra, crds.iter());
        assert!(s.is_cluster_scoped("v1", "Namespace"));
        assert!(s.is_cluster_scoped("rbac.authorization.k8s.io/v1", "ClusterRole"));
        assert!(!s.is_cluster_scoped("v1", "ConfigMap"));
        assert!(!s.is_cluster_scoped("apps/v1", "Deployment"));
        // A kind is cluster-scoped in its group only.
        assert!(!s.is_cluster_scoped("other.io/v1", "ClusterRole"));
        assert!(s.is_cluster_scoped("gateway.networking.k8s.io/v1", "GatewayClass"));
        assert!(s.is_cluster_scoped("x.io/v1", "Wide"));
        assert!(!s.is_cluster_scoped("x.io/v1", "Narrow"));
        assert!(!s.is_cluster_scoped("cert-manager.io/v1", "ClusterIssuer"));
        assert!(s.is_cluster_scoped("any.io/v1", "Tenant"));
        assert!(s.is_cluster_scoped("dns.io/v1", "Zone"));
        assert!(!s.is_cluster_scoped("other.io/v1", "Zone"));
    }

    #[test]
    fn kind_refs() {
        assert!(KindRef::parse("").is_err());
        assert!(KindRef::parse("a/b").is_err());
        assert_eq!(
            KindRef::parse("A.b.c").unwrap().group.as_deref(),
            Some("b.c")
        );
    }
}
