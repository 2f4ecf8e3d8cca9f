//! `chartr template` end to end (load, values, render, sort, format) on a generated chart of
//! 200 Jinja templates producing about 50 KB, and on the bundled Dataflow chart.
//! Run: `cargo bench --bench render`.

use chartr::commands::template::{run, TemplateOptions};
use criterion::{criterion_group, criterion_main, Criterion};
use std::fmt::Write as _;
use std::path::Path;

/// Writes a chart with `n` templates, each a ConfigMap of a few values, plus a helper macro.
fn generate_chart(dir: &Path, n: usize) {
    let t = dir.join("templates");
    std::fs::create_dir_all(&t).expect("temp dir is writable");
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: bench\nversion: 1.0.0\nappVersion: \"1.0\"\n\
         annotations:\n  chartr.dev/template-dialect: jinja\n",
    )
    .expect("write Chart.yaml");
    let mut values = String::from("common:\n  team: platform\n  tier: backend\n");
    for i in 0..n {
        writeln!(
            values,
            "svc{i}:\n  port: {}\n  replicas: {}\n  image: repo/svc{i}:v1.{i}",
            8000 + i,
            i % 5 + 1
        )
        .expect("write to string");
    }
    std::fs::write(dir.join("values.yaml"), values).expect("write values.yaml");
    std::fs::write(
        t.join("_helpers.tpl"),
        "{% macro bench_labels(ctx) %}\napp.kubernetes.io/instance: {{ ctx.Release.Name }}\n\
         app.kubernetes.io/managed-by: {{ ctx.Release.Service }}\n\
         helm.sh/chart: {{ ctx.Chart.Name }}-{{ ctx.Chart.Version }}\n{% endmacro %}\n",
    )
    .expect("write helpers");
    for i in 0..n {
        std::fs::write(
            t.join(format!("cm{i:03}.yaml")),
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{{{ Release.Name }}}}-svc{i}\n  labels:\n\
                 \x20   {{{{- include(\"bench.labels\", ctx) | nindent(4) }}}}\ndata:\n\
                 \x20 port: {{{{ Values.svc{i}.port | quote }}}}\n\
                 \x20 replicas: {{{{ Values.svc{i}.replicas | quote }}}}\n\
                 \x20 image: {{{{ Values.svc{i}.image }}}}\n\
                 \x20 team: {{{{ Values.common.team | upper }}}}\n"
            ),
        )
        .expect("write template");
    }
}

fn options(release: &str, namespace: &str, chart: &Path) -> TemplateOptions {
    TemplateOptions {
        args: vec![release.into(), chart.display().to_string()],
        namespace: namespace.into(),
        ..TemplateOptions::default()
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    generate_chart(dir.path(), 200);
    let opts = options("bench", "default", dir.path());
    let out = run(&opts, &mut std::io::empty()).expect("the generated chart renders");
    eprintln!(
        "generated chart: 200 templates, {} bytes of output",
        out.stdout.len()
    );
    c.bench_function("template 200 templates", |b| {
        b.iter(|| run(&opts, &mut std::io::empty()).expect("renders"))
    });

    let dataflow = Path::new(env!("CARGO_MANIFEST_DIR")).join("charts/dataflow");
    let df = options("dataflow", "csghub", &dataflow);
    match run(&df, &mut std::io::empty()) {
        Ok(out) => {
            eprintln!("charts/dataflow: {} bytes of output", out.stdout.len());
            c.bench_function("template charts/dataflow", |b| {
                b.iter(|| run(&df, &mut std::io::empty()).expect("renders"))
            });
        }
        Err(e) => eprintln!("charts/dataflow does not render yet: {e:#}"),
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
