//! `helm template`'s output: the framed stream on standard output, `--show-only`, and the
//! `--output-dir` layout (pkg/cmd/template.go and renderResources in pkg/action/action.go).
//!
//! Each document is framed as `---\n# Source: NAME\nCONTENT\n`. The stream is the CRDs (raw
//! file text, with `--include-crds`), then the manifests, trimmed as a whole and ended with one
//! newline, then the hooks (unless `--no-hooks`; test hooks unless `--skip-tests`).

use super::sort::{Hook, Manifest};
use super::split::{split_continued, split_manifests, trim_space};
use crate::glob::go_match;
use regex::Regex;
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

/// A CRD file of a chart's `crds/` folder, with Helm's name for it: `CHART/crds/FILE`
/// (a subchart's: `CHART/charts/SUB/crds/FILE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crd {
    pub name: String,
    pub data: String,
}

/// Which documents go out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    pub include_crds: bool,
    pub no_hooks: bool,
    pub skip_tests: bool,
}

/// One framed document on its way to standard output or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// The `# Source:` name.
    pub name: String,
    pub content: String,
    /// CRDs are written under `OUT/` even with `--release-name`.
    pub is_crd: bool,
}

/// `---\n# Source: NAME\nCONTENT\n`.
pub fn frame(name: &str, content: &str) -> String {
    format!("---\n# Source: {name}\n{content}\n")
}

/// The documents in output order: CRDs, manifests, hooks, as `sel` picks them.
pub fn documents(crds: &[Crd], manifests: &[Manifest], hooks: &[Hook], sel: Selection) -> Vec<Doc> {
    let mut docs = Vec::new();
    if sel.include_crds {
        docs.extend(crds.iter().map(|c| Doc {
            name: c.name.clone(),
            content: c.data.clone(),
            is_crd: true,
        }));
    }
    docs.extend(manifests.iter().map(|m| Doc {
        name: m.name.clone(),
        content: m.content.clone(),
        is_crd: false,
    }));
    if !sel.no_hooks {
        docs.extend(
            hooks
                .iter()
                .filter(|h| !(sel.skip_tests && h.is_test()))
                .map(|h| Doc {
                    name: h.path.clone(),
                    content: h.manifest.clone(),
                    is_crd: false,
                }),
        );
    }
    docs
}

/// The text `helm template` prints: non-hook documents trimmed as a whole plus a newline, then
/// each hook document.
pub fn stream(crds: &[Crd], manifests: &[Manifest], hooks: &[Hook], sel: Selection) -> String {
    let body: String = documents(crds, manifests, &[], sel)
        .iter()
        .map(|d| frame(&d.name, &d.content))
        .collect();
    let mut out = format!("{}\n", trim_space(&body));
    if !sel.no_hooks {
        for h in hooks.iter().filter(|h| !(sel.skip_tests && h.is_test())) {
            out.push_str(&frame(&h.path, &h.manifest));
        }
    }
    out
}

/// A `--show-only` pattern that matched no document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateNotFound(pub String);

impl fmt::Display for TemplateNotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not find template {} in chart", self.0)
    }
}

impl std::error::Error for TemplateNotFound {}

fn source_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"# Source: [^/]+/(.+)").unwrap_or_else(|_| unreachable!()))
}

/// The documents Helm's `--show-only` looks at when `docs` are printed as the stream: Helm
/// splits the printed text again (pkg/cmd/template.go). A release's manifests and hooks are
/// split already, so each is one document; only CRD files (raw text) and the documents that
/// begin with the `---` a doubled separator leaves split further, a separator that ends one
/// document's text keeping the next document's `---` from separating, as in the whole text.
pub fn shown_documents(docs: &[Doc]) -> Vec<String> {
    let mut out = Vec::new();
    let mut after_separator = false;
    for d in docs {
        if !after_separator && !d.is_crd && !d.content.starts_with("---") {
            out.push(format!("# Source: {}\n{}", d.name, d.content));
            continue;
        }
        let (pieces, ends) = split_continued(&frame(&d.name, &d.content), after_separator);
        out.extend(pieces);
        after_separator = ends;
    }
    out
}

