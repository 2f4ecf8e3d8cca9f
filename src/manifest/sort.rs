//! Sorting rendered documents into manifests and hooks, in Helm's install order, as Helm's
//! `SortManifests` (pkg/release/v1/util/manifest_sorter.go, kind_sorter.go) does.
//!
//! - Files are visited in byte order of their names; helpers (`_*`) and files that are empty
//!   after trimming are skipped; each file is split with [`split_manifests`].
//! - Every document must parse as YAML and its head (`apiVersion`, `kind`, `metadata.name`,
//!   `metadata.annotations`) must have the types Helm's `SimpleHead` allows, else
//!   `YAML parse error on FILE: ...`.
//! - A document whose `helm.sh/hook` annotation is set is a hook; a hook naming an event Helm
//!   does not know is dropped with a notice (Helm logs "skipping unknown hooks").
//! - Manifests and hooks are each stable-sorted by kind: the kinds of [`INSTALL_ORDER`] first in
//!   that order, then unknown kinds in byte order of the kind; equal kinds keep their order
//!   (file name, then place in the file).

use super::split::{split_manifests, trim_space};
use crate::{yaml, Value};
use std::collections::BTreeMap;
use std::fmt;

/// Helm v4's `InstallOrder`. Helm v3.17 lacks the two webhook configurations at the end (it
/// sorts them with the unknown kinds, by name).
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// The annotation that makes a document a hook.
pub const HOOK_ANNOTATION: &str = "helm.sh/hook";

/// The head of a document, as Helm's `SimpleHead` reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Head {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub annotations: BTreeMap<String, String>,
}

/// A document that is not a hook: the template it came from and its trimmed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// `CHART/templates/PATH` (subcharts: `CHART/charts/SUB/templates/PATH`).
    pub name: String,
    pub content: String,
    pub head: Head,
}

/// Helm's hook events (`helm.sh/hook` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookEvent {
    PreInstall,
    PostInstall,
    PreDelete,
    PostDelete,
    PreUpgrade,
    PostUpgrade,
    PreRollback,
    PostRollback,
    Test,
}

impl HookEvent {
    /// Reads one event as Helm does (lower-cased, trimmed); `test-success` is Helm 2's `test`.
    pub fn parse(s: &str) -> Option<HookEvent> {
        Some(match s.trim().to_lowercase().as_str() {
            "pre-install" => HookEvent::PreInstall,
            "post-install" => HookEvent::PostInstall,
            "pre-delete" => HookEvent::PreDelete,
            "post-delete" => HookEvent::PostDelete,
            "pre-upgrade" => HookEvent::PreUpgrade,
            "post-upgrade" => HookEvent::PostUpgrade,
            "pre-rollback" => HookEvent::PreRollback,
            "post-rollback" => HookEvent::PostRollback,
            "test" | "test-success" => HookEvent::Test,
            _ => return None,
        })
    }
}

/// A hook document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hook {
    pub name: String,
    pub kind: String,
    /// The template it came from, as [`Manifest::name`].
    pub path: String,
    pub manifest: String,
    pub events: Vec<HookEvent>,
}

impl Hook {
    /// A test hook (`helm.sh/hook: test`), left out by `--skip-tests`.
    pub fn is_test(&self) -> bool {
        self.events.contains(&HookEvent::Test)
    }
}

/// The result of sorting: manifests and hooks in install order, and notices for the user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sorted {
    pub manifests: Vec<Manifest>,
    pub hooks: Vec<Hook>,
    /// Messages Helm logs at INFO level (unknown hook events), one line each.
    pub notices: Vec<String>,
}

/// A document that does not read as YAML or whose head has the wrong types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The template (`CHART/templates/PATH`).
    pub file: String,
    /// Helm's text after `YAML parse error on FILE: `.
    pub detail: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "YAML parse error on {}: {}", self.file, self.detail)
    }
}

impl std::error::Error for ParseError {}

/// Helm's `SortManifests` with `InstallOrder`, over the engine's map of template → text.
pub fn sort_manifests(files: &BTreeMap<String, String>) -> Result<Sorted, ParseError> {
    let mut sorted = Sorted::default();
    for (path, content) in files {
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.starts_with('_') || trim_space(content).is_empty() {
            continue;
        }
        for doc in split_manifests(content) {
            let head = read_head(&doc, path)?;
            let hook_value = head.annotations.get(HOOK_ANNOTATION).cloned();
            let Some(hook_types) = hook_value else {
                sorted.manifests.push(Manifest {
                    name: path.clone(),
                    content: doc,
                    head,
                });
                continue;
            };
            let events: Option<Vec<HookEvent>> =
                hook_types.split(',').map(HookEvent::parse).collect();
            let Some(events) = events else {
                sorted.notices.push(format!(
                    "level=INFO msg=\"skipping unknown hooks\" hookTypes={}",
                    slog_value(&hook_types)
                ));
                continue;
            };
            sorted.hooks.push(Hook {
                name: head.name,
                kind: head.kind,
                path: path.clone(),
                manifest: doc,
                events,
            });
        }
    }
    sorted
        .manifests
        .sort_by(|a, b| kind_key(&a.head.kind).cmp(&kind_key(&b.head.kind)));
    sorted
        .hooks
        .sort_by(|a, b| kind_key(&a.kind).cmp(&kind_key(&b.kind)));
    Ok(sorted)
}

