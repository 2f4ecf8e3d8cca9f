//! `chartr template [NAME] CHART`: `helm template`'s output (Helm v4's `pkg/cmd/template.go`).
//!
//! A thin composition: [`render`] loads the chart, composes and validates values, renders and
//! sorts into a [`Release`]; [`print`] turns the release into what `helm template` prints or
//! writes (the stream, `--show-only`, `--output-dir`, the post-renderer). Everything is
//! computed in memory first: on any error nothing is printed and nothing is written.

use crate::chart::{self, Chart};
use crate::engine::objects::{parse_kube_version, KubeVersion, DEFAULT_KUBE_VERSION};
use crate::engine::{self, RenderOptions};
use crate::error::Error;
use crate::manifest::split_manifests;
use crate::manifest::{output, postrender::PostRenderer, Crd, OutputDir, Release, Selection};
use crate::schema;
use crate::semver;
use crate::values::{self, ValueOptions};
use regex::Regex;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// `helm template`'s flags, as the CLI parsed them.
#[derive(Debug, Clone, Default)]
pub struct TemplateOptions {
    /// `[NAME] CHART` as given (Helm's errors for other counts are reproduced).
    pub args: Vec<String>,
    pub values: ValueOptions,
    pub namespace: String,
    pub show_only: Vec<String>,
    pub output_dir: Option<String>,
    /// `--release-name`: `--output-dir` puts templates under `DIR/RELEASE/`.
    pub release_name_dir: bool,
    pub generate_name: bool,
    /// `--name-template`: the release name as a Go template renders it.
    pub name_template: Option<String>,
    pub include_crds: bool,
    pub kube_version: Option<String>,
    pub api_versions: Vec<String>,
    pub is_upgrade: bool,
    pub no_hooks: bool,
    pub skip_tests: bool,
    pub skip_schema_validation: bool,
    pub post_renderer: Option<String>,
    pub post_renderer_args: Vec<String>,
    pub lookup_from: Option<PathBuf>,
    /// Where the chart comes from (`--version`, `--repo`, credentials, TLS, Helm's paths).
    pub source: crate::source::SourceOptions,
    /// `--dependency-update`: fill a local chart's charts/ first when a dependency is missing.
    pub dependency_update: bool,
    /// `--max-output-bytes`: the most the rendered manifests (and a post-renderer's output)
    /// may hold; `None` is [`DEFAULT_MAX_OUTPUT_BYTES`].
    pub max_output_bytes: Option<u64>,
}

/// The default limit on a render's output: 256 MiB.
pub const DEFAULT_MAX_OUTPUT_BYTES: u64 = 256 << 20;

/// Refuses output of `size` bytes over `limit`; `what` says which output.
fn check_output_size(what: &str, size: usize, limit: u64) -> Result<()> {
    if size as u64 > limit {
        return Err(Error::OutputLimit {
            message: format!("{what} hold {size} bytes, more than the output limit of {limit} bytes (--max-output-bytes raises it)"),
        });
    }
    Ok(())
}

/// The command's results: [`Error`] unless said otherwise.
type Result<T, E = Error> = std::result::Result<T, E>;

/// What the command prints: `stdout`, and notices for standard error (Helm's INFO logs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateOutput {
    pub stdout: String,
    pub notices: Vec<String>,
}

/// The release name helm template uses when none is given. `--generate-name` does not change
/// it: helm template sets this name before `--generate-name` is looked at.
pub const DEFAULT_RELEASE_NAME: &str = "release-name";

/// Helm's `NameAndChart` as `helm template` calls it: the release name and the chart.
pub fn name_and_chart(args: &[String], generate_name: bool) -> Result<(String, String)> {
    match args {
        [chart] => Ok((DEFAULT_RELEASE_NAME.to_string(), chart.clone())),
        [name, chart] => {
            if generate_name {
                return Err(Error::usage(
                    "cannot set --generate-name and also specify a name",
                ));
            }
            Ok((name.clone(), chart.clone()))
        }
        [_, _, rest @ ..] => Err(Error::usage(format!(
            "expected at most two arguments, unexpected arguments: {}",
            rest.join(", ")
        ))),
        [] => Err(Error::usage("requires at least 1 arg(s), only received 0")),
    }
}

