//! Masterminds/semver's grammar, differentially: `semverCompare` and `semver` in a Go-template
//! chart, rendered by chartr and by real Helm v4.1.4 on awkward constraints and versions (hyphen
//! ranges inside words, `|` in a version, blanks Go's `\s` does not know, overflowing segments,
//! improper constraints); the output, or the error line, must be the same.

mod common;

use std::path::Path;
use std::process::Command;

/// (constraint, version): each rendered on its own, so an error ends only its case.
const CASES: &[(&str, &str)] = &[
    (">=1.2.3", "1.2.3"),
    ("1.2 - 1.4.5", "1.4.5"),
    ("1.2 - 1.4.5", "1.4.6"),
    ("  1.2   -   1.4  ", "1.3.0"),
    (">=1.2 - 1.4", "1.3.0"),
    ("a1.2 - 1.4", "1.3.0"),
    ("1.2.3.4 - 2", "1.3.0"),
    ("1 - 2.3.4.5 - 6", "2.0.0"),
    ("1 - 2 || 3 - 4", "3.5.0"),
    ("1 - 2 - 3", "1.5.0"),
    ("1.x - 2.x", "2.5.0"),
    ("1|2", "1.0.0"),
    ("|", "1.0.0"),
    ("1.|.3", "1.0.0"),
    ("1.2.3 ||| 2", "1.0.0"),
    ("||", "1.0.0"),
    ("", "1.0.0"),
    (" ", "1.0.0"),
    (">= 1.2 , < 2", "1.5.0"),
    (">=1.2,,<2", "1.5.0"),
    (">=1.2,<2,", "1.5.0"),
    ("> =1.2", "1.5.0"),
    ("=>1.2", "1.5.0"),
    ("=<1.2", "1.1.0"),
    ("==1.2", "1.2.0"),
    (">>1", "1.5.0"),
    ("~>1.2", "1.2.9"),
    ("=v1.2.3", "1.2.3"),
    ("v", "1.0.0"),
    ("vx", "1.0.0"),
    ("xx", "1.0.0"),
    ("1.2.3-rc.1+meta", "1.2.3-rc.1"),
    ("1.2.3+meta", "1.2.3"),
    ("^1.x", "1.5.0"),
    ("!=1.x", "2.0.0"),
    ("<=1.2.x", "1.2.9"),
    (">1.x", "2.0.0"),
    (">=1.0.0\u{a0}", "1.0.0"),
    (">=1.0.0\u{b}", "1.0.0"),
    (">=1.0.0\u{c}", "1.0.0"),
    ("1.2.3-01", "1.2.3"),
    ("1.2.3-a..b", "1.2.3"),
    ("99999999999999999999", "1.0.0"),
    (">=1.0.0", "99999999999999999999.0.0"),
    (">=1.0.0", "1.2.3.4"),
    (">=1.0.0", "v1"),
    (">=1.0.0", "1.2.3-0a"),
    (">=1.0.0", "1.2.3-00"),
    (">=1.0.0", "1.2.3+a..b"),
    (">=1.0.0", " 1.2.3"),
    ("*", "1.2.3-rc.1"),
    (">=0.0.0-0", "1.2.3-rc.1"),
];

fn chart(dir: &Path) {
    std::fs::create_dir_all(dir.join("templates")).expect("chart folder");
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: semver\nversion: 0.1.0\n",
    )
    .expect("Chart.yaml");
    std::fs::write(
        dir.join("templates/t.yaml"),
        "r: {{ semverCompare .Values.c .Values.v }}\n\
         v: {{ semver .Values.v }}|{{ (semver .Values.v).Major }}|{{ (semver .Values.v).Prerelease }}|{{ (semver .Values.v).Metadata }}\n",
    )
    .expect("template");
}

/// Standard output, or the first line of standard error when the render fails.
fn outcome(cmd: Command, chart: &Path, values: &Path) -> String {
    let out = common::run_in(
        cmd,
        &common::root(),
        &[
            "template",
            chart.to_str().unwrap_or_default(),
            "-f",
            values.to_str().unwrap_or_default(),
        ],
    );
    if out.status.success() {
        String::from_utf8_lossy(&out.stdout).into_owned()
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        format!(
            "exit {:?}: {}",
            out.status.code(),
            err.lines().next().unwrap_or_default()
        )
    }
}

#[test]
fn constraints_and_versions_read_as_helm_v4_reads_them() {
    let tmp = tempfile::tempdir().expect("scratch folder");
    let dir = tmp.path().join("semver");
    chart(&dir);
    let helm = &common::helms()[1].1;
    let mut report = String::new();
    let mut errors = 0;
    for (i, (c, v)) in CASES.iter().enumerate() {
        let values = tmp.path().join(format!("v{i}.yaml"));
        let json = serde_json::json!({"c": c, "v": v}).to_string();
        std::fs::write(&values, json).expect("values");
        let want = outcome(Command::new(helm), &dir, &values);
        let got = outcome(common::chartr(), &dir, &values);
        if want.starts_with("exit") {
            errors += 1;
        }
        if want != got {
            report.push_str(&format!(
                "{c:?} {v:?}:\n  helm:   {want:?}\n  chartr: {got:?}\n"
            ));
        }
    }
    assert!(report.is_empty(), "differences from helm v4:\n{report}");
    // The cases exercise both sides: errors and answers.
    assert!(errors > 10 && errors < CASES.len() - 10, "{errors} errors");
}
