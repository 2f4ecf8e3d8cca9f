//! The bodies of chartr's fuzz targets, one function per target, each taking the fuzzer's raw
//! bytes. They live in the library so that `fuzz/` (cargo-fuzz, libFuzzer, nightly) and the
//! stable test suite (`tests/fuzz_corpus.rs`, which replays the kept corpora) run the very same
//! code. A target returns normally for any input, valid or not; it panics only when it finds a
//! bug: a panic inside chartr, or a property that does not hold (a YAML round trip that changes
//! the value).

use crate::values::tree::{map_from_value, map_to_value, new_map, MapRef};
use crate::values::{strvals, Origin};
use crate::{manifest, yaml, Map, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

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
    let origin = Rc::new(Origin {
        source: "--set".into(),
        line: None,
    });
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
/// the same value.
pub fn yaml_roundtrip(data: &[u8]) {
    let src = text(data);
    let Ok(value) = yaml::parse(&src, "fuzz.yaml") else {
        return;
    };
    let written = yaml::to_yaml(&value);
    match yaml::parse(&written, "written.yaml") {
        Ok(back) => assert!(
            same(&value, &back),
            "toYaml does not read back to the same value\ninput: {src:?}\nwritten: {written:?}\nread: {value:?}\nback: {back:?}"
        ),
        Err(e) => panic!("chartr cannot read what it wrote: {e}\ninput: {src:?}\nwritten: {written:?}"),
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
    map_from_value(m, &mut Vec::new(), &|_| None)
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

/// A target's body: the fuzzer's raw bytes in, a panic only for a bug.
pub type Target = fn(&[u8]);

/// Every target by name, for the corpus replay test and the fuzz crate.
pub const TARGETS: &[(&str, Target)] = &[
    ("set_parser", set_parser),
    ("yaml_roundtrip", yaml_roundtrip),
    ("coalesce", coalesce),
    ("manifests", manifests),
];