/// The sort key equivalent to Helm's `lessByKind` under a stable sort: known kinds by their
/// place in [`INSTALL_ORDER`], then unknown kinds by name.
fn kind_key(kind: &str) -> (bool, usize, &str) {
    match INSTALL_ORDER.iter().position(|k| *k == kind) {
        Some(i) => (false, i, ""),
        None => (true, 0, kind),
    }
}

/// A value as Go's slog text handler prints it: bare unless it needs quoting.
fn slog_value(s: &str) -> String {
    let needs_quote = s.is_empty()
        || s.chars()
            .any(|c| c == ' ' || c == '=' || c == '"' || c.is_control() || !c.is_ascii());
    if needs_quote {
        format!("{s:?}")
    } else {
        s.to_string()
    }
}

/// Parses `doc` and reads its head with the leniency of sigs.k8s.io/yaml into Helm's
/// `SimpleHead`: scalars are accepted where strings are expected, other mismatches fail.
/// Like Helm's `yaml.Unmarshal` (go-yaml v2), only the first YAML document of `doc` is read: a
/// piece of a template that holds more (after a `...` line) is kept whole, the rest unchecked.
pub fn read_head(doc: &str, file: &str) -> Result<Head, ParseError> {
    // A template's bytes that are not UTF-8 are read as the bytes they are (go-yaml refuses them).
    let raw = crate::gojson::text_as_bytes(doc);
    let value = match &raw {
        Some(bytes) => yaml::parse(bytes.as_slice(), file),
        None => yaml::parse(doc, file),
    }
    .map_err(|e| ParseError {
        file: file.to_string(),
        detail: e.message,
    })?;
    head_of(&value).map_err(|detail| ParseError {
        file: file.to_string(),
        detail: format!("error unmarshaling JSON: while decoding JSON: {detail}"),
    })
}

const METADATA_TYPE: &str = "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }";

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn mismatch(v: &Value, field: &str, ty: &str) -> String {
    if field.is_empty() {
        format!(
            "json: cannot unmarshal {} into Go value of type {ty}",
            json_type(v)
        )
    } else {
        format!(
            "json: cannot unmarshal {} into Go struct field SimpleHead.{field} of type {ty}",
            json_type(v)
        )
    }
}

/// A scalar read into a Go string field: strings as they are, numbers and booleans as text,
/// null as empty.
fn scalar_string(v: &Value, field: &str) -> Result<String, String> {
    match v {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        }),
        other => Err(mismatch(other, field, "string")),
    }
}

