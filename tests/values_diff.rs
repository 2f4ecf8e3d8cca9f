//! Differential test of `chartr values` against real Helm v3.17.3 and v4.1.4: every case of
//! tests/fixtures/values/cases.txt runs `helm template CHART ARGS` (the fixture charts' only
//! template is `{{ toJson .Values }}`) under both helms and `chartr values CHART ARGS --output
//! json`, and chartr must print exactly what Helm v4 renders, or fail where Helm fails. Cases
//! marked `v3-differs` also check that Helm v3 still behaves differently (so the recorded
//! difference stays true).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Case {
    line: usize,
    name: String,
    chart: String,
    expect_ok: bool,
    v3_differs: bool,
    args: Vec<String>,
    stdin: Option<String>,
}

/// Shell-like words: blanks split, '…' and "…" quote (no escapes inside single quotes).
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    cur.push(c);
                }
            }
            '"' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                    cur.push(c);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

fn cases(dir: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(dir.join("cases.txt")).expect("cases.txt");
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.splitn(4, '|').map(str::trim).collect();
        assert_eq!(
            parts.len(),
            4,
            "cases.txt:{line_no}: NAME | CHART | EXPECT | ARGS"
        );
        let expect: Vec<&str> = parts[2].split_whitespace().collect();
        let (expect_ok, v3_differs) = match expect.as_slice() {
            ["ok"] => (true, false),
            ["ok", "v3-differs"] => (true, true),
            ["error"] => (false, false),
            ["error", "v3-differs"] => (false, true),
            _ => panic!("cases.txt:{line_no}: bad EXPECT {:?}", parts[2]),
        };
        let mut args = words(parts[3]);
        let mut stdin = None;
        if let Some(last) = args.last() {
            if let Some(f) = last.strip_prefix('<') {
                stdin = Some(f.to_string());
                args.pop();
            }
        }
        out.push(Case {
            line: line_no,
            name: parts[0].to_string(),
            chart: parts[1].to_string(),
            expect_ok,
            v3_differs,
            args,
            stdin,
        });
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let p = e.path();
        let t = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).expect("copy");
        }
    }
}

/// Packs every `NAME.tgz.src` folder into the archive `NAME.tgz` (a chart folder inside), as
/// `helm package` would, so no binary is kept in the repository.
fn pack_archives(dir: &Path) {
    for e in std::fs::read_dir(dir).expect("read_dir") {
        let p = e.expect("entry").path();
        if !p.is_dir() {
            continue;
        }
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if let Some(archive) = name.strip_suffix(".src") {
            let file = std::fs::File::create(dir.join(archive)).expect("create archive");
            let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
            let mut tar = tar::Builder::new(gz);
            let top = archive.trim_end_matches(".tgz");
            let top = top.rsplit_once('-').map(|(n, _)| n).unwrap_or(top);
            tar.append_dir_all(top, &p).expect("tar");
            tar.into_inner().expect("tar").finish().expect("gzip");
            std::fs::remove_dir_all(&p).expect("remove source");
        } else {
            pack_archives(&p);
        }
    }
}

/// The fixtures copied into a temporary folder with the archives built.
pub fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&common::root().join("tests/fixtures/values"), tmp.path());
    pack_archives(&tmp.path().join("charts"));
    tmp
}

fn run(mut cmd: Command, dir: &Path, args: &[String], stdin: &Option<String>) -> Output {
    common::isolate_helm(&mut cmd)
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match stdin {
        Some(f) => cmd.stdin(std::fs::File::open(dir.join(f)).expect("stdin file")),
        None => cmd.stdin(Stdio::null()),
    };
    cmd.output().expect("command runs")
}

/// Helm's rendering of the one template, without the `---` / `# Source:` framing.
fn helm_values(helm: &PathBuf, dir: &Path, case: &Case) -> Result<String, String> {
    let mut args = vec!["template".to_string(), format!("charts/{}", case.chart)];
    args.extend(case.args.iter().cloned());
    let out = run(Command::new(helm), dir, &args, &case.stdin);
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let body = text
        .strip_prefix("---\n")
        .and_then(|t| t.split_once('\n'))
        .map(|(_, rest)| rest.to_string())
        .ok_or_else(|| format!("unexpected helm output: {text}"))?;
    Ok(body.trim_end().to_string())
}

#[test]
fn chartr_values_match_helm() {
    let ws = workspace();
    let dir = ws.path();
    let all = cases(dir);
    assert!(all.len() >= 60, "only {} cases", all.len());
    let helms = common::helms();
    let mut failures = Vec::new();
    for case in &all {
        let id = format!("cases.txt:{} {}", case.line, case.name);
        let v3 = helm_values(&helms[0].1, dir, case);
        let v4 = helm_values(&helms[1].1, dir, case);
        // What the case says of Helm must still hold.
        match (&v4, case.expect_ok) {
            (Ok(_), false) => failures.push(format!(
                "{id}: helm v4 succeeded, the case expects an error"
            )),
            (Err(e), true) => failures.push(format!("{id}: helm v4 failed: {e}")),
            _ => {}
        }
        let same = match (&v3, &v4) {
            (Ok(a), Ok(b)) => a == b,
            (Err(_), Err(_)) => true,
            _ => false,
        };
        if same == case.v3_differs {
            failures.push(format!(
                "{id}: v3 {} v4 (v3: {:?}, v4: {:?}), the case says {}",
                if same { "matches" } else { "differs from" },
                v3,
                v4,
                if case.v3_differs {
                    "v3-differs"
                } else {
                    "they agree"
                }
            ));
        }
        let mut args = vec!["values".to_string(), format!("charts/{}", case.chart)];
        args.extend(case.args.iter().cloned());
        args.extend(["--output".to_string(), "json".to_string()]);
        let out = run(common::chartr(), dir, &args, &case.stdin);
        let stdout = String::from_utf8_lossy(&out.stdout).trim_end().to_string();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        if stderr.contains("panicked") {
            failures.push(format!("{id}: chartr panicked: {stderr}"));
            continue;
        }
        match &v4 {
            Ok(expected) => {
                if !out.status.success() {
                    failures.push(format!("{id}: chartr failed: {stderr}"));
                } else if &stdout != expected {
                    failures.push(format!("{id}:\n  helm v4: {expected}\n  chartr:  {stdout}"));
                }
            }
            Err(_) => {
                if out.status.code() != Some(1) {
                    failures.push(format!(
                        "{id}: helm fails, chartr exited {:?} with {stdout}",
                        out.status.code()
                    ));
                } else if !stderr.starts_with("Error: ") || stderr.trim().len() < 20 {
                    failures.push(format!("{id}: unclear message: {stderr}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}
