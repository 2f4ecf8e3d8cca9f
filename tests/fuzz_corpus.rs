//! Replays the fuzzers' kept corpora (fuzz/corpus/TARGET/*) through the same target bodies the
//! fuzzers run (chartr::fuzzing), on stable Rust and without libFuzzer: every input the fuzzers
//! kept, including each one that once found a bug, must now pass.

use std::path::Path;

/// The stack the binary gives its command's thread (src/main.rs, COMMAND_STACK): chartr walks
/// values recursively and a kept input may nest hundreds of levels (`--set-json a=[[[…`), more
/// than a test thread's 2 MiB holds in a debug build.
const STACK: usize = 1 << 30;

#[test]
fn every_kept_fuzz_input_passes() {
    let replay = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(replay_every_kept_input)
        .expect("a thread for the replay");
    if let Err(e) = replay.join() {
        std::panic::resume_unwind(e);
    }
}

fn replay_every_kept_input() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut failures = Vec::new();
    for (name, target) in chartr::fuzzing::TARGETS {
        let dir = root.join(name);
        let mut inputs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        inputs.sort();
        assert!(
            !inputs.is_empty(),
            "{name}: no kept inputs in {}",
            dir.display()
        );
        for input in inputs {
            let data = std::fs::read(&input).unwrap_or_default();
            if std::panic::catch_unwind(|| target(&data)).is_err() {
                failures.push(input.display().to_string());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "kept fuzz inputs that fail: {failures:#?}"
    );
}

/// Valid inputs pass each target (a target that rejected them would stop the fuzzer at once).
#[test]
fn targets_accept_valid_inputs() {
    // The sorter keeps at most the documents the splitter found, and hooks apart: a stream of
    // three documents passes.
    chartr::fuzzing::manifests(b"a: 1\n---\nkind: Pod\nmetadata:\n  name: x\n---\nb: 2\n");
    // A YAML round trip of a value with a nested map and awkward strings holds.
    chartr::fuzzing::yaml_roundtrip(b"a: {b: 'yes', c: '1e3', d: [null, ~, '']}\n");
    // A chart template with defines, pipelines and trim markers parses with its positions.
    chartr::fuzzing::gotmpl_parse(
        b"{{- define \"c.name\" -}}{{ .Chart.Name | trunc 63 }}{{- end }}\nname: {{ include \"c.name\" . | quote }}\n{{ range $i, $v := .Values.list }}{{ $i }}={{ $v }}{{ end }}\n",
    );
    // Every transform (0x1f) on a Deployment and a List: idempotent, and without transforms
    // the documents come back as they are.
    let stream = "# Source: c/templates/d.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.27\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: m}\n";
    chartr::fuzzing::post_render(format!("\u{1f}{stream}").as_bytes());
    // Two streams that differ in one object, one added and one removed.
    chartr::fuzzing::diff(format!("{stream}---\nkind: Secret\napiVersion: v1\nmetadata: {{name: s}}\n\u{0}{}---\nkind: Service\napiVersion: v1\nmetadata: {{name: v}}\n", stream.replace("1.27", "1.28")).as_bytes());
}
