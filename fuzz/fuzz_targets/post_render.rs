#![no_main]
//! cargo-fuzz target; the body is chartr::fuzzing::post_render (shared with tests/fuzz_corpus.rs).
libfuzzer_sys::fuzz_target!(|data: &[u8]| chartr::fuzzing::post_render(data));
