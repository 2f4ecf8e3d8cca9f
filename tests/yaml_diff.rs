//! Differential tests of the YAML reader and the YAML/JSON writers against real Helm.
//!
//! Each values file under tests/fixtures/yaml/cases is given with `-f` to a fixture chart whose
//! templates print `{{ toJson .Values }}` and `{{ toYaml .Values }}`. Helm v3 and v4 render it;
//! `chartr values --output json|yaml` must print byte for byte the same text (Helm's toYaml trims
//! the trailing newline, Helm's output adds one back: the bytes compare as they are). When Helm
//! refuses a values file, chartr must refuse it too (exit code 1, an error naming the file).
//! Where v3 differs from v4 (tests/fixtures/yaml/v3-differs.txt) chartr follows v4, and the test
//! checks that v3 still differs, so the list stays true.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    common::root().join("tests/fixtures/yaml")
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures().join("cases"))
        .expect("cases folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cases.sort();
    cases
}

fn v3_differs() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(fixtures().join("v3-differs.txt")).expect("v3-differs.txt");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// What Helm printed for the two templates, or its error.
type Rendered = Result<(Vec<u8>, Vec<u8>), String>;

fn helm_render(helm: &Path, case: &Path) -> Rendered {
    let chart = fixtures().join("chart");
    let out = common::run_in(
        std::process::Command::new(helm),
        &common::root(),
        &[
            "template",
            "x",
            chart.to_str().expect("utf-8 path"),
            "-f",
            case.to_str().expect("utf-8 path"),
        ],
    );
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = out.stdout;
    let json_head = b"---\n# Source: yamldiff/templates/json.yaml\n";
    let yaml_head = b"---\n# Source: yamldiff/templates/yaml.yaml\n";
    assert!(
        text.starts_with(json_head),
        "unexpected helm output: {}",
        String::from_utf8_lossy(&text)
    );
    let at = text
        .windows(yaml_head.len())
        .position(|w| w == yaml_head)
        .expect("helm printed the yaml template");
    Ok((
        text[json_head.len()..at].to_vec(),
        text[at + yaml_head.len()..].to_vec(),
    ))
}

fn chartr_values(case: &Path, format: &str) -> Result<Vec<u8>, (i32, String)> {
    let chart = fixtures().join("chart");
    let out = common::run_in(
        common::chartr(),
        &common::root(),
        &[
            "values",
            chart.to_str().expect("utf-8 path"),
            "-f",
            case.to_str().expect("utf-8 path"),
            "--output",
            format,
        ],
    );
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err((
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ))
    }
}

fn show(b: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(b))
}

/// Compares chartr's outputs with one Helm rendering; returns the differences found. With
/// `same_words`, a refusal must also carry Helm's error line word for word.
fn compare(
    name: &str,
    same_words: bool,
    helm: &Rendered,
    json: &Result<Vec<u8>, (i32, String)>,
    yaml: &Result<Vec<u8>, (i32, String)>,
) -> Vec<String> {
    let mut problems = Vec::new();
    match helm {
        Ok((hj, hy)) => {
            for (what, h, c) in [("toJson", hj, json), ("toYaml", hy, yaml)] {
                match c {
                    Ok(c) if c == h => {}
                    Ok(c) => problems.push(format!(
                        "{name} {what}:\n  helm:   {}\n  chartr: {}",
                        show(h),
                        show(c)
                    )),
                    Err((_, e)) => problems.push(format!(
                        "{name} {what}: helm printed {} but chartr failed: {e}",
                        show(h)
                    )),
                }
            }
        }
        Err(herr) => {
            for (what, c) in [("json", json), ("yaml", yaml)] {
                match c {
                    Ok(out) => problems.push(format!(
                        "{name} ({what}): helm refused it ({}) but chartr printed {}",
                        herr.trim(),
                        show(out)
                    )),
                    Err((code, e)) => {
                        if *code != 1 || !e.contains(name) {
                            problems.push(format!("{name} ({what}): chartr failed with code {code} and an error not naming the file: {e}"));
                        }
                        // go-yaml's own errors (reader, scanner, parser) and a document that is
                        // not a map are Helm's words; chartr words the other JSON-conversion
                        // refusals (values JSON cannot hold) its own way.
                        let helm_line =
                            herr.lines().find(|l| l.starts_with("Error: ")).filter(|l| {
                                l.contains("error converting YAML to JSON: yaml: ")
                                    || l.ends_with("into Go value of type map[string]interface {}")
                            });
                        if let Some(line) = helm_line.filter(|_| same_words) {
                            if !e.lines().any(|l| l == line) {
                                problems.push(format!(
                                    "{name} ({what}): helm said {line:?}, chartr said {e:?}"
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    problems
}

#[test]
fn values_read_and_printed_like_helm() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let v3_differs = v3_differs();
    let mut problems = Vec::new();
    let mut compared = 0;
    for case in &cases {
        let name = case
            .file_name()
            .and_then(|n| n.to_str())
            .expect("file name")
            .to_string();
        let json = chartr_values(case, "json");
        let yaml = chartr_values(case, "yaml");
        for (version, helm) in common::helms() {
            let rendered = helm_render(helm, case);
            // v3's errors lack v4's "cannot unmarshal yaml document: " step: v4's are the words.
            let found = compare(&name, *version == "v4", &rendered, &json, &yaml);
            if *version == "v3" && v3_differs.contains_key(&name) {
                if found.is_empty() {
                    problems.push(format!(
                        "{name}: listed in v3-differs.txt but v3 now agrees with chartr"
                    ));
                }
                continue;
            }
            compared += 1;
            problems.extend(found.into_iter().map(|p| format!("[{version}] {p}")));
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {compared} comparisons differ:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
