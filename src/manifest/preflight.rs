//! The upgrade preflight of `chartr diff --check-upgrade`: what `helm upgrade` from OLD to NEW
//! would be refused for, or would lose, before Kubernetes or the data says so.
//!
//! - `immutable`: changes Kubernetes rejects on update (StatefulSet selector, serviceName,
//!   volumeClaimTemplates, podManagementPolicy; Deployment, DaemonSet and ReplicaSet selectors;
//!   Job templates; Service clusterIP, and type changes to or from ExternalName; PVC storage
//!   class, access modes, and shrinking);
//! - `data-loss`: a PersistentVolumeClaim, or a StatefulSet with volumeClaimTemplates, removed
//!   or renamed;
//! - `left-behind`: an object with `helm.sh/resource-policy: keep` removed (Helm does not
//!   delete it and no longer manages it);
//! - `crd`: CRDs of NEW's `crds/` folders that OLD lacks or that changed (`helm upgrade` never
//!   applies `crds/`);
//! - `adoption`: objects NEW adds that already exist in the cluster without this release's
//!   ownership metadata (`helm upgrade` refuses them);
//! - `removed-api`: API versions the target Kubernetes no longer serves ([`REMOVED_APIS`]).

use super::diff::key_to_json;
use super::store::{is_cluster_scoped, Key, Object, Store};
use crate::Value;
use std::fmt;

/// Kubernetes' removed APIs, from the Deprecated API Migration Guide
/// (<https://kubernetes.io/docs/reference/using-api/deprecation-guide/>, the sections v1.16
/// to v1.32, the last release that removed one): apiVersion, kind, the minor version of 1.x
/// that no longer serves it, and what to use instead.
pub const REMOVED_APIS: &[(&str, &str, u64, &str)] = &[
    // v1.16
    (
        "extensions/v1beta1",
        "NetworkPolicy",
        16,
        "networking.k8s.io/v1",
    ),
    (
        "extensions/v1beta1",
        "PodSecurityPolicy",
        16,
        "policy/v1beta1",
    ),
    ("extensions/v1beta1", "DaemonSet", 16, "apps/v1"),
    ("apps/v1beta2", "DaemonSet", 16, "apps/v1"),
    ("extensions/v1beta1", "Deployment", 16, "apps/v1"),
    ("apps/v1beta1", "Deployment", 16, "apps/v1"),
    ("apps/v1beta2", "Deployment", 16, "apps/v1"),
    ("apps/v1beta1", "StatefulSet", 16, "apps/v1"),
    ("apps/v1beta2", "StatefulSet", 16, "apps/v1"),
    ("extensions/v1beta1", "ReplicaSet", 16, "apps/v1"),
    ("apps/v1beta1", "ReplicaSet", 16, "apps/v1"),
    ("apps/v1beta2", "ReplicaSet", 16, "apps/v1"),
    // v1.22
    (
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
        22,
        "admissionregistration.k8s.io/v1",
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfiguration",
        22,
        "admissionregistration.k8s.io/v1",
    ),
    (
        "apiextensions.k8s.io/v1beta1",
        "CustomResourceDefinition",
        22,
        "apiextensions.k8s.io/v1",
    ),
    (
        "apiregistration.k8s.io/v1beta1",
        "APIService",
        22,
        "apiregistration.k8s.io/v1",
    ),
    (
        "authentication.k8s.io/v1beta1",
        "TokenReview",
        22,
        "authentication.k8s.io/v1",
    ),
    (
        "authorization.k8s.io/v1beta1",
        "LocalSubjectAccessReview",
        22,
        "authorization.k8s.io/v1",
    ),
    (
        "authorization.k8s.io/v1beta1",
        "SelfSubjectAccessReview",
        22,
        "authorization.k8s.io/v1",
    ),
    (
        "authorization.k8s.io/v1beta1",
        "SubjectAccessReview",
        22,
        "authorization.k8s.io/v1",
    ),
    (
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequest",
        22,
        "certificates.k8s.io/v1",
    ),
    (
        "coordination.k8s.io/v1beta1",
        "Lease",
        22,
        "coordination.k8s.io/v1",
    ),
    ("extensions/v1beta1", "Ingress", 22, "networking.k8s.io/v1"),
    (
        "networking.k8s.io/v1beta1",
        "Ingress",
        22,
        "networking.k8s.io/v1",
    ),
    (
        "networking.k8s.io/v1beta1",
        "IngressClass",
        22,
        "networking.k8s.io/v1",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRole",
        22,
        "rbac.authorization.k8s.io/v1",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRoleBinding",
        22,
        "rbac.authorization.k8s.io/v1",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "Role",
        22,
        "rbac.authorization.k8s.io/v1",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "RoleBinding",
        22,
        "rbac.authorization.k8s.io/v1",
    ),
    (
        "scheduling.k8s.io/v1beta1",
        "PriorityClass",
        22,
        "scheduling.k8s.io/v1",
    ),
    (
        "storage.k8s.io/v1beta1",
        "CSIDriver",
        22,
        "storage.k8s.io/v1",
    ),
    ("storage.k8s.io/v1beta1", "CSINode", 22, "storage.k8s.io/v1"),
    (
        "storage.k8s.io/v1beta1",
        "StorageClass",
        22,
        "storage.k8s.io/v1",
    ),
    (
        "storage.k8s.io/v1beta1",
        "VolumeAttachment",
        22,
        "storage.k8s.io/v1",
    ),
    // v1.25
    ("batch/v1beta1", "CronJob", 25, "batch/v1"),
    (
        "discovery.k8s.io/v1beta1",
        "EndpointSlice",
        25,
        "discovery.k8s.io/v1",
    ),
    ("events.k8s.io/v1beta1", "Event", 25, "events.k8s.io/v1"),
    (
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        25,
        "autoscaling/v2",
    ),
    ("policy/v1beta1", "PodDisruptionBudget", 25, "policy/v1"),
    (
        "policy/v1beta1",
        "PodSecurityPolicy",
        25,
        "nothing: Pod Security Admission replaces it",
    ),
    ("node.k8s.io/v1beta1", "RuntimeClass", 25, "node.k8s.io/v1"),
    // v1.26
    (
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "FlowSchema",
        26,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "PriorityLevelConfiguration",
        26,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    (
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        26,
        "autoscaling/v2",
    ),
    // v1.27
    (
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacity",
        27,
        "storage.k8s.io/v1",
    ),
    // v1.29
    (
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "FlowSchema",
        29,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "PriorityLevelConfiguration",
        29,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    // v1.32
    (
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "FlowSchema",
        32,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "PriorityLevelConfiguration",
        32,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Immutable,
    DataLoss,
    LeftBehind,
    Crd,
    Adoption,
    RemovedApi,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Immutable => "immutable",
            Rule::DataLoss => "data-loss",
            Rule::LeftBehind => "left-behind",
            Rule::Crd => "crd",
            Rule::Adoption => "adoption",
            Rule::RemovedApi => "removed-api",
        }
    }
}

/// One thing to act on before `helm upgrade`: the object, the field, why, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub key: Key,
    pub api_version: String,
    pub field: String,
    pub why: String,
    pub action: String,
    /// Commands that do it, to copy and paste.
    pub commands: Vec<String>,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}] {} ({}): {}: {} {}",
            self.rule.as_str(),
            self.key,
            self.api_version,
            self.field,
            self.why,
            self.action
        )
    }
}

