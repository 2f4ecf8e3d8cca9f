//! `--patch`: a JSON Patch (RFC 6902) or a JSON merge patch (RFC 7386) applied to the objects a
//! target selects, as kustomize's `patches` entries do (`target:` with `group`, `version`,
//! `kind`, `name`, `namespace`, `labelSelector`, `annotationSelector`; `name` and `namespace`
//! are regular expressions matching the whole value). The patch semantics are the `json-patch`
//! crate's; a patch whose target selects nothing is an error, never a silent no-op.

use super::scope::group_of;
use super::select::Selector;
use crate::Value;
use regex::Regex;
use std::fmt;

/// What a patch applies to.
#[derive(Debug, Clone)]
pub struct Target {
    group: Option<String>,
    version: Option<String>,
    kind: Option<String>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: Option<Selector>,
    annotations: Option<Selector>,
    /// The target as the user wrote it, for messages.
    shown: String,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

fn whole(pattern: &str) -> Result<Regex, String> {
    Regex::new(&format!("^(?:{pattern})$")).map_err(|e| format!("invalid pattern {pattern:?}: {e}"))
}

impl Target {
    /// From a `target:` map (already checked against the schema).
    pub fn from_value(v: &Value) -> Result<Target, String> {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let mut shown = Vec::new();
        for k in [
            "group",
            "version",
            "kind",
            "name",
            "namespace",
            "labelSelector",
            "annotationSelector",
        ] {
            if let Some(x) = s(k) {
                shown.push(format!("{k}={x}"));
            }
        }
        if shown.is_empty() {
            return Err("a target needs at least one of kind, name, namespace, labelSelector, annotationSelector, group, version".into());
        }
        Ok(Target {
            group: s("group"),
            version: s("version"),
            kind: s("kind"),
            name: s("name").map(|p| whole(&p)).transpose()?,
            namespace: s("namespace").map(|p| whole(&p)).transpose()?,
            labels: s("labelSelector")
                .map(|p| Selector::parse(&p))
                .transpose()?,
            annotations: s("annotationSelector")
                .map(|p| Selector::parse(&p))
                .transpose()?,
            shown: shown.join(" "),
        })
    }

    /// The object a merge patch names itself (apiVersion, kind, metadata.name and namespace),
    /// as kustomize targets a patch file without `target:`.
    fn of_manifest(v: &Value) -> Option<Target> {
        let kind = v.get("kind")?.as_str()?;
        let meta = v.get("metadata");
        let name = meta?.get("name")?.as_str()?;
        let ns = meta
            .and_then(|m| m.get("namespace"))
            .and_then(Value::as_str);
        let api = v.get("apiVersion").and_then(Value::as_str);
        let mut shown = format!("kind={kind} name={name}");
        if let Some(n) = ns {
            shown.push_str(&format!(" namespace={n}"));
        }
        Some(Target {
            group: api.map(|a| group_of(a).to_string()),
            version: None,
            kind: Some(kind.to_string()),
            name: Some(whole(&regex::escape(name)).ok()?),
            namespace: ns.and_then(|n| whole(&regex::escape(n)).ok()),
            labels: None,
            annotations: None,
            shown,
        })
    }

    pub fn matches(&self, obj: &Value) -> bool {
        fn s(v: Option<&Value>) -> &str {
            v.and_then(Value::as_str).unwrap_or("")
        }
        let api = s(obj.get("apiVersion"));
        let meta = obj.get("metadata");
        let field = |k: &str| s(meta.and_then(|m| m.get(k)));
        let map = |k: &str| meta.and_then(|m| m.get(k)).and_then(Value::as_object);
        let version = api.rsplit_once('/').map_or(api, |(_, v)| v);
        self.group.as_deref().is_none_or(|g| g == group_of(api))
            && self.version.as_deref().is_none_or(|v| v == version)
            && self.kind.as_deref().is_none_or(|k| k == s(obj.get("kind")))
            && self.name.as_ref().is_none_or(|r| r.is_match(field("name")))
            && self
                .namespace
                .as_ref()
                .is_none_or(|r| r.is_match(field("namespace")))
            && self
                .labels
                .as_ref()
                .is_none_or(|l| l.matches(map("labels")))
            && self
                .annotations
                .as_ref()
                .is_none_or(|a| a.matches(map("annotations")))
    }
}

/// The patch itself.
#[derive(Debug, Clone)]
pub enum Body {
    /// RFC 6902: a list of operations.
    Json(json_patch::Patch),
    /// RFC 7386: a map merged into the object (null deletes).
    Merge(Value),
}

/// One patch and where it was given.
#[derive(Debug, Clone)]
pub struct Patch {
    /// The file (and line) it was read from, for messages.
    pub source: String,
    pub target: Target,
    pub body: Body,
}

impl Body {
    /// A list is a JSON Patch, a map a merge patch; a string is read as YAML first (kustomize
    /// writes patches as block strings).
    pub fn from_value(v: &Value, source: &str) -> Result<Body, String> {
        match v {
            Value::String(text) => {
                let parsed = crate::yaml::parse(text, source).map_err(|e| e.to_string())?;
                if parsed.is_string() {
                    return Err("the patch text is neither a list of operations nor a map".into());
                }
                Body::from_value(&parsed, source)
            }
            Value::Array(_) => serde_json::from_value::<json_patch::Patch>(v.clone())
                .map(Body::Json)
                .map_err(|e| format!("not a JSON Patch (RFC 6902): {e}")),
            Value::Object(_) => Ok(Body::Merge(v.clone())),
            _ => Err("a patch is a list of JSON Patch operations or a merge-patch map".into()),
        }
    }
}

impl Patch {
    pub fn new(source: String, target: Target, body: Body) -> Patch {
        Patch {
            source,
            target,
            body,
        }
    }

