//! Go template errors against helm v4.1.4: every case of tests/fixtures/template-errors/cases.txt
//! is written to the fixture chart's templates/a.yaml and rendered with `template .` by helm and
//! by chartr; exit status, standard output and standard error must be the same.
//!
//! The one deviation allowed: on a parse error chartr adds a line saying which template dialect
//! it assumed (`(chartr read this file as a Go template...`), and nothing else.

mod common;

use common::{helms, root, run_in};
use std::path::Path;
use std::process::Command;

/// A case: the template text, the extra arguments, whether it is a known difference.
struct Case {
    text: String,
    args: Vec<String>,
    todo: bool,
}

fn cases(text: &str) -> Vec<Case> {
    let mut out: Vec<Case> = Vec::new();
    let mut args = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(a) = line.strip_prefix("args: ") {
            args = a.split(' ').map(str::to_string).collect();
        } else if let Some(more) = line.strip_prefix("+ ") {
            let last = out.last_mut().expect("a `+ ` line follows a case");
            last.text.push('\n');
            last.text.push_str(more);
        } else {
            let (todo, text) = match line.strip_prefix("todo: ") {
                Some(t) => (true, t),
                None => (false, line),
            };
            out.push(Case {
                text: text.to_string(),
                args: std::mem::take(&mut args),
                todo,
            });
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).expect("copy");
        }
    }
}

/// chartr's standard error with the dialect hint of a parse error taken out.
fn without_dialect_hint(stderr: &str) -> String {
    let mut lines: Vec<&str> = stderr.split('\n').collect();
    if stderr.starts_with("Error: parse error") {
        if let Some(i) = lines
            .iter()
            .position(|l| l.starts_with("(chartr read this file as"))
        {
            lines.remove(i);
        }
    }
    lines.join("\n")
}

/// A long message's start and end (the recursion case's is 150 kB).
fn short(s: &str) -> String {
    let n = s.chars().count();
    if n <= 600 {
        return s.to_string();
    }
    let head: String = s.chars().take(300).collect();
    let tail: String = s.chars().skip(n - 300).collect();
    format!("{head} [...] {tail}")
}

#[test]
fn go_template_errors_are_helms() {
    let fixtures = root().join("tests/fixtures/template-errors");
    let text = std::fs::read_to_string(fixtures.join("cases.txt")).expect("cases.txt");
    let cases = cases(&text);
    let helm = &helms()[1].1;
    // Two charts, so helm and chartr can run side by side.
    let tmp = tempfile::tempdir().expect("tempdir");
    let (hdir, cdir) = (tmp.path().join("h"), tmp.path().join("c"));
    copy_dir(&fixtures.join("chart"), &hdir);
    copy_dir(&fixtures.join("chart"), &cdir);
    let mut failures = Vec::new();
    let (mut errors, mut todo) = (0, 0);
    for case in &cases {
        let body = format!("{}\n", case.text);
        std::fs::write(hdir.join("templates/a.yaml"), &body).expect("write");
        std::fs::write(cdir.join("templates/a.yaml"), &body).expect("write");
        let mut args = vec!["template", "."];
        args.extend(case.args.iter().map(String::as_str));
        let (h, c) = std::thread::scope(|s| {
            let h = s.spawn(|| run_in(Command::new(helm), &hdir, &args));
            let c = run_in(common::chartr(), &cdir, &args);
            (h.join().expect("helm thread"), c)
        });
        let he = String::from_utf8_lossy(&h.stderr).into_owned();
        let ce = without_dialect_hint(&String::from_utf8_lossy(&c.stderr));
        if !h.status.success() {
            errors += 1;
        }
        let same = h.status.code() == c.status.code() && h.stdout == c.stdout && he == ce;
        if case.todo {
            todo += 1;
            if same {
                failures.push(format!(
                    "{:?} agrees with helm now: remove its `todo: `",
                    case.text
                ));
            }
        } else if !same {
            failures.push(format!(
                "{:?}\n  helm   ({:?}): {:?}\n  chartr ({:?}): {:?}",
                case.text,
                h.status.code(),
                short(&he),
                c.status.code(),
                short(&ce)
            ));
        }
    }
    assert!(errors >= 80, "only {errors} of the cases fail in helm");
    assert!(
        failures.is_empty(),
        "{} of {} cases are wrong ({todo} known differences):\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    eprintln!(
        "{} of {} cases agree with helm v4, {todo} known differences",
        cases.len() - todo,
        cases.len()
    );
}