/// Helm's `--show-only` over the documents of the printed stream (as [`shown_documents`] or
/// [`split_manifests`] gives them): for each pattern in order, every document whose
/// `# Source:` path (without the chart name) matches it, as Go's `filepath.Match`. A pattern
/// matching nothing is an error.
pub fn show_only(docs: &[String], patterns: &[String]) -> Result<String, TemplateNotFound> {
    let mut out = String::new();
    for pattern in patterns {
        // Helm applies filepath.ToSlash first: the identity on Unix.
        let pattern = pattern.clone();
        let mut missing = true;
        for doc in docs {
            let Some(path) = source_regex().captures(doc).and_then(|c| c.get(1)) else {
                continue;
            };
            if go_match(&pattern, path.as_str()) {
                out.push_str("---\n");
                out.push_str(doc);
                out.push('\n');
                missing = false;
            }
        }
        if missing {
            return Err(TemplateNotFound(pattern));
        }
    }
    Ok(out)
}

/// Reads documents back from a post-renderer's output: a document that starts with a
/// `# Source: NAME` line belongs to NAME; any other to `generated-by-postrender-N.yaml` (N its
/// place in the stream), as Helm v4 names documents it cannot place.
pub fn documents_from_stream(text: &str, crd_names: &BTreeSet<String>) -> Vec<Doc> {
    split_manifests(text)
        .into_iter()
        .enumerate()
        .map(|(i, doc)| match doc.strip_prefix("# Source: ") {
            Some(rest) => {
                let (name, content) = rest.split_once('\n').unwrap_or((rest, ""));
                Doc {
                    is_crd: crd_names.contains(name),
                    name: name.to_string(),
                    content: content.to_string(),
                }
            }
            None => Doc {
                name: format!("generated-by-postrender-{i}.yaml"),
                content: doc,
                is_crd: false,
            },
        })
        .collect()
}

/// Where `--output-dir` writes: `dir` as given, and the release name with `--release-name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputDir {
    pub dir: String,
    pub release: Option<String>,
}

/// The files to write, whole, in the order Helm first writes them, and the `wrote PATH` lines
/// Helm prints (one per document).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WritePlan {
    pub files: Vec<(String, String)>,
    pub log: String,
}

/// Plans `--output-dir`: each document appended (framed) to `DIR/NAME` (templates under
/// `DIR/RELEASE/NAME` with `--release-name`; CRDs always under `DIR/`). Paths are joined as
/// Helm joins them: `DIR` verbatim plus `/NAME`, `DIR/RELEASE` cleaned as Go's `filepath.Join`.
pub fn plan_output_dir(docs: &[Doc], out: &OutputDir) -> WritePlan {
    let template_dir = match &out.release {
        Some(r) => go_clean(&format!("{}/{}", out.dir, r)),
        None => out.dir.clone(),
    };
    let mut plan = WritePlan::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    for d in docs {
        let dir = if d.is_crd { &out.dir } else { &template_dir };
        let path = format!("{dir}/{}", d.name);
        let framed = frame(&d.name, &d.content);
        match index.get(&path) {
            Some(&i) => plan.files[i].1.push_str(&framed),
            None => {
                index.insert(path.clone(), plan.files.len());
                plan.files.push((path.clone(), framed));
            }
        }
        plan.log.push_str(&format!("wrote {path}\n"));
    }
    plan
}

/// A file or folder `--output-dir` could not write.
#[derive(Debug)]
pub struct WriteError {
    pub path: String,
    pub what: &'static str,
    pub source: std::io::Error,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let why = match self.source.kind() {
            std::io::ErrorKind::NotADirectory => "a file is in the way of a folder".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => self.source.to_string(),
        };
        write!(f, "cannot {} {}: {why}", self.what, self.path)
    }
}

impl std::error::Error for WriteError {}

/// Writes a plan's files (each created or truncated), making folders as needed — all or
/// nothing: every file is first written beside its target under a temporary name, then
/// renamed over it. When anything fails, the temporary files and the folders this run created
/// are removed and the files that were there keep their old contents.
pub fn write_plan(plan: &WritePlan) -> Result<(), WriteError> {
    let mut created_dirs: Vec<std::path::PathBuf> = Vec::new();
    let mut temps: Vec<(std::path::PathBuf, &Path)> = Vec::new();
    let result = stage(plan, &mut created_dirs, &mut temps).and_then(|()| commit(&temps));
    if result.is_err() {
        for (tmp, _) in &temps {
            let _ = std::fs::remove_file(tmp);
        }
        for dir in created_dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
    result
}

fn stage<'a>(
    plan: &'a WritePlan,
    created_dirs: &mut Vec<std::path::PathBuf>,
    temps: &mut Vec<(std::path::PathBuf, &'a Path)>,
) -> Result<(), WriteError> {
    let fail = |path: &Path, what, source| WriteError {
        path: path.display().to_string(),
        what,
        source,
    };
    for (path, content) in &plan.files {
        let p = Path::new(path);
        if let Some(parent) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
            let missing: Vec<&Path> = parent.ancestors().take_while(|d| !d.exists()).collect();
            for dir in missing.into_iter().rev() {
                if dir.as_os_str().is_empty() {
                    continue;
                }
                std::fs::create_dir(dir).map_err(|e| fail(dir, "create folder", e))?;
                created_dirs.push(dir.to_path_buf());
            }
            if !parent.is_dir() {
                let e = std::io::Error::from(std::io::ErrorKind::NotADirectory);
                return Err(fail(parent, "write into", e));
            }
        }
        if p.is_dir() {
            let e = std::io::Error::from(std::io::ErrorKind::IsADirectory);
            return Err(fail(p, "write file", e));
        }
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let tmp = p.with_file_name(format!(".{name}.chartr-{}.tmp", std::process::id()));
        std::fs::write(&tmp, content).map_err(|e| fail(p, "write file", e))?;
        temps.push((tmp, p));
    }
    Ok(())
}

