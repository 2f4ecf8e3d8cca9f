//! `chartr values` on a generated chart: 1,000 keys of defaults (100 sections of 10) and 20
//! `-f` files of 50 overrides each, plus a few `--set` flags. Target: under 20 ms.
//! Then one big `-f` file of nested maps (four levels, ten keys a level, every kind of
//! scalar at the leaves; the `nested` shape of `scripts/gen-values`) of 250 KB, 500 KB and
//! 1 MB: reading, coalescing and printing it as JSON must stay linear (issue 11: under a
//! second for any input under 1 MB).
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

/// About `size` bytes of nested maps, as `scripts/gen-values` writes its `nested` shape.
fn nested_maps(size: usize) -> String {
    let mut out = String::new();
    let mut i = 0;
    while out.len() < size {
        let (a, b, c, d) = (i / 1000, (i / 100) % 10, (i / 10) % 10, i % 10);
        if i % 1000 == 0 {
            let _ = writeln!(out, "section{a}:");
        }
        if i % 100 == 0 {
            let _ = writeln!(out, "  group{b}:");
        }
        if i % 10 == 0 {
            let _ = writeln!(out, "    item{c}:");
        }
        let leaf = match d {
            0 => format!("value-{i}"),
            1 => i.to_string(),
            2 => "true".into(),
            3 => "1.5".into(),
            4 => "null".into(),
            5 => "[a, b]".into(),
            6 => "{x: 1}".into(),
            7 => "\"q\"".into(),
            8 => "0755".into(),
            _ => "on".into(),
        };
        let _ = writeln!(out, "      key{d}: {leaf}");
        i += 1;
    }
    out
}

fn bench_big(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let chart = tmp.path().join("chart");
    std::fs::create_dir_all(chart.join("templates")).expect("mkdir");
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: big\nversion: 1.0.0\n",
    )
    .expect("write");
    let mut group = c.benchmark_group("values nested maps");
    group.sample_size(10);
    for kb in [250, 500, 1000] {
        let file = tmp.path().join(format!("nested-{kb}k.yaml"));
        std::fs::write(&file, nested_maps(kb * 1024)).expect("write");
        let opts = ValueOptions {
            values_files: vec![file.display().to_string()],
            ..ValueOptions::default()
        };
        group.bench_function(format!("{kb} KB"), |b| {
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
    group.finish();
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

criterion_group!(benches, bench, bench_big);
criterion_main!(benches);