/// What the rules need besides the two sides.
#[derive(Debug, Clone)]
pub struct PreflightOptions<'a> {
    /// The target Kubernetes' minor version (1.x).
    pub kube_minor: u64,
    /// The target Kubernetes version as given (for messages).
    pub kube_version: String,
    /// The cluster's current objects (`--cluster`).
    pub cluster: Option<&'a Store>,
    /// The release name and namespace Helm's ownership metadata must name.
    pub release: String,
    pub namespace: String,
    /// A command that prints exactly NEW's CRDs to apply (`chartr diff OLD NEW --output crds`),
    /// when OLD and NEW are files that can be read again.
    pub crds_command: Option<String>,
}

fn get<'v>(v: &'v Object, path: &[&str]) -> Option<&'v Value> {
    let mut cur = v.value.get(*path.first()?)?;
    for p in &path[1..] {
        cur = cur.get(*p)?;
    }
    Some(cur)
}

fn ns_flag(k: &Key) -> String {
    if k.namespace.is_empty() || is_cluster_scoped(&k.kind) {
        String::new()
    } else {
        format!(" -n {}", shell_word(&k.namespace))
    }
}

/// A word for a POSIX shell: as is when safe, else single-quoted.
pub fn shell_word(s: &str) -> String {
    let safe = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c));
    if safe {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

fn compact(v: Option<&Value>) -> String {
    match v {
        None => "(none)".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

/// A Kubernetes quantity (`10Gi`, `500M`, `1.5e3`) in base units.
pub fn parse_quantity(s: &str) -> Option<f64> {
    let s = s.trim();
    let split = s
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit()
                || c == '.'
                || c == '+'
                || (c == '-' && i == 0)
                || ((c == 'e' || c == 'E')
                    && s[i + 1..]
                        .chars()
                        .next()
                        .is_some_and(|d| d.is_ascii_digit() || d == '-' || d == '+')))
        })
        .map_or(s.len(), |(i, _)| i);
    let (num, suffix) = s.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult = match suffix {
        "" => 1.0,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        _ => return None,
    };
    Some(n * mult)
}

