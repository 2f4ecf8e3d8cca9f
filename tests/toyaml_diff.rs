//! Helm's `toYaml` (and `toJson`) of `.Values`, differentially, byte for byte: the cases of
//! tests/fixtures/toyaml/cases.txt (format described there) run under real Helm v3.17.3 and
//! v4.1.4 on a chart printing both base64-encoded, so nothing is trimmed. chartr must render
//! that chart, and its Jinja twin, to Helm v4's bytes, and `chartr values --output json|yaml`
//! must print the same JSON and YAML (plus a final newline), or refuse where Helm's toYaml is
//! empty. This covers where sigs.k8s.io/yaml.Marshal cannot write values (go-yaml's depth and
//! simple-key limits, NEL in keys, characters it does not read), the missing final newline
//! after U+2028/U+2029, and `--set-file` contents that are not UTF-8.

mod common;

use base64::Engine as _;
use std::path::PathBuf;

struct Case {
    line: usize,
    name: String,
    written: bool,
    v3_differs: bool,
    args: Vec<String>,
}

fn fixtures() -> PathBuf {
    common::root().join("tests/fixtures/toyaml")
}

/// `((N*TEXT))` → TEXT repeated N times.
fn expand(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find("((") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 2..];
        let end = tail.find("))").expect("(( without ))");
        let (n, text) = tail[..end].split_once('*').expect("((N*TEXT))");
        out.push_str(&text.repeat(n.parse().expect("a count")));
        rest = &tail[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Shell-like words: blanks split, '…' and "…" quote.
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote = None;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(fixtures().join("cases.txt")).expect("cases.txt");
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.splitn(3, '|').map(str::trim).collect();
        assert_eq!(parts.len(), 3, "cases.txt:{}: NAME | EXPECT | ARGS", i + 1);
        let expect: Vec<&str> = parts[1].split_whitespace().collect();
        let (written, v3_differs) = match expect.as_slice() {
            ["written"] => (true, false),
            ["written", "v3-differs"] => (true, true),
            ["empty"] => (false, false),
            ["empty", "v3-differs"] => (false, true),
            _ => panic!("cases.txt:{}: bad EXPECT {:?}", i + 1, parts[1]),
        };
        out.push(Case {
            line: i + 1,
            name: parts[0].to_string(),
            written,
            v3_differs,
            args: words(&expand(parts[2])),
        });
    }
    out
}

fn run(cmd: std::process::Command, args: &[String]) -> std::process::Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    common::run_in(cmd, &fixtures(), &args)
}

fn template_args(chart: &str, case: &Case) -> Vec<String> {
    let mut args = vec!["template".to_string(), "x".to_string(), chart.to_string()];
    args.extend(case.args.iter().cloned());
    args
}

/// The decoded `json:` and `yaml:` lines of a rendering.
fn decoded(stdout: &[u8]) -> Result<(Vec<u8>, Vec<u8>), String> {
    let text = String::from_utf8_lossy(stdout);
    let field = |name: &str| -> Result<Vec<u8>, String> {
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .ok_or_else(|| format!("no {name} line in {}", show(stdout)))?;
        base64::engine::general_purpose::STANDARD
            .decode(line.trim())
            .map_err(|e| format!("{name} {e}"))
    };
    Ok((field("json:")?, field("yaml:")?))
}

fn show(b: &[u8]) -> String {
    let s = format!("{:?}", String::from_utf8_lossy(b));
    if s.len() > 160 {
        let cut = (0..=150)
            .rev()
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(0);
        format!("{}…({} bytes)", &s[..cut], b.len())
    } else {
        s
    }
}

fn check(case: &Case, problems: &mut Vec<String>) {
    let id = format!("cases.txt:{} {}", case.line, case.name);
    let helms = common::helms();
    let v4 = run(
        std::process::Command::new(&helms[1].1),
        &template_args("go", case),
    );
    if !v4.status.success() {
        problems.push(format!("{id}: helm v4 failed: {}", show(&v4.stderr)));
        return;
    }
    let (json, yaml) = match decoded(&v4.stdout) {
        Ok(d) => d,
        Err(e) => return problems.push(format!("{id}: helm v4: {e}")),
    };
    // What the case says of Helm must still hold.
    if yaml.is_empty() == case.written {
        problems.push(format!(
            "{id}: helm v4's toYaml is {}, the case says {}",
            show(&yaml),
            if case.written { "written" } else { "empty" }
        ));
    }
    let v3 = run(
        std::process::Command::new(&helms[0].1),
        &template_args("go", case),
    );
    if (v3.stdout == v4.stdout && v3.status.success()) == case.v3_differs {
        problems.push(format!(
            "{id}: helm v3 {} v4, the case says {}",
            if case.v3_differs {
                "renders as"
            } else {
                "differs from"
            },
            if case.v3_differs {
                "v3-differs"
            } else {
                "they agree"
            }
        ));
    }
    for chart in ["go", "jinja"] {
        let out = run(common::chartr(), &template_args(chart, case));
        if out.stdout != v4.stdout {
            let got = decoded(&out.stdout);
            problems.push(format!(
                "{id}: chartr template ({chart}) differs:\n  helm v4: json {} yaml {}\n  chartr:  {}",
                show(&json),
                show(&yaml),
                match got {
                    Ok((j, y)) => format!("json {} yaml {}", show(&j), show(&y)),
                    Err(_) => show(&out.stderr),
                }
            ));
        }
    }
    for (format, helm) in [("json", &json), ("yaml", &yaml)] {
        let mut args = vec!["values".to_string(), "go".to_string()];
        args.extend(case.args.iter().cloned());
        args.extend(["--output".to_string(), format.to_string()]);
        let out = run(common::chartr(), &args);
        let stderr = show(&out.stderr);
        if helm.is_empty() {
            if out.status.code() != Some(1)
                || !out.stdout.is_empty()
                || !out
                    .stderr
                    .starts_with(b"Error: unable to write YAML output: yaml: ")
            {
                problems.push(format!(
                    "{id}: helm's toYaml is empty, chartr values -o {format} exited {:?}: {} {stderr}",
                    out.status.code(),
                    show(&out.stdout)
                ));
            }
            continue;
        }
        let mut want = helm.to_vec();
        want.push(b'\n');
        if !out.status.success() || out.stdout != want {
            problems.push(format!(
                "{id}: chartr values -o {format}:\n  want:   {}\n  chartr: {} {stderr}",
                show(&want),
                show(&out.stdout)
            ));
        }
    }
}

#[test]
fn to_yaml_of_values_is_helms_byte_for_byte() {
    let all = cases();
    assert!(all.len() >= 20, "only {} cases", all.len());
    let mut problems = Vec::new();
    for case in &all {
        check(case, &mut problems);
    }
    assert!(
        problems.is_empty(),
        "{} problems in {} cases:\n{}",
        problems.len(),
        all.len(),
        problems.join("\n")
    );
}

#[test]
fn case_syntax() {
    assert_eq!(expand("a((3*[0]))=1"), "a[0][0][0]=1");
    assert_eq!(
        words("--set 'a b' \"c'd\" e"),
        vec!["--set", "a b", "c'd", "e"]
    );
}
