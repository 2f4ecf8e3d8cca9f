//! What a render returns: a [`Release`], as Helm v4.1.4's `action.Install` builds one
//! (pkg/action/action.go `renderResources`): the CRDs of the chart tree's `crds/` folders, the
//! manifests and the hooks each sorted in install order, the top chart's notes, and the notices
//! for the user. Printing the `helm template` stream, `--show-only`, `--output-dir`, the
//! post-renderer's input and `chartr diff`'s store all read it; nothing splits or sorts the
//! rendered text again.

use super::output::{self, Crd, Doc, Selection};
use super::sort::{sort_manifests, Hook, Manifest, ParseError};
use crate::engine::Rendered;

/// A rendered release.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Release {
    /// The release name (`{{ .Release.Name }}`).
    pub name: String,
    /// The release namespace (`{{ .Release.Namespace }}`).
    pub namespace: String,
    /// The CRD files of the chart tree (Helm's `CRDObjects`), as their files hold them.
    pub crds: Vec<Crd>,
    /// The documents that are not hooks, in Helm's install order.
    pub manifests: Vec<Manifest>,
    /// The hooks, in Helm's install order.
    pub hooks: Vec<Hook>,
    /// The top chart's rendered `templates/NOTES.txt`, if it has one.
    pub notes: Option<String>,
    /// What the user should hear about (Helm's INFO and WARNING logs), one line each, in the
    /// order the stages produced them.
    pub notices: Vec<String>,
}

impl Release {
    /// Sorts the engine's output into a release: the rendered templates split into documents,
    /// manifests and hooks apart, each in install order. `notices` come first (those of the
    /// stages before the engine), then the engine's warnings, then the sorter's notices.
    pub fn assemble(
        name: &str,
        namespace: &str,
        crds: Vec<Crd>,
        rendered: Rendered,
        mut notices: Vec<String>,
    ) -> Result<Release, ParseError> {
        let sorted = sort_manifests(&rendered.manifests)?;
        notices.extend(rendered.warnings);
        notices.extend(sorted.notices);
        Ok(Release {
            name: name.to_string(),
            namespace: namespace.to_string(),
            crds,
            manifests: sorted.manifests,
            hooks: sorted.hooks,
            notes: rendered.notes,
            notices,
        })
    }

    /// The documents in output order (CRDs, manifests, hooks) as `sel` picks them.
    pub fn documents(&self, sel: Selection) -> Vec<Doc> {
        output::documents(&self.crds, &self.manifests, &self.hooks, sel)
    }

    /// The text `helm template` prints.
    pub fn stream(&self, sel: Selection) -> String {
        output::stream(&self.crds, &self.manifests, &self.hooks, sel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{Chart, File};
    use crate::engine::{render_full, RenderOptions};
    use crate::Map;

    fn chart(templates: &[(&str, &str)]) -> Chart {
        let mut c = Chart::default();
        c.metadata.name = "c".into();
        c.templates = templates
            .iter()
            .map(|(n, d)| File {
                name: n.to_string(),
                data: d.as_bytes().to_vec(),
            })
            .collect();
        c
    }

    fn release(c: &Chart, crds: Vec<Crd>) -> Release {
        let rendered = render_full(c, &Map::new(), &RenderOptions::default()).unwrap();
        Release::assemble("rel", "ns", crds, rendered, vec!["first".into()]).unwrap()
    }

    #[test]
    fn hooks_crds_and_notes_are_apart_and_in_install_order() {
        let c = chart(&[
            (
                "templates/a.yaml",
                "kind: Deployment\nmetadata:\n  name: d\n---\nkind: Namespace\nmetadata:\n  name: n\n",
            ),
            (
                "templates/b.yaml",
                "kind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: pre-install\n\
                 ---\nkind: ServiceAccount\nmetadata:\n  name: sa\n\
                 ---\nkind: ConfigMap\nmetadata:\n  name: h\n  annotations:\n    helm.sh/hook: post-install\n\
                 ---\nkind: Pod\nmetadata:\n  name: u\n  annotations:\n    helm.sh/hook: no-such-event\n",
            ),
            ("templates/NOTES.txt", "Installed {{ .Release.Name }}."),
            ("templates/_helpers.tpl", "{{ define \"x\" }}kind: Secret{{ end }}"),
        ]);
        let crds = vec![Crd {
            name: "c/crds/crd.yaml".into(),
            data: "kind: CustomResourceDefinition\n".into(),
        }];
        let r = release(&c, crds.clone());
        assert_eq!((r.name.as_str(), r.namespace.as_str()), ("rel", "ns"));
        assert_eq!(r.crds, crds);
        let kinds: Vec<_> = r.manifests.iter().map(|m| m.head.kind.as_str()).collect();
        // Helm's InstallOrder: Namespace, ServiceAccount, ..., Deployment.
        assert_eq!(kinds, ["Namespace", "ServiceAccount", "Deployment"]);
        let sources: Vec<_> = r.manifests.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            sources,
            [
                "c/templates/a.yaml",
                "c/templates/b.yaml",
                "c/templates/a.yaml"
            ]
        );
        let hooks: Vec<_> = r
            .hooks
            .iter()
            .map(|h| (h.kind.as_str(), h.name.as_str()))
            .collect();
        assert_eq!(hooks, [("ConfigMap", "h"), ("Job", "j")]);
        assert!(r.hooks.iter().all(|h| h.path == "c/templates/b.yaml"));
        assert_eq!(r.notes.as_deref(), Some("Installed release-name."));
        // The notices before the engine's come first; the unknown hook is the sorter's.
        assert_eq!(r.notices[0], "first");
        assert_eq!(
            r.notices[1..],
            ["level=INFO msg=\"skipping unknown hooks\" hookTypes=no-such-event".to_string()]
        );
    }

    #[test]
    fn the_stream_is_the_documents_framed() {
        let c = chart(&[
            ("templates/a.yaml", "kind: Service\nmetadata:\n  name: s\n"),
            (
                "templates/t.yaml",
                "kind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n",
            ),
        ]);
        let r = release(&c, Vec::new());
        let sel = Selection::default();
        let framed: String = r
            .documents(sel)
            .iter()
            .map(|d| output::frame(&d.name, &d.content))
            .collect();
        assert_eq!(r.stream(sel), framed);
        let sel = Selection {
            skip_tests: true,
            ..sel
        };
        assert_eq!(r.documents(sel).len(), 1);
        assert!(!r.stream(sel).contains("kind: Pod"));
    }

    #[test]
    fn a_document_that_is_not_yaml_is_the_sorters_error() {
        let c = chart(&[("templates/bad.yaml", "a: [\n")]);
        let rendered = render_full(&c, &Map::new(), &RenderOptions::default()).unwrap();
        let e = Release::assemble("r", "n", Vec::new(), rendered, Vec::new()).unwrap_err();
        assert_eq!(e.file, "c/templates/bad.yaml");
    }
}