fn valid_name() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
            .unwrap_or_else(|_| unreachable!())
    })
}

/// Helm's `ValidateReleaseName`, with v4's message.
pub fn validate_release_name(name: &str) -> Result<()> {
    let reason = if name.is_empty() {
        "no name provided".to_string()
    } else if name.len() > 53 || !valid_name().is_match(name) {
        format!(
            "invalid release name, must match regex {} and the length must not be longer than 53",
            valid_name().as_str()
        )
    } else {
        return Ok(());
    };
    Err(Error::ReleaseName {
        name: name.to_string(),
        reason,
    })
}

/// Helm's `checkIfInstallable`: only application charts (or untyped ones) render.
pub fn check_installable(chart: &Chart) -> Result<()> {
    match chart.metadata.chart_type.as_deref() {
        None | Some("") | Some("application") => Ok(()),
        Some(t) => Err(Error::NotInstallable {
            chart_type: t.to_string(),
        }),
    }
}

fn has_manifest_extension(name: &str) -> bool {
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    matches!(ext.as_str(), "yaml" | "yml" | "json")
}

/// Helm's `CRDObjects`: the chart's `crds/*.{yaml,yml,json}` in load order, then each
/// subchart's (subcharts not listed in Chart.yaml first, then the listed ones in their order).
pub fn crd_objects(chart: &Chart) -> Vec<Crd> {
    let mut out = Vec::new();
    collect_crds(chart, chart.name(), &mut out);
    out
}

fn collect_crds(chart: &Chart, full_path: &str, out: &mut Vec<Crd>) {
    for f in &chart.crds {
        if f.name.starts_with("crds/") && has_manifest_extension(&f.name) {
            out.push(Crd {
                name: format!("{full_path}/{}", f.name),
                // A CRD file is megabytes (Dataflow's Envoy Gateway: 4 MB); checking UTF-8 and
                // copying costs a tenth of what from_utf8_lossy's chunk walk does.
                data: match std::str::from_utf8(&f.data) {
                    Ok(s) => s.to_owned(),
                    Err(_) => String::from_utf8_lossy(&f.data).into_owned(),
                },
            });
        }
    }
    // Each subchart under its name in the parent: the alias of the Chart.yaml entry it answers
    // (as the engine names it), else its own name.
    let entries = &chart.metadata.dependencies;
    let mut used = vec![false; entries.len()];
    let mut unlisted: Vec<(&Chart, String)> = Vec::new();
    let mut listed: Vec<(usize, &Chart, String)> = Vec::new();
    for sub in &chart.dependencies {
        let n = sub.name();
        let pick = (0..entries.len())
            .find(|&i| !used[i] && entries[i].alias.as_deref() == Some(n))
            .or_else(|| (0..entries.len()).find(|&i| !used[i] && entries[i].name == n));
        match pick {
            Some(i) => {
                used[i] = true;
                let name = match entries[i].alias.as_deref() {
                    Some(a) if !a.is_empty() => a.to_string(),
                    _ => n.to_string(),
                };
                listed.push((i, sub, name));
            }
            None => unlisted.push((sub, n.to_string())),
        }
    }
    listed.sort_by_key(|(i, _, _)| *i);
    let deps = unlisted
        .into_iter()
        .chain(listed.into_iter().map(|(_, c, n)| (c, n)));
    for (dep, name) in deps {
        collect_crds(dep, &format!("{full_path}/charts/{name}"), out);
    }
}

/// Helm's check of the chart's `kubeVersion` constraint against the Kubernetes version
/// (`IsCompatibleRange` on the normalized version; a constraint or version that does not parse
/// is incompatible). Only the top chart's constraint counts, as in Helm.
pub fn check_kube_version(chart: &Chart, kube: &KubeVersion) -> Result<()> {
    let Some(constraint) = chart.metadata.kube_version.as_deref() else {
        return Ok(());
    };
    if constraint.is_empty() {
        return Ok(());
    }
    let compatible = match (
        semver::parse_version(&kube.normalized),
        semver::parse_constraints(constraint),
    ) {
        (Ok(v), Ok(c)) => c.check(&v),
        _ => false,
    };
    if !compatible {
        return Err(Error::IncompatibleKubeVersion {
            constraint: constraint.to_string(),
            kube_version: kube.version.clone(),
        });
    }
    Ok(())
}

