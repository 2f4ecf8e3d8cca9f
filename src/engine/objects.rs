//! Helm's built-in objects as minijinja values: `Release`, `Chart`, `Capabilities`,
//! `Template`. (`Files` lives in files.rs, `Values` comes from value.rs.)

use super::RenderOptions;
use crate::chart::Chart;
use crate::{Map, Value};
use minijinja::value::{Enumerator, Object, ObjectRepr, Value as JValue};
use minijinja::{Error, ErrorKind, State};
use std::fmt;
use std::sync::Arc;

/// Helm v4.1.4's default Kubernetes version (`helm template` without `--kube-version`).
pub const DEFAULT_KUBE_VERSION: &str = "v1.35.0";

/// The version chartr reports as `Capabilities.HelmVersion.Version`: the Helm it follows.
pub const HELM_VERSION: &str = "v4.1.4";

/// Helm v4.1.4's `DefaultVersionSet`, in Helm's order (client-go's scheme, then the
/// apiextensions groups). Read off `helm template` printing `.Capabilities.APIVersions`.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// `Capabilities.KubeVersion`: as Helm's `KubeVersion` struct. `Version` and `GitVersion` are
/// the version as given (with a `v`), `{{ Capabilities.KubeVersion }}` prints the normalized
/// form (Helm's `String()`: pre-release and build suffixes dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeVersion {
    pub version: String,
    pub normalized: String,
    pub major: String,
    pub minor: String,
}

/// Parses a Kubernetes version as Helm v4's `ParseKubeVersion` (k8s `ParseGeneric`): `v`
/// optional, at least major.minor, anything after the numbers ignored for Major/Minor.
pub fn parse_kube_version(input: &str) -> Result<KubeVersion, String> {
    let bad = || format!("invalid kube version '{input}': could not parse \"{input}\" as version");
    let s = input.trim_start();
    let s = s.strip_prefix('v').unwrap_or(s);
    let end = s
        .char_indices()
        .find(|(i, c)| {
            !(c.is_ascii_digit()
                || (*c == '.'
                    && s[i + 1..]
                        .chars()
                        .next()
                        .is_some_and(|n| n.is_ascii_digit())))
        })
        .map_or(s.len(), |(i, _)| i);
    let numbers = &s[..end];
    if numbers.is_empty() {
        return Err(bad());
    }
    let comps: Vec<&str> = numbers.split('.').collect();
    if comps.len() < 2 {
        return Err(format!(
            "invalid kube version '{input}': illegal version string \"{input}\""
        ));
    }
    let mut nums = Vec::new();
    for (i, c) in comps.iter().enumerate() {
        if i == 0 && c.len() > 1 && c.starts_with('0') {
            return Err(format!(
                "invalid kube version '{input}': illegal zero-prefixed version component \"{c}\" in \"{input}\""
            ));
        }
        nums.push(c.parse::<u64>().map_err(|_| bad())?);
    }
    let version = if input.starts_with('v') {
        input.to_string()
    } else {
        format!("v{input}")
    };
    let normalized = format!(
        "v{}",
        nums.iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(".")
    );
    Ok(KubeVersion {
        version,
        normalized,
        major: nums[0].to_string(),
        minor: nums[1].to_string(),
    })
}

impl Object for KubeVersion {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &JValue) -> Option<JValue> {
        Some(JValue::from(match key.as_str()? {
            "Version" | "GitVersion" => self.version.as_str(),
            "Major" => self.major.as_str(),
            "Minor" => self.minor.as_str(),
            _ => return None,
        }))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["GitVersion", "Major", "Minor", "Version"])
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.normalized)
    }
}

/// `Capabilities.APIVersions`: a list with Helm's `Has` method.
#[derive(Debug, Clone)]
pub struct ApiVersions(pub Vec<String>);

impl Object for ApiVersions {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &JValue) -> Option<JValue> {
        self.0
            .get(key.as_usize()?)
            .map(|s| JValue::from(s.as_str()))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.len())
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &State<'_, '_>,
        method: &str,
        args: &[JValue],
    ) -> Result<JValue, Error> {
        self.method(method, args)
            .unwrap_or_else(|| Err(Error::from(ErrorKind::UnknownMethod)))
    }
}

