//! `chartr diff` on two generated streams of 5,000 objects each (Deployments, Services,
//! ConfigMaps and Secrets of 1,250 components): NEW changes every tenth Deployment's image and
//! every twentieth Secret's password (repeated in its ConfigMap's URL), 251 objects in all;
//! it drops 50 components and adds 50. End to end: read both files, pair, mask, diff, print the text report.
//! Target: under 1 s.
//!
//! Run: `cargo bench --bench diff`

use chartr::commands::diff::{run, DiffOptions, Outcome};
use criterion::{criterion_group, criterion_main, Criterion};
use std::fmt::Write;
use std::hint::black_box;

fn component(out: &mut String, i: usize, tag: &str, password: &str) {
    let _ = write!(
        out,
        "---
# Source: big/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  labels:
    app.kubernetes.io/name: app-{i}
    app.kubernetes.io/version: \"{tag}\"
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: app-{i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: app-{i}
    spec:
      containers:
      - name: app
        image: registry.example.com/app-{i}:{tag}
        ports:
        - containerPort: 8080
        envFrom:
        - configMapRef:
            name: app-{i}
        - secretRef:
            name: app-{i}
        resources:
          limits:
            cpu: 500m
            memory: 256Mi
---
# Source: big/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: app-{i}
spec:
  selector:
    app.kubernetes.io/name: app-{i}
  ports:
  - port: 80
    targetPort: 8080
---
# Source: big/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-{i}
data:
  DATABASE_URL: postgresql://app:{password}@db-{i}:5432/app
  LOG_LEVEL: info
---
# Source: big/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: app-{i}
stringData:
  PASSWORD: {password}
"
    );
}

fn generate(dir: &std::path::Path) -> (String, String) {
    let (mut old, mut new) = (String::new(), String::new());
    for i in 0..1250 {
        let password = format!("pw-{i:04}-Zx8q2LmN");
        component(&mut old, i, "1.0.0", &password);
        if i % 25 == 7 {
            continue; // removed in NEW
        }
        let tag = if i % 10 == 0 { "1.1.0" } else { "1.0.0" };
        let password = if i % 20 == 0 {
            format!("pw-{i:04}-rotated9")
        } else {
            password
        };
        component(&mut new, i, tag, &password);
    }
    for i in 1250..1300 {
        component(&mut new, i, "1.0.0", &format!("pw-{i:04}-Zx8q2LmN"));
    }
    let (a, b) = (dir.join("old.yaml"), dir.join("new.yaml"));
    std::fs::write(&a, old).expect("write");
    std::fs::write(&b, new).expect("write");
    (a.display().to_string(), b.display().to_string())
}

fn bench(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (old, new) = generate(tmp.path());
    let opts = DiffOptions {
        old,
        new,
        namespace: "default".into(),
        context: 3,
        ..DiffOptions::default()
    };
    let out = run(&opts, &mut std::io::empty()).expect("diff");
    assert_eq!(out.outcome, Outcome::Different);
    assert!(
        out.stdout
            .starts_with("251 changed, 200 added, 200 removed, "),
        "{}",
        &out.stdout[..80]
    );
    let mut group = c.benchmark_group("diff");
    group.sample_size(10);
    group.bench_function("two 5000-object streams", |b| {
        b.iter(|| black_box(run(black_box(&opts), &mut std::io::empty()).expect("diff")))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
