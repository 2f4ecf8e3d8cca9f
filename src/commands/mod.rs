//! The commands: each a thin composition of the stages, returning what to print.

pub mod dependency;
pub mod diff;
mod error;
pub mod post_render;
pub mod pull;
pub mod repo;
pub mod show;
pub mod template;
pub mod values;
