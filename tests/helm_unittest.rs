//! The upstream Dataflow charts' own helm-unittest suites (`tests/*_test.yaml` of the unmodified
//! charts in ../shared/corpus: 32 tests in 1.16.0, 143 in 2.4.1), run by the harness in
//! tests/helm_unittest_support twice: with real helm v4.1.4 as the renderer (every test must
//! pass, or the harness is wrong) and with chartr. Every test that passes under helm must pass
//! under chartr, except those listed in [`KNOWN_FAILURES`] with the reason; a listed test that
//! passes fails this test, so the list cannot go stale. Skipped, with one line, when
//! ../shared is absent.

mod common;
mod helm_unittest_support;

use helm_unittest_support::{load_suites, render_all, Renderer, TestCase};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Tests chartr fails today, each with the engine defect behind it (the lead fixes them).
const KNOWN_FAILURES: &[(&str, &str)] = &[];

const CASES: &[&str] = &["dataflow-1.16.0", "dataflow-2.4.1"];

fn shared() -> Option<PathBuf> {
    let ok = |p: &Path| p.join("corpus").is_dir();
    if let Some(p) = std::env::var_os("CHARTR_SHARED").map(PathBuf::from) {
        return ok(&p).then_some(p);
    }
    common::root()
        .ancestors()
        .skip(1)
        .map(|d| d.join("shared"))
        .find(|p| ok(p))
}

/// Every test's outcome under one renderer.
fn run_with(r: &Renderer, tests: &[TestCase], work: &Path) -> BTreeMap<String, Result<(), String>> {
    let keys: BTreeSet<_> = tests
        .iter()
        .filter(|t| t.unsupported.is_none())
        .flat_map(|t| t.renders.values().cloned())
        .collect();
    let rendered = render_all(r, &keys, work, 4);
    tests
        .iter()
        .map(|t| {
            let outcome = match &t.unsupported {
                Some(why) => Err(format!("unsupported: {why}")),
                None => {
                    let renders = t
                        .renders
                        .iter()
                        .filter_map(|(tpl, k)| rendered.get(k).map(|r| (tpl.clone(), r.clone())))
                        .collect();
                    t.job.run(&renders)
                }
            };
            (t.id.clone(), outcome)
        })
        .collect()
}

#[test]
fn dataflow_helm_unittest_suites() {
    let Some(shared) = shared() else {
        println!("skipped: ../shared/corpus is absent (the Dataflow charts' helm-unittest suites)");
        return;
    };
    let work = tempfile::tempdir().expect("temporary folder");
    let mut tests = Vec::new();
    for case in CASES {
        let chart = shared.join("corpus").join(case).join("chart/dataflow");
        tests.extend(load_suites(case, &chart, work.path()).unwrap_or_else(|e| panic!("{e}")));
    }
    assert_eq!(tests.len(), 32 + 143, "the suites hold 32 + 143 tests");

    let helm = Renderer {
        name: "helm-v4".into(),
        program: common::helms()[1].1.clone(),
    };
    let chartr = Renderer {
        name: "chartr".into(),
        program: PathBuf::from(env!("CARGO_BIN_EXE_chartr")),
    };
    let under_helm = run_with(&helm, &tests, work.path());
    let under_chartr = run_with(&chartr, &tests, work.path());

    let count = |m: &BTreeMap<String, Result<(), String>>, case: &str| {
        let of_case: Vec<_> = m.iter().filter(|(k, _)| k.starts_with(case)).collect();
        (
            of_case.iter().filter(|(_, r)| r.is_ok()).count(),
            of_case.len(),
        )
    };
    for case in CASES {
        let (h, n) = count(&under_helm, case);
        let (c, _) = count(&under_chartr, case);
        println!("{case}: helm v4 passes {h}/{n}, chartr {c}/{n}");
    }
    for (id, r) in &under_chartr {
        if let Err(e) = r {
            println!("chartr fails {id}: {e}");
        }
    }

    let helm_fails: Vec<String> = under_helm
        .iter()
        .filter_map(|(id, r)| r.as_ref().err().map(|e| format!("{id}: {e}")))
        .collect();
    assert!(
        helm_fails.is_empty(),
        "under real helm v4 these fail, so the harness is wrong:\n{}",
        helm_fails.join("\n")
    );

    let known: BTreeMap<&str, &str> = KNOWN_FAILURES.iter().copied().collect();
    let mut problems = Vec::new();
    for (id, r) in &under_chartr {
        match (r, known.get(id.as_str())) {
            (Err(e), None) => problems.push(format!("chartr fails {id}: {e}")),
            (Ok(()), Some(why)) => problems.push(format!(
                "{id} passes now: remove it from KNOWN_FAILURES ({why})"
            )),
            _ => {}
        }
    }
    for id in known.keys() {
        if !under_chartr.contains_key(*id) {
            problems.push(format!("KNOWN_FAILURES names no test: {id}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
