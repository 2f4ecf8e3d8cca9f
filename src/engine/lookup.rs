//! `lookup(apiVersion, kind, namespace, name)`: answers from `--lookup-from` objects as the
//! API server would, or with an empty map (what `helm template` always answers). The objects
//! are read into the manifest stage's [`Store`](crate::manifest::store::Store), which `chartr
//! diff` reads too.

pub use crate::manifest::store::Store as LookupSource;
