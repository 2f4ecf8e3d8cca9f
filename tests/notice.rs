//! Apache-2.0 §4: every template ported from an upstream chart keeps upstream's copyright and
//! licence notice and says it was changed, and the NOTICE file names each upstream.

use std::path::Path;

fn templates(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            templates(&p, out);
        } else if p.components().any(|c| c.as_os_str() == "templates") {
            out.push(p);
        }
    }
}

#[test]
fn every_ported_template_carries_its_notice() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("charts/dataflow");
    let mut files = Vec::new();
    templates(&root, &mut files);
    assert!(files.len() > 50, "found only {} templates", files.len());
    let mut missing = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let head: String = text.lines().take(5).collect::<Vec<_>>().join("\n");
        let ok = head.starts_with("{#-")
            && head.contains("Copyright ")
            && head.contains("SPDX-License-Identifier: APACHE-2.0")
            && head.contains("Ported to Jinja for chartr from ");
        if !ok {
            missing.push(f.display().to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "templates without the upstream notice: {missing:#?}"
    );
}

#[test]
fn notice_names_every_upstream() {
    let notice = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("NOTICE"))
        .unwrap_or_default();
    for upstream in [
        "OpenCSGs/csghub-charts",
        "envoyproxy/gateway",
        "stakater/Reloader",
        "Broadcom",
    ] {
        assert!(notice.contains(upstream), "NOTICE does not name {upstream}");
    }
    assert!(Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("LICENSE")
        .is_file());
}
