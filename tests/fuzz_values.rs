//! Differential fuzzer of `chartr values` against real Helm v4.1.4 (issue 11).
//!
//! Each case is generated from a seed: a chart (sometimes with a subchart under an alias, a
//! condition, tags and globals), its values.yaml, a user values file (YAML 1.1 scalar shapes,
//! tags, anchors, aliases and merge keys, several documents, nulls that delete defaults, odd
//! keys and whitespace) and `--set` family flags. Helm renders `{{ toJson .Values }}`; chartr
//! prints `values --output json`; the exit class (ok / error) and the exact JSON must agree.
//! A disagreement is shrunk (values lines and flags dropped while it persists) and reported with
//! its seed. Where Helm answers differently on a second run (Go's random map order with keys
//! that become equal), the case is counted as Helm's, not a disagreement.
//!
//! `scripts/test` runs a short fixed-seed run. Run it long with
//! `CHARTR_FUZZ_CASES=20000 CHARTR_FUZZ_SEED=7 cargo test --test fuzz_values -- --nocapture`;
//! `CHARTR_FUZZ_ONLY=SEED` replays one case.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

/// xorshift64*: small, seedable, the same on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const KEYS: &[&str] = &[
    "a", "b", "c", "name", "image", "tag", "x-y", "1", "0x10", "yes", "'q k'", "\"d\"", "k.l",
    "~x", "global", "sub", "on", "1.5", "-k", "_",
];

const SCALARS: &[&str] = &[
    "1",
    "0",
    "-5",
    "+7",
    "0755",
    "0x1F",
    "0o17",
    "0b101",
    "1e3",
    "1.5",
    "-.5",
    ".5",
    "1_000",
    "12345678901234567890",
    "9223372036854775807",
    "-9223372036854775808",
    "1e400",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "True",
    "FALSE",
    "~",
    "null",
    "Null",
    "",
    "''",
    "\"\"",
    "x",
    "hello world",
    "'it''s'",
    "\"a\\tb\"",
    "\"\\u00e9\"",
    "'x: y'",
    "\"#no\"",
    "x # comment",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "!!str 12",
    "!!float 3",
    "!!int \"7\"",
    "!!bool yes",
    "!!null ''",
    "!!binary aGk=",
    "! 12",
    "!custom v",
    "[.inf]",
    "[]",
    "{}",
    "[1, two, 3.0]",
    "{k: v, n: 1}",
    "[a, [b, {c: d}]]",
    "\"x\\\\y\"",
    "<<",
    "=",
    "a=b",
    "é",
    "\"\\x41\"",
    "[x:]",
    "{?x: 1}",
    "[a: [b]]",
    "[-]",
    "'x\ry'",
];

fn scalar(r: &mut Rng) -> String {
    r.pick(SCALARS).to_string()
}

/// A block mapping at `indent`, `depth` levels deep at most; anchors defined go to `anchors`.
fn mapping(r: &mut Rng, indent: usize, depth: usize, anchors: &mut Vec<String>, out: &mut String) {
    let pad = " ".repeat(indent);
    for _ in 0..1 + r.below(4) {
        let key = r.pick(KEYS);
        let roll = r.below(100);
        if roll < 15 && depth > 0 {
            let name = r
                .chance(30)
                .then(|| format!("m{}{}", anchors.len(), r.below(1000)));
            let anchor = name.as_ref().map(|n| format!(" &{n}")).unwrap_or_default();
            out.push_str(&format!("{pad}{key}:{anchor}\n"));
            mapping(r, indent + 2, depth - 1, anchors, out);
            // Usable once complete (an alias inside its own anchor is an error in both).
            anchors.extend(name);
        } else if roll < 25 && depth > 0 {
            out.push_str(&format!("{pad}{key}:\n"));
            for _ in 0..1 + r.below(3) {
                out.push_str(&format!("{pad}- {}\n", scalar(r)));
            }
        } else if roll < 32 && !anchors.is_empty() {
            let a = anchors[r.below(anchors.len())].clone();
            if r.chance(50) {
                out.push_str(&format!("{pad}<<: *{a}\n"));
            } else {
                out.push_str(&format!("{pad}{key}: *{a}\n"));
            }
        } else if roll < 36 {
            let style = r.pick(&["|", "|-", ">", ">+", "|2"]);
            out.push_str(&format!(
                "{pad}{key}: {style}\n{pad}  line one\n{pad}   two\n\n"
            ));
        } else if roll < 40 {
            out.push_str(&format!("{pad}{key}: null\n"));
        } else {
            let sep = r.pick(&[": ", ":  ", ": ", ":\t", ": "]);
            let tail = r.pick(&["", "", "", "  ", " # c", "\t"]);
            out.push_str(&format!("{pad}{key}{sep}{}{tail}\n", scalar(r)));
        }
    }
}

