//! The commands: each a thin composition of the stages, returning what to print.

pub mod diff;
pub mod show;
pub mod template;
pub mod values;
