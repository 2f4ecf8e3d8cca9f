//! Helm's function library, differentially: the Go chart under tests/fixtures/funcs/go calls
//! the functions on awkward inputs and is rendered by real Helm v4 and v3; its Jinja twin
//! under tests/fixtures/funcs/jinja makes the same calls in chartr's spelling and must render
//! to the same bytes. Helm v4 is matched exactly; v3 too, except for the lines listed in
//! tests/fixtures/funcs/v3-differences.txt (where v3 and v4 disagree, chartr follows v4).

mod common;

use std::path::Path;

fn helm_template(helm: &Path, chart: &Path) -> String {
    let out = common::run_in(
        std::process::Command::new(helm),
        &common::root(),
        &["template", chart.to_str().unwrap_or_default()],
    );
    assert!(
        out.status.success(),
        "{} template {} failed: {}",
        helm.display(),
        chart.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn chartr_template(chart: &Path) -> String {
    let out = common::run_in(
        common::chartr(),
        &common::root(),
        &["template", chart.to_str().unwrap_or_default()],
    );
    assert!(
        out.status.success(),
        "chartr template {} failed: {}",
        chart.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The line prefixes where v3 may differ (comments and blank lines skipped).
fn v3_differences(fixture: &Path) -> Vec<String> {
    std::fs::read_to_string(fixture.join("v3-differences.txt"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Every line that differs, as a readable report (empty when equal).
fn line_diff(want: &str, got: &str, allowed: &[String]) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let mut report = String::new();
    for i in 0..w.len().max(g.len()) {
        let (a, b) = (w.get(i).copied(), g.get(i).copied());
        if a == b {
            continue;
        }
        let excused = match (a, b) {
            (Some(a), Some(b)) => allowed
                .iter()
                .any(|p| a.starts_with(p.as_str()) && b.starts_with(p.as_str())),
            _ => false,
        };
        if !excused {
            report.push_str(&format!(
                "line {}:\n  helm:   {:?}\n  chartr: {:?}\n",
                i + 1,
                a.unwrap_or("<none>"),
                b.unwrap_or("<none>")
            ));
        }
    }
    if report.is_empty() && want.ends_with('\n') != got.ends_with('\n') {
        report.push_str("the final newline differs\n");
    }
    report
}

/// Both dialects: chartr renders the Jinja twin and the Go chart itself.
fn compare(fixture: &str) {
    let dir = common::root().join("tests/fixtures").join(fixture);
    let allowed = v3_differences(&dir);
    let mut failures = String::new();
    let wants: Vec<(&str, String)> = common::helms()
        .iter()
        .map(|(version, helm)| (*version, helm_template(helm, &dir.join("go"))))
        .collect();
    for side in ["jinja", "go"] {
        let got = chartr_template(&dir.join(side));
        for (version, want) in &wants {
            let excused: &[String] = if *version == "v3" { &allowed } else { &[] };
            let diff = line_diff(want, &got, excused);
            if !diff.is_empty() {
                failures.push_str(&format!(
                    "--- chartr ({side}) against helm {version}:\n{diff}"
                ));
            }
            if *version == "v4" && *want != got && diff.is_empty() {
                failures.push_str(&format!(
                    "--- chartr ({side}) against helm v4: the bytes differ\n"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{fixture}:\n{failures}");
}

#[test]
fn functions_render_as_helm_renders_them() {
    compare("funcs");
}

#[test]
fn crypto_toml_and_go_syntax_render_as_helm_renders_them() {
    compare("funcs-crypto");
}

#[test]
fn to_yaml_renders_as_helm_renders_it() {
    compare("funcs-toyaml");
}

#[test]
fn line_diff_reports_and_excuses() {
    assert_eq!(line_diff("a\nb\n", "a\nb\n", &[]), "");
    assert!(line_diff("a\nb\n", "a\nc\n", &[]).contains("line 2"));
    assert_eq!(line_diff("x: 1\n", "x: 2\n", &["x:".to_string()]), "");
    assert!(line_diff("a\n", "a", &[]).contains("final newline"));
    assert!(line_diff("a\n", "a\nb\n", &[]).contains("<none>"));
}

/// `Error: execution error at (FILE:LINE:COL): MESSAGE` → (FILE:LINE, MESSAGE); the column is
/// Go's or Jinja's own.
fn error_parts(stderr: &str) -> (String, String) {
    let first = stderr.lines().next().unwrap_or_default();
    let rest = first
        .strip_prefix("Error: execution error at (")
        .unwrap_or_else(|| panic!("not a Helm execution error: {stderr}"));
    let (loc, msg) = rest.split_once("): ").unwrap_or((rest, ""));
    let file_line = loc.rsplit_once(':').map_or(loc, |(fl, _col)| fl);
    (file_line.to_string(), msg.to_string())
}

#[test]
fn fail_and_required_report_the_charts_words_as_helm_does() {
    let dir = common::root().join("tests/fixtures/funcs-errors");
    for case in ["fail", "required", "requiredEmpty"] {
        let values = dir.join(format!("{case}.yaml"));
        let values = values.to_str().unwrap_or_default();
        let got = common::run_in(
            common::chartr(),
            &common::root(),
            &[
                "template",
                dir.join("jinja").to_str().unwrap_or_default(),
                "-f",
                values,
            ],
        );
        assert_eq!(got.status.code(), Some(1), "{case}: chartr's exit code");
        let got = error_parts(&String::from_utf8_lossy(&got.stderr));
        // The Go chart through chartr: Helm v4's whole error line, column included.
        let go_run = |cmd: std::process::Command| {
            let out = common::run_in(
                cmd,
                &common::root(),
                &[
                    "template",
                    dir.join("go").to_str().unwrap_or_default(),
                    "-f",
                    values,
                ],
            );
            let err = String::from_utf8_lossy(&out.stderr);
            err.lines().next().unwrap_or_default().to_string()
        };
        assert_eq!(
            go_run(common::chartr()),
            go_run(std::process::Command::new(&common::helms()[1].1)),
            "{case}: chartr on the Go chart against helm v4"
        );
        for (version, helm) in common::helms() {
            let want = common::run_in(
                std::process::Command::new(helm),
                &common::root(),
                &[
                    "template",
                    dir.join("go").to_str().unwrap_or_default(),
                    "-f",
                    values,
                ],
            );
            assert!(!want.status.success(), "{case}: helm {version} succeeded");
            let want = error_parts(&String::from_utf8_lossy(&want.stderr));
            assert_eq!(got, want, "{case}: against helm {version}");
        }
    }
}

/// The values of a rendered ConfigMap's `data`, by key.
fn config_data(manifest: &str) -> std::collections::BTreeMap<String, String> {
    // The project's one YAML reader.
    let docs = chartr::yaml::parse_all(manifest, "manifest").unwrap_or_default();
    let mut out = std::collections::BTreeMap::new();
    for doc in docs {
        if let Some(data) = doc.get("data").and_then(|d| d.as_object()) {
            for (k, v) in data {
                if let Some(v) = v.as_str() {
                    out.insert(k.to_string(), v.to_string());
                }
            }
        }
    }
    out
}

/// The DER inside a PEM block, and the block's type.
fn pem_der(pem: &str) -> (String, Vec<u8>) {
    use base64::Engine as _;
    let mut lines = pem.lines();
    let typ = lines
        .next()
        .and_then(|l| l.strip_prefix("-----BEGIN "))
        .and_then(|l| l.strip_suffix("-----"))
        .unwrap_or_else(|| panic!("not PEM: {pem}"))
        .to_string();
    let body: String = lines.take_while(|l| !l.starts_with("-----END")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap_or_else(|e| panic!("bad base64 in {pem}: {e}"));
    (typ, der)
}

/// Everything about a certificate that is not random, as text: version, serial size,
/// algorithms, names, validity in days, key type and size, every extension (value included,
/// except the key ids, checked against the keys instead).
fn describe_cert(pem: &str, issuer_ski: Option<&[u8]>) -> String {
    use sha2::Digest as _;
    use x509_cert::der::{Decode as _, Encode as _};
    let (typ, der) = pem_der(pem);
    assert_eq!(typ, "CERTIFICATE");
    let cert = x509_cert::Certificate::from_der(&der).expect("a certificate");
    let tbs = cert.tbs_certificate();
    let serial = tbs.serial_number().as_bytes();
    let spki = tbs.subject_public_key_info();
    let key_bits = spki.subject_public_key.raw_bytes();
    let days = {
        let v = tbs.validity();
        let secs = v.not_after.to_unix_duration().as_secs() as i64
            - v.not_before.to_unix_duration().as_secs() as i64;
        (secs + 43_200) / 86_400
    };
    let mut out = format!(
        "v={:?} serial<=17:{} sig={} issuer={} subject={} raw_subject={:02x?} days={} key={} key_len={}",
        tbs.version(),
        serial.len() <= 17 && serial.first().is_some_and(|b| b & 0x80 == 0),
        cert.signature_algorithm().oid,
        tbs.issuer(),
        tbs.subject(),
        tbs.subject().to_der().unwrap_or_default(),
        days,
        spki.algorithm.oid,
        key_bits.len() / 64,
    );
    let ski = sha2::Sha256::digest(key_bits)[..20].to_vec();
    for ext in tbs.extensions().map(|e| e.as_slice()).unwrap_or_default() {
        let id = ext.extn_id.to_string();
        let value = ext.extn_value.as_bytes();
        let shown = match id.as_str() {
            "2.5.29.14" => format!("sha256-ski:{}", value.ends_with(&ski)),
            "2.5.29.35" => format!(
                "issuer-ski:{}",
                issuer_ski.is_some_and(|s| value.ends_with(s))
            ),
            _ => format!("{value:02x?}"),
        };
        out.push_str(&format!(" | {id} critical={} {shown}", ext.critical));
    }
    out
}

fn subject_key_id(pem: &str) -> Vec<u8> {
    use x509_cert::der::Decode as _;
    let (_, der) = pem_der(pem);
    let cert = x509_cert::Certificate::from_der(&der).expect("a certificate");
    cert.tbs_certificate()
        .extensions()
        .and_then(|e| e.iter().find(|x| x.extn_id.to_string() == "2.5.29.14"))
        .map(|x| x.extn_value.as_bytes()[2..].to_vec())
        .unwrap_or_default()
}

/// Describes every certificate and key of the funcs-certs fixture's render.
fn describe_certs(manifest: &str) -> String {
    let d = config_data(manifest);
    let get = |k: &str| {
        d.get(k)
            .cloned()
            .unwrap_or_else(|| panic!("no {k} in {manifest}"))
    };
    let ca_ski = subject_key_id(&get("ca"));
    let eca_ski = subject_key_id(&get("eca"));
    let mut out = String::new();
    for (k, issuer) in [
        ("ca", None),
        ("leaf", Some(ca_ski.as_slice())),
        ("self", None),
        ("eca", None),
        ("edleaf", Some(eca_ski.as_slice())),
        ("edself", None),
        ("fromCustom", Some(ca_ski.as_slice())),
        ("noSki", None),
    ] {
        out.push_str(&format!("{k}: {}\n", describe_cert(&get(k), issuer)));
    }
    for k in ["caKey", "leafKey", "ecaKey", "edleafKey", "rsaKey"] {
        let (typ, der) = pem_der(&get(k));
        out.push_str(&format!("{k}: {typ} ~{} bytes\n", der.len() / 64 * 64));
    }
    out.push_str(&format!("customSame: {}\n", get("customSame")));
    out
}

/// Verifies `leaf`'s signature with the RSA key of `ca`.
fn signed_by_rsa(leaf: &str, ca: &str) -> bool {
    use rsa::pkcs1::DecodeRsaPublicKey as _;
    use x509_cert::der::{Decode as _, Encode as _};
    let leaf = x509_cert::Certificate::from_der(&pem_der(leaf).1).expect("a certificate");
    let ca = x509_cert::Certificate::from_der(&pem_der(ca).1).expect("a certificate");
    let key = rsa::PublicKey::from_pkcs1_der(
        ca.tbs_certificate()
            .subject_public_key_info()
            .subject_public_key
            .raw_bytes(),
    )
    .expect("an RSA key");
    let tbs = leaf.tbs_certificate().to_der().unwrap_or_default();
    key.pkcs1v15_verify::<sha2::Sha256>(&tbs, leaf.signature().raw_bytes())
        .is_ok()
}

#[test]
fn certificates_are_built_as_helm_builds_them() {
    let dir = common::root().join("tests/fixtures/funcs-certs");
    let ours = chartr_template(&dir.join("jinja"));
    let [_, (_, v4)] = common::helms();
    let theirs = helm_template(v4, &dir.join("go"));
    let (want, got) = (describe_certs(&theirs), describe_certs(&ours));
    assert!(want.contains("2.5.29.17 critical=true"), "{want}");
    assert_eq!(want, got);
    let d = config_data(&ours);
    assert!(signed_by_rsa(&d["leaf"], &d["ca"]));
    assert!(signed_by_rsa(&d["ca"], &d["ca"]));
    assert!(!signed_by_rsa(&d["self"], &d["ca"]));
}

fn render_with(cmd: std::process::Command, chart: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["template", chart.to_str().unwrap_or_default()];
    all.extend_from_slice(args);
    common::run_in(cmd, &common::root(), &all)
}

#[test]
fn aes_ciphertexts_cross_between_helm_and_chartr() {
    let dir = common::root().join("tests/fixtures/funcs-crypto-errors");
    let plain = "the plain text, ü";
    let ours = render_with(common::chartr(), &dir.join("jinja"), &[]);
    let ours_ct = config_data(&String::from_utf8_lossy(&ours.stdout))["enc"].clone();
    for (version, helm) in common::helms() {
        let theirs = render_with(std::process::Command::new(helm), &dir.join("go"), &[]);
        let their_ct = config_data(&String::from_utf8_lossy(&theirs.stdout))["enc"].clone();
        assert_ne!(their_ct, ours_ct, "a random IV each time");
        let set = format!("ct={their_ct}");
        let out = render_with(
            common::chartr(),
            &dir.join("jinja"),
            &["--set-string", &set],
        );
        assert_eq!(
            config_data(&String::from_utf8_lossy(&out.stdout))["dec"],
            plain,
            "chartr decrypting helm {version}'s"
        );
        let set = format!("ct={ours_ct}");
        let cmd = std::process::Command::new(helm);
        let out = render_with(cmd, &dir.join("go"), &["--set-string", &set]);
        assert_eq!(
            config_data(&String::from_utf8_lossy(&out.stdout))["dec"],
            plain,
            "helm {version} decrypting chartr's"
        );
    }
}

/// The `error calling NAME: ...` part of a render's first error line.
fn call_error(out: &std::process::Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr.lines().next().unwrap_or_default();
    first
        .find("error calling ")
        .map(|i| first[i..].to_string())
        .unwrap_or_else(|| first.to_string())
}

#[test]
fn crypto_and_toml_errors_are_helms() {
    let dir = common::root().join("tests/fixtures/funcs-crypto-errors");
    let cases = [
        "badPem",
        "certAsKey",
        "badKeyType",
        "badIp",
        "ipNotString",
        "dnsNotString",
        "badB64Cert",
        "badB64Key",
        "noCertPem",
        "badCertDer",
        "badKeyInCustom",
        "wrongCaKey",
        "decryptShort",
        "decryptBlocks",
        "decrypt16",
        "decryptB64",
        "tomlNil",
    ];
    let [_, (_, v4)] = common::helms();
    let mut failures = String::new();
    for case in cases {
        let set = format!("case={case}");
        let ours = render_with(common::chartr(), &dir.join("jinja"), &["--set", &set]);
        let theirs = render_with(
            std::process::Command::new(v4),
            &dir.join("go"),
            &["--set", &set],
        );
        assert_eq!(ours.status.code(), Some(1), "{case}: chartr's exit code");
        assert!(!theirs.status.success(), "{case}: helm succeeded");
        let (want, got) = (call_error(&theirs), call_error(&ours));
        assert!(want.starts_with("error calling "), "{case}: {want}");
        if want != got {
            failures.push_str(&format!("{case}:\n  helm:   {want}\n  chartr: {got}\n"));
        }
    }
    assert!(failures.is_empty(), "{failures}");
}