/// Runs `chartr template`: [`render`], then [`print`].
pub fn run(opts: &TemplateOptions, stdin: &mut dyn std::io::Read) -> Result<TemplateOutput> {
    // Helm resolves the post-renderer while parsing flags, before anything else.
    let post_renderer = match &opts.post_renderer {
        Some(p) if !p.is_empty() => Some(
            PostRenderer::new(p, opts.post_renderer_args.clone()).map_err(|message| {
                Error::PostRenderer {
                    message,
                    ran: false,
                }
            })?,
        ),
        _ => None,
    };
    let release = render(opts, stdin)?;
    print(&release, opts, post_renderer.as_ref())
}

/// Renders the release `helm template` would install: finds and loads the chart, reads and
/// coalesces the values (`stdin` for `-f -`), validates them, renders every template and sorts
/// the documents. Checks run in Helm's order, with Helm's messages.
pub fn render(opts: &TemplateOptions, stdin: &mut dyn std::io::Read) -> Result<Release> {
    // helm template checks --kube-version first of all.
    let kube = parse_kube_version(opts.kube_version.as_deref().unwrap_or(DEFAULT_KUBE_VERSION))
        .map_err(|message| Error::KubeVersion { message })?;
    let (mut release_name, chart_ref) = name_and_chart(&opts.args, opts.generate_name)?;
    if let Some(t) = opts.name_template.as_deref().filter(|t| !t.is_empty()) {
        if opts.args.len() == 2 {
            return Err(Error::usage(
                "cannot set --name-template and also specify a name",
            ));
        }
        release_name = engine::gotmpl::render_text("name-template", t).map_err(|message| {
            Error::TemplateExec {
                template: Some("name-template".into()),
                location: None,
                fail: None,
                source: message.clone().into(),
                message,
            }
        })?;
    }
    let located = crate::source::locate(&chart_ref, &opts.source)?;
    let mut notices = located
        .fetched
        .as_ref()
        .map(|f| f.notices.clone())
        .unwrap_or_default();
    if opts.dependency_update && located.path.is_dir() {
        let o = crate::commands::dependency::DependencyOptions {
            chart_dir: located.path.clone(),
            skip_refresh: false,
            source: opts.source.clone(),
        };
        if let Some(out) = crate::commands::dependency::update_if_missing(&o)? {
            notices.extend(out.lines().map(str::to_string));
        }
    }
    let mut chart = chart::load(&located.path)?;
    let user = values::read_user_values(&opts.values, stdin)?;
    check_installable(&chart)?;
    validate_release_name(&release_name)?;
    let coalesced = values::compose(&mut chart, user)?;
    if !opts.skip_schema_validation {
        schema::validate(&chart, &coalesced.values, &coalesced.origins).map_err(Error::Schema)?;
    }
    check_kube_version(&chart, &kube)?;
    let render_opts = RenderOptions {
        release_name: release_name.clone(),
        namespace: opts.namespace.clone(),
        revision: 1,
        is_install: !opts.is_upgrade,
        is_upgrade: opts.is_upgrade,
        kube_version: opts.kube_version.clone(),
        api_versions: opts.api_versions.clone(),
        lookup_from: opts.lookup_from.clone(),
    };
    let rendered = engine::render_full(&chart, &coalesced.values, &render_opts)?;
    let crds = crd_objects(&chart);
    let crds_size: usize = if opts.include_crds {
        crds.iter().map(|c| c.data.len()).sum()
    } else {
        0
    };
    let manifests_size: usize = rendered.manifests.values().map(String::len).sum();
    check_output_size(
        "the rendered manifests",
        manifests_size + crds_size,
        opts.max_output_bytes.unwrap_or(DEFAULT_MAX_OUTPUT_BYTES),
    )?;
    notices.append(&mut chart.warnings);
    Release::assemble(&release_name, &opts.namespace, crds, rendered, notices)
        .map_err(Error::ManifestYaml)
}

