//! Usage errors against helm v4: the command lines of tests/fixtures/usage/cases.txt through
//! both, compared on exit status and output ("helm" read for "chartr"). Command groups given no
//! subcommand print their help and succeed in both; their help texts differ, so for the lines
//! marked `help:` only the status and that a usage text was printed are compared.

mod common;

use common::{helms, root, run_in};
use std::process::Command;

#[test]
fn usage_errors_are_helms() {
    let dir = root().join("tests/fixtures/usage");
    let cases = std::fs::read_to_string(dir.join("cases.txt")).expect("cases.txt");
    let helm = &helms()[1].1;
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in cases
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let (help, line) = match line.strip_prefix("help: ") {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let args: Vec<&str> = line.split(' ').collect();
        let h = run_in(Command::new(helm), &dir, &args);
        let c = run_in(common::chartr(), &dir, &args);
        let norm = |b: &[u8]| String::from_utf8_lossy(b).replace("chartr", "helm");
        let (hs, cs) = (h.status.code(), c.status.code());
        let (ho, co) = (norm(&h.stdout), norm(&c.stdout));
        let (he, ce) = (norm(&h.stderr), norm(&c.stderr));
        let same_out = if help {
            // a group's help: the texts differ, both print one
            ho.contains("Usage:") && co.contains("Usage:")
        } else {
            ho == co
        };
        if hs != cs || !same_out || he != ce {
            failures.push(format!(
                "`{line}`\n  helm   ({hs:?}): {he:?} {}\n  chartr ({cs:?}): {ce:?} {}",
                ho.len(),
                co.len()
            ));
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