fn finding(
    rule: Rule,
    o: &Object,
    field: &str,
    why: String,
    action: String,
    commands: Vec<String>,
) -> Finding {
    Finding {
        rule,
        key: o.key.clone(),
        api_version: o.api_version.clone(),
        field: field.to_string(),
        why,
        action,
        commands,
    }
}

/// Whether it is a Helm hook: hooks are not part of the release's objects; Helm creates
/// them for each event (deleting the previous one first, by default) and never updates or
/// removes them as the chart changes.
fn is_hook(o: &Object) -> bool {
    o.meta_str("annotations", "helm.sh/hook").is_some()
}

/// Runs every rule.
pub fn check(old: &Store, new: &Store, opts: &PreflightOptions) -> Vec<Finding> {
    let mut out = Vec::new();
    for n in new.unique().filter(|n| !is_hook(n)) {
        if let Some(o) = old.get(&n.key).filter(|o| !is_hook(o)) {
            if o.value != n.value {
                immutable(o, n, &mut out);
            }
        }
    }
    for o in old.unique().filter(|o| !is_hook(o)) {
        if new.get(&o.key).is_none() {
            removed(o, new, old, &mut out);
        }
    }
    crds(old, new, opts, &mut out);
    if let Some(cluster) = opts.cluster {
        adoption(old, new, cluster, opts, &mut out);
    }
    removed_apis(new, opts, &mut out);
    out
}

