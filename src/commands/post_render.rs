//! `chartr post-render [TRANSFORMS]`: a manifest stream on standard input, transformed, to
//! standard output — what Helm's post-renderers do (Helm v4's `postrenderer/v1` plugin protocol
//! and Helm v3's executable one are the same stream in, stream out). A thin composition: the
//! transforms are [`crate::manifest::transform`]'s.

use crate::manifest::transform::{self, config::Flags};
use std::io::Read;

/// Reads the stream from `stdin`, applies the transforms `flags` ask for and returns the
/// stream to print. On any error nothing is returned to print.
pub fn run(flags: &Flags, stdin: &mut dyn Read) -> Result<String, crate::Error> {
    run_transforms(flags, stdin).map_err(crate::Error::Transform)
}

fn run_transforms(flags: &Flags, stdin: &mut dyn Read) -> Result<String, transform::Error> {
    // Settings first: a bad flag or config fails before standard input is read.
    let t = transform::config::transforms(flags)?;
    let mut bytes = Vec::new();
    stdin
        .read_to_end(&mut bytes)
        .map_err(|e| transform::Error::Setting(format!("reading standard input: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        transform::Error::Stream {
            line: 1 + good.iter().filter(|b| **b == b'\n').count(),
            message: format!("standard input is not UTF-8 text: {}", e.utf8_error()),
        }
    })?;
    transform::post_render(&text, &t)
}
