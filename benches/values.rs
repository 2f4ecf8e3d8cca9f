//! `chartr values` on a generated chart: 1,000 keys of defaults (100 sections of 10) and 20
//! `-f` files of 50 overrides each, plus a few `--set` flags. Target: under 20 ms.
//!
//! Run: `cargo bench --bench values`

use chartr::commands::values::{run, OutputFormat};
use chartr::values::ValueOptions;
use criterion::{criterion_group, criterion_main, Criterion};
use std::fmt::Write;
use std::hint::black_box;

fn generate(dir: &std::path::Path) -> ValueOptions {
    let chart = dir.join("chart");
    std::fs::create_dir_all(chart.join("templates")).expect("mkdir");
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: generated\nversion: 1.0.0\n",
    )
    .expect("write");
    std::fs::write(
        chart.join("templates/values.yaml"),
        "{{ toJson .Values }}\n",
    )
    .expect("write");
    let mut values = String::new();
    for s in 0..100 {
        let _ = writeln!(values, "section{s}:");
        for k in 0..10 {
            match k % 4 {
                0 => {
                    let _ = writeln!(values, "  key{k}: value-{s}-{k}");
                }
                1 => {
                    let _ = writeln!(values, "  key{k}: {}", s * 10 + k);
                }
                2 => {
                    let _ = writeln!(values, "  key{k}: [a, b, c]");
                }
                _ => {
                    let _ = writeln!(values, "  key{k}:\n    inner: true");
                }
            }
        }
    }
    std::fs::write(chart.join("values.yaml"), values).expect("write");
    let mut files = Vec::new();
    for f in 0..20 {
        let mut text = String::new();
        for s in (f * 5)..(f * 5 + 5) {
            let _ = writeln!(text, "section{s}:");
            for k in 0..10 {
                let _ = writeln!(text, "  key{k}: override-{f}-{k}");
            }
        }
        let p = dir.join(format!("layer{f:02}.yaml"));
        std::fs::write(&p, text).expect("write");
        files.push(p.display().to_string());
    }
    ValueOptions {
        values_files: files,
        set: vec!["section1.key1=1,section2.list={a,b}".into()],
        set_string: vec!["section3.key3=x".into()],
        ..ValueOptions::default()
    }
}

fn bench(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let opts = generate(tmp.path());
    let chart = tmp.path().join("chart");
    c.bench_function("values 1000 keys 20 files", |b| {
        b.iter(|| {
            let out = run(
                black_box(&chart),
                black_box(&opts),
                true,
                OutputFormat::Json,
                &mut std::io::empty(),
            )
            .expect("values");
            black_box(out)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
