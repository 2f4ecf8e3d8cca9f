//! Parity of the Dataflow chart's Dataflow, Label Studio and gateway templates (and the
//! `common` library they use) with upstream under real Helm.
//!
//! Each `tests/fixtures/dataflow/reference/main-NAME.scenario.yaml` is rendered by chartr
//! from `charts/dataflow`, limited to the scenario's `show_only` templates, and compared with
//! `main-NAME.helm-v4.yaml`, what Helm v4.1.4 rendered from the upstream chart (OpenCSGs
//! csghub-charts @246e73f2) for the same scenario (Helm v3.17.3 renders the same objects).
//! The comparison is `shared/tools/manifest-compare` (beside the repository): same objects,
//! same fields and types, same order; generated passwords are masked, but a ConfigMap must
//! repeat exactly the password of its Secret.

mod common;

use std::path::PathBuf;
use std::process::Command;

fn fixtures() -> PathBuf {
    common::root().join("tests/fixtures/dataflow/reference")
}

use common::shared_tool;

/// Renders scenario `name` with chartr and compares it with the stored Helm render.
fn check(name: &str) {
    let dir = fixtures();
    let scenario = dir.join(format!("{name}.scenario.yaml"));
    let reference = dir.join(format!("{name}.helm-v4.yaml"));
    let out = Command::new(dir.join("render.py"))
        .arg(&scenario)
        .arg(common::root().join("charts/dataflow"))
        .arg(env!("CARGO_BIN_EXE_chartr"))
        .env("RENDER_SCENARIO", shared_tool("render-scenario"))
        .output()
        .expect("render.py runs");
    assert!(
        out.status.success(),
        "chartr failed on {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rendered = tempfile::NamedTempFile::new().expect("temporary file");
    std::fs::write(rendered.path(), &out.stdout).expect("write the render");
    let cmp = Command::new(shared_tool("manifest-compare"))
        .arg(&reference)
        .arg(rendered.path())
        .output()
        .expect("manifest-compare runs");
    assert!(
        cmp.status.success(),
        "{name}: chartr differs from Helm:\n{}{}",
        String::from_utf8_lossy(&cmp.stdout),
        String::from_utf8_lossy(&cmp.stderr)
    );
}

macro_rules! scenarios {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                if common::shared_or_skip(stringify!($test)).is_none() {
                    return;
                }
                check($name);
            }
        )*

        /// Every scenario in the fixtures folder has a test above.
        #[test]
        fn every_scenario_is_checked() {
            let known = [$($name),*];
            let mut found = Vec::new();
            for entry in std::fs::read_dir(fixtures()).expect("fixtures folder") {
                let file = entry.expect("entry").file_name().to_string_lossy().into_owned();
                if let Some(name) = file.strip_suffix(".scenario.yaml") {
                    if name.starts_with("main-") {
                        found.push(name.to_string());
                        assert!(
                            fixtures().join(format!("{name}.helm-v4.yaml")).is_file(),
                            "{name} has no reference render"
                        );
                    }
                }
            }
            found.sort();
            let mut known: Vec<String> = known.iter().map(|s| s.to_string()).collect();
            known.sort();
            assert_eq!(found, known, "scenario files and tests differ");
        }
    };
}

scenarios! {
    seed_builtin => "main-seed-builtin",
    seed_external => "main-seed-external",
    china_mirror => "main-china-mirror",
    edition_and_forced_registry => "main-edition-force",
    nodeport_gateway_with_tls => "main-nodeport-tls",
    nodeport_gateway_without_tls => "main-nodeport-http",
    bundled_with_csghub => "main-builtin",
    component_overrides => "main-overrides",
    registry_from_repository => "main-registry-from-repository",
    forced_default_registry => "main-registry-force-default",
    old_kubernetes => "main-old-kube",
    kube_version_from_values => "main-kube-version-value",
}