    /// A patch file that is a manifest (no `patch:` key): a merge patch of the object it names.
    pub fn of_manifest(v: &Value, source: String) -> Result<Patch, String> {
        let target = Target::of_manifest(v).ok_or(
            "a patch file is a map with `patch:` (and `target:`), or a manifest with kind and metadata.name that merges into the object it names",
        )?;
        Ok(Patch::new(source, target, Body::Merge(v.clone())))
    }

    /// Applies the patch to `obj`; the error is json-patch's.
    pub fn apply(&self, obj: &mut Value) -> Result<(), String> {
        match &self.body {
            Body::Json(p) => json_patch::patch(obj, p).map_err(|e| e.to_string()),
            Body::Merge(m) => {
                json_patch::merge(obj, m);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn target(v: Value) -> Target {
        Target::from_value(&v).unwrap()
    }

    #[test]
    fn targets_select_by_kind_name_namespace_labels() {
        let d = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web-1", "namespace": "prod", "labels": {"app": "web"},
                         "annotations": {"team": "a"}}});
        assert!(target(json!({"kind": "Deployment"})).matches(&d));
        assert!(target(json!({"kind": "Deployment", "name": "web-.*"})).matches(&d));
        assert!(!target(json!({"kind": "Deployment", "name": "web"})).matches(&d));
        assert!(target(json!({"group": "apps", "version": "v1"})).matches(&d));
        assert!(!target(json!({"group": ""})).matches(&d));
        assert!(!target(json!({"namespace": "dev"})).matches(&d));
        assert!(target(json!({"labelSelector": "app=web"})).matches(&d));
        assert!(!target(json!({"labelSelector": "app=db"})).matches(&d));
        assert!(target(json!({"annotationSelector": "team"})).matches(&d));
        assert!(Target::from_value(&json!({})).is_err());
        assert!(Target::from_value(&json!({"name": "("})).is_err());
        assert_eq!(
            target(json!({"kind": "Service", "name": "x"})).to_string(),
            "kind=Service name=x"
        );
    }

    #[test]
    fn json_patch_and_merge_patch() {
        let mut d = json!({"spec": {"replicas": 1, "template": {"x": 1}}});
        let p = Body::from_value(
            &json!([{"op": "replace", "path": "/spec/replicas", "value": 3}]),
            "p",
        )
        .unwrap();
        let t = target(json!({"kind": "X"}));
        Patch::new("p".into(), t.clone(), p).apply(&mut d).unwrap();
        assert_eq!(d["spec"]["replicas"], json!(3));
        let m = Body::from_value(&json!("spec:\n  template: null\n  paused: true\n"), "p").unwrap();
        Patch::new("p".into(), t.clone(), m).apply(&mut d).unwrap();
        assert_eq!(d, json!({"spec": {"replicas": 3, "paused": true}}));
        let bad =
            Body::from_value(&json!([{"op": "remove", "path": "/spec/nothing"}]), "p").unwrap();
        let e = Patch::new("p".into(), t, bad).apply(&mut d).unwrap_err();
        assert!(e.contains("/spec/nothing"), "{e}");
        assert!(Body::from_value(&json!([{"op": "jump"}]), "p").is_err());
        assert!(Body::from_value(&json!(3), "p").is_err());
    }

    #[test]
    fn a_manifest_patch_targets_the_object_it_names() {
        let p = Patch::of_manifest(
            &json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "a.b"},
                    "spec": {"replicas": 2}}),
            "f".into(),
        )
        .unwrap();
        let d = |n: &str| json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": n}});
        assert!(p.target.matches(&d("a.b")));
        assert!(!p.target.matches(&d("axb")), "the name is literal");
        assert!(Patch::of_manifest(&json!({"spec": {}}), "f".into()).is_err());
    }
}
