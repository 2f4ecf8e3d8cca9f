//! `chartr diff OLD NEW`: what changes, object by object, between two renders, and with
//! `--check-upgrade` what `helm upgrade` from OLD to NEW would be refused for or would lose.
//! A thin composition of the manifest stage's store, diff and preflight; docs/diff.md
//! documents the output and the exit statuses.

use crate::engine::objects::{parse_kube_version, DEFAULT_KUBE_VERSION};
use crate::error::{Error, Stage};
use crate::manifest::diff::{self, DiffOptions as Compare, IgnorePath, Masker};
use crate::manifest::preflight::{self, shell_word, PreflightOptions};
use crate::manifest::store::Store;
use anyhow::{anyhow, bail, Context, Result};
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

fn read_side(path: &str, namespace: &str, stdin: &mut dyn Read) -> Result<Store> {
    if path == "-" {
        let mut text = String::new();
        stdin
            .read_to_string(&mut text)
            .context("<stdin>: cannot read")?;
        let mut s = Store::new(namespace);
        s.add_stream(&text, "<stdin>")?;
        return Ok(s);
    }
    Ok(Store::load(std::path::Path::new(path), namespace)?)
}

fn kube_minor(v: &str) -> Result<(u64, String)> {
    let k = parse_kube_version(v).map_err(|e| anyhow!(e))?;
    let minor = k
        .minor
        .trim_start_matches('v')
        .parse::<u64>()
        .map_err(|_| anyhow!("invalid kube version '{v}': no minor version"))?;
    if k.major != "1" && k.major != "v1" {
        bail!("invalid kube version '{v}': chartr knows Kubernetes 1.x only");
    }
    Ok((minor, k.version))
}

pub fn run(opts: &DiffOptions, stdin: &mut dyn Read) -> Result<DiffOutput, Error> {
    run_any(opts, stdin).map_err(Error::stage_error(Stage::Diff))
}

fn run_any(opts: &DiffOptions, stdin: &mut dyn Read) -> Result<DiffOutput> {
    if opts.old == "-" && opts.new == "-" {
        bail!("OLD and NEW cannot both be standard input (-)");
    }
    let ignore = opts
        .ignore
        .iter()
        .map(|p| IgnorePath::parse(p))
        .collect::<Result<Vec<_>, _>>()?;
    let old = read_side(&opts.old, &opts.namespace, stdin)?;
    let new = read_side(&opts.new, &opts.namespace, stdin)?;
    let cluster = match &opts.cluster {
        Some(p) => Some(Store::load(p, &opts.namespace).map_err(|e| anyhow!("--cluster: {e}"))?),
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
                anyhow!("--cluster needs --release NAME: no object of OLD in the cluster names its release (annotation meta.helm.sh/release-name)")
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
            let mut s = serde_json::to_string_pretty(&diff::to_json(&report))
                .context("cannot print JSON")?;
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
