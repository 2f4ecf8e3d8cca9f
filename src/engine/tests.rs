//! Engine tests over small in-memory charts.

use super::*;
use crate::chart::{Dependency, File};
use serde_json::json;

fn chart(name: &str, templates: &[(&str, &str)]) -> Chart {
    let raw = json!({"apiVersion": "v2", "name": name, "version": "0.1.0", "appVersion": "1.2.3",
        "annotations": {"chartr.dev/template-dialect": "jinja"}});
    Chart {
        metadata: serde_json::from_value(raw.clone()).unwrap(),
        metadata_raw: raw.as_object().unwrap().clone(),
        templates: templates
            .iter()
            .map(|(n, s)| File {
                name: format!("templates/{n}"),
                data: s.as_bytes().to_vec(),
            })
            .collect(),
        ..Chart::default()
    }
}

fn with_files(mut c: Chart, files: &[(&str, &str)]) -> Chart {
    c.files = files
        .iter()
        .map(|(n, s)| File {
            name: n.to_string(),
            data: s.as_bytes().to_vec(),
        })
        .collect();
    c
}

fn library(mut c: Chart) -> Chart {
    c.metadata.chart_type = Some("library".into());
    c.metadata_raw.insert("type".into(), json!("library"));
    c
}

fn depend(mut parent: Chart, sub: Chart, alias: Option<&str>) -> Chart {
    let dep = Dependency {
        name: sub.name().to_string(),
        version: sub.metadata.version.clone(),
        alias: alias.map(str::to_string),
        ..Dependency::default()
    };
    let mut entry = json!({"name": dep.name, "version": dep.version, "repository": ""});
    if let Some(a) = alias {
        entry["alias"] = json!(a);
    }
    parent.metadata.dependencies.push(dep);
    let deps = parent
        .metadata_raw
        .entry("dependencies")
        .or_insert_with(|| json!([]));
    if let Some(a) = deps.as_array_mut() {
        a.push(entry);
    }
    parent.dependencies.push(sub);
    parent
}

fn vals(v: serde_json::Value) -> Map {
    v.as_object().cloned().unwrap_or_default()
}

fn run(c: &Chart, v: serde_json::Value) -> BTreeMap<String, String> {
    render(c, &vals(v), &RenderOptions::default()).unwrap()
}

fn run_err(c: &Chart, v: serde_json::Value) -> String {
    render(c, &vals(v), &RenderOptions::default())
        .unwrap_err()
        .to_string()
}

fn snap(name: &str, value: &str) {
    insta::with_settings!({snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"), prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(name, value);
    });
}

