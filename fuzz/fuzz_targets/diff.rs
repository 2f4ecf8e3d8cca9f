#![no_main]
//! cargo-fuzz target; the body is chartr::fuzzing::diff (shared with tests/fuzz_corpus.rs).
libfuzzer_sys::fuzz_target!(|data: &[u8]| chartr::fuzzing::diff(data));
