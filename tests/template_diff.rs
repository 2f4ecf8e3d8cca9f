//! Differential tests of `chartr template` against real `helm template` (v4.1.4 the reference,
//! v3.17.3 checked against recorded differences).
//!
//! Each case under tests/fixtures/pairs/CASE holds `go/` (a Go-template chart for Helm),
//! `jinja/` (the same chart in Jinja for chartr) and `args`: one invocation per line, `CHART`
//! standing for the chart folder, `OUT` for an output folder inside the run's scratch folder,
//! `# same-error` at the end of a line asking that chartr's `Error:` line equal Helm v4's.
//! Every run is compared on exit status, standard output and (with `--output-dir`) the files
//! written. Where Helm v4 fails, chartr must exit 1 and print and write nothing.
//! Where v3 differs from v4, `v3.diff` in the case holds the expected difference (the
//! unified diff from v4's result to v3's for each invocation that differs);
//! `CHARTR_BLESS_V3=1` rewrites it from what the helms print.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One invocation from an `args` file.
struct Invocation {
    line: String,
    args: Vec<String>,
    same_error: bool,
}

fn invocations(case: &Path) -> Vec<Invocation> {
    let text = std::fs::read_to_string(case.join("args")).expect("case has an args file");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (body, comment) = l.split_once(" # ").unwrap_or((l, ""));
            let mut args: Vec<String> = body.split_whitespace().map(String::from).collect();
            if !args.iter().any(|a| a == "CHART") {
                args.push("CHART".into());
            }
            Invocation {
                line: l.to_string(),
                args,
                same_error: comment.trim() == "same-error",
            }
        })
        .collect()
}

/// What one run produced.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    code: Option<i32>,
    stdout: String,
    error_line: Option<String>,
    /// Files under the scratch folder (`--output-dir`), by relative path.
    files: BTreeMap<String, String>,
}

impl Outcome {
    /// The parts compared between tools, as text for diffs.
    fn render(&self) -> String {
        let mut s = format!(
            "exit: {}\n",
            if self.code == Some(0) { "0" } else { "failure" }
        );
        if self.code == Some(0) {
            let _ = write!(s, "--- stdout\n{}", self.stdout);
            for (p, c) in &self.files {
                let _ = write!(s, "--- file {p}\n{c}");
            }
        }
        s
    }
}

fn files_under(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("scratch folder is readable");
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).expect("under dir");
            out.insert(
                rel.to_string_lossy().into_owned(),
                String::from_utf8_lossy(&std::fs::read(e.path()).expect("readable")).into_owned(),
            );
        }
    }
    out
}

fn run(cmd: Command, chart: &Path, inv: &Invocation) -> Outcome {
    let scratch = tempfile::tempdir().expect("temp folder");
    let args: Vec<String> = inv
        .args
        .iter()
        .map(|a| {
            if a == "CHART" {
                chart.to_string_lossy().into_owned()
            } else {
                a.clone()
            }
        })
        .collect();
    let mut full = vec!["template".to_string()];
    full.extend(args);
    let refs: Vec<&str> = full.iter().map(String::as_str).collect();
    let out = common::run_in(cmd, scratch.path(), &refs);
    let stderr = String::from_utf8_lossy(&out.stderr);
    Outcome {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        error_line: stderr
            .lines()
            .find(|l| l.starts_with("Error: "))
            .map(String::from),
        files: files_under(scratch.path()),
    }
}

fn diff(a: &str, b: &str, from: &str, to: &str) -> String {
    similar::TextDiff::from_lines(a, b)
        .unified_diff()
        .context_radius(2)
        .header(from, to)
        .to_string()
}

fn cases() -> Vec<PathBuf> {
    let root = common::root().join("tests/fixtures/pairs");
    let filter = std::env::var("CHARTR_CASE").ok();
    let mut v: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/fixtures/pairs exists")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.join("args").is_file())
        .filter(|p| {
            filter
                .as_deref()
                .is_none_or(|f| p.file_name().is_some_and(|n| n == f))
        })
        .collect();
    v.sort();
    v
}

/// Runs Helm v4 (Go chart) and chartr (Jinja chart) on every invocation of `case` and compares.
fn check_chartr_against_v4(case: &Path, failures: &mut Vec<String>) {
    check_side_against_v4(case, "jinja", failures);
}