fn head_of(v: &Value) -> Result<Head, String> {
    let map = match v {
        Value::Null => return Ok(Head::default()),
        Value::Object(m) => m,
        other => return Err(mismatch(other, "", "util.SimpleHead")),
    };
    let mut head = Head::default();
    if let Some(a) = map.get("apiVersion") {
        head.api_version = scalar_string(a, "apiVersion")?;
    }
    if let Some(k) = map.get("kind") {
        head.kind = scalar_string(k, "kind")?;
    }
    match map.get("metadata") {
        None | Some(Value::Null) => {}
        Some(Value::Object(md)) => {
            if let Some(n) = md.get("name") {
                head.name = scalar_string(n, "metadata.name")?;
            }
            match md.get("annotations") {
                None | Some(Value::Null) => {}
                Some(Value::Object(an)) => {
                    for (k, v) in an {
                        let s = scalar_string(v, "metadata.annotations")?;
                        head.annotations.insert(k.clone(), s);
                    }
                }
                Some(other) => {
                    return Err(mismatch(other, "metadata.annotations", "map[string]string"))
                }
            }
        }
        Some(other) => return Err(mismatch(other, "metadata", METADATA_TYPE)),
    }
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn kinds(s: &Sorted) -> Vec<String> {
        s.manifests.iter().map(|m| m.head.kind.clone()).collect()
    }

    #[test]
    fn install_order_then_unknown_kinds_by_name() {
        let f = files(&[(
            "c/templates/a.yaml",
            "kind: Zeta\n---\nkind: Deployment\n---\nkind: Alpha\n---\nkind: Namespace\n---\n# c\n",
        )]);
        let s = sort_manifests(&f).unwrap();
        assert_eq!(kinds(&s), ["Namespace", "Deployment", "", "Alpha", "Zeta"]);
    }

    #[test]
    fn equal_kinds_keep_file_then_document_order() {
        let f = files(&[
            ("c/templates/b.yaml", "kind: ConfigMap\nmetadata:\n  name: b1\n---\nkind: ConfigMap\nmetadata:\n  name: b2"),
            ("c/templates/a.yaml", "kind: ConfigMap\nmetadata:\n  name: a1\n"),
            ("c/charts/s/templates/z.yaml", "kind: ConfigMap\nmetadata:\n  name: s1\n"),
        ]);
        let s = sort_manifests(&f).unwrap();
        let names: Vec<_> = s.manifests.iter().map(|m| m.head.name.as_str()).collect();
        assert_eq!(names, ["s1", "a1", "b1", "b2"]);
        assert_eq!(s.manifests[0].name, "c/charts/s/templates/z.yaml");
    }

    #[test]
    fn helpers_and_blank_files_are_skipped() {
        let f = files(&[
            ("c/templates/_helpers.tpl", "kind: Secret"),
            ("c/templates/blank.yaml", " \n\n"),
            ("c/templates/x.yaml", "kind: Secret"),
        ]);
        let s = sort_manifests(&f).unwrap();
        assert_eq!(s.manifests.len(), 1);
        assert_eq!(s.manifests[0].name, "c/templates/x.yaml");
    }

    #[test]
    fn hooks_are_separated_sorted_and_unknown_events_dropped() {
        let f = files(&[(
            "c/templates/h.yaml",
            "kind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: post-install\n\
             ---\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: ' Test-Success '\n\
             ---\nkind: Secret\nmetadata:\n  name: u\n  annotations:\n    helm.sh/hook: pre-install,foo\n\
             ---\nkind: Secret\nmetadata:\n  name: plain\n  annotations:\n    other: x\n",
        )]);
        let s = sort_manifests(&f).unwrap();
        let hooks: Vec<_> = s
            .hooks
            .iter()
            .map(|h| (h.kind.as_str(), h.is_test()))
            .collect();
        assert_eq!(hooks, [("Pod", true), ("Job", false)]);
        assert_eq!(kinds(&s), ["Secret"]);
        assert_eq!(
            s.notices,
            ["level=INFO msg=\"skipping unknown hooks\" hookTypes=pre-install,foo"]
        );
    }

    #[test]
    fn head_types_as_helm_reads_them() {
        let h = read_head(
            "kind: 5\nmetadata:\n  name: 7\n  annotations:\n    w: true",
            "f",
        )
        .unwrap();
        assert_eq!(h.kind, "5");
        assert_eq!(h.name, "7");
        assert_eq!(h.annotations["w"], "true");
        let e = read_head("- a\n- b", "c/templates/x.yaml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "YAML parse error on c/templates/x.yaml: error unmarshaling JSON: while decoding JSON: \
             json: cannot unmarshal array into Go value of type util.SimpleHead"
        );
        let e = read_head("metadata: []", "f").unwrap_err();
        assert!(e
            .detail
            .contains("Go struct field SimpleHead.metadata of type struct { Name string"));
        let e = read_head("metadata:\n  annotations:\n    a: [1]", "f").unwrap_err();
        assert!(e
            .detail
            .ends_with("cannot unmarshal array into Go struct field SimpleHead.metadata.annotations of type string"));
    }

    #[test]
    fn only_the_first_document_of_a_piece_is_read() {
        // helm v4.1.4 prints this template as it is: go-yaml's Unmarshal stops at `...`.
        let f = files(&[(
            "c/templates/x.yaml",
            "kind: ConfigMap\nmetadata:\n  name: a\n...\nb: [\n",
        )]);
        let s = sort_manifests(&f).unwrap();
        assert_eq!(s.manifests.len(), 1);
        assert_eq!(s.manifests[0].head.name, "a");
        assert!(s.manifests[0].content.ends_with("...\nb: ["));
        let f = files(&[("c/templates/x.yaml", "kind: ConfigMap\nb: [\n...\nc: 1\n")]);
        assert!(sort_manifests(&f).is_err());
    }

    #[test]
    fn yaml_errors_name_the_file_and_line() {
        let f = files(&[("c/templates/bad.yaml", "a: 1\n---\nb: 2\nc: [\n")]);
        let e = sort_manifests(&f).unwrap_err();
        assert_eq!(e.file, "c/templates/bad.yaml");
        assert!(
            e.to_string()
                .starts_with("YAML parse error on c/templates/bad.yaml: error converting YAML to JSON: yaml: line "),
            "{e}"
        );
    }
}
