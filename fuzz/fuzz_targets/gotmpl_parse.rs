#![no_main]
//! cargo-fuzz target; the body is chartr::fuzzing::gotmpl_parse (shared with tests/fuzz_corpus.rs).
libfuzzer_sys::fuzz_target!(|data: &[u8]| chartr::fuzzing::gotmpl_parse(data));
