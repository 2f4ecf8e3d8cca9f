#![no_main]
//! cargo-fuzz target; the body is chartr::fuzzing::yaml_roundtrip (shared with tests/fuzz_corpus.rs).
libfuzzer_sys::fuzz_target!(|data: &[u8]| chartr::fuzzing::yaml_roundtrip(data));
