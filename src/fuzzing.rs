//! The bodies of chartr's fuzz targets, one function per target, each taking the fuzzer's raw
//! bytes. They live in the library so that `fuzz/` (cargo-fuzz, libFuzzer, nightly) and the
//! stable test suite (`tests/fuzz_corpus.rs`, which replays the kept corpora) run the very same
//! code. A target returns normally for any input, valid or not; it panics only when it finds a
//! bug: a panic inside chartr, or a property that does not hold (a YAML round trip that changes
//! the value).

use crate::values::tree::{map_from_value, map_to_value, new_map, MapRef};
use crate::values::{strvals, Src};
use crate::{manifest, yaml, Map, Value};
use std::collections::BTreeMap;

/// Inputs longer than this are cut: the targets look for logic errors, not for slowness on
/// huge inputs (the bad-input tests cover limits).
const MAX_INPUT: usize = 64 << 10;

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(&data[..data.len().min(MAX_INPUT)]).into_owned()
}

/// The `--set` family: the first byte picks the flag (`--set`, `--set-string`, `--set-json`,
/// `--set-literal`, `--set-file` with a reader that returns the path), the rest is the argument.
/// Every argument is parsed into the same map, as repeated flags are.
pub fn set_parser(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let origin = Src::new("--set", None);
    let map = new_map();
    for arg in text(rest).split('\u{0}') {
        let _ = match which % 5 {
            0 => strvals::parse_into(arg, &map, strvals::Mode::Typed, &origin),
            1 => strvals::parse_into(arg, &map, strvals::Mode::String, &origin),
            2 => strvals::parse_into(arg, &map, strvals::Mode::Json, &origin),
            3 => strvals::parse_literal_into(arg, &map, &origin),
            _ => {
                let mut read = |p: &str| Ok(p.to_string());
                strvals::parse_into(arg, &map, strvals::Mode::File(&mut read), &origin)
            }
        };
    }
    let _ = map_to_value(&map);
}

/// The YAML reader and writer: whatever chartr reads, chartr writes (toYaml) and reads back to
/// what sigs.k8s.io/yaml.Marshal keeps of it. Marshal writes JSON and reads that back with
/// go-yaml before printing, so the oracle is chartr's reader on the value's JSON text (with
/// encoding/json's escapes of U+2028 and U+2029): where go-yaml refuses it (DEL, C1 controls,
/// U+FFFE) Helm's toYaml prints nothing; a NEL inside it is a line break go-yaml folds, so Helm
/// loses it (checked against helm v4.1.4: `"x\Ny"` prints as `x y`); every other value must come
/// back as it was read.
pub fn yaml_roundtrip(data: &[u8]) {
    let src = text(data);
    let Ok(value) = yaml::parse(&src, "fuzz.yaml") else {
        return;
    };
    let written = yaml::to_yaml(&value);
    // Go's JSON (what Marshal writes) escapes U+2028/U+2029, as go-yaml then reads it.
    let marshalled = yaml::parse(&crate::gojson::to_json(&value), "marshal.json").ok();
    let Some(expected) = marshalled else {
        assert!(
            written.is_empty(),
            "go-yaml refuses the value's JSON but toYaml wrote {written:?}\ninput: {src:?}\nread: {value:?}"
        );
        return;
    };
    assert!(
        !written.is_empty() && (has_nel(&value) || same(&value, &expected)),
        "go-yaml reads the value's JSON as {expected:?} and toYaml wrote {written:?}\ninput: {src:?}\nread: {value:?}"
    );
    match yaml::parse(&written, "written.yaml") {
        Ok(back) => assert!(
            same(&expected, &back),
            "toYaml does not read back to the value Marshal keeps\ninput: {src:?}\nwritten: {written:?}\nread: {value:?}\nexpected: {expected:?}\nback: {back:?}"
        ),
        Err(e) => panic!("chartr cannot read what it wrote: {e}\ninput: {src:?}\nwritten: {written:?}"),
    }
}