fn commit(temps: &[(std::path::PathBuf, &Path)]) -> Result<(), WriteError> {
    for (tmp, target) in temps {
        std::fs::rename(tmp, target).map_err(|e| WriteError {
            path: target.display().to_string(),
            what: "write file",
            source: e,
        })?;
    }
    Ok(())
}

/// Go's `filepath.Clean` (Unix).
pub fn go_clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::super::sort::sort_manifests;
    use super::*;
    use std::collections::BTreeMap;

    fn sorted(pairs: &[(&str, &str)]) -> super::super::sort::Sorted {
        let files: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        sort_manifests(&files).unwrap()
    }

    const HOOKS: &str =
        "kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: post-install\n---\n\
                         kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: test\n";

    #[test]
    fn stream_frames_crds_manifests_then_hooks() {
        let s = sorted(&[
            ("c/templates/a.yaml", "kind: Service\n\n"),
            ("c/templates/h.yaml", HOOKS),
        ]);
        let crds = vec![Crd {
            name: "c/crds/x.yaml".into(),
            data: "kind: CustomResourceDefinition\n\n".into(),
        }];
        let sel = Selection {
            include_crds: true,
            ..Selection::default()
        };
        let out = stream(&crds, &s.manifests, &s.hooks, sel);
        assert_eq!(
            out,
            "---\n# Source: c/crds/x.yaml\nkind: CustomResourceDefinition\n\n\n\
             ---\n# Source: c/templates/a.yaml\nkind: Service\n\
             ---\n# Source: c/templates/h.yaml\nkind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: test\n\
             ---\n# Source: c/templates/h.yaml\nkind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: post-install\n"
        );
        let sel = Selection {
            skip_tests: true,
            ..Selection::default()
        };
        let out = stream(&crds, &s.manifests, &s.hooks, sel);
        assert!(!out.contains("CustomResourceDefinition") && !out.contains("kind: Pod"));
        assert!(out.contains("kind: Job"));
        let sel = Selection {
            no_hooks: true,
            ..Selection::default()
        };
        assert_eq!(
            stream(&crds, &s.manifests, &s.hooks, sel),
            "---\n# Source: c/templates/a.yaml\nkind: Service\n"
        );
    }

    #[test]
    fn empty_release_prints_one_newline() {
        assert_eq!(stream(&[], &[], &[], Selection::default()), "\n");
    }

    #[test]
    fn show_only_follows_flag_order_and_globs() {
        let text =
            "---\n# Source: c/templates/b.yaml\nb: 1\n---\n# Source: c/templates/a.yaml\na: 1\n\
                    ---\n# Source: c/charts/s/templates/a.yaml\ns: 1\n";
        let text = &split_manifests(text);
        let got = show_only(text, &["templates/a.yaml".into(), "templates/*".into()]).unwrap();
        assert_eq!(
            got,
            "---\n# Source: c/templates/a.yaml\na: 1\n---\n# Source: c/templates/b.yaml\nb: 1\n\
             ---\n# Source: c/templates/a.yaml\na: 1\n"
        );
        let got = show_only(text, &["charts/s/templates/a.yaml".into()]).unwrap();
        assert_eq!(got, "---\n# Source: c/charts/s/templates/a.yaml\ns: 1\n");
        let e = show_only(text, &["templates/nope.yaml".into()]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "could not find template templates/nope.yaml in chart"
        );
        assert!(show_only(&[], &["templates/a.yaml".into()]).is_err());
    }

    #[test]
    fn shown_documents_are_helms_split_of_the_printed_stream() {
        // Helm's --show-only splits the printed text again; the release's documents give the
        // same documents without that text: multi-document and empty CRD files, CRD files that
        // end in a separator (which keeps the next `---` from separating), and documents that
        // begin with the `---` a doubled separator leaves.
        let crd = |name: &str, data: &str| Crd {
            name: name.into(),
            data: data.into(),
        };
        let s = sorted(&[
            ("c/templates/a.yaml", "kind: Service\n"),
            (
                "c/templates/b.yaml",
                "a: 1\n---\n---\nkind: Bar\n---\n---\n---\n",
            ),
            ("c/templates/c.yaml", "kind: Secret\n---\n---\n"),
            ("c/templates/h.yaml", HOOKS),
        ]);
        let crd_sets = [
            vec![],
            vec![crd("c/crds/x.yaml", "kind: A\n---\nkind: B\n")],
            vec![
                crd("c/crds/x.yaml", "kind: A\n---\n"),
                crd("c/crds/y.yaml", ""),
            ],
            vec![
                crd("c/crds/x.yaml", "kind: A\n---"),
                crd("c/crds/y.yaml", "---\n---\n"),
            ],
            vec![crd("c/crds/x.yaml", "\n\n  kind: A\n\n---\n\n\n")],
        ];
        for crds in &crd_sets {
            for include_crds in [false, true] {
                for no_hooks in [false, true] {
                    let sel = Selection {
                        include_crds,
                        no_hooks,
                        skip_tests: false,
                    };
                    let docs = documents(crds, &s.manifests, &s.hooks, sel);
                    assert_eq!(
                        shown_documents(&docs),
                        split_manifests(&stream(crds, &s.manifests, &s.hooks, sel)),
                        "{crds:?} {sel:?}"
                    );
                }
            }
        }
        // With the manifests alone, the rendered-after-a-separator case is there too.
        let only = sorted(&[("c/templates/z.yaml", "---\n---\n---\nkind: Z\n")]);
        let sel = Selection::default();
        assert_eq!(
            shown_documents(&documents(&[], &only.manifests, &[], sel)),
            split_manifests(&stream(&[], &only.manifests, &[], sel))
        );
    }

    #[test]
    fn output_dir_groups_documents_per_file_and_logs_each_write() {
        let docs = vec![
            Doc {
                name: "c/crds/x.yaml".into(),
                content: "crd\n".into(),
                is_crd: true,
            },
            Doc {
                name: "c/templates/a.yaml".into(),
                content: "a1".into(),
                is_crd: false,
            },
            Doc {
                name: "c/templates/b.yaml".into(),
                content: "b".into(),
                is_crd: false,
            },
            Doc {
                name: "c/templates/a.yaml".into(),
                content: "a2".into(),
                is_crd: false,
            },
        ];
        let plan = plan_output_dir(
            &docs,
            &OutputDir {
                dir: "out/".into(),
                release: Some("rel".into()),
            },
        );
        assert_eq!(
            plan.files,
            vec![
                ("out//c/crds/x.yaml".to_string(), "---\n# Source: c/crds/x.yaml\ncrd\n\n".to_string()),
                (
                    "out/rel/c/templates/a.yaml".to_string(),
                    "---\n# Source: c/templates/a.yaml\na1\n---\n# Source: c/templates/a.yaml\na2\n".to_string()
                ),
                ("out/rel/c/templates/b.yaml".to_string(), "---\n# Source: c/templates/b.yaml\nb\n".to_string()),
            ]
        );
        assert_eq!(
            plan.log,
            "wrote out//c/crds/x.yaml\nwrote out/rel/c/templates/a.yaml\nwrote out/rel/c/templates/b.yaml\n\
             wrote out/rel/c/templates/a.yaml\n"
        );
    }

    #[test]
    fn post_rendered_documents_keep_their_source() {
        let crds: BTreeSet<String> = ["c/crds/x.yaml".to_string()].into();
        let docs = documents_from_stream(
            "---\n# Source: c/crds/x.yaml\ncrd\n---\n# Source: c/templates/a.yaml\na: 1\n---\nnew: 1\n",
            &crds,
        );
        assert_eq!(docs.len(), 3);
        assert!(docs[0].is_crd && !docs[1].is_crd);
        assert_eq!(docs[1].content, "a: 1");
        assert_eq!(docs[2].name, "generated-by-postrender-2.yaml");
    }

    #[test]
    fn go_clean_cases() {
        for (i, o) in [
            ("a//b/", "a/b"),
            ("./x/../y", "y"),
            ("/../a", "/a"),
            ("", "."),
            ("../a", "../a"),
        ] {
            assert_eq!(go_clean(i), o);
        }
    }
}