fn values_text(r: &mut Rng) -> String {
    let mut out = String::new();
    let mut anchors = Vec::new();
    if r.chance(10) {
        out.push_str(r.pick(&["# head\n", "---\n", "\u{feff}", "%YAML 1.1\n---\n"]));
    }
    mapping(r, 0, 3, &mut anchors, &mut out);
    if r.chance(15) {
        out.push_str(r.pick(&["---\n", "--- # c\n", "...\n"]));
        mapping(r, 0, 2, &mut anchors, &mut out);
    }
    out
}

fn set_flag(r: &mut Rng) -> Vec<String> {
    let flag = r.pick(&[
        "--set",
        "--set",
        "--set-string",
        "--set-json",
        "--set-literal",
    ]);
    let key = r.pick(&[
        "a",
        "b.c",
        "list[0]",
        "list[2].k",
        "sub.a",
        "global.g",
        "x\\.y",
        "n",
    ]);
    let val = match flag {
        "--set-json" => r
            .pick(&[
                "1",
                "\"s\"",
                "[1,2]",
                "{\"k\":null}",
                "null",
                "true",
                "1e3",
                "{}",
            ])
            .to_string(),
        _ => r
            .pick(&[
                "1",
                "0",
                "true",
                "falſe",
                "NULL",
                "null",
                "x",
                "{a,b}",
                "",
                "012",
                "1e3",
                "a\\,b",
                "-1",
                "9223372036854775808",
            ])
            .to_string(),
    };
    vec![flag.to_string(), format!("{key}={val}")]
}

struct Case {
    chart_values: String,
    sub: Option<(String, String)>, // (dependency lines for Chart.yaml, sub values)
    user_values: String,
    flags: Vec<String>,
}

fn generate(seed: u64) -> Case {
    let mut r = Rng::new(seed);
    let chart_values = values_text(&mut r);
    let sub = r.chance(40).then(|| {
        let mut dep = String::from("dependencies:\n  - name: sub\n    version: 0.1.0\n");
        if r.chance(40) {
            dep.push_str("    alias: sub\n");
        }
        if r.chance(30) {
            dep.push_str(&format!(
                "    condition: {}\n",
                r.pick(&["a", "sub.enabled", "b.c"])
            ));
        }
        if r.chance(20) {
            dep.push_str("    tags:\n      - t\n");
        }
        let sub_values = format!(
            "enabled: true\nglobal:\n  g: {}\n{}",
            scalar(&mut r),
            values_text(&mut r)
        );
        (dep, sub_values)
    });
    let user_values = values_text(&mut r);
    let flags = (0..r.below(3)).flat_map(|_| set_flag(&mut r)).collect();
    Case {
        chart_values,
        sub,
        user_values,
        flags,
    }
}