#[test]
fn context_objects() {
    let c = chart(
        "demo",
        &[(
            "cm.yaml",
            "name: {{ Release.Name }}/{{ Release.Namespace }}/{{ Release.Service }}/{{ Release.Revision }}/{{ Release.IsInstall }}/{{ Release.IsUpgrade }}
chart: {{ Chart.Name }}-{{ Chart.Version }} app={{ Chart.AppVersion }} api={{ Chart.APIVersion }} root={{ Chart.IsRoot }} type=[{{ Chart.Type }}]
template: {{ Template.Name }} in {{ Template.BasePath }}
value: {{ Values.a.b }} missing=[{{ Values.nope }}]
ctx: {{ ctx.Values.a.b }} {{ ctx.Release.Name }} {{ ctx.Template.Name }}
kube: {{ Capabilities.KubeVersion.Version }} {{ Capabilities.KubeVersion.Major }}.{{ Capabilities.KubeVersion.Minor }} {{ Capabilities.KubeVersion.GitVersion }} {{ Capabilities.KubeVersion }}
apis: {{ Capabilities.APIVersions.Has(\"apps/v1\") }} {{ Capabilities.APIVersions.Has(\"apps/v1/Deployment\") }} {{ Capabilities.APIVersions | length }}
helm: {{ Capabilities.HelmVersion.Version }}
",
        )],
    );
    let out = run(&c, json!({"a": {"b": "x"}}));
    assert_eq!(
        out["demo/templates/cm.yaml"],
        "name: release-name/default/Helm/1/true/false
chart: demo-0.1.0 app=1.2.3 api=v2 root=true type=[]
template: demo/templates/cm.yaml in demo/templates
value: x missing=[]
ctx: x release-name demo/templates/cm.yaml
kube: v1.35.0 1.35 v1.35.0 v1.35.0
apis: true false 57
helm: v4.1.4
"
    );
}

#[test]
fn capabilities_overrides() {
    let c = chart(
        "demo",
        &[(
            "x.yaml",
            "{{ Capabilities.KubeVersion }} {{ Capabilities.KubeVersion.Version }} {{ Capabilities.KubeVersion.Minor }} {{ Capabilities.APIVersions.Has(\"apps/v1/Deployment\") }} {{ Capabilities.APIVersions.Has(\"example.com/v1\") }}",
        )],
    );
    let opts = RenderOptions {
        kube_version: Some("1.33.4-gke.1245000".into()),
        api_versions: vec!["apps/v1/Deployment".into()],
        ..RenderOptions::default()
    };
    let out = render(&c, &Map::new(), &opts).unwrap();
    assert_eq!(
        out["demo/templates/x.yaml"],
        "v1.33.4 v1.33.4-gke.1245000 33 true false"
    );
    let bad = RenderOptions {
        kube_version: Some("x1".into()),
        ..RenderOptions::default()
    };
    assert_eq!(
        render(&c, &Map::new(), &bad).unwrap_err().to_string(),
        "invalid kube version 'x1': could not parse \"x1\" as version"
    );
}

#[test]
fn helpers_and_notes_are_not_output() {
    let c = chart(
        "demo",
        &[
            (
                "_helpers.tpl",
                "{% macro demo_name(ctx) %}{{ ctx.Chart.Name }}{% endmacro %}",
            ),
            (
                "NOTES.txt",
                "Thanks for installing {{ include(\"demo.name\", ctx) }}\n",
            ),
            (
                "sub/_more.yaml",
                "{% macro demo_more(x) %}more{% endmacro %}",
            ),
            ("a.yaml", "a: 1\n"),
        ],
    );
    let r = render_full(&c, &Map::new(), &RenderOptions::default()).unwrap();
    assert_eq!(
        r.manifests.keys().collect::<Vec<_>>(),
        ["demo/templates/a.yaml"]
    );
    assert_eq!(r.notes.as_deref(), Some("Thanks for installing demo\n"));
}

#[test]
fn whitespace_control_as_documented() {
    let c = chart(
        "demo",
        &[(
            "a.yaml",
            "items:\n  {% for x in Values.xs %}\n  - {{ x }}\n  {% endfor %}\n{% if Values.on %}\non: yes\n{% endif %}\nend: {{- \" x\" }}\n",
        )],
    );
    let out = run(&c, json!({"xs": ["a", "b"], "on": true}));
    assert_eq!(
        out["demo/templates/a.yaml"],
        "items:\n  - a\n  - b\non: yes\nend: x\n"
    );
}

#[test]
fn include_with_helm_names_and_pipes() {
    let c = chart(
        "demo",
        &[
            (
                "_helpers.tpl",
                "{% macro demo_fullname(ctx) %}{{ ctx.Release.Name }}-{{ ctx.Chart.Name }}{% endmacro %}
{% macro demo_labels(ctx) -%}
app: {{ include(\"demo.fullname\", ctx) }}
chart: {{ ctx.Chart.Name }}
{%- endmacro %}
{% macro my_thing(x) %}[{{ x }}]{% endmacro %}
",
            ),
            (
                "a.yaml",
                "name: {{ include(\"demo.fullname\", ctx) | upper }}
labels:{{ include(\"demo.labels\", ctx) | nindent(2) }}
dash: {{ template(\"my-thing\", \"v\") }}
none: {{ include(\"my_thing\") }}
",
            ),
        ],
    );
    let out = run(&c, json!({}));
    assert_eq!(
        out["demo/templates/a.yaml"],
        "name: RELEASE-NAME-DEMO
labels:
  app: release-name-demo
  chart: demo
dash: [v]
none: []
"
    );
}

#[test]
fn include_across_the_chart_tree() {
    let common = library(chart(
        "common",
        &[
            (
                "_names.tpl",
                "{% macro common_names_name(ctx) %}{{ ctx.Chart.Name }}{% endmacro %}",
            ),
            (
                "not-a-helper.yaml",
                "library charts render nothing: {{ oops( }}",
            ),
        ],
    ));
    let sub = chart(
        "sub",
        &[(
            "s.yaml",
            "sub sees {{ include(\"common.names.name\", ctx) }} and parent's {{ include(\"parent.x\", 1) }}",
        )],
    );
    let parent = chart(
        "parent",
        &[
            ("_h.tpl", "{% macro parent_x(n) %}x{{ n }}{% endmacro %}"),
            ("p.yaml", "{{ include(\"common.names.name\", ctx) }}"),
        ],
    );
    let c = depend(depend(parent, common, None), sub, None);
    let out = run(&c, json!({}));
    assert_eq!(
        out.keys().collect::<Vec<_>>(),
        [
            "parent/charts/sub/templates/s.yaml",
            "parent/templates/p.yaml"
        ]
    );
    assert_eq!(out["parent/templates/p.yaml"], "parent");
    assert_eq!(
        out["parent/charts/sub/templates/s.yaml"],
        "sub sees sub and parent's x1"
    );
}

#[test]
fn duplicate_named_templates_follow_helm_parse_order() {
    // Helm parses deeper paths first and same-depth paths in reverse order; a later
    // definition replaces an earlier one, so the parent's and the alphabetically first win.
    let sub = chart(
        "sub",
        &[(
            "_h.tpl",
            "{% macro same(x) %}sub{% endmacro %}{% macro other(x) %}sub{% endmacro %}",
        )],
    );
    let parent = chart(
        "parent",
        &[
            ("_a.tpl", "{% macro same(x) %}parent-a{% endmacro %}"),
            ("_b.tpl", "{% macro same(x) %}parent-b{% endmacro %}"),
            ("x.yaml", "{{ include(\"same\") }} {{ include(\"other\") }}"),
        ],
    );
    let c = depend(parent, sub, None);
    assert_eq!(
        run(&c, json!({}))["parent/templates/x.yaml"],
        "parent-a sub"
    );
}

#[test]
fn subchart_scoping_aliases_and_globals() {
    let sub = chart(
        "sub",
        &[(
            "s.yaml",
            "{{ Chart.Name }} {{ Chart.IsRoot }} {{ Values.port }} {{ Values.global.env }} {{ Template.BasePath }}",
        )],
    );
    let parent = chart(
        "parent",
        &[("p.yaml", "{{ Chart.Name }} {{ Values.sub.port }} {{ Values.db.port }} {{ Values.global.env }} {% for d in Chart.Dependencies %}{{ d.Name }}={{ d.Enabled }} {% endfor %}")],
    );
    let c = depend(depend(parent, sub.clone(), None), sub, Some("db"));
    let values = json!({
        "global": {"env": "prod"},
        "sub": {"port": 1, "global": {"env": "prod"}},
        "db": {"port": 2, "global": {"env": "prod"}},
    });
    let out = run(&c, values);
    assert_eq!(
        out["parent/templates/p.yaml"],
        "parent 1 2 prod sub=true db=true "
    );
    assert_eq!(
        out["parent/charts/sub/templates/s.yaml"],
        "sub false 1 prod parent/charts/sub/templates"
    );
    assert_eq!(
        out["parent/charts/db/templates/s.yaml"],
        "db false 2 prod parent/charts/db/templates"
    );
}

#[test]
fn subchart_without_a_values_section_sees_an_empty_map() {
    let sub = chart(
        "sub",
        &[("s.yaml", "[{{ Values.x }}] {{ Values | length }}")],
    );
    let c = depend(chart("parent", &[]), sub, None);
    assert_eq!(
        run(&c, json!({"sub": "not a map"}))["parent/charts/sub/templates/s.yaml"],
        "[] 0"
    );
}

#[test]
fn tpl_renders_with_the_given_context() {
    let c = chart(
        "demo",
        &[
            ("_h.tpl", "{% macro demo_x(v) %}<{{ v }}>{% endmacro %}"),
            (
                "a.yaml",
                "{{ tpl(Values.t, ctx) }}|{{ tpl(\"{{ a }}+{{ b }}\", {\"a\": 1, \"b\": 2}) }}|{{ tpl(\"{{ tpl(Values.t, ctx) }}\", ctx) }}",
            ),
        ],
    );
    let out = run(
        &c,
        json!({"t": "{{ Release.Name }} {{ include('demo.x', Values.n) }}", "n": "n"}),
    );
    assert_eq!(
        out["demo/templates/a.yaml"],
        "release-name <n>|1+2|release-name <n>"
    );
}

#[test]
fn tpl_of_plain_text_is_the_text_and_templates_without_include_still_render() {
    let c = chart(
        "demo",
        &[(
            "a.yaml",
            "[{{ tpl(Values.plain, ctx) }}][{{ tpl(Values.brace, ctx) }}][{{ tpl(Values.expr, ctx) }}][{{ tpl(Values.comment, ctx) }}]",
        )],
    );
    let out = run(
        &c,
        json!({"plain": "  a: b\n\n", "brace": "{ x } %}", "expr": "{{ Values.plain | trim }}", "comment": "x{# y #}z"}),
    );
    assert_eq!(
        out["demo/templates/a.yaml"],
        "[  a: b\n\n][{ x } %}][a: b][xz]"
    );
}

#[test]
fn include_loops_stop_with_an_error() {
    let c = chart(
        "demo",
        &[
            (
                "_h.tpl",
                "{% macro demo_loop(x) %}{{ include(\"demo.loop\", x) }}{% endmacro %}",
            ),
            ("a.yaml", "a: {{ include(\"demo.loop\", ctx) }}"),
        ],
    );
    let e = run_err(&c, json!({}));
    assert!(
        e.contains("rendering template has a nested reference name: demo.loop"),
        "{e}"
    );
    let c = chart("demo", &[("a.yaml", "a: {{ tpl(Values.t, ctx) }}")]);
    let e = run_err(&c, json!({"t": "{{ tpl(Values.t, ctx) }}"}));
    assert!(e.contains("nested reference name: tpl"), "{e}");
}

#[test]
fn files_methods() {
    let c = with_files(
        chart(
            "demo",
            &[(
                "a.yaml",
                "get: {{ Files.Get(\"conf/a.txt\") }}
escape: [{{ Files.Get(\"../x\") }}]
bytes: {{ Files.GetBytes(\"conf/a.txt\") | length }}
lines: {% for l in Files.Lines(\"conf/b.txt\") %}<{{ l }}>{% endfor %}

glob: {% for name in Files.Glob(\"conf/*\") %}{{ name }} {% endfor %}

config: {{ Files.Glob(\"conf/*\").AsConfig() | length > 0 }}
",
            )],
        ),
        &[
            ("conf/a.txt", "A"),
            ("conf/b.txt", "1\n2\n"),
            ("other.md", "x"),
        ],
    );
    let out = run(&c, json!({}));
    assert_eq!(
        out["demo/templates/a.yaml"],
        "get: A
escape: []
bytes: 1
lines: <1><2>
glob: conf/a.txt conf/b.txt 
config: true
"
    );
}

#[test]
fn lookup_answers_empty_without_a_source_and_from_a_stream() {
    let tmpl = "{% set cm = lookup(\"v1\", \"ConfigMap\", \"ns\", \"cm\") %}{{ cm.data.k if cm.data is defined }}|{{ lookup(\"v1\", \"ConfigMap\", \"\", \"\").items | length }}|{{ lookup(\"v1\", \"Secret\", \"ns\", \"s\") | length }}";
    let c = chart("demo", &[("a.yaml", tmpl)]);
    assert_eq!(run(&c, json!({}))["demo/templates/a.yaml"], "|0|0");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("cluster.yaml");
    std::fs::write(
        &f,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: ns\ndata:\n  k: found\n",
    )
    .unwrap();
    let opts = RenderOptions {
        lookup_from: Some(f),
        ..RenderOptions::default()
    };
    let out = render(&c, &Map::new(), &opts).unwrap();
    assert_eq!(out["demo/templates/a.yaml"], "found|1|0");
}

#[test]
fn error_unknown_include() {
    let c = chart(
        "demo",
        &[("a.yaml", "x\n{{ include(\"nope.name\", ctx) }}")],
    );
    snap("engine_error_unknown_include", &run_err(&c, json!({})));
}

#[test]
fn error_syntax() {
    let c = chart("demo", &[("a.yaml", "ok\n{{ Values.a | }}\n")]);
    snap("engine_error_syntax", &run_err(&c, json!({})));
}

#[test]
fn error_missing_parent() {
    let c = chart("demo", &[("a.yaml", "ok\nport: {{ Values.db.port }}\n")]);
    snap("engine_error_missing_parent", &run_err(&c, json!({})));
}

#[test]
fn error_inside_include() {
    let c = chart(
        "demo",
        &[
            (
                "_h.tpl",
                "{% macro demo_x(ctx) %}\n{{ ctx.Values.db.port }}\n{% endmacro %}",
            ),
            ("a.yaml", "a: {{ include(\"demo.x\", ctx) }}\n"),
        ],
    );
    snap("engine_error_inside_include", &run_err(&c, json!({})));
}

#[test]
fn error_required_and_fail_are_verbatim() {
    let c = chart(
        "demo",
        &[(
            "a.yaml",
            "a: 1\nb: {{ required(\"db.host is required\", Values.db) }}\n",
        )],
    );
    let e = run_err(&c, json!({}));
    assert_eq!(
        e.lines().next(),
        Some("execution error at (demo/templates/a.yaml:2:7): db.host is required")
    );
    let c = chart(
        "demo",
        &[
            (
                "_h.tpl",
                "{% macro demo_x(ctx) %}\n{{ fail(\"boom: \" ~ ctx.Release.Name) }}{% endmacro %}",
            ),
            ("a.yaml", "a: {{ include(\"demo.x\", ctx) }}\n"),
        ],
    );
    snap("engine_error_fail_in_include", &run_err(&c, json!({})));
}

#[test]
fn subcharts_object_as_helm() {
    let sub = chart("sub", &[("s.yaml", "s"), ("_h.tpl", "")]);
    let parent = chart(
        "parent",
        &[(
            "p.yaml",
            "{{ Subcharts.sub.Values.port }} {{ Subcharts.db.Chart.Name }} {{ Subcharts.db.Template.Name }} {{ ctx.Subcharts.sub.Release.Name }} {% for k in Subcharts.sub %}{{ k }} {% endfor %}",
        )],
    );
    let c = depend(depend(parent, sub.clone(), None), sub, Some("db"));
    let out = run(&c, json!({"sub": {"port": 1}, "db": {"port": 2}}));
    assert_eq!(
        out["parent/templates/p.yaml"],
        "1 db parent/charts/db/templates/s.yaml release-name Capabilities Chart Files Release Subcharts Template Values "
    );
}
