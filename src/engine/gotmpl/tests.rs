use super::*;
use serde_json::json;

struct NoHost;

impl Host for NoHost {
    fn include_foreign(&self, _: &str, _: &Value) -> Option<Result<String, String>> {
        None
    }
    fn lookup(&self, _: &[Value]) -> Result<Value, String> {
        Ok(crate::engine::value::to_jinja(&json!({})))
    }
}

fn run_files(
    files: &[(&str, &str)],
    main: &str,
    data: serde_json::Value,
) -> Result<String, String> {
    let rt = Runtime::new();
    let mut set = Set::new();
    for (name, src) in files {
        for t in parse::parse(name, src, &KnownFuncs(&rt)).map_err(|e| e.to_string())? {
            set.add(t);
        }
    }
    execute(
        &set,
        &rt,
        &NoHost,
        main,
        crate::engine::value::to_jinja(&data),
    )
    .map_err(|e| e.helm_message())
}

fn r(src: &str, data: serde_json::Value) -> String {
    match run_files(&[("t", src)], "t", data) {
        Ok(s) => s,
        Err(e) => panic!("{src}: {e}"),
    }
}

fn e(src: &str, data: serde_json::Value) -> String {
    match run_files(&[("t", src)], "t", data) {
        Ok(s) => panic!("{src} rendered {s:?}"),
        Err(e) => e,
    }
}

#[test]
fn renders_simple_templates() {
    let d =
        json!({"Values": {"name": "x", "n": 3.0, "list": ["a", "b"], "m": {"b": 2.0, "a": 1.0}}});
    assert_eq!(r("hello {{ .Values.name }}", d.clone()), "hello x");
    assert_eq!(
        r("{{ .Values.n }} {{ .Values.missing }}|", d.clone()),
        "3 |"
    );
    assert_eq!(
        r(
            "{{ range $i, $v := .Values.list }}{{ $i }}={{ $v }};{{ end }}",
            d.clone()
        ),
        "0=a;1=b;"
    );
    assert_eq!(
        r(
            "{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}",
            d.clone()
        ),
        "a=1;b=2;"
    );
    assert_eq!(
        r("{{ .Values.m }} {{ .Values.list }}", d.clone()),
        "map[a:1 b:2] [a b]"
    );
    assert_eq!(
        r(
            "{{ if eq .Values.name \"x\" }}yes{{ else if .Values.n }}no{{ else }}none{{ end }}",
            d.clone()
        ),
        "yes"
    );
    assert_eq!(r("{{ with .Values.m }}{{ .a }}{{ end }}", d.clone()), "1");
    assert_eq!(
        r(
            "{{ with .Values.zz }}a{{ else with .Values.m }}{{ .b }}{{ end }}",
            d.clone()
        ),
        "2"
    );
    assert_eq!(r("{{ .Values.name | upper | quote }}", d.clone()), "\"X\"");
    assert_eq!(
        r(
            "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}",
            d.clone()
        ),
        "2"
    );
    assert_eq!(r("{{ range 3 }}{{ . }}{{ end }}", d.clone()), "012");
    assert_eq!(
        r(
            "{{ range .Values.list }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}",
            d.clone()
        ),
        "a"
    );
    assert_eq!(r("{{ printf \"%d-%s\" 3 \"a\" }}", d.clone()), "3-a");
    assert_eq!(
        r(
            "{{ 'a' }} {{ 0x10 }} {{ 1_000 }} {{ 1.5 }} {{ 1e3 }}",
            d.clone()
        ),
        "97 16 1000 1.5 1000"
    );
    assert_eq!(r("{{ `raw\\n` }}", d.clone()), "raw\\n");
    assert_eq!(r("a\n  {{- \"b\" -}}\n  c", d.clone()), "abc");
    assert_eq!(r("{{ (.Values.m).a }}", d.clone()), "1");
    assert_eq!(
        r(
            "{{ index .Values.m \"a\" }} {{ index .Values.list 1 }}",
            d.clone()
        ),
        "1 b"
    );
    assert_eq!(r("{{ len .Values.list }}", d.clone()), "2");
    assert_eq!(
        r("{{ and 1 0 }} {{ or 0 \"\" 3 }} {{ not 0 }}", d.clone()),
        "0 3 true"
    );
    // and/or stop at the first deciding value: the failing call is never made
    assert_eq!(
        r(
            "{{ or 1 (fail \"no\") }} {{ and 0 (fail \"no\") }}",
            d.clone()
        ),
        "1 0"
    );
}

#[test]
fn defines_templates_and_include() {
    let files = [
        ("c/templates/_h.tpl", "{{- define \"h.name\" -}}n-{{ .x }}{{- end -}}\n{{ define \"h.t\" }}T{{ . }}{{ end }}"),
        ("c/templates/a.yaml", "{{ include \"h.name\" (dict \"x\" 1) }} {{ template \"h.t\" 5 }} {{ block \"blk\" . }}B{{ end }}"),
    ];
    assert_eq!(
        run_files(&files, "c/templates/a.yaml", json!({})).unwrap(),
        "n-1 T5 B"
    );
}

#[test]
fn errors_as_helm() {
    let d = json!({"Values": {"a": null, "port": 80.0}});
    assert_eq!(
        e("x\n  {{ .Values.a.b }}", d.clone()),
        "t:2:12\n  executing \"t\" at <.Values.a.b>:\n    nil pointer evaluating interface {}.b"
    );
    assert_eq!(
        e("{{ eq .Values.port 80 }}", d.clone()),
        "template: t:1:3: executing \"t\" at <eq .Values.port 80>: error calling eq: incompatible types for comparison: float64 and int"
    );
    assert_eq!(
        e("{{ required \"need it\" .Values.x }}", d.clone()),
        "execution error at (t:1:3): need it"
    );
    assert_eq!(
        e("{{ include \"nope\" . }}", d.clone()),
        "t:1:3\n  executing \"t\" at <include \"nope\" .>:\n    error calling include:\ntemplate: no template \"nope\" associated with template \"gotpl\""
    );
    // a variable holding nil is an invalid value: fields of it are nothing, not an error
    assert_eq!(r("{{ $x := .Values.a }}[{{ $x.b }}]", d.clone()), "[]");
}

#[test]
fn tpl_sees_named_templates() {
    let files = [
        ("c/templates/_h.tpl", "{{ define \"n\" }}N{{ end }}"),
        (
            "c/templates/a.yaml",
            "{{ tpl \"{{ include \\\"n\\\" . }}-{{ .v }}\" (dict \"v\" 2) }}",
        ),
    ];
    assert_eq!(
        run_files(&files, "c/templates/a.yaml", json!({})).unwrap(),
        "N-2"
    );
}
