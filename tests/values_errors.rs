//! Bad input to `chartr values`: each case exits 1 with a message naming what is wrong (the
//! file and line, the flag and its text), never panics. The messages are pinned in
//! snapshots/values_errors.snap; key substrings are asserted here too.

mod common;

/// (args after `values`, substrings the message must hold). Run from tests/fixtures/values.
const CASES: &[(&[&str], &[&str])] = &[
    (&["charts/basic", "-f", "files/broken.yaml"], &["failed to parse files/broken.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 1: did not find expected ',' or ']'"]),
    (&["charts/basic", "-f", "files/tab-indent.yaml"], &["files/tab-indent.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 2: found a tab character that violates indentation"]),
    (&["charts/basic", "-f", "files/tab-block.yaml"], &["yaml: line 3: found a tab character where an indentation space is expected"]),
    (&["charts/basic", "-f", "files/list-top.yaml"], &["failed to parse files/list-top.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"]),
    (&["charts/basic", "-f", "files/nope.yaml"], &["files/nope.yaml", "no such file"]),
    (&["charts/basic", "-f", "files"], &["files/broken.yaml:"]),
    (&["charts/nope"], &["charts/nope", "no such file"]),
    (&["charts/badvalues"], &["charts/badvalues/values.yaml:", "values.yaml"]),
    (&["charts/badchart"], &["charts/badchart/Chart.yaml", "version is required"]),
    (&["charts/missingdep"], &["charts/missingdep/Chart.yaml", "missing in charts/", "ghost"]),
    (&["charts/library"], &["charts/library/Chart.yaml", "library charts are not installable"]),
    (&["charts/parent", "--set", "sub=1"], &["type mismatch on sub"]),
    (&["charts/basic", "--set", "a"], &["--set", "'a'", "key \"a\" has no value"]),
    (&["charts/basic", "--set", "a.b"], &["key \"b\" has no value"]),
    (&["charts/basic", "--set", "a,b=1"], &["key \"a\" has no value (cannot end with ,)"]),
    (&["charts/basic", "--set", "a[-1]=1"], &["negative -1 index not allowed"]),
    (&["charts/basic", "--set", "a[65537]=1"], &["index of 65537 is greater than maximum supported index of 65536"]),
    (&["charts/basic", "--set", "a[x]=1"], &["error parsing index", "\"x\""]),
    (&["charts/basic", "--set", "a[0]xy=1"], &["unexpected data at end of array index"]),
    (&["charts/basic", "--set", "a={x,y"], &["list must terminate with '}'"]),
    (&["charts/basic", "--set", "a.=1"], &["key map \"a\" has no value"]),
    (&["charts/basic", "--set", "k0.k1.k2.k3.k4.k5.k6.k7.k8.k9.k10.k11.k12.k13.k14.k15.k16.k17.k18.k19.k20.k21.k22.k23.k24.k25.k26.k27.k28.k29.k30.k31=1"], &["nested level"]),
    (&["charts/basic", "-f", "files/override.yaml", "--set", "replicas.x=1"], &["replicas.x=1", "float64, not map"]),
    (&["charts/basic", "--set-string", "a"], &["--set-string", "key \"a\" has no value"]),
    (&["charts/basic", "--set-file", "a=files/nope.txt"], &["--set-file", "files/nope.txt", "no such file"]),
    (&["charts/basic", "--set-json", "a=tru"], &["--set-json", "a=tru"]),
    (&["charts/basic", "--set-json", "{\"a\":"], &["--set-json", "{\"a\":"]),
    (&["charts/basic", "--set-literal", "a"], &["--set-literal", "key \"a\" has no value"]),
];

#[test]
fn bad_input_fails_with_clear_messages() {
    let dir = common::root().join("tests/fixtures/values");
    let mut report = String::new();
    for (args, needles) in CASES {
        let mut all = vec!["values"];
        all.extend_from_slice(args);
        let out = common::run_in(common::chartr(), &dir, &all);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: exit {:?}, {stderr}",
            out.status.code()
        );
        assert!(
            out.stdout.is_empty(),
            "{args:?}: printed something: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        for n in *needles {
            assert!(stderr.contains(n), "{args:?}: {n:?} not in {stderr}");
        }
        report.push_str(&format!(
            "$ chartr values {}\n{}\n",
            args.join(" "),
            stderr.trim_end()
        ));
    }
    insta::with_settings!({snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"), prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("values_errors", report);
    });
}
