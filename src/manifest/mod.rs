//! Turning rendered templates into `helm template`'s output: split into documents, drop empty
//! ones, sort in Helm's install order, hooks after, `---` / `# Source:` framing, `--show-only`,
//! `--output-dir`, and the post-renderer. Functions over data; only [`output::write_plan`]
//! touches files and [`postrender`] runs a process.

pub mod diff;
pub mod output;
pub mod postrender;
pub mod preflight;
pub mod sort;
pub mod split;
pub mod store;
pub mod transform;

pub use output::{Crd, Doc, OutputDir, Selection, TemplateNotFound, WritePlan};
pub use sort::{sort_manifests, Hook, Manifest, ParseError, Sorted};
pub use split::split_manifests;

/// Helm drops every rendered `NOTES.txt` (any chart's) before sorting: it is never a manifest.
pub fn is_notes(name: &str) -> bool {
    name.ends_with("NOTES.txt")
}