/// Whether a string or key of `v` holds a NEL (U+0085).
fn has_nel(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains('\u{85}'),
        Value::Array(a) => a.iter().any(has_nel),
        Value::Object(m) => m.iter().any(|(k, v)| k.contains('\u{85}') || has_nel(v)),
        _ => false,
    }
}

/// Value equality as Helm sees it after a YAML round trip: numbers by value (a float that is a
/// whole number reads back as the same float), maps regardless of order.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(p), Some(q)) => p == q || (p.is_nan() && q.is_nan()),
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// The values coalescer: the input is split at the first NUL into a chart's defaults and a
/// user's values (both YAML); the user's are coalesced over the defaults as Helm's
/// `CoalesceTables` does, twice (without nulls, the second run must not change the result).
pub fn coalesce(data: &[u8]) {
    let src = text(data);
    let (defaults, user) = src.split_once('\u{0}').unwrap_or((&src, ""));
    let read = |s: &str| -> Option<MapRef> {
        match yaml::parse(s, "fuzz.yaml") {
            Ok(Value::Object(m)) => Some(to_map(&m)),
            Ok(Value::Null) => Some(new_map()),
            _ => None,
        }
    };
    let (Some(d), Some(u)) = (read(defaults), read(user)) else {
        return;
    };
    // A null in the user's values deletes the default the first time and is gone the second
    // time, so the default comes back: Helm's CoalesceTables is idempotent only without nulls.
    let has_null = has_null(&Value::Object(map_to_value(&u)));
    crate::values::coalesce::coalesce_tables(&u, &d, false);
    let once = map_to_value(&u);
    if has_null {
        return;
    }
    crate::values::coalesce::coalesce_tables(&u, &d, false);
    let twice = map_to_value(&u);
    assert!(
        same(&Value::Object(once.clone()), &Value::Object(twice.clone())),
        "coalescing twice changed the values\nonce: {once:?}\ntwice: {twice:?}"
    );
}

fn has_null(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.iter().any(has_null),
        Value::Object(m) => m.values().any(has_null),
        _ => false,
    }
}

fn to_map(m: &Map) -> MapRef {
    map_from_value(m, None)
}

/// The manifest stage: the input is one template's rendered text, split into documents and
/// sorted in Helm's install order, hooks apart; every document that is kept appears once.
pub fn manifests(data: &[u8]) {
    let src = text(data);
    let files = BTreeMap::from([("c/templates/fuzz.yaml".to_string(), src)]);
    let Ok(sorted) = manifest::sort::sort_manifests(&files) else {
        return;
    };
    let docs = sorted.manifests.len() + sorted.hooks.len();
    let split = manifest::split::split_manifests(&files["c/templates/fuzz.yaml"]).len();
    assert!(
        docs <= split,
        "sorting produced {docs} documents from {split} split ones"
    );
}

/// The Go-template lexer and parser: a file's text parsed as Helm parses a chart's template,
/// with the function library Helm's templates see. A parse error carries the file's name and a
/// line of the file (Go's `template: NAME:LINE: MESSAGE`); a parsed file is a tree named after
/// the file whose every position lies in it, and text without `{{` is one text node, as is.
pub fn gotmpl_parse(data: &[u8]) {
    use crate::engine::gotmpl::{exec::Runtime, parse, KnownFuncs};
    thread_local! {
        static RUNTIME: Runtime = Runtime::new();
    }
    const NAME: &str = "c/templates/fuzz.tpl";
    let src = text(data);
    let lines = 1 + src.matches('\n').count();
    let result = RUNTIME.with(|rt| parse::parse(NAME, &src, &KnownFuncs(rt)));
    let trees = match result {
        Err(e) => {
            assert!(
                e.name == NAME && (1..=lines).contains(&e.line),
                "a parse error without its place: {e:?} in a file of {lines} lines\ninput: {src:?}"
            );
            let shown = e.to_string();
            assert!(
                shown.starts_with(&format!("template: {NAME}:{}: ", e.line)),
                "a parse error not in Go's words: {shown:?}"
            );
            return;
        }
        Ok(trees) => trees,
    };
    let Some(body) = trees.first() else {
        panic!("a parsed file without its body\ninput: {src:?}");
    };
    assert_eq!(body.name, NAME, "the body is not named after its file");
    for t in &trees {
        assert!(
            &*t.source == src.as_str() && &*t.parse_name == NAME,
            "a tree that does not know its file"
        );
        let mut positions = Vec::new();
        node_positions(&t.root, &mut positions);
        if let Some(p) = positions.iter().find(|p| **p > src.len()) {
            panic!(
                "position {p} past the end of a {}-byte file\ninput: {src:?}",
                src.len()
            );
        }
        for p in positions {
            let _ = t.location(p);
        }
    }
    if !src.contains("{{") {
        let as_is = match body.root.as_slice() {
            [] => src.is_empty(),
            [parse::Node::Text(t)] => *t == src,
            _ => false,
        };
        assert!(
            as_is && trees.len() == 1,
            "text without actions did not parse to itself\ninput: {src:?}\nnodes: {:?}",
            body.root
        );
    }
}