impl ApiVersions {
    /// Helm's `Has`, for every dialect; `None` when there is no such method.
    pub fn method(&self, method: &str, args: &[JValue]) -> Option<Result<JValue, Error>> {
        match method {
            "Has" => Some(match args {
                [v] => {
                    let v = v.as_str().unwrap_or_default();
                    Ok(JValue::from(self.0.iter().any(|x| x == v)))
                }
                _ => Err(Error::new(
                    ErrorKind::InvalidOperation,
                    "Capabilities.APIVersions.Has takes one argument, an API version such as \"apps/v1\"",
                )),
            }),
            _ => None,
        }
    }
}

/// `Capabilities`, built once per render.
pub fn capabilities(opts: &RenderOptions) -> Result<JValue, String> {
    let kube = match &opts.kube_version {
        Some(v) => parse_kube_version(v)?,
        None => parse_kube_version(DEFAULT_KUBE_VERSION)?,
    };
    let mut apis: Vec<String> = DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect();
    apis.extend(opts.api_versions.iter().cloned());
    let helm = GoStruct {
        type_name: "version.BuildInfo",
        fields: vec![
            ("Version", JValue::from(HELM_VERSION)),
            ("GitCommit", JValue::from("")),
            ("GitTreeState", JValue::from("")),
            ("GoVersion", JValue::from("")),
            ("KubeClientVersion", JValue::from("v1.35")),
        ],
    };
    Ok(JValue::from_object(GoStruct {
        type_name: "*common.Capabilities",
        fields: vec![
            ("KubeVersion", JValue::from_object(kube)),
            ("APIVersions", JValue::from_object(ApiVersions(apis))),
            ("HelmVersion", JValue::from_object(helm)),
        ],
    }))
}

/// An object that is a struct in Helm (`Capabilities`, its `HelmVersion`): its fields in
/// Go's order and its Go type, which Go's errors name (`can't evaluate field X in type T`).
#[derive(Debug)]
pub struct GoStruct {
    pub type_name: &'static str,
    pub fields: Vec<(&'static str, JValue)>,
}

impl Object for GoStruct {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &JValue) -> Option<JValue> {
        let key = key.as_str()?;
        self.fields
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.fields.iter().map(|(k, _)| JValue::from(*k)).collect())
    }
}

/// `Release`.
pub fn release(opts: &RenderOptions) -> JValue {
    JValue::from_iter([
        ("Name", JValue::from(opts.release_name.as_str())),
        ("Namespace", JValue::from(opts.namespace.as_str())),
        ("IsInstall", JValue::from(opts.is_install)),
        ("IsUpgrade", JValue::from(opts.is_upgrade)),
        ("Revision", JValue::from(opts.revision)),
        ("Service", JValue::from("Helm")),
    ])
}

/// `Template` for one template file.
pub fn template(name: &str, base_path: &str) -> JValue {
    JValue::from_iter([
        ("Name", JValue::from(name)),
        ("BasePath", JValue::from(base_path)),
    ])
}

fn str_field(raw: &Map, key: &str) -> Value {
    Value::String(match raw.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(other) => other.to_string(),
    })
}

fn list_field(raw: &Map, key: &str) -> Value {
    match raw.get(key) {
        Some(Value::Array(a)) => Value::Array(a.clone()),
        _ => Value::Array(Vec::new()),
    }
}

