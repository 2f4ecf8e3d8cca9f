//! Upstream defects the Dataflow port fixes (charts/dataflow/README.md, "Fixed upstream
//! defects"). Where upstream's behaviour is the point of comparison, its render is kept as data
//! under tests/fixtures/dataflow/defects (`NAME.upstream-helm-v4.yaml`, rendered by helm v4.1.4
//! from upstream's chart for `NAME.scenario.yaml`), and each test first checks that the defect
//! really is in it.

mod common;
mod dataflow_support;

use dataflow_support::{chartr, config_value, objects, render_scenario, secret_value, stdout_ok};
use serde_json::Value;
use std::path::PathBuf;

const PG_SECRET: &str = "dataflow-postgresql";
const MONGO_SECRET: &str = "dataflow-mongo";

fn render_default(extra: &[&str]) -> String {
    let mut args = vec!["template", "dataflow", "charts/dataflow", "-n", "csghub"];
    args.extend_from_slice(extra);
    stdout_ok(&chartr(&args), "chartr template")
}

fn defect_fixture(name: &str) -> (PathBuf, Vec<Value>) {
    let dir = common::root().join("tests/fixtures/dataflow/defects");
    let upstream = std::fs::read_to_string(dir.join(format!("{name}.upstream-helm-v4.yaml")))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    (
        dir.join(format!("{name}.scenario.yaml")),
        objects(&upstream),
    )
}

const SHOW: [&str; 8] = [
    "--show-only",
    "templates/postgresql/secret.yaml",
    "--show-only",
    "templates/dataflow/configmap.yaml",
    "--show-only",
    "templates/label-studio/configmap.yaml",
    "--show-only",
    "templates/mongo/secret.yaml",
];

fn is_generated(p: &str) -> bool {
    p.len() == 32 && p.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The password inside `scheme://user:PASSWORD@host...`.
fn url_credentials(url: &str) -> (String, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let userinfo = rest.split_once('@').map_or("", |(u, _)| u);
    let (u, p) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    (u.to_string(), p.to_string())
}

/// Upstream derives the built-in passwords from the current minute (the same on every render
/// within a minute, and guessable). Ours are 32 characters from the CSPRNG: two fresh renders
/// differ.
#[test]
fn generated_passwords_are_random_per_install() {
    let a = objects(&render_default(&[]));
    let b = objects(&render_default(&[]));
    for (secret, key) in [
        (PG_SECRET, "POSTGRES_PASSWORD"),
        (MONGO_SECRET, "MONGO_INITDB_ROOT_PASSWORD"),
    ] {
        let (pa, pb) = (secret_value(&a, secret, key), secret_value(&b, secret, key));
        assert!(
            is_generated(&pa),
            "{secret}.{key} = {pa:?}: not 32 alphanumerics"
        );
        assert_ne!(
            pa, pb,
            "{secret}.{key}: two fresh renders drew the same password"
        );
    }
    assert_ne!(
        secret_value(&a, PG_SECRET, "POSTGRES_PASSWORD"),
        secret_value(&a, MONGO_SECRET, "MONGO_INITDB_ROOT_PASSWORD"),
        "PostgreSQL and MongoDB share a password"
    );
}

/// Within one render, the Secret and every place that repeats its password agree.
#[test]
fn generated_passwords_agree_within_a_render() {
    let objs = objects(&render_default(&[]));
    let pg = secret_value(&objs, PG_SECRET, "POSTGRES_PASSWORD");
    assert_eq!(
        config_value(&objs, "dataflow-dataflow", "DATABASE_PASSWORD"),
        pg
    );
    assert_eq!(
        config_value(&objs, "dataflow-label-studio", "POSTGRE_PASSWORD"),
        pg
    );
    let mongo = secret_value(&objs, MONGO_SECRET, "MONGO_INITDB_ROOT_PASSWORD");
    let (user, pass) = url_credentials(&config_value(&objs, "dataflow-dataflow", "MONG_HOST_URL"));
    assert_eq!((user.as_str(), pass.as_str()), ("root", mongo.as_str()));
}

/// An upgrade keeps the passwords: with the previous render answering `lookup`, the chart
/// re-renders byte for byte.
#[test]
fn existing_secrets_keep_their_passwords() {
    let first = render_default(&[]);
    let dir = tempfile::tempdir().expect("temp dir");
    let previous = dir.path().join("previous.yaml");
    std::fs::write(&previous, &first).expect("write the first render");
    let previous = previous.display().to_string();
    let second = render_default(&["--lookup-from", &previous]);
    assert!(
        second == first,
        "the re-render with --lookup-from differs from the first render"
    );
    // And it is the lookup that keeps them: without it the passwords change.
    assert_ne!(render_default(&[]), first);
}

/// Under a release not named csghub, upstream's services use RELEASE_dataflow and
/// RELEASE_label_studio while the built-in PostgreSQL creates csghub_dataflow and
/// csghub_label_studio. Ours use the databases PostgreSQL creates.
#[test]
fn databases_created_and_used_agree_by_default() {
    if common::shared_or_skip("databases_created_and_used_agree_by_default").is_none() {
        return;
    }
    let (scenario, upstream) = defect_fixture("database-names");
    let check = |objs: &[Value]| -> (Vec<String>, String, String) {
        let created = secret_value(objs, PG_SECRET, "POSTGRES_MULTIPLE_DATABASES");
        (
            created.split(',').map(str::to_string).collect(),
            config_value(objs, "dataflow-dataflow", "DATABASE_DB"),
            config_value(objs, "dataflow-label-studio", "POSTGRE_NAME"),
        )
    };
    let (created, df, ls) = check(&upstream);
    assert!(
        !created.contains(&df) && !created.contains(&ls),
        "the recorded upstream render no longer shows the defect: {created:?} {df} {ls}"
    );
    let ours = objects(&stdout_ok(
        &render_scenario(&scenario, &SHOW),
        "chartr on the scenario",
    ));
    let (created, df, ls) = check(&ours);
    assert!(
        created.contains(&df),
        "dataflow uses {df}, PostgreSQL creates {created:?}"
    );
    assert!(
        created.contains(&ls),
        "Label Studio uses {ls}, PostgreSQL creates {created:?}"
    );
}

/// With only mongo.auth.user set, upstream's Secret and the connection URL carry different
/// generated passwords. Ours agree.
#[test]
fn mongo_credentials_agree_with_a_chosen_user() {
    if common::shared_or_skip("mongo_credentials_agree_with_a_chosen_user").is_none() {
        return;
    }
    let (scenario, upstream) = defect_fixture("mongo-user");
    let check = |objs: &[Value]| -> (String, String, String, String) {
        let (u, p) = url_credentials(&config_value(objs, "dataflow-dataflow", "MONG_HOST_URL"));
        (
            secret_value(objs, MONGO_SECRET, "MONGO_INITDB_ROOT_USERNAME"),
            secret_value(objs, MONGO_SECRET, "MONGO_INITDB_ROOT_PASSWORD"),
            u,
            p,
        )
    };
    let (_, secret_pass, _, url_pass) = check(&upstream);
    assert_ne!(
        secret_pass, url_pass,
        "the recorded upstream render no longer shows the defect"
    );
    let ours = objects(&stdout_ok(
        &render_scenario(&scenario, &SHOW),
        "chartr on the scenario",
    ));
    let (user, secret_pass, url_user, url_pass) = check(&ours);
    assert_eq!((user.as_str(), url_user.as_str()), ("admin", "admin"));
    assert_eq!(secret_pass, url_pass);
}