fn node_positions(nodes: &[crate::engine::gotmpl::parse::Node], out: &mut Vec<usize>) {
    use crate::engine::gotmpl::parse::Node;
    for n in nodes {
        match n {
            Node::Text(_) => {}
            Node::Action(p) => pipe_positions(p, out),
            Node::If(b) | Node::Range(b) | Node::With(b) => {
                out.push(b.pos);
                pipe_positions(&b.pipe, out);
                node_positions(&b.list, out);
                if let Some(e) = &b.else_list {
                    node_positions(e, out);
                }
            }
            Node::Template { pos, pipe, .. } => {
                out.push(*pos);
                if let Some(p) = pipe {
                    pipe_positions(p, out);
                }
            }
            Node::Break(p) | Node::Continue(p) => out.push(*p),
        }
    }
}

fn pipe_positions(p: &crate::engine::gotmpl::parse::Pipe, out: &mut Vec<usize>) {
    use crate::engine::gotmpl::parse::Arg;
    out.push(p.pos);
    for c in &p.cmds {
        out.push(c.pos);
        for a in &c.args {
            out.push(a.pos());
            match a {
                Arg::Pipe(p) => pipe_positions(p, out),
                Arg::Chain { node, .. } => {
                    if let Arg::Pipe(p) = node.as_ref() {
                        pipe_positions(p, out);
                    } else {
                        out.push(node.pos());
                    }
                }
                _ => {}
            }
        }
    }
}

/// Post-render transforms: the first byte picks transforms (a namespace, a label, an
/// annotation, a pull secret, an image registry), the rest is the manifest stream. Without
/// transforms, the output is the stream's documents byte for byte, each framed with `---`, and
/// post-rendering that output again gives it back unchanged; with the transforms, a second run
/// changes nothing more (they are idempotent) and what they write reads back as YAML.
pub fn post_render(data: &[u8]) {
    use crate::manifest::transform::{image::Rewrite, post_render, Transforms};
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let src = text(rest);
    let none = Transforms::default();
    let Ok(out) = post_render(&src, &none) else {
        return;
    };
    let framed: String = manifest::split::split_manifests(&src)
        .iter()
        .map(|d| format!("---\n{d}\n"))
        .collect();
    assert!(
        out == framed,
        "post-render without transforms changed the documents\ninput: {src:?}\noutput: {out:?}"
    );
    match post_render(&out, &none) {
        Ok(again) => assert!(
            again == out,
            "post-render of its own output changed it\nonce: {out:?}\ntwice: {again:?}"
        ),
        Err(e) => panic!("post-render cannot read what it wrote: {e}\noutput: {out:?}"),
    }
    let mut t = Transforms::default();
    if which & 1 != 0 {
        t.namespace = Some("fuzz-ns".into());
    }
    if which & 2 != 0 {
        t.labels
            .push(("app.kubernetes.io/part-of".into(), "fuzz".into()));
    }
    if which & 4 != 0 {
        t.annotations
            .push(("fuzz.example.com/note".into(), "a: b".into()));
    }
    if which & 8 != 0 {
        t.pull_secrets.push("fuzz-pull".into());
    }
    if which & 16 != 0 {
        t.images = Rewrite::new(Some("registry.example.com".into()), Vec::new());
    }
    let Ok(once) = post_render(&src, &t) else {
        return;
    };
    if let Err(e) = crate::yaml::parse_stream(&once, "post-rendered") {
        panic!("post-render wrote what is not YAML: {e}\noutput: {once:?}");
    }
    match post_render(&once, &t) {
        Ok(twice) => assert!(
            twice == once,
            "post-rendering twice changed more\nonce: {once:?}\ntwice: {twice:?}"
        ),
        Err(e) => panic!("post-render cannot read what it wrote: {e}\noutput: {once:?}"),
    }
}