/// What `helm template` prints or writes for `release`, as `opts` ask: the stream (`--no-hooks`,
/// `--skip-tests`, `--include-crds`), passed through `post_renderer`, cut by `--show-only`, or
/// written to `--output-dir` (all files or none).
pub fn print(
    release: &Release,
    opts: &TemplateOptions,
    post_renderer: Option<&PostRenderer>,
) -> Result<TemplateOutput> {
    let max_output = opts.max_output_bytes.unwrap_or(DEFAULT_MAX_OUTPUT_BYTES);
    let sel = Selection {
        include_crds: opts.include_crds,
        no_hooks: opts.no_hooks,
        skip_tests: opts.skip_tests,
    };
    let post_rendered = match post_renderer {
        Some(pr) => {
            let text = pr
                .run(&release.stream(sel))
                .map_err(|e| Error::PostRenderer {
                    message: if e.starts_with("error while parsing post rendered output") {
                        e
                    } else {
                        format!("error while running post render on files: {e}")
                    },
                    ran: true,
                })?;
            crate::manifest::postrender::check_output(&text)
                .map_err(|message| Error::PostRenderer { message, ran: true })?;
            Some(text)
        }
        None => None,
    };
    if let Some(text) = &post_rendered {
        check_output_size("the post-renderer's output", text.len(), max_output)?;
    }

    let stdout = match &opts.output_dir {
        Some(dir) => {
            let docs = match &post_rendered {
                Some(text) => {
                    let names: BTreeSet<String> = if sel.include_crds {
                        release.crds.iter().map(|c| c.name.clone()).collect()
                    } else {
                        BTreeSet::new()
                    };
                    output::documents_from_stream(text, &names)
                }
                None => release.documents(sel),
            };
            let out = OutputDir {
                dir: dir.clone(),
                release: opts.release_name_dir.then(|| release.name.clone()),
            };
            let plan = output::plan_output_dir(&docs, &out);
            if !opts.show_only.is_empty() {
                // Helm prints the (empty) manifest text after the files and filters that
                // text, which holds no document: every --show-only fails with --output-dir.
                output::show_only(&[], &opts.show_only).map_err(Error::ShowOnly)?;
            }
            output::write_plan(&plan).map_err(Error::OutputDir)?;
            // The `wrote PATH` lines, then the empty manifest text: one newline.
            format!("{}\n", plan.log)
        }
        None => match &post_rendered {
            Some(text) => {
                let stdout = format!("{}\n", text.trim());
                if opts.show_only.is_empty() {
                    stdout
                } else {
                    output::show_only(&split_manifests(&stdout), &opts.show_only)
                        .map_err(Error::ShowOnly)?
                }
            }
            None if opts.show_only.is_empty() => release.stream(sel),
            None => {
                let docs = output::shown_documents(&release.documents(sel));
                output::show_only(&docs, &opts.show_only).map_err(Error::ShowOnly)?
            }
        },
    };
    Ok(TemplateOutput {
        stdout,
        notices: release.notices.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn names_and_charts_as_helm_template() {
        assert_eq!(
            name_and_chart(&s(&["c"]), false).unwrap(),
            ("release-name".into(), "c".into())
        );
        assert_eq!(
            name_and_chart(&s(&["c"]), true).unwrap(),
            ("release-name".into(), "c".into())
        );
        assert_eq!(
            name_and_chart(&s(&["n", "c"]), false).unwrap(),
            ("n".into(), "c".into())
        );
        assert_eq!(
            name_and_chart(&s(&["n", "c"]), true)
                .unwrap_err()
                .to_string(),
            "cannot set --generate-name and also specify a name"
        );
        assert_eq!(
            name_and_chart(&s(&["a", "b", "c", "d"]), false)
                .unwrap_err()
                .to_string(),
            "expected at most two arguments, unexpected arguments: c, d"
        );
    }

    #[test]
    fn release_names_as_helm_validates_them() {
        for ok in ["a", "release-name", "a.b-c", "0", &"a".repeat(53)] {
            assert!(validate_release_name(ok).is_ok(), "{ok}");
        }
        for bad in ["A", "-a", "a-", "a_b", "a..b", ".a", &"a".repeat(54)] {
            let e = validate_release_name(bad).unwrap_err().to_string();
            assert!(
                e.contains("invalid release name, must match regex ^[a-z0-9]"),
                "{e}"
            );
        }
        assert_eq!(
            validate_release_name("").unwrap_err().to_string(),
            "release name check failed: release name \"\": no name provided"
        );
    }

    #[test]
    fn crds_of_the_tree_in_helm_order() {
        let file = |n: &str| chart::File {
            name: n.into(),
            data: b"x".to_vec(),
        };
        let sub = |n: &str| {
            let mut c = Chart::default();
            c.metadata.name = n.into();
            c.crds = vec![file("crds/s.yaml")];
            c
        };
        let mut root = Chart::default();
        root.metadata.name = "top".into();
        root.crds = vec![
            file("crds/b.yaml"),
            file("crds/notes.txt"),
            file("crds/A.JSON"),
        ];
        root.dependencies = vec![sub("aliased"), sub("listed"), sub("other")];
        root.metadata.dependencies = vec![
            chart::Dependency {
                name: "listed".into(),
                ..Default::default()
            },
            chart::Dependency {
                name: "aliased".into(),
                alias: Some("renamed".into()),
                ..Default::default()
            },
        ];
        let names: Vec<_> = crd_objects(&root).into_iter().map(|c| c.name).collect();
        assert_eq!(
            names,
            [
                "top/crds/b.yaml",
                "top/crds/A.JSON",
                "top/charts/other/crds/s.yaml",
                "top/charts/listed/crds/s.yaml",
                "top/charts/renamed/crds/s.yaml"
            ]
        );
    }

    /// A chart folder `c` with `files` (path, text) in a fresh temporary folder.
    fn chart_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let p = dir.path().join("c").join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    fn render_chart(dir: &tempfile::TempDir, set: &[&str]) -> Result<Release> {
        let opts = TemplateOptions {
            args: s(&["rel", &dir.path().join("c").display().to_string()]),
            namespace: "ns".into(),
            values: ValueOptions {
                set: s(set),
                ..ValueOptions::default()
            },
            ..TemplateOptions::default()
        };
        render(&opts, &mut std::io::empty())
    }

    const CHART_YAML: &str = "apiVersion: v2\nname: c\nversion: 0.1.0\n";

    #[test]
    fn render_returns_the_release() {
        let dir = chart_dir(&[
            ("Chart.yaml", CHART_YAML),
            ("crds/crd.yaml", "kind: CustomResourceDefinition\n"),
            (
                "templates/all.yaml",
                "kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n\
                 ---\nkind: Secret\nmetadata:\n  name: s\n\
                 ---\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: post-install\n",
            ),
            ("templates/NOTES.txt", "{{ .Release.Namespace }}"),
        ]);
        let r = render_chart(&dir, &[]).unwrap();
        assert_eq!((r.name.as_str(), r.namespace.as_str()), ("rel", "ns"));
        let kinds: Vec<_> = r.manifests.iter().map(|m| m.head.kind.as_str()).collect();
        assert_eq!(kinds, ["Secret", "Deployment"]);
        assert_eq!(
            r.manifests[1].content,
            "kind: Deployment\nmetadata:\n  name: rel"
        );
        assert_eq!(r.hooks.len(), 1);
        assert_eq!(r.hooks[0].path, "c/templates/all.yaml");
        assert_eq!(r.crds.len(), 1);
        assert_eq!(r.crds[0].name, "c/crds/crd.yaml");
        assert_eq!(r.notes.as_deref(), Some("ns"));
    }

    #[test]
    fn a_go_template_parse_error_is_typed() {
        let dir = chart_dir(&[
            ("Chart.yaml", CHART_YAML),
            ("templates/bad.yaml", "a: 1\nb: {{ .Values.x\n"),
        ]);
        let e = render_chart(&dir, &[]).unwrap_err();
        let Error::TemplateParse {
            template,
            line,
            dialect,
            ..
        } = &e
        else {
            panic!("{e:?}")
        };
        assert_eq!(template, "c/templates/bad.yaml");
        assert_eq!(*line, Some(3));
        assert_eq!(*dialect, engine::Dialect::Go);
        assert_eq!(e.stage(), "engine");
        // helm v4.1.4's words, where the action started included.
        let msg = e.to_string();
        assert!(
            msg.starts_with("parse error at (c/templates/bad.yaml:3): unclosed action started at c/templates/bad.yaml:2\n"),
            "{msg}"
        );
        assert!(msg.contains("read this file as a Go template"), "{msg}");
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn a_jinja_parse_error_names_its_dialect() {
        let dir = chart_dir(&[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: c\nversion: 0.1.0\n\
                 annotations:\n  chartr.dev/template-dialect: jinja\n",
            ),
            ("templates/bad.yaml", "a: 1\n{% if %}\n"),
        ]);
        let e = render_chart(&dir, &[]).unwrap_err();
        let Error::TemplateParse {
            template,
            line,
            dialect,
            ..
        } = &e
        else {
            panic!("{e:?}")
        };
        assert_eq!(
            (template.as_str(), *line, *dialect),
            ("c/templates/bad.yaml", Some(2), engine::Dialect::Jinja)
        );
        assert!(e
            .to_string()
            .starts_with("parse error at (c/templates/bad.yaml:2): "));
    }

    #[test]
    fn a_missing_required_value_is_typed_with_helms_message() {
        let dir = chart_dir(&[
            ("Chart.yaml", CHART_YAML),
            (
                "templates/cm.yaml",
                "kind: ConfigMap\ndata:\n  host: {{ required \"host is required\" .Values.host }}\n",
            ),
        ]);
        let e = render_chart(&dir, &[]).unwrap_err();
        let Error::TemplateExec {
            template,
            location,
            fail,
            ..
        } = &e
        else {
            panic!("{e:?}")
        };
        assert_eq!(template.as_deref(), Some("c/templates/cm.yaml"));
        assert_eq!(location.as_deref(), Some("c/templates/cm.yaml:3:11"));
        assert_eq!(fail.as_deref(), Some("host is required"));
        // What helm v4.1.4 prints for this chart (before its --debug hint).
        assert_eq!(
            e.to_string(),
            "execution error at (c/templates/cm.yaml:3:11): host is required"
        );
        assert!(render_chart(&dir, &["host=db"]).is_ok());
    }

    #[test]
    fn a_bad_chart_yaml_is_the_chart_stage_with_the_yaml_error() {
        let dir = chart_dir(&[("Chart.yaml", "apiVersion: v2\nname: c\nversion: [1\n")]);
        let e = render_chart(&dir, &[]).unwrap_err();
        assert!(matches!(e, Error::Chart(crate::chart::LoadError::Yaml(_))));
        let msg = e.to_string();
        // helm v4.1.4: cannot load Chart.yaml: error converting YAML to JSON: yaml: line 3:
        // did not find expected ',' or ']' (chartr names the file by its path).
        assert!(msg.contains("Chart.yaml: "), "{msg}");
        assert!(
            msg.ends_with(
                "error converting YAML to JSON: yaml: line 3: did not find expected ',' or ']'"
            ),
            "{msg}"
        );
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn refusals_before_rendering_are_typed() {
        let dir = chart_dir(&[("Chart.yaml", CHART_YAML)]);
        let mut opts = TemplateOptions {
            args: s(&["Bad_Name", &dir.path().join("c").display().to_string()]),
            ..TemplateOptions::default()
        };
        let e = render(&opts, &mut std::io::empty()).unwrap_err();
        assert!(matches!(&e, Error::ReleaseName { name, .. } if name == "Bad_Name"));
        opts.args[0] = "ok".into();
        opts.kube_version = Some("x.y".into());
        let e = render(&opts, &mut std::io::empty()).unwrap_err();
        assert!(matches!(e, Error::KubeVersion { .. }), "{e:?}");
    }

    #[test]
    fn library_charts_are_refused() {
        let mut c = Chart::default();
        c.metadata.chart_type = Some("library".into());
        assert_eq!(
            check_installable(&c).unwrap_err().to_string(),
            "library charts are not installable"
        );
        c.metadata.chart_type = Some("application".into());
        assert!(check_installable(&c).is_ok());
    }
}
