//! `engine::render` alone (no loading, values or output stage) on a synthetic chart: 200
//! templates (about 50 KB of output) sharing named templates from a helper file.
//! Target: one render under 10 ms (release build).

use chartr::chart::{Chart, File};
use chartr::engine::{render, RenderOptions};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;

fn big_chart() -> Chart {
    let raw = json!({"apiVersion": "v2", "name": "big", "version": "1.0.0",
        "annotations": {"chartr.dev/template-dialect": "jinja"}});
    let mut templates = vec![File {
        name: "templates/_helpers.tpl".into(),
        data: br#"{% macro big_fullname(ctx) %}{{ ctx.Release.Name }}-{{ ctx.Chart.Name }}{% endmacro %}
{% macro big_labels(ctx) -%}
app.kubernetes.io/name: {{ ctx.Chart.Name }}
app.kubernetes.io/instance: {{ ctx.Release.Name }}
app.kubernetes.io/version: {{ ctx.Chart.Version }}
{%- endmacro %}
"#
        .to_vec(),
    }];
    for i in 0..200 {
        templates.push(File {
            name: format!("templates/cm-{i:03}.yaml"),
            data: format!(
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: {{{{ include("big.fullname", ctx) }}}}-{i}
  labels:
    {{{{ include("big.labels", ctx) | indent(4) }}}}
data:
{{% for k, v in Values.data | items %}}
  {{{{ k }}}}: "{{{{ v }}}}"
{{% endfor %}}
{{% if Values.enabled %}}
  enabled: "yes"
{{% endif %}}
"#
            )
            .into_bytes(),
        });
    }
    Chart {
        metadata: serde_json::from_value(raw.clone()).unwrap(),
        metadata_raw: raw.as_object().unwrap().clone(),
        templates,
        ..Chart::default()
    }
}

fn bench(c: &mut Criterion) {
    let chart = big_chart();
    let values =
        json!({"enabled": true, "data": {"a": "1", "b": "two", "c": "three", "d": "four"}});
    let values = values.as_object().unwrap().clone();
    let opts = RenderOptions::default();
    let out = render(&chart, &values, &opts).unwrap();
    let bytes: usize = out.values().map(String::len).sum();
    eprintln!("{} templates, {bytes} bytes rendered", out.len());
    c.bench_function("render 200 templates", |b| {
        b.iter(|| render(&chart, &values, &opts).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