/// Diff and the upgrade preflight: the input is split at the first NUL into an old and a new
/// manifest stream. A store diffed with itself is all unchanged; OLD against NEW counts every
/// object of each side once; the reports and the preflight's findings render in every format.
pub fn diff(data: &[u8]) {
    use crate::manifest::diff::{self as d, DiffOptions, Masker};
    use crate::manifest::{preflight, store::Store};
    let src = text(data);
    let (old_text, new_text) = src.split_once('\u{0}').unwrap_or((&src, ""));
    let read = |t: &str, file: &str| {
        let mut s = Store::new("default");
        s.add_stream(t, file).map(|()| s)
    };
    let (old, new) = match (read(old_text, "old.yaml"), read(new_text, "new.yaml")) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => {
            let shown = e.to_string();
            assert!(
                shown.starts_with("old.yaml") || shown.starts_with("new.yaml"),
                "a store error that does not name its file: {shown:?}"
            );
            return;
        }
    };
    let opts = DiffOptions {
        context: 3,
        ..Default::default()
    };
    for s in [&old, &new] {
        let r = d::diff(s, s, &Masker::new(s, s, None), &opts);
        assert!(
            r.summary.equal() && r.objects.iter().all(|o| o.diff.is_empty()),
            "a store differs from itself: {}\ninput: {src:?}",
            r.summary
        );
    }
    let masker = Masker::new(&old, &new, None);
    let r = d::diff(&old, &new, &masker, &opts);
    let s = r.summary;
    let (n_old, n_new) = (old.unique().count(), new.unique().count());
    assert!(
        s.added + s.changed + s.unchanged == n_new && s.removed + s.changed + s.unchanged == n_old,
        "the summary {s} does not count {n_old} old and {n_new} new objects\ninput: {src:?}"
    );
    let _ = d::render_text(&r, true);
    let _ = d::render_markdown(&r);
    let _ = d::to_json(&r);
    let findings = preflight::check(
        &old,
        &new,
        &preflight::PreflightOptions {
            kube_minor: 30,
            kube_version: "1.30.0".into(),
            cluster: Some(&old),
            release: "fuzz".into(),
            namespace: "default".into(),
            crds_command: None,
        },
    );
    let _ = preflight::render_text(&findings, false);
    let _ = preflight::render_markdown(&findings);
    let _ = preflight::to_json(&findings);
    let _ = preflight::crds_to_apply(&old, &new);
    let _ = preflight::infer_release(&old, &new);
}

/// A target's body: the fuzzer's raw bytes in, a panic only for a bug.
pub type Target = fn(&[u8]);

/// Every target by name, for the corpus replay test and the fuzz crate.
pub const TARGETS: &[(&str, Target)] = &[
    ("set_parser", set_parser),
    ("yaml_roundtrip", yaml_roundtrip),
    ("coalesce", coalesce),
    ("manifests", manifests),
    ("gotmpl_parse", gotmpl_parse),
    ("post_render", post_render),
    ("diff", diff),
];