fn immutable(o: &Object, n: &Object, out: &mut Vec<Finding>) {
    let k = &n.key;
    let t = k.kubectl_type();
    let changed = |path: &[&str]| get(o, path) != get(n, path);
    let differs = |path: &[&str]| format!("{} → {}", compact(get(o, path)), compact(get(n, path)));
    let kind = k.kind.as_str();
    let apps = k.group == "apps";
    if apps && kind == "StatefulSet" {
        let orphan = format!(
            "{} delete {t} {} --cascade=orphan",
            target_base(k),
            shell_word(&k.name)
        );
        for field in ["selector", "serviceName", "podManagementPolicy"] {
            if changed(&["spec", field]) {
                out.push(finding(
                    Rule::Immutable,
                    n,
                    &format!("spec.{field}"),
                    format!(
                        "Kubernetes forbids updates to a StatefulSet's spec.{field} ({}); helm upgrade fails.",
                        differs(&["spec", field])
                    ),
                    "Delete the StatefulSet but keep its pods and volumes (--cascade=orphan) just before the upgrade; helm upgrade creates it again and it adopts the pods.".into(),
                    vec![orphan.clone()],
                ));
            }
        }
        if changed(&["spec", "volumeClaimTemplates"]) {
            out.push(vct_finding(o, n, &orphan));
        }
    }
    if apps
        && matches!(kind, "Deployment" | "DaemonSet" | "ReplicaSet")
        && changed(&["spec", "selector"])
    {
        out.push(finding(
            Rule::Immutable,
            n,
            "spec.selector",
            format!(
                "Kubernetes forbids updates to a {kind}'s spec.selector in apps/v1 ({}); helm upgrade fails.",
                differs(&["spec", "selector"])
            ),
            format!("Delete the {kind} before the upgrade (its pods go: a short outage), or give the new one another name."),
            vec![format!("{} delete {t} {}", target_base(k), shell_word(&k.name))],
        ));
    }
    if k.group == "batch" && kind == "Job" && changed(&["spec", "template"]) {
        out.push(finding(
            Rule::Immutable,
            n,
            "spec.template",
            "Kubernetes forbids updates to a Job's spec.template; helm upgrade fails while the old Job exists.".into(),
            "Delete the finished Job before the upgrade (or make it a hook with hook-delete-policy before-hook-creation).".into(),
            vec![format!("{} delete {t} {}", target_base(k), shell_word(&k.name))],
        ));
    }
    if k.group.is_empty() && kind == "Service" {
        let ip = |x: &Object| {
            get(x, &["spec", "clusterIP"])
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let ips = |x: &Object| get(x, &["spec", "clusterIPs"]).cloned();
        let ty = |x: &Object| {
            get(x, &["spec", "type"])
                .and_then(Value::as_str)
                .unwrap_or("ClusterIP")
                .to_string()
        };
        let recreate = format!("{} delete {t} {}", target_base(k), shell_word(&k.name));
        if ip(o) != ip(n) || ips(o) != ips(n) {
            out.push(finding(
                Rule::Immutable,
                n,
                "spec.clusterIP",
                format!(
                    "Kubernetes forbids changing a Service's spec.clusterIP once set ({} → {}); helm upgrade fails.",
                    ip(o).unwrap_or_else(|| "allocated".into()),
                    ip(n).unwrap_or_else(|| "allocated".into())
                ),
                "Delete the Service just before the upgrade; helm upgrade creates it again with the new address (clients must resolve it again).".into(),
                vec![recreate.clone()],
            ));
        }
        let (a, b) = (ty(o), ty(n));
        if a != b && (a == "ExternalName" || b == "ExternalName") {
            out.push(finding(
                Rule::Immutable,
                n,
                "spec.type",
                format!(
                    "Changing a Service's type from {a} to {b} needs its clusterIP {} at the same time, which an update cannot do; helm upgrade fails.",
                    if b == "ExternalName" { "released" } else { "allocated" }
                ),
                "Delete the Service just before the upgrade; helm upgrade creates it again.".into(),
                vec![recreate],
            ));
        }
    }
    if k.group.is_empty() && kind == "PersistentVolumeClaim" {
        for (field, path) in [
            ("spec.storageClassName", &["spec", "storageClassName"][..]),
            ("spec.accessModes", &["spec", "accessModes"][..]),
        ] {
            if changed(path) {
                out.push(finding(
                    Rule::Immutable,
                    n,
                    field,
                    format!(
                        "Kubernetes forbids changing a bound PersistentVolumeClaim's {field} ({}); helm upgrade fails.",
                        differs(path)
                    ),
                    "Keep the old value, or move the data to a new claim: back it up, delete the claim, let the upgrade create it, restore.".into(),
                    Vec::new(),
                ));
            }
        }
        let size_path = ["spec", "resources", "requests", "storage"];
        let size = |x: &Object| get(x, &size_path).map(|v| compact(Some(v)));
        if let (Some(a), Some(b)) = (size(o), size(n)) {
            if let (Some(qa), Some(qb)) = (parse_quantity(&a), parse_quantity(&b)) {
                if qb < qa {
                    out.push(finding(
                        Rule::Immutable,
                        n,
                        "spec.resources.requests.storage",
                        format!("Kubernetes cannot shrink a PersistentVolumeClaim ({a} → {b}); helm upgrade fails."),
                        format!("Keep {a}, or move the data to a new, smaller claim."),
                        Vec::new(),
                    ));
                }
            }
        }
    }
}

fn target_base(k: &Key) -> String {
    format!("kubectl{}", ns_flag(k))
}

fn replicas(o: &Object) -> u64 {
    get(o, &["spec", "replicas"])
        .and_then(Value::as_f64)
        .map_or(1, |r| r.max(0.0) as u64)
}

fn vct_names(o: &Object) -> Vec<(String, Option<String>)> {
    get(o, &["spec", "volumeClaimTemplates"])
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|t| {
                    let name = t.get("metadata")?.get("name")?.as_str()?.to_string();
                    let size = t
                        .get("spec")
                        .and_then(|s| s.get("resources"))
                        .and_then(|r| r.get("requests"))
                        .and_then(|r| r.get("storage"))
                        .map(|v| compact(Some(v)));
                    Some((name, size))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn vct_finding(o: &Object, n: &Object, orphan: &str) -> Finding {
    let k = &n.key;
    let (old_t, new_t) = (vct_names(o), vct_names(n));
    let mut resized = Vec::new();
    for (name, size) in &new_t {
        if let Some((_, old_size)) = old_t.iter().find(|(x, _)| x == name) {
            if old_size != size {
                resized.push((name.clone(), old_size.clone(), size.clone()));
            }
        }
    }
    let mut commands = Vec::new();
    let why;
    if !resized.is_empty() {
        let list: Vec<String> = resized
            .iter()
            .map(|(name, a, b)| {
                format!(
                    "{name} {} → {}",
                    a.as_deref().unwrap_or("(none)"),
                    b.as_deref().unwrap_or("(none)")
                )
            })
            .collect();
        why = format!(
            "Kubernetes forbids updates to a StatefulSet's volumeClaimTemplates (size {}); helm upgrade fails, and the claims already made keep their size.",
            list.join(", ")
        );
        for (name, _, size) in &resized {
            let Some(size) = size else { continue };
            for i in 0..replicas(n) {
                let patch = format!(
                    "{{\"spec\":{{\"resources\":{{\"requests\":{{\"storage\":\"{size}\"}}}}}}}}"
                );
                commands.push(format!(
                    "{} patch pvc {}-{}-{i} -p {}",
                    target_base(k),
                    name,
                    k.name,
                    shell_word(&patch)
                ));
            }
        }
    } else {
        why = "Kubernetes forbids updates to a StatefulSet's volumeClaimTemplates; helm upgrade fails.".to_string();
    }
    commands.push(orphan.to_string());
    finding(
        Rule::Immutable,
        n,
        "spec.volumeClaimTemplates",
        why,
        if resized.is_empty() {
            "Delete the StatefulSet but keep its pods and claims (--cascade=orphan) just before the upgrade; helm upgrade creates it again.".into()
        } else {
            "Resize each existing claim (its storage class must allow volume expansion), then delete the StatefulSet but keep its pods and claims (--cascade=orphan) just before the upgrade; helm upgrade creates it again.".into()
        },
        commands,
    )
}

fn keeps(o: &Object) -> bool {
    o.meta_str("annotations", "helm.sh/resource-policy") == Some("keep")
}

fn removed(o: &Object, new: &Store, old: &Store, out: &mut Vec<Finding>) {
    let k = &o.key;
    let t = k.kubectl_type();
    let added_like = |kind: &str| -> Vec<String> {
        new.unique()
            .filter(|x| x.key.kind == kind && x.key.group == k.group && old.get(&x.key).is_none())
            .map(|x| x.key.name.clone())
            .collect()
    };
    let rename_note = |kind: &str| {
        let names = added_like(kind);
        if names.is_empty() {
            String::new()
        } else {
            format!(
                " NEW adds {kind} {}, which starts empty: if it replaces this one, copy the data over.",
                names.join(", ")
            )
        }
    };
    if k.group.is_empty() && k.kind == "PersistentVolumeClaim" {
        if keeps(o) {
            out.push(finding(
                Rule::LeftBehind,
                o,
                "metadata.annotations[\"helm.sh/resource-policy\"]",
                format!("NEW no longer has this claim; it is annotated helm.sh/resource-policy: keep, so helm upgrade leaves it and its data behind, no longer managed.{}", rename_note("PersistentVolumeClaim")),
                "Migrate the data if NEW still needs it; delete the claim by hand when it is no longer needed.".into(),
                vec![format!("{} delete {t} {}", target_base(k), shell_word(&k.name))],
            ));
        } else {
            out.push(finding(
                Rule::DataLoss,
                o,
                "(object removed)",
                format!("NEW no longer has this claim: helm upgrade deletes it, and with the usual reclaim policy Delete its volume and data go with it.{}", rename_note("PersistentVolumeClaim")),
                "Back up the data first, or annotate the claim helm.sh/resource-policy=keep so Helm leaves it.".into(),
                vec![format!("{} annotate {t} {} helm.sh/resource-policy=keep", target_base(k), shell_word(&k.name))],
            ));
        }
        return;
    }
    if k.group == "apps" && k.kind == "StatefulSet" {
        let templates = vct_names(o);
        if !templates.is_empty() {
            let deletes = get(
                o,
                &[
                    "spec",
                    "persistentVolumeClaimRetentionPolicy",
                    "whenDeleted",
                ],
            )
            .and_then(Value::as_str)
                == Some("Delete");
            let claims: Vec<String> = templates
                .iter()
                .flat_map(|(t, _)| (0..replicas(o)).map(move |i| format!("{t}-{}-{i}", k.name)))
                .collect();
            let fate = if deletes {
                "its claims are deleted with it (persistentVolumeClaimRetentionPolicy.whenDeleted: Delete), and their data"
            } else {
                "its claims stay behind, unused and no longer managed, holding the data"
            };
            out.push(finding(
                Rule::DataLoss,
                o,
                "spec.volumeClaimTemplates",
                format!(
                    "NEW no longer has this StatefulSet: helm upgrade deletes it and its pods; {fate} ({}).{}",
                    claims.join(", "),
                    rename_note("StatefulSet")
                ),
                "Back up or migrate the data before the upgrade; delete the claims once it is safe.".into(),
                vec![
                    format!("{} get pvc {}", target_base(k), claims.join(" ")),
                ],
            ));
            return;
        }
    }
    if keeps(o) {
        out.push(finding(
            Rule::LeftBehind,
            o,
            "metadata.annotations[\"helm.sh/resource-policy\"]",
            "NEW no longer has this object; it is annotated helm.sh/resource-policy: keep, so helm upgrade leaves it in the cluster, no longer managed.".into(),
            "Delete it by hand once nothing needs it (or keep it on purpose).".into(),
            vec![format!("{} delete {t} {}", target_base(k), shell_word(&k.name))],
        ));
    }
}

fn crds(old: &Store, new: &Store, opts: &PreflightOptions, out: &mut Vec<Finding>) {
    let wanted = crds_to_apply(old, new);
    if wanted.is_empty() {
        return;
    }
    let mut commands = Vec::new();
    if let Some(c) = &opts.crds_command {
        commands.push(format!("{c} | kubectl apply --server-side -f -"));
    }
    // `template --include-crds -s FILE` cannot select them: Helm's --show-only keeps only
    // the first document of a CRD file (the others carry no `# Source:` line).
    commands.push("chartr show crds CHART | kubectl apply --server-side -f -".to_string());
    for o in wanted {
        let state = if old.get(&o.key).is_some() {
            "changed in NEW"
        } else {
            "new in NEW"
        };
        out.push(finding(
            Rule::Crd,
            o,
            o.source.as_deref().unwrap_or("crds/"),
            format!("This CRD of a crds/ folder is {state}; helm upgrade never installs or updates CRDs from crds/ folders, so the chart's objects of this kind fail or miss fields."),
            if opts.crds_command.is_some() {
                "Apply NEW's CRDs before the upgrade: the first command prints exactly the CRDs to apply; the second, given NEW's chart, all of its CRDs (those that did not change apply as no-ops).".into()
            } else {
                "Apply NEW's CRDs before the upgrade: the command, given NEW's chart, prints all of its CRDs (those that did not change apply as no-ops).".into()
            },
            commands.clone(),
        ));
    }
}

/// NEW's CRDs from `crds/` folders that OLD lacks or that changed.
pub fn crds_to_apply<'a>(old: &Store, new: &'a Store) -> Vec<&'a Object> {
    new.unique()
        .filter(|o| o.from_crds_folder() && o.key.kind == "CustomResourceDefinition")
        .filter(|o| old.get(&o.key).is_none_or(|x| x.value != o.value))
        .collect()
}

/// The release name from the cluster's copies of OLD's objects (`meta.helm.sh/release-name`).
pub fn infer_release(old: &Store, cluster: &Store) -> Option<String> {
    old.unique()
        .filter_map(|o| cluster.get(&o.key))
        .find_map(|c| c.meta_str("annotations", "meta.helm.sh/release-name"))
        .map(str::to_string)
}

fn adoption(
    old: &Store,
    new: &Store,
    cluster: &Store,
    opts: &PreflightOptions,
    out: &mut Vec<Finding>,
) {
    for n in new.unique() {
        if old.get(&n.key).is_some() || n.from_crds_folder() || is_hook(n) {
            continue;
        }
        let Some(c) = cluster.get(&n.key) else {
            continue;
        };
        let mut errs = Vec::new();
        let require = |field: &str, key: &str, want: &str| match c.meta_str(field, key) {
            None => Some(format!("missing key {key:?}: must be set to {want:?}")),
            Some(v) if v != want => Some(format!(
                "key {key:?} must equal {want:?}: current value is {v:?}"
            )),
            Some(_) => None,
        };
        if let Some(e) = require("labels", "app.kubernetes.io/managed-by", "Helm") {
            errs.push(format!("label validation error: {e}"));
        }
        if let Some(e) = require("annotations", "meta.helm.sh/release-name", &opts.release) {
            errs.push(format!("annotation validation error: {e}"));
        }
        if let Some(e) = require(
            "annotations",
            "meta.helm.sh/release-namespace",
            &opts.namespace,
        ) {
            errs.push(format!("annotation validation error: {e}"));
        }
        if errs.is_empty() {
            continue;
        }
        let k = &n.key;
        let t = k.kubectl_type();
        let base = target_base(k);
        let name = shell_word(&k.name);
        out.push(finding(
            Rule::Adoption,
            n,
            "metadata (ownership)",
            format!(
                "The cluster already has this object without this release's ownership metadata; helm upgrade refuses it: rendered manifests contain a resource that already exists. Unable to continue with update: {} {:?} in namespace {:?} exists and cannot be imported into the current release: invalid ownership metadata; {}",
                k.kind,
                k.name,
                k.namespace,
                errs.join("; ")
            ),
            format!(
                "Hand it over to release {:?} in namespace {:?} before the upgrade (check that nothing else manages it).",
                opts.release, opts.namespace
            ),
            vec![
                format!("{base} label --overwrite {t} {name} app.kubernetes.io/managed-by=Helm"),
                format!(
                    "{base} annotate --overwrite {t} {name} meta.helm.sh/release-name={} meta.helm.sh/release-namespace={}",
                    shell_word(&opts.release),
                    shell_word(&opts.namespace)
                ),
            ],
        ));
    }
}

fn removed_apis(new: &Store, opts: &PreflightOptions, out: &mut Vec<Finding>) {
    for n in new.unique() {
        for &(api, kind, minor, instead) in REMOVED_APIS {
            if n.api_version == api && n.key.kind == kind && opts.kube_minor >= minor {
                out.push(finding(
                    Rule::RemovedApi,
                    n,
                    "apiVersion",
                    format!(
                        "Kubernetes {} no longer serves {kind} in {api} (removed in v1.{minor}); the upgrade fails with \"no matches for kind\".",
                        opts.kube_version
                    ),
                    format!("Use {instead} (the chart or its values must change)."),
                    Vec::new(),
                ));
            }
        }
    }
}

/// The findings as text: a heading, then each finding with its commands.
pub fn render_text(findings: &[Finding], color: bool) -> String {
    let mut out = format!("Upgrade preflight: {} finding(s)\n", findings.len());
    let mut last_commands: Option<&Vec<String>> = None;
    for f in findings {
        let tag = format!("[{}]", f.rule.as_str());
        let tag = if color {
            format!("\x1b[1;31m{tag}\x1b[0m")
        } else {
            tag
        };
        out.push_str(&format!(
            "\n{tag} {} ({})\n  field: {}\n  why:   {}\n  do:    {}\n",
            f.key, f.api_version, f.field, f.why, f.action
        ));
        if !f.commands.is_empty() {
            if last_commands == Some(&f.commands) {
                out.push_str("  (the same commands as above)\n");
            } else {
                for c in &f.commands {
                    out.push_str(&format!("    $ {c}\n"));
                }
            }
            last_commands = Some(&f.commands);
        }
    }
    out
}

/// The findings as Markdown.
pub fn render_markdown(findings: &[Finding]) -> String {
    let mut out = format!("### Upgrade preflight: {} finding(s)\n", findings.len());
    for f in findings {
        out.push_str(&format!(
            "\n- **{}** `{}` ({}), `{}`: {} *Do:* {}\n",
            f.rule.as_str(),
            f.key,
            f.api_version,
            f.field,
            f.why,
            f.action
        ));
        if !f.commands.is_empty() {
            out.push_str("  ```sh\n");
            for c in &f.commands {
                out.push_str(&format!("  {c}\n"));
            }
            out.push_str("  ```\n");
        }
    }
    out
}

/// The findings as data.
pub fn to_json(findings: &[Finding]) -> Value {
    Value::Array(
        findings
            .iter()
            .map(|f| {
                serde_json::json!({
                    "rule": f.rule.as_str(),
                    "object": key_to_json(&f.key),
                    "apiVersion": f.api_version,
                    "field": f.field,
                    "why": f.why,
                    "action": f.action,
                    "commands": f.commands,
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(text: &str) -> Store {
        let mut s = Store::new("ns");
        s.add_stream(text, "t.yaml").unwrap();
        s
    }

    fn opts() -> PreflightOptions<'static> {
        PreflightOptions {
            kube_minor: 35,
            kube_version: "v1.35.0".into(),
            cluster: None,
            release: "rel".into(),
            namespace: "ns".into(),
            crds_command: None,
        }
    }

    fn rules(f: &[Finding]) -> Vec<(&str, String, &str)> {
        f.iter()
            .map(|f| (f.rule.as_str(), f.key.to_string(), f.field.as_str()))
            .collect()
    }

    #[test]
    fn quantities() {
        assert_eq!(parse_quantity("10Gi"), Some(10.0 * 1024f64.powi(3)));
        assert_eq!(parse_quantity("500M"), Some(5e8));
        assert_eq!(parse_quantity("1.5e3"), Some(1500.0));
        assert_eq!(parse_quantity("100m"), Some(0.1));
        assert_eq!(parse_quantity("12"), Some(12.0));
        assert_eq!(parse_quantity("ten"), None);
        assert_eq!(parse_quantity("1Gb"), None);
    }

    #[test]
    fn immutable_fields() {
        let old = store("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {selector: {matchLabels: {a: '1'}}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {clusterIP: None}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: e}\nspec: {type: ClusterIP}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: p}\nspec: {storageClassName: a, accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {template: {spec: {containers: [{image: a}]}}}\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: hook, annotations: {helm.sh/hook: pre-upgrade}}\nspec: {template: {spec: {containers: [{image: a}]}}}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec: {replicas: 2, serviceName: db, volumeClaimTemplates: [{metadata: {name: data}, spec: {resources: {requests: {storage: 10Gi}}}}]}\n");
        let new = store("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {selector: {matchLabels: {a: '2'}}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: e}\nspec: {type: ExternalName}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: p}\nspec: {storageClassName: b, accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {template: {spec: {containers: [{image: b}]}}}\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: hook, annotations: {helm.sh/hook: pre-upgrade}}\nspec: {template: {spec: {containers: [{image: b}]}}}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec: {replicas: 2, serviceName: db2, volumeClaimTemplates: [{metadata: {name: data}, spec: {resources: {requests: {storage: 20Gi}}}}]}\n");
        let f = check(&old, &new, &opts());
        assert_eq!(
            rules(&f),
            [
                (
                    "immutable",
                    "Deployment.apps ns/d".to_string(),
                    "spec.selector"
                ),
                ("immutable", "Service ns/s".to_string(), "spec.clusterIP"),
                ("immutable", "Service ns/e".to_string(), "spec.type"),
                (
                    "immutable",
                    "PersistentVolumeClaim ns/p".to_string(),
                    "spec.storageClassName"
                ),
                (
                    "immutable",
                    "PersistentVolumeClaim ns/p".to_string(),
                    "spec.resources.requests.storage"
                ),
                ("immutable", "Job.batch ns/j".to_string(), "spec.template"),
                (
                    "immutable",
                    "StatefulSet.apps ns/db".to_string(),
                    "spec.serviceName"
                ),
                (
                    "immutable",
                    "StatefulSet.apps ns/db".to_string(),
                    "spec.volumeClaimTemplates"
                ),
            ]
        );
        let vct = f.last().unwrap();
        assert!(vct.why.contains("data 10Gi → 20Gi"), "{}", vct.why);
        assert_eq!(
            vct.commands,
            [
                r#"kubectl -n ns patch pvc data-db-0 -p '{"spec":{"resources":{"requests":{"storage":"20Gi"}}}}'"#,
                r#"kubectl -n ns patch pvc data-db-1 -p '{"spec":{"resources":{"requests":{"storage":"20Gi"}}}}'"#,
                "kubectl -n ns delete statefulset.apps db --cascade=orphan",
            ]
        );
    }

    #[test]
    fn removals_crds_adoption_and_apis() {
        let old = store("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: p}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: mongo}\nspec: {volumeClaimTemplates: [{metadata: {name: data}}]}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s, annotations: {helm.sh/resource-policy: keep}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\n---\n# Source: c/crds/b.yaml\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: b.io}\nspec: {v: 1}\n");
        let new = store("# Source: c/crds/a.yaml\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: a.io}\n---\n# Source: c/crds/b.yaml\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: b.io}\nspec: {v: 2}\n---\n# Source: c/templates/k.yaml\napiVersion: operator.knative.dev/v1beta1\nkind: KnativeServing\nmetadata: {name: knative-serving, namespace: knative-serving}\n---\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: pdb}\n");
        let cluster = store("apiVersion: v1\nkind: List\nitems:\n- apiVersion: operator.knative.dev/v1beta1\n  kind: KnativeServing\n  metadata: {name: knative-serving, namespace: knative-serving}\n");
        let mut o = opts();
        o.cluster = Some(&cluster);
        let f = check(&old, &new, &o);
        assert_eq!(
            rules(&f),
            [
                (
                    "data-loss",
                    "PersistentVolumeClaim ns/p".to_string(),
                    "(object removed)"
                ),
                (
                    "data-loss",
                    "StatefulSet.apps ns/mongo".to_string(),
                    "spec.volumeClaimTemplates"
                ),
                (
                    "left-behind",
                    "Secret ns/s".to_string(),
                    "metadata.annotations[\"helm.sh/resource-policy\"]"
                ),
                (
                    "crd",
                    "CustomResourceDefinition.apiextensions.k8s.io a.io".to_string(),
                    "c/crds/a.yaml"
                ),
                (
                    "crd",
                    "CustomResourceDefinition.apiextensions.k8s.io b.io".to_string(),
                    "c/crds/b.yaml"
                ),
                (
                    "adoption",
                    "KnativeServing.operator.knative.dev knative-serving/knative-serving"
                        .to_string(),
                    "metadata (ownership)"
                ),
                (
                    "removed-api",
                    "PodDisruptionBudget.policy ns/pdb".to_string(),
                    "apiVersion"
                ),
            ]
        );
        assert_eq!(
            f[3].commands,
            ["chartr show crds CHART | kubectl apply --server-side -f -"]
        );
        let adopt = &f[5];
        assert!(adopt.why.ends_with("invalid ownership metadata; label validation error: missing key \"app.kubernetes.io/managed-by\": must be set to \"Helm\"; annotation validation error: missing key \"meta.helm.sh/release-name\": must be set to \"rel\"; annotation validation error: missing key \"meta.helm.sh/release-namespace\": must be set to \"ns\""), "{}", adopt.why);
        assert_eq!(
            adopt.commands,
            [
                "kubectl -n knative-serving label --overwrite knativeserving.operator.knative.dev knative-serving app.kubernetes.io/managed-by=Helm",
                "kubectl -n knative-serving annotate --overwrite knativeserving.operator.knative.dev knative-serving meta.helm.sh/release-name=rel meta.helm.sh/release-namespace=ns",
            ]
        );
        // An older target still serves policy/v1beta1.
        let mut o = opts();
        o.kube_minor = 24;
        assert!(!check(&old, &new, &o)
            .iter()
            .any(|f| f.rule == Rule::RemovedApi));
    }
}