fn write_case(dir: &Path, c: &Case) {
    let chart = dir.join("c");
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(chart.join("templates")).expect("mkdir");
    let mut meta = String::from("apiVersion: v2\nname: c\nversion: 0.1.0\n");
    if let Some((dep, sub_values)) = &c.sub {
        meta.push_str(dep);
        let sub = chart.join("charts/sub");
        std::fs::create_dir_all(&sub).expect("mkdir");
        std::fs::write(
            sub.join("Chart.yaml"),
            "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        )
        .expect("write");
        std::fs::write(sub.join("values.yaml"), sub_values).expect("write");
    }
    std::fs::write(chart.join("Chart.yaml"), meta).expect("write");
    std::fs::write(chart.join("values.yaml"), &c.chart_values).expect("write");
    std::fs::write(chart.join("templates/v.yaml"), "{{ toJson .Values }}").expect("write");
    std::fs::write(dir.join("user.yaml"), &c.user_values).expect("write");
}

/// Ok(JSON) or Err(first error line).
type Answer = Result<String, String>;

fn answer(mut cmd: Command, dir: &Path, helm: bool) -> Answer {
    let out = cmd
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    if !out.status.success() {
        let e = String::from_utf8_lossy(&out.stderr);
        return Err(e.lines().next().unwrap_or("").to_string());
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if helm {
        let body = text
            .strip_prefix("---\n")
            .and_then(|t| t.split_once('\n'))
            .map(|(_, b)| b.trim_end().to_string());
        return body.ok_or(text);
    }
    Ok(text.trim_end().to_string())
}

fn run_helm(dir: &Path, c: &Case) -> Answer {
    let mut cmd = Command::new(&common::helms()[1].1);
    common::isolate_helm(&mut cmd);
    cmd.args(["template", "c", "-f", "user.yaml"])
        .args(&c.flags);
    answer(cmd, dir, true)
}

fn run_chartr(dir: &Path, c: &Case) -> Answer {
    let mut cmd = common::chartr();
    cmd.args(["values", "c", "-f", "user.yaml", "--output", "json"])
        .args(&c.flags);
    answer(cmd, dir, false)
}

fn agree(h: &Answer, c: &Answer) -> bool {
    match (h, c) {
        (Ok(a), Ok(b)) => a == b,
        (Err(_), Err(_)) => true,
        _ => false,
    }
}

/// Drops lines of the values files and flags while helm and chartr still disagree.
fn shrink(dir: &Path, mut c: Case) -> Case {
    let disagrees = |c: &Case| {
        write_case(dir, c);
        let h = run_helm(dir, c);
        !agree(&h, &run_chartr(dir, c)) && h == run_helm(dir, c)
    };
    let mut progress = true;
    while progress {
        progress = false;
        for which in 0..2 {
            let text = if which == 0 {
                &c.user_values
            } else {
                &c.chart_values
            };
            let lines: Vec<String> = text.split_inclusive('\n').map(String::from).collect();
            for i in (0..lines.len()).rev() {
                let mut fewer = lines.clone();
                fewer.remove(i);
                let mut t = Case {
                    chart_values: c.chart_values.clone(),
                    sub: c.sub.clone(),
                    user_values: c.user_values.clone(),
                    flags: c.flags.clone(),
                };
                if which == 0 {
                    t.user_values = fewer.concat();
                } else {
                    t.chart_values = fewer.concat();
                }
                if disagrees(&t) {
                    c = t;
                    progress = true;
                    break;
                }
            }
        }
        let mut i = 0;
        while i + 1 < c.flags.len() {
            let mut t = Case {
                chart_values: c.chart_values.clone(),
                sub: c.sub.clone(),
                user_values: c.user_values.clone(),
                flags: c.flags.clone(),
            };
            t.flags.drain(i..i + 2);
            if disagrees(&t) {
                c = t;
                progress = true;
            } else {
                i += 2;
            }
        }
    }
    c
}

#[test]
fn chartr_values_agree_with_helm_on_generated_cases() {
    let cases: u64 = std::env::var("CHARTR_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let base: u64 = std::env::var("CHARTR_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let seeds: Vec<u64> = match std::env::var("CHARTR_FUZZ_ONLY")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        Some(one) => vec![one],
        None => (0..cases)
            .map(|i| base.wrapping_mul(1_000_003).wrapping_add(i))
            .collect(),
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("case");
    let (mut agreed, mut helm_varies, mut helm_failed) = (0, 0, 0);
    let mut reports = Vec::new();
    for &seed in &seeds {
        let case = generate(seed);
        write_case(&dir, &case);
        let h = run_helm(&dir, &case);
        let c = run_chartr(&dir, &case);
        if h.is_err() {
            helm_failed += 1;
        }
        if agree(&h, &c) {
            agreed += 1;
            continue;
        }
        if run_helm(&dir, &case) != h {
            helm_varies += 1;
            continue;
        }
        let small = shrink(&dir, case);
        write_case(&dir, &small);
        reports.push(format!(
            "seed {seed}:\n  values.yaml {:?}\n  sub {:?}\n  user.yaml {:?}\n  flags {:?}\n  helm:   {:?}\n  chartr: {:?}",
            small.chart_values,
            small.sub,
            small.user_values,
            small.flags,
            run_helm(&dir, &small),
            run_chartr(&dir, &small)
        ));
    }
    println!(
        "fuzz_values: {} cases, {agreed} agree, {} disagree, {helm_varies} where helm varies, {helm_failed} where helm fails",
        seeds.len(),
        reports.len()
    );
    assert!(
        reports.is_empty(),
        "{} of {} cases disagree:\n{}",
        reports.len(),
        seeds.len(),
        reports.join("\n")
    );
}
