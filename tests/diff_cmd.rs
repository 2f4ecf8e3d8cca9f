//! `chartr diff` end to end: renders of the bundled chart (the earlier render passed with
//! `--lookup-from`, so only the test's own change differs), the upgrade guide's cases on the
//! corpus charts rendered by real helm v4, adoption of cluster objects, and credential masking
//! in every output mode.

mod common;

use chartr::yaml;
use common::{chartr, helms, isolate_helm, root};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn out(o: Output) -> Run {
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn diff(args: &[&str]) -> Run {
    out(chartr()
        .arg("diff")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("chartr runs"))
}

/// `chartr template dataflow charts/dataflow -n csghub ARGS` into DIR/NAME.
fn render(dir: &Path, name: &str, args: &[&str]) -> String {
    let r = out(chartr()
        .current_dir(root())
        .args(["template", "dataflow", "charts/dataflow", "-n", "csghub"])
        .args(args)
        .output()
        .expect("chartr runs"));
    assert_eq!(r.code, 0, "render {args:?}: {}", r.stderr);
    let p = dir.join(name);
    std::fs::write(&p, &r.stdout).unwrap();
    p.to_string_lossy().into_owned()
}

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

fn statuses(j: &Value, status: &str) -> Vec<String> {
    j["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["status"] == status)
        .map(|o| {
            format!(
                "{}/{}",
                o["kind"].as_str().unwrap(),
                o["name"].as_str().unwrap()
            )
        })
        .collect()
}

fn findings(j: &Value) -> Vec<(String, String, String)> {
    j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                format!(
                    "{}/{}",
                    f["object"]["kind"].as_str().unwrap(),
                    f["object"]["name"].as_str().unwrap()
                ),
                f["field"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn image_tag_change() {
    let t = tempfile::tempdir().unwrap();
    let a = render(t.path(), "a.yaml", &[]);
    let b = render(
        t.path(),
        "b.yaml",
        &["--lookup-from", &a, "--set", "dataflow.image.tag=v1.17.0"],
    );
    let r = diff(&[&a, &b, "-n", "csghub", "--color", "never"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let first = r.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("2 changed, 0 added, 0 removed, "),
        "{first}"
    );
    assert!(r
        .stdout
        .contains("  changed  Deployment.apps csghub/dataflow-celery-worker\n"));
    assert!(r
        .stdout
        .contains("  changed  StatefulSet.apps csghub/dataflow-dataflow\n"));
    assert!(r
        .stdout
        .contains("\n-        image: docker.io/opencsghq/dataflow:v1.16.0\n+        image: docker.io/opencsghq/dataflow:v1.17.0\n"));
    // -C 0: only the changed lines and the hunk headers.
    let r0 = diff(&[&a, &b, "-n", "csghub", "-C", "0"]);
    let body: Vec<&str> = r0
        .stdout
        .lines()
        .filter(|l| l.starts_with(['+', '-', ' ', '@']) && !l.starts_with("  "))
        .collect();
    // Per object: the two headers, one hunk header, the - line and the + line.
    assert_eq!(body.len(), 10, "{}", r0.stdout);
    let j = json(&diff(&[&a, &b, "-n", "csghub", "-o", "json"]));
    let changes = &j["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "dataflow-celery-worker")
        .unwrap()["changes"];
    assert_eq!(changes[0]["new"], "docker.io/opencsghq/dataflow:v1.17.0");
    assert!(changes[0]["path"]
        .as_str()
        .unwrap()
        .starts_with("spec.template.spec."));
    // Colour on request, and none by default when stdout is not a terminal.
    let c = diff(&[&a, &b, "-n", "csghub", "--color", "always"]);
    assert!(c
        .stdout
        .contains("\x1b[32m+        image: docker.io/opencsghq/dataflow:v1.17.0\x1b[0m"));
    assert!(!diff(&[&a, &b, "-n", "csghub"]).stdout.contains('\x1b'));
    // Ignored changes do not count.
    let ig = diff(&[&a, &b, "-n", "csghub", "--ignore", "**.containers[*].image"]);
    assert_eq!(ig.code, 0, "{}", ig.stdout);
}

#[test]
fn equal_inputs_print_only_the_summary() {
    let t = tempfile::tempdir().unwrap();
    let a = render(t.path(), "a.yaml", &[]);
    let b = render(t.path(), "b.yaml", &["--lookup-from", &a]);
    let r = diff(&[&a, &b, "-n", "csghub", "--check-upgrade"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let n = std::fs::read_to_string(&a)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("kind: "))
        .count();
    assert_eq!(
        r.stdout,
        format!(
            "0 changed, 0 added, 0 removed, {n} unchanged\n\nUpgrade preflight: 0 finding(s)\n"
        )
    );
    let r = diff(&[&a, &b, "-n", "csghub"]);
    assert_eq!(
        r.stdout,
        format!("0 changed, 0 added, 0 removed, {n} unchanged\n")
    );
    // Standard input for one side.
    let text = std::fs::read(&a).unwrap();
    let mut child = chartr()
        .args(["diff", "-", &b, "-n", "csghub"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &text).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    // Without --lookup-from the generated passwords differ: that is a change.
    let c = render(t.path(), "c.yaml", &[]);
    assert_eq!(diff(&[&a, &c, "-n", "csghub"]).code, 1);
}

#[test]
fn builtin_to_external_flags_the_data() {
    let t = tempfile::tempdir().unwrap();
    let a = render(t.path(), "a.yaml", &[]);
    let b = render(
        t.path(),
        "b.yaml",
        &[
            "--lookup-from",
            &a,
            "-f",
            "values/dataflow/external-mongo.yaml",
        ],
    );
    let r = diff(&[&a, &b, "-n", "csghub", "--check-upgrade", "-o", "json"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let j = json(&r);
    assert_eq!(
        statuses(&j, "removed"),
        [
            "Secret/dataflow-mongo",
            "Service/dataflow-mongo",
            "StatefulSet/dataflow-mongo"
        ]
    );
    let f = findings(&j);
    assert!(
        f.contains(&(
            "data-loss".into(),
            "StatefulSet/dataflow-mongo".into(),
            "spec.volumeClaimTemplates".into()
        )),
        "{f:?}"
    );
    let sts = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["rule"] == "data-loss")
        .unwrap();
    assert!(sts["why"]
        .as_str()
        .unwrap()
        .contains("data-dataflow-mongo-0"));
    assert_eq!(
        sts["commands"][0],
        "kubectl -n csghub get pvc data-dataflow-mongo-0"
    );
    // The Secret is annotated helm.sh/resource-policy: keep.
    assert!(f.contains(&(
        "left-behind".into(),
        "Secret/dataflow-mongo".into(),
        "metadata.annotations[\"helm.sh/resource-policy\"]".into()
    )));
    // Without --check-upgrade: exit 1, no findings.
    let r = diff(&[&a, &b, "-n", "csghub"]);
    assert_eq!(r.code, 1);
    assert!(!r.stdout.contains("preflight"));
}

#[test]
fn volume_claim_template_size_change_is_flagged() {
    let t = tempfile::tempdir().unwrap();
    let a = render(t.path(), "a.yaml", &[]);
    let b = render(
        t.path(),
        "b.yaml",
        &[
            "--lookup-from",
            &a,
            "--set",
            "postgresql.persistence.size=100Gi",
        ],
    );
    let r = diff(&[&a, &b, "-n", "csghub", "--check-upgrade"]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.starts_with("1 changed, 0 added, 0 removed, "));
    assert!(
        r.stdout
            .contains("-          storage: 50Gi\n+          storage: 100Gi\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(
        "[immutable] StatefulSet.apps csghub/dataflow-postgresql (apps/v1)\n  field: spec.volumeClaimTemplates\n"
    ), "{}", r.stdout);
    assert!(
        r.stdout.contains("(size data 50Gi → 100Gi)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(
        "    $ kubectl -n csghub patch pvc data-dataflow-postgresql-0 -p '{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"100Gi\"}}}}'\n    $ kubectl -n csghub delete statefulset.apps dataflow-postgresql --cascade=orphan\n"
    ), "{}", r.stdout);
}

/// Every value of a Secret in the streams, with its base64 form, that the masking rule
/// covers outside its Secret (docs/diff.md): at least 4 characters, and not the name or
/// namespace of an object.
fn secret_values(streams: &[&str]) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut values = BTreeSet::new();
    for s in streams {
        let text = std::fs::read_to_string(s).unwrap();
        for d in yaml::parse_stream(&text, s).unwrap() {
            let meta = &d.value["metadata"];
            for k in ["name", "namespace"] {
                if let Some(v) = meta[k].as_str() {
                    ids.insert(v.to_string());
                }
            }
            if d.value["kind"] != "Secret" {
                continue;
            }
            use base64::Engine as _;
            let b64 = base64::engine::general_purpose::STANDARD;
            if let Some(m) = d.value["data"].as_object() {
                for v in m.values().filter_map(Value::as_str) {
                    values.insert(v.to_string());
                    values.insert(String::from_utf8(b64.decode(v).unwrap()).unwrap());
                }
            }
            if let Some(m) = d.value["stringData"].as_object() {
                for v in m.values().filter_map(Value::as_str) {
                    values.insert(v.to_string());
                    values.insert(b64.encode(v));
                }
            }
        }
    }
    values
        .into_iter()
        .filter(|v| v.chars().count() >= 4 && !ids.contains(v))
        .collect()
}

#[test]
fn no_secret_value_in_any_output_mode() {
    let t = tempfile::tempdir().unwrap();
    // Two renders with different generated passwords, the second with a MongoDB URL of its own.
    let a = render(t.path(), "a.yaml", &[]);
    let b = render(
        t.path(),
        "b.yaml",
        &[
            "-f",
            "values/dataflow/external-mongo.yaml",
            "--set",
            "global.mongo.external.password=s3cr3t-m0ng0-pw",
        ],
    );
    let secrets = secret_values(&[&a, &b]);
    // The generated passwords are there, and the stream repeats them outside the Secrets
    // (ConfigMaps, postgresql:// URLs in commands).
    assert!(secrets.len() >= 10, "{secrets:?}");
    let a_text = std::fs::read_to_string(&a).unwrap();
    let repeated = secrets
        .iter()
        .filter(|s| a_text.matches(s.as_str()).count() > 1)
        .count();
    assert!(repeated >= 2, "no value repeated outside its Secret");
    let modes: &[&[&str]] = &[
        &["--color", "never"],
        &["--color", "always"],
        &["-o", "json"],
        &["-o", "markdown"],
        &["--check-upgrade", "--color", "always", "-C", "1000"],
        &["--check-upgrade", "-o", "json"],
        &["--check-upgrade", "-o", "markdown"],
    ];
    let url = regex::Regex::new(r"://[^:/\s@]*:([^@/\s]+)@").unwrap();
    for mode in modes {
        for (x, y) in [(&a, &b), (&b, &a)] {
            let mut args = vec![x.as_str(), y.as_str(), "-n", "csghub"];
            args.extend_from_slice(mode);
            let r = diff(&args);
            assert!(matches!(r.code, 1 | 3), "{mode:?}: {}", r.stderr);
            for s in &secrets {
                assert!(!r.stdout.contains(s.as_str()), "{mode:?} prints {s:?}");
            }
            assert!(!r.stdout.contains("s3cr3t-m0ng0-pw"));
            for c in url.captures_iter(&r.stdout) {
                assert!(
                    c[1].starts_with("<masked:"),
                    "{mode:?}: URL password {}",
                    &c[1]
                );
            }
        }
    }
    // The test can fail: with --show-secrets they are printed.
    let r = diff(&[&a, &b, "-n", "csghub", "--show-secrets"]);
    assert!(r.stdout.contains("s3cr3t-m0ng0-pw"));
    let shown = secrets
        .iter()
        .filter(|s| r.stdout.contains(s.as_str()))
        .count();
    assert!(shown > secrets.len() / 2, "{shown} of {}", secrets.len());
}

#[test]
fn adoption_of_objects_the_cluster_already_has() {
    let dir = root().join("tests/fixtures/diff/adoption");
    let p = |f: &str| dir.join(f).to_string_lossy().into_owned();
    let (old, new, cluster) = (p("old.yaml"), p("new.yaml"), p("cluster.yaml"));
    let r = diff(&[
        &old,
        &new,
        "-n",
        "csghub",
        "--check-upgrade",
        "--cluster",
        &cluster,
        "-o",
        "json",
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let j = json(&r);
    let f = findings(&j);
    assert_eq!(
        f.iter().map(|x| x.1.as_str()).collect::<Vec<_>>(),
        [
            "KnativeServing/knative-serving",
            "ConfigMap/workflow-controller-configmap",
            "Namespace/lws-system"
        ]
    );
    let why: Vec<&str> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["why"].as_str().unwrap())
        .collect();
    // Helm's own words; the release name is read from the cluster's copy of OLD's ConfigMap.
    assert!(why[0].ends_with(
        "Unable to continue with update: KnativeServing \"knative-serving\" in namespace \"knative-serving\" exists and cannot be imported into the current release: invalid ownership metadata; label validation error: missing key \"app.kubernetes.io/managed-by\": must be set to \"Helm\"; annotation validation error: missing key \"meta.helm.sh/release-name\": must be set to \"csghub\"; annotation validation error: missing key \"meta.helm.sh/release-namespace\": must be set to \"csghub\""
    ), "{}", why[0]);
    assert!(why[1].ends_with(
        "invalid ownership metadata; annotation validation error: key \"meta.helm.sh/release-name\" must equal \"csghub\": current value is \"argo-workflows\""
    ), "{}", why[1]);

    // The printed commands hand the objects over: apply them to the cluster's objects as
    // kubectl would, and the check passes.
    let text = std::fs::read_to_string(&cluster).unwrap();
    let mut list = yaml::parse_stream(&text, &cluster).unwrap().remove(0).value;
    for c in j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|x| x["commands"].as_array().unwrap())
    {
        apply_kubectl(&mut list, c.as_str().unwrap());
    }
    let fixed = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(fixed.path(), serde_json::to_string(&list).unwrap()).unwrap();
    let fixed = fixed.path().to_string_lossy().into_owned();
    let r = diff(&[
        &old,
        &new,
        "-n",
        "csghub",
        "--check-upgrade",
        "--cluster",
        &fixed,
    ]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.ends_with("Upgrade preflight: 0 finding(s)\n"),
        "{}",
        r.stdout
    );

    // Without a release to infer (no object of OLD in the cluster), --release is needed.
    let lone = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        lone.path(),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lone\n",
    )
    .unwrap();
    let lone = lone.path().to_string_lossy().into_owned();
    let r = diff(&[&lone, &new, "--check-upgrade", "--cluster", &cluster]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--cluster needs --release NAME"),
        "{}",
        r.stderr
    );
}

/// `kubectl [-n NS] label|annotate --overwrite TYPE NAME k=v...` on a `kind: List`.
fn apply_kubectl(list: &mut Value, cmd: &str) {
    let words: Vec<&str> = cmd.split_whitespace().collect();
    assert_eq!(words[0], "kubectl", "{cmd}");
    let (ns, rest) = if words[1] == "-n" {
        (words[2], &words[3..])
    } else {
        ("", &words[1..])
    };
    let field = match rest[0] {
        "label" => "labels",
        "annotate" => "annotations",
        other => panic!("unexpected kubectl {other}"),
    };
    assert_eq!(rest[1], "--overwrite");
    let (ty, name) = (rest[2], rest[3]);
    let kind = ty.split('.').next().unwrap();
    let item = list["items"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|i| {
            i["kind"].as_str().unwrap().to_lowercase() == kind
                && i["metadata"]["name"] == name
                && i["metadata"]["namespace"].as_str().unwrap_or("") == ns
        })
        .unwrap_or_else(|| panic!("{cmd}: no such object"));
    let meta = item["metadata"].as_object_mut().unwrap();
    let m = meta
        .entry(field)
        .or_insert_with(|| serde_json::json!({}))
        .as_object_mut()
        .unwrap();
    for kv in &rest[4..] {
        let (k, v) = kv.split_once('=').unwrap();
        m.insert(k.to_string(), Value::String(v.to_string()));
    }
}

#[test]
fn errors_exit_2_and_name_the_file() {
    let t = tempfile::tempdir().unwrap();
    let bad = t.path().join("bad.yaml");
    std::fs::write(&bad, "apiVersion: v1\nkind: ConfigMap\n---\nmetadata: [\n").unwrap();
    let bad = bad.to_string_lossy().into_owned();
    let missing = t.path().join("missing.yaml").to_string_lossy().into_owned();
    let r = diff(&[&bad, &bad]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with(&format!("Error: {bad}"))
            && r.stderr.contains("did not find expected node content"),
        "{}",
        r.stderr
    );
    let r = diff(&[&missing, &bad]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!("{missing}: cannot read")),
        "{}",
        r.stderr
    );
    let r = diff(&[
        &bad,
        &bad,
        "--ignore",
        "metadata.labels[app.kubernetes.io/name]",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("--ignore \"metadata.labels[app.kubernetes.io/name]\""),
        "{}",
        r.stderr
    );
    assert_eq!(diff(&["-", "-"]).code, 2);
    // Usage errors: clap's status 2.
    assert_eq!(diff(&["only-one"]).code, 2);
    assert_eq!(diff(&[&bad, &bad, "--output", "xml"]).code, 2);
    let r = diff(&[&bad, &bad, "--check-upgrade", "--kube-version", "x"]);
    assert_eq!(r.code, 2);
}

// ---------------------------------------------------------------------------------------------
// The upgrade guide's cases on the corpus charts, rendered by real helm v4.

fn corpus() -> Option<PathBuf> {
    let c = root().join("../shared/corpus");
    if c.is_dir() {
        Some(c)
    } else {
        println!("skipped: ../shared/corpus is not present");
        None
    }
}

fn helm_render(case: &Path, dir: &Path, name: &str, args: &[&str]) -> String {
    let mut cmd = Command::new(&helms()[1].1);
    isolate_helm(&mut cmd);
    let r = out(cmd
        .current_dir(case)
        .args([
            "template",
            "dataflow",
            "chart/dataflow",
            "-n",
            "dataflow",
            "--include-crds",
        ])
        .args(args)
        .output()
        .expect("helm runs"));
    assert_eq!(r.code, 0, "helm {args:?}: {}", r.stderr);
    let p = dir.join(name);
    std::fs::write(&p, &r.stdout).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn dataflow_1_16_0_to_2_4_1() {
    let Some(c) = corpus() else { return };
    let t = tempfile::tempdir().unwrap();
    let old = helm_render(&c.join("dataflow-1.16.0"), t.path(), "old.yaml", &[]);
    let new = helm_render(&c.join("dataflow-2.4.1"), t.path(), "new.yaml", &[]);
    let r = diff(&[
        &old,
        &new,
        "-n",
        "dataflow",
        "--check-upgrade",
        "-o",
        "json",
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let j = json(&r);
    let removed = statuses(&j, "removed");
    for o in [
        "StatefulSet/dataflow-mongo",
        "Service/dataflow-mongo",
        "Secret/dataflow-mongo",
    ] {
        assert!(removed.contains(&o.to_string()), "{removed:?}");
    }
    let f = findings(&j);
    let data: Vec<&str> = f
        .iter()
        .filter(|x| x.0 == "data-loss")
        .map(|x| x.1.as_str())
        .collect();
    assert!(data.contains(&"StatefulSet/dataflow-mongo"), "{f:?}");
    // Envoy Gateway 1.6.3 → 1.7.5: its CRDs changed, and helm upgrade will not apply them.
    let crds: Vec<&str> = f
        .iter()
        .filter(|x| x.0 == "crd")
        .map(|x| x.1.as_str())
        .collect();
    assert!(
        crds.contains(&"CustomResourceDefinition/envoyproxies.gateway.envoyproxy.io"),
        "{f:?}"
    );
    // certgen's Job is a hook: Helm recreates it, no finding.
    assert!(
        !f.iter().any(|x| x.1 == "Job/dataflow-envoy-certgen"),
        "{f:?}"
    );
    // The text names the migration: MongoDB's claim stays behind.
    let r = diff(&[&old, &new, "-n", "dataflow", "--check-upgrade"]);
    assert!(r.stdout.contains("[data-loss] StatefulSet.apps dataflow/dataflow-mongo (apps/v1)\n  field: spec.volumeClaimTemplates\n"));
    assert!(r
        .stdout
        .contains("$ kubectl -n dataflow get pvc data-dataflow-mongo-0\n"));
}

#[test]
fn envoy_gateway_crds_new_in_an_upgrade() {
    let Some(c) = corpus() else { return };
    let case = c.join("dataflow-1.16.0");
    let t = tempfile::tempdir().unwrap();
    // Before 1.16.0 there was no Envoy Gateway: the same chart with it switched off.
    let old = helm_render(
        &case,
        t.path(),
        "old.yaml",
        &["--set", "envoy.enabled=false"],
    );
    let new = helm_render(&case, t.path(), "new.yaml", &[]);
    let r = diff(&[
        &old,
        &new,
        "-n",
        "dataflow",
        "--check-upgrade",
        "-o",
        "json",
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let j = json(&r);
    let crd_findings: Vec<&Value> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "crd")
        .collect();
    let names: BTreeSet<String> = crd_findings
        .iter()
        .map(|f| f["object"]["name"].as_str().unwrap().to_string())
        .collect();
    // Every CRD of the envoy subchart's crds/ folder (helm prints each under its file).
    let new_text = std::fs::read_to_string(&new).unwrap();
    let all: BTreeSet<String> = yaml::parse_stream(&new_text, &new)
        .unwrap()
        .into_iter()
        .filter(|d| d.value["kind"] == "CustomResourceDefinition")
        .map(|d| d.value["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    assert!(all.len() > 10, "{all:?}");
    assert_eq!(names, all);
    assert!(crd_findings[0]["why"]
        .as_str()
        .unwrap()
        .contains("new in NEW"));
    // The first command prints exactly them.
    let cmd = crd_findings[0]["commands"][0].as_str().unwrap();
    let (print, apply) = cmd.split_once(" | ").unwrap();
    assert_eq!(apply, "kubectl apply --server-side -f -");
    let words: Vec<&str> = print.split_whitespace().collect();
    assert_eq!(&words[..2], ["chartr", "diff"]);
    let printed = out(chartr().args(&words[1..]).output().unwrap());
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    let got: BTreeSet<String> = yaml::parse_stream(&printed.stdout, "crds")
        .unwrap()
        .into_iter()
        .map(|d| {
            assert_eq!(d.value["kind"], "CustomResourceDefinition");
            d.value["metadata"]["name"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(got, all);
    // The second, given the chart, prints all of the chart's CRDs.
    let show = crd_findings[0]["commands"][1].as_str().unwrap();
    assert_eq!(
        show,
        "chartr show crds CHART | kubectl apply --server-side -f -"
    );
    let shown = out(chartr()
        .current_dir(&case)
        .args(["show", "crds", "chart/dataflow"])
        .output()
        .unwrap());
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    for n in &all {
        assert!(shown.stdout.contains(&format!("name: {n}\n")), "{n}");
    }
    // Once OLD has them (the next upgrade), nothing is left to say about them.
    let r = diff(&[&new, &new, "--check-upgrade"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}
