//! `chartr diff OLD NEW`: what changes, object by object, between two renders, and with
//! `--check-upgrade` what `helm upgrade` from OLD to NEW would be refused for or would lose.
//! A thin composition of the manifest stage's store, diff and preflight; docs/diff.md
//! documents the output and the exit statuses.

use crate::engine::objects::{parse_kube_version, DEFAULT_KUBE_VERSION};
use crate::error::Error;
use crate::manifest::diff::{self, DiffOptions as Compare, IgnorePath, Masker};
use crate::manifest::preflight::{self, shell_word, PreflightOptions};
use crate::manifest::store::{Store, StoreError};
use std::io::Read;
use std::path::PathBuf;

/// How the report is printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Text,
    Json,
    Markdown,
    /// NEW's CRDs from `crds/` folders that OLD lacks or that changed, as a manifest stream
    /// for `kubectl apply`.
    Crds,
}

/// `chartr diff`'s flags, as the CLI parsed them.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Each a manifest stream, a folder of them, or `-` for standard input.
    pub old: String,
    pub new: String,
    /// The release namespace: where objects that name none are, and what ownership
    /// metadata must name.
    pub namespace: String,
    pub context: usize,
    pub ignore: Vec<String>,
    pub show_secrets: bool,
    pub format: Format,
    pub color: bool,
    pub check_upgrade: bool,
    pub cluster: Option<PathBuf>,
    pub kube_version: Option<String>,
    pub release: Option<String>,
}

/// How the comparison ended, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Equal,
    Different,
    /// `--check-upgrade` found something to act on.
    Findings,
}