/// `Chart`: Chart.yaml as Helm v4 shows it, every field of Helm's `Metadata` struct under its
/// Go name with Go's zero value when absent, plus `IsRoot`. `name` is the name the chart
/// renders under (a subchart's alias); `enabled` says, for each `dependencies` entry, whether
/// it was kept.
pub fn chart_metadata(
    chart: &Chart,
    name: &str,
    is_root: bool,
    enabled: &dyn Fn(&str) -> bool,
) -> Value {
    let raw = &chart.metadata_raw;
    let mut m = Map::new();
    m.insert("APIVersion".into(), str_field(raw, "apiVersion"));
    let annotations = match raw.get("annotations") {
        Some(Value::Object(a)) => Value::Object(a.clone()),
        _ => Value::Object(Map::new()),
    };
    m.insert("Annotations".into(), annotations);
    m.insert("AppVersion".into(), str_field(raw, "appVersion"));
    m.insert("Condition".into(), str_field(raw, "condition"));
    let deps = match raw.get("dependencies") {
        Some(Value::Array(a)) => a
            .iter()
            .map(|d| {
                let empty = Map::new();
                let d = d.as_object().unwrap_or(&empty);
                let alias = str_field(d, "alias");
                // Helm renames an aliased entry to its alias while processing dependencies.
                let dep_name = match &alias {
                    Value::String(a) if !a.is_empty() => alias.clone(),
                    _ => str_field(d, "name"),
                };
                let mut e = Map::new();
                e.insert("Alias".into(), alias);
                e.insert("Condition".into(), str_field(d, "condition"));
                e.insert(
                    "Enabled".into(),
                    Value::Bool(enabled(dep_name.as_str().unwrap_or_default())),
                );
                e.insert("ImportValues".into(), list_field(d, "import-values"));
                e.insert("Name".into(), dep_name);
                e.insert("Repository".into(), str_field(d, "repository"));
                e.insert("Tags".into(), list_field(d, "tags"));
                e.insert("Version".into(), str_field(d, "version"));
                Value::Object(e)
            })
            .collect(),
        _ => Vec::new(),
    };
    m.insert("Dependencies".into(), Value::Array(deps));
    m.insert(
        "Deprecated".into(),
        Value::Bool(matches!(raw.get("deprecated"), Some(Value::Bool(true)))),
    );
    m.insert("Description".into(), str_field(raw, "description"));
    m.insert("Home".into(), str_field(raw, "home"));
    m.insert("Icon".into(), str_field(raw, "icon"));
    m.insert("IsRoot".into(), Value::Bool(is_root));
    m.insert("Keywords".into(), list_field(raw, "keywords"));
    m.insert("KubeVersion".into(), str_field(raw, "kubeVersion"));
    let maintainers = match raw.get("maintainers") {
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| {
                let empty = Map::new();
                let x = x.as_object().unwrap_or(&empty);
                let mut e = Map::new();
                e.insert("Email".into(), str_field(x, "email"));
                e.insert("Name".into(), str_field(x, "name"));
                e.insert("URL".into(), str_field(x, "url"));
                Value::Object(e)
            })
            .collect(),
        _ => Vec::new(),
    };
    m.insert("Maintainers".into(), Value::Array(maintainers));
    m.insert("Name".into(), Value::String(name.to_string()));
    m.insert("Sources".into(), list_field(raw, "sources"));
    m.insert("Tags".into(), str_field(raw, "tags"));
    m.insert("Type".into(), str_field(raw, "type"));
    m.insert("Version".into(), str_field(raw, "version"));
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_versions_parse_as_helm_v4() {
        let k = parse_kube_version("1.22").unwrap();
        assert_eq!(
            (
                k.version.as_str(),
                k.normalized.as_str(),
                k.major.as_str(),
                k.minor.as_str()
            ),
            ("v1.22", "v1.22", "1", "22")
        );
        let k = parse_kube_version("1.33.4-gke.1245000").unwrap();
        assert_eq!(k.version, "v1.33.4-gke.1245000");
        assert_eq!(k.normalized, "v1.33.4");
        let k = parse_kube_version("v1.2.3.4").unwrap();
        assert_eq!((k.normalized.as_str(), k.minor.as_str()), ("v1.2.3.4", "2"));
        assert_eq!(
            parse_kube_version("x1").unwrap_err(),
            "invalid kube version 'x1': could not parse \"x1\" as version"
        );
        assert!(parse_kube_version("1").is_err());
        assert!(parse_kube_version("01.2").is_err());
    }
}
