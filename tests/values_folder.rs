//! chartr's extension to `-f`: a folder applies the `*.yaml` and `*.yml` files directly in it,
//! in name order (Helm refuses folders). Checked against the same files given one by one.

mod common;

fn values(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["values", "charts/basic", "--output", "json"];
    all.extend_from_slice(args);
    common::run_in(common::chartr(), dir, &all)
}

#[test]
fn a_folder_applies_its_yaml_files_in_name_order() {
    let fixtures = common::root().join("tests/fixtures/values");
    let tmp = tempfile::tempdir().expect("tempdir");
    let layers = tmp.path().join("layers");
    std::fs::create_dir_all(layers.join("nested")).expect("mkdir");
    std::fs::write(
        layers.join("10-base.yaml"),
        "replicas: 1\nname: base\nnested:\n  a: 1\n",
    )
    .expect("write");
    std::fs::write(layers.join("20-more.yml"), "replicas: 2\nnested:\n  b: 2\n").expect("write");
    std::fs::write(layers.join("05-first.yaml"), "name: first\nextra: x\n").expect("write");
    std::fs::write(layers.join("30-ignored.txt"), "replicas: 99\n").expect("write");
    std::fs::write(layers.join("nested/40-deeper.yaml"), "replicas: 98\n").expect("write");
    let folder = layers.display().to_string();
    let by_folder = values(&fixtures, &["-f", &folder]);
    assert!(
        by_folder.status.success(),
        "{}",
        String::from_utf8_lossy(&by_folder.stderr)
    );
    let f = |n: &str| layers.join(n).display().to_string();
    let (a, b, c) = (f("05-first.yaml"), f("10-base.yaml"), f("20-more.yml"));
    let by_files = values(&fixtures, &["-f", &a, "-f", &b, "-f", &c]);
    assert!(by_files.status.success());
    assert_eq!(by_folder.stdout, by_files.stdout);
    let text = String::from_utf8_lossy(&by_folder.stdout);
    assert!(text.contains(r#""replicas":2"#), "{text}");
    assert!(text.contains(r#""name":"base""#), "{text}");
    assert!(text.contains(r#""extra":"x""#), "{text}");
    // A folder among files keeps its place in the order.
    let after = values(&fixtures, &["-f", &folder, "-f", &a]);
    assert!(String::from_utf8_lossy(&after.stdout).contains(r#""name":"first""#));
}

#[test]
fn an_empty_folder_is_an_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let fixtures = common::root().join("tests/fixtures/values");
    let out = values(&fixtures, &["-f", &tmp.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no *.yaml or *.yml file"), "{err}");
}