/// Runs Helm v4 and chartr on the same Go chart: byte for byte, and where Helm fails, the
/// same error line.
fn check_chartr_go_against_v4(case: &Path, failures: &mut Vec<String>) {
    check_side_against_v4(case, "go", failures);
}

fn check_side_against_v4(case: &Path, side: &str, failures: &mut Vec<String>) {
    let name = case_name(case);
    let [_, (_, v4)] = common::helms();
    for inv in invocations(case) {
        let h4 = run(Command::new(v4), &case.join("go"), &inv);
        let ours = run(common::chartr(), &case.join(side), &inv);
        let where_ = format!("{name} ({side}): `{}`", inv.line);
        // On the Go side every error must be Helm's, except the YAML library's wording of a
        // YAML syntax error (chartr's YAML parser words it its own way).
        let yaml_error = h4
            .error_line
            .as_deref()
            .is_some_and(|l| l.starts_with("Error: YAML parse error on "));
        let same_error = inv.same_error || (side == "go" && !yaml_error);
        if h4.code == Some(0) {
            if inv.same_error {
                failures.push(format!("{where_}: marked same-error but helm v4 succeeds"));
            }
            let (r4, r) = (h4.render(), ours.render());
            if r != r4 {
                failures.push(format!(
                    "{where_}: chartr differs from helm v4\n{}",
                    diff(&r4, &r, "helm-v4", "chartr")
                ));
            }
            continue;
        }
        if ours.code != Some(1) {
            failures.push(format!(
                "{where_}: helm v4 fails ({:?}) but chartr exits {:?}",
                h4.error_line, ours.code
            ));
        }
        if !ours.stdout.is_empty() || !ours.files.is_empty() {
            failures.push(format!(
                "{where_}: chartr failed but printed or wrote something: {:?} {:?}",
                ours.stdout,
                ours.files.keys().collect::<Vec<_>>()
            ));
        }
        if same_error && (h4.error_line.is_none() || ours.error_line != h4.error_line) {
            failures.push(format!(
                "{where_}: error differs\n  helm v4: {:?}\n  chartr:  {:?}",
                h4.error_line, ours.error_line
            ));
        }
    }
}

/// Runs Helm v3 and v4 on every invocation of `case` and checks that they differ only as
/// `v3.diff` records.
fn check_v3_against_v4(case: &Path, failures: &mut Vec<String>) {
    let name = case_name(case);
    let [(_, v3), (_, v4)] = common::helms();
    let mut v3_diff = String::new();
    for inv in invocations(case) {
        let h4 = run(Command::new(v4), &case.join("go"), &inv).render();
        let h3 = run(Command::new(v3), &case.join("go"), &inv).render();
        if h3 != h4 {
            let _ = write!(v3_diff, "### {}\n{}", inv.line, diff(&h4, &h3, "v4", "v3"));
        }
    }
    let recorded_path = case.join("v3.diff");
    if std::env::var_os("CHARTR_BLESS_V3").is_some() {
        if v3_diff.is_empty() {
            let _ = std::fs::remove_file(&recorded_path);
        } else {
            std::fs::write(&recorded_path, &v3_diff).expect("write v3.diff");
        }
    }
    let recorded = std::fs::read_to_string(&recorded_path).unwrap_or_default();
    if recorded != v3_diff {
        failures.push(format!(
            "{name}: helm v3 differs from v4 other than recorded in v3.diff\n{}",
            diff(&recorded, &v3_diff, "recorded", "observed")
        ));
    }
}

fn case_name(case: &Path) -> String {
    case.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn check_all(check: fn(&Path, &mut Vec<String>)) {
    let mut failures = Vec::new();
    let cases = cases();
    assert!(!cases.is_empty(), "no cases found");
    for case in &cases {
        check(case, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} problem(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn helm_v3_differs_from_v4_only_as_recorded() {
    check_all(check_v3_against_v4);
}

#[test]
fn chartr_matches_helm_v4() {
    check_all(check_chartr_against_v4);
}

#[test]
fn chartr_renders_the_go_charts_as_helm_v4() {
    check_all(check_chartr_go_against_v4);
}
