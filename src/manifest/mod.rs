//! Turning rendered templates into `helm template`'s output: split into documents, drop empty
//! ones, sort in Helm's install order, hooks after, `---` / `# Source:` framing, `--show-only`,
//! `--output-dir`, and the post-renderer, all read from a [`Release`]. Functions over data; only [`output::write_plan`]
//! touches files and [`postrender`] runs a process.

pub mod diff;
pub mod output;
pub mod postrender;
pub mod preflight;
pub mod release;
pub mod sort;
pub mod split;
pub mod store;
pub mod transform;

pub use output::{Crd, Doc, OutputDir, Selection, TemplateNotFound, WritePlan};
pub use release::Release;
pub use sort::{sort_manifests, Hook, Manifest, ParseError, Sorted};
pub use split::split_manifests;