impl Outcome {
    /// diff(1)'s statuses (0 equal, 1 different; 2 is an error), and 3 for preflight findings.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Equal => 0,
            Outcome::Different => 1,
            Outcome::Findings => 3,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffOutput {
    pub stdout: String,
    pub outcome: Outcome,
}

fn read_side(path: &str, namespace: &str, stdin: &mut dyn Read) -> Result<Store, StoreError> {
    if path == "-" {
        let mut text = String::new();
        stdin
            .read_to_string(&mut text)
            .map_err(|e| StoreError::Read {
                path: "<stdin>".into(),
                message: e.to_string(),
            })?;
        let mut s = Store::new(namespace);
        s.add_stream(&text, "<stdin>")?;
        return Ok(s);
    }
    Store::load(std::path::Path::new(path), namespace)
}

fn kube_minor(v: &str) -> Result<(u64, String), Error> {
    let k = parse_kube_version(v).map_err(|message| Error::KubeVersion { message })?;
    let minor = k
        .minor
        .trim_start_matches('v')
        .parse::<u64>()
        .map_err(|_| Error::KubeVersion {
            message: format!("invalid kube version '{v}': no minor version"),
        })?;
    if k.major != "1" && k.major != "v1" {
        return Err(Error::KubeVersion {
            message: format!("invalid kube version '{v}': chartr knows Kubernetes 1.x only"),
        });
    }
    Ok((minor, k.version))
}

pub fn run(opts: &DiffOptions, stdin: &mut dyn Read) -> Result<DiffOutput, Error> {
    if opts.old == "-" && opts.new == "-" {
        return Err(Error::usage(
            "OLD and NEW cannot both be standard input (-)",
        ));
    }
    let ignore = opts
        .ignore
        .iter()
        .map(|p| IgnorePath::parse(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Error::IgnorePath)?;
    let side = |source| Error::Manifests { flag: None, source };
    let old = read_side(&opts.old, &opts.namespace, stdin).map_err(side)?;
    let new = read_side(&opts.new, &opts.namespace, stdin).map_err(side)?;
    let cluster = match &opts.cluster {
        Some(p) => Some(
            Store::load(p, &opts.namespace).map_err(|source| Error::Manifests {
                flag: Some("--cluster"),
                source,
            })?,
        ),
        None => None,
    };
    if opts.format == Format::Crds {
        let mut out = String::new();
        for o in preflight::crds_to_apply(&old, &new) {
            let body = o.text.trim_end_matches('\n');
            if body.starts_with("# Source:") {
                out.push_str(&format!("---\n{body}\n"));
            } else {
                let src = o.source.as_deref().unwrap_or("crds");
                out.push_str(&format!("---\n# Source: {src}\n{body}\n"));
            }
        }
        return Ok(DiffOutput {
            stdout: out,
            outcome: Outcome::Equal,
        });
    }
    let masker = if opts.show_secrets {
        Masker::off()
    } else {
        Masker::new(&old, &new, cluster.as_ref())
    };
    let compare = Compare {
        context: opts.context,
        ignore,
        old_name: opts.old.clone(),
        new_name: opts.new.clone(),
    };
    let mut report = diff::diff(&old, &new, &masker, &compare);
    let mut outcome = if report.summary.equal() {
        Outcome::Equal
    } else {
        Outcome::Different
    };
    if opts.check_upgrade {
        let (minor, version) =
            kube_minor(opts.kube_version.as_deref().unwrap_or(DEFAULT_KUBE_VERSION))?;
        let release = match (&opts.release, &cluster) {
            (Some(r), _) => r.clone(),
            (None, Some(c)) => preflight::infer_release(&old, c).ok_or_else(|| {
                Error::usage("--cluster needs --release NAME: no object of OLD in the cluster names its release (annotation meta.helm.sh/release-name)")
            })?,
            (None, None) => "RELEASE".to_string(),
        };
        let crds_command = (opts.old != "-" && opts.new != "-").then(|| {
            format!(
                "chartr diff {} {} --output crds",
                shell_word(&opts.old),
                shell_word(&opts.new)
            )
        });
        let findings = preflight::check(
            &old,
            &new,
            &PreflightOptions {
                kube_minor: minor,
                kube_version: version,
                cluster: cluster.as_ref(),
                release,
                namespace: opts.namespace.clone(),
                crds_command,
            },
        );
        if !findings.is_empty() {
            outcome = Outcome::Findings;
        }
        report.findings = Some(findings);
    }
    let text = match opts.format {
        Format::Text => diff::render_text(&report, opts.color),
        Format::Markdown => diff::render_markdown(&report),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&diff::to_json(&report)).map_err(|e| {
                Error::Internal {
                    message: format!("cannot print JSON: {e}"),
                }
            })?;
            s.push('\n');
            s
        }
        Format::Crds => String::new(),
    };
    // A last pass over everything printed: names, findings and headers included.
    Ok(DiffOutput {
        stdout: masker.mask_text(&text),
        outcome,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(old: &str, new: &str) -> DiffOptions {
        DiffOptions {
            old: old.into(),
            new: new.into(),
            namespace: "default".into(),
            ..DiffOptions::default()
        }
    }

    #[test]
    fn errors_are_typed_and_name_the_file() {
        let e = run(&opts("-", "-"), &mut std::io::empty()).unwrap_err();
        assert!(matches!(e, Error::Usage { .. }), "{e:?}");

        let t = tempfile::tempdir().unwrap();
        let missing = t.path().join("missing.yaml").display().to_string();
        let e = run(&opts(&missing, "-"), &mut std::io::empty()).unwrap_err();
        assert!(
            matches!(&e, Error::Manifests { flag: None, source: StoreError::Read { path, .. } } if *path == missing),
            "{e:?}"
        );
        assert!(e
            .to_string()
            .starts_with(&format!("{missing}: cannot read: ")));

        let ok = t.path().join("ok.yaml");
        std::fs::write(
            &ok,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
        )
        .unwrap();
        let ok = ok.display().to_string();
        let mut o = opts(&ok, &ok);
        o.cluster = Some(missing.clone().into());
        let e = run(&o, &mut std::io::empty()).unwrap_err();
        assert!(e
            .to_string()
            .starts_with(&format!("--cluster: {missing}: cannot read")));

        let mut o = opts(&ok, &ok);
        o.ignore = vec!["metadata.labels[x".into()];
        let e = run(&o, &mut std::io::empty()).unwrap_err();
        assert!(matches!(e, Error::IgnorePath(_)), "{e:?}");

        let mut o = opts(&ok, &ok);
        o.check_upgrade = true;
        o.kube_version = Some("2.1".into());
        let e = run(&o, &mut std::io::empty()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid kube version '2.1': chartr knows Kubernetes 1.x only"
        );
        assert!(run(&opts(&ok, &ok), &mut std::io::empty()).is_ok());
    }
}
