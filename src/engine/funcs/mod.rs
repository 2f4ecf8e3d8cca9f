//! Helm's function library (Go template built-ins, Sprig, Helm's own), each registered under
//! its Helm name as a minijinja function (Helm's argument order) and as a filter (the piped
//! value first: `x | default("d")` is `default("d", x)`, as Go's pipeline passes it last).
//!
//! Every function is written once, as `fn(&[Value]) -> Result<Value, Error>` taking
//! Helm's argument order; [`register`] makes the function and the filter from it.
//!
//! Errors raised by `fail` and `required` carry the chart's message verbatim as their
//! [`minijinja::Error::detail`], with a [`Fail`] as their source ([`fail_message`] finds it).

mod conv;
mod crypto;
mod der;
mod dicts;
mod encoding;
mod gobuiltins;
mod gosyntax;
mod lists;
mod math;
mod pki;
mod printf;
mod semver;
mod strings;
pub(crate) mod time;
mod toml;

use crate::engine::value::{go_sprint, GoMap};
use minijinja::value::{Rest, ValueKind};
use minijinja::{Environment, Error, ErrorKind, Value};

pub use printf::sprintf;
pub(crate) use strings::go_quote;

/// A function of the library: Helm's argument order.
/// Dialect-neutral: no minijinja `State`, so every dialect calls the same function.
pub(crate) type Func = fn(&[Value]) -> Result<Value, Error>;

/// The error of `fail` and `required`: the chart's own message.
#[derive(Debug, Clone)]
pub struct Fail(pub String);

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Fail {}

/// The chart's message if `err` (or an error it wraps) was raised by `fail` or `required`.
pub fn fail_message(err: &Error) -> Option<&str> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(err);
    while let Some(e) = cur {
        if let Some(f) = e.downcast_ref::<Fail>() {
            return Some(&f.0);
        }
        cur = e.source();
    }
    None
}

pub(crate) fn fail_error(msg: &str) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg.to_string()).with_source(Fail(msg.to_string()))
}

/// An error of a function call, named after the function as Go's template does.
pub(crate) fn err(name: &str, msg: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::InvalidOperation,
        format!("error calling {name}: {msg}"),
    )
}

/// Checks the number of arguments.
pub(crate) fn want(name: &str, args: &[Value], min: usize, max: usize) -> Result<(), Error> {
    if args.len() < min || args.len() > max {
        let want = if min == max {
            format!("{min}")
        } else if max == usize::MAX {
            format!("at least {min}")
        } else {
            format!("{min} to {max}")
        };
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "wrong number of args for {name}: want {want} got {}",
                args.len()
            ),
        ));
    }
    Ok(())
}

/// Whether a value is Go's nil (minijinja's none or undefined).
pub(crate) fn is_nil(v: &Value) -> bool {
    v.is_none() || v.is_undefined()
}

/// A string argument: strings as they are, nil as "", anything else as Go's `%v`.
pub(crate) fn text(v: &Value) -> String {
    if let Some(s) = v.as_str() {
        s.to_string()
    } else if is_nil(v) {
        String::new()
    } else {
        go_sprint(v)
    }
}

/// Sprig's `strval`: strings raw, everything else as `%v` (nil is `<nil>`).
pub(crate) fn strval(v: &Value) -> String {
    match v.as_str() {
        Some(s) => s.to_string(),
        None => go_sprint(v),
    }
}

/// spf13/cast's `ToInt64`: integers as they are, floats truncated, strings parsed (base
/// prefixes allowed, a trailing `.0` ignored), bools 1/0, anything else 0.
pub(crate) fn to_i64(v: &Value) -> i64 {
    match v.kind() {
        ValueKind::Number => {
            if v.is_integer() {
                i64::try_from(v.clone()).unwrap_or(0)
            } else {
                let f = f64::try_from(v.clone()).unwrap_or(0.0);
                if f.is_nan() {
                    0
                } else {
                    f as i64
                }
            }
        }
        ValueKind::Bool => i64::from(v.is_true()),
        ValueKind::String => parse_go_int(v.as_str().unwrap_or_default()).unwrap_or(0),
        _ => 0,
    }
}

/// `strconv.ParseInt(s, 0, 64)` after cast's trimming of a zero decimal part.
pub(crate) fn parse_go_int(s: &str) -> Option<i64> {
    let mut s = s;
    if let Some(dot) = s.find('.') {
        if s[dot + 1..].bytes().all(|b| b == b'0') {
            s = &s[..dot];
        }
    }
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let body = body.replace('_', "");
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(r) = lower.strip_prefix("0x") {
        (16, r.to_string())
    } else if let Some(r) = lower.strip_prefix("0b") {
        (2, r.to_string())
    } else if let Some(r) = lower.strip_prefix("0o") {
        (8, r.to_string())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string())
    } else {
        (10, lower)
    };
    if digits.is_empty() {
        return None;
    }
    let n = i128::from_str_radix(&digits, radix).ok()?;
    let n = if neg { -n } else { n };
    i64::try_from(n).ok()
}

/// spf13/cast's `ToFloat64`.
pub(crate) fn to_f64(v: &Value) -> f64 {
    match v.kind() {
        ValueKind::Number => f64::try_from(v.clone()).unwrap_or(0.0),
        ValueKind::Bool if v.is_true() => 1.0,
        ValueKind::String => v.as_str().unwrap_or_default().trim().parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Sprig's `empty`: nil, "", 0, 0.0, false, and empty lists and maps.
pub(crate) fn is_empty(v: &Value) -> bool {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => true,
        ValueKind::Bool => !v.is_true(),
        ValueKind::Number => !v.is_true(),
        ValueKind::String | ValueKind::Bytes => v.len() == Some(0),
        ValueKind::Seq | ValueKind::Map | ValueKind::Iterable => {
            v.len().map(|n| n == 0).unwrap_or(false)
        }
        _ => false,
    }
}

/// The items of a list argument (nil is an empty list).
pub(crate) fn items(name: &str, v: &Value) -> Result<Vec<Value>, Error> {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => Ok(Vec::new()),
        ValueKind::Seq | ValueKind::Iterable => Ok(v.try_iter()?.collect()),
        _ => Err(err(
            name,
            format!("cannot use {} as a list", crate::engine::value::type_of(v)),
        )),
    }
}

/// The map behind a map argument that is to be changed in place: a Go map (from `dict`,
/// `Values`, `fromYaml`, `deepCopy`...).
pub(crate) fn go_map<'a>(name: &str, v: &'a Value) -> Result<Option<&'a GoMap>, Error> {
    if is_nil(v) {
        return Ok(None);
    }
    match v.downcast_object_ref::<GoMap>() {
        Some(m) => Ok(Some(m)),
        None if v.kind() == ValueKind::Map => Err(err(
            name,
            "this map cannot be changed in place; make it with dict(...) (a Jinja {...} literal or an engine object is read-only)",
        )),
        None => Err(err(
            name,
            format!(
                "wrong type for value; expected map[string]interface {{}}; got {}",
                crate::engine::value::type_of(v)
            ),
        )),
    }
}

/// A map argument to read: a Go map, or any other map-like value (Jinja's `{...}`, the
/// engine's objects such as `ctx` or `Release`).
pub(crate) enum MapRef<'a> {
    Go(&'a GoMap),
    Other(&'a Value),
}

impl MapRef<'_> {
    pub(crate) fn get(&self, k: &str) -> Option<Value> {
        match self {
            MapRef::Go(m) => m.get(k),
            MapRef::Other(v) => crate::engine::value::map_entries(v)
                .ok()?
                .into_iter()
                .find(|(key, _)| key == k)
                .map(|(_, x)| x),
        }
    }

    pub(crate) fn contains_key(&self, k: &str) -> bool {
        match self {
            MapRef::Go(m) => m.contains_key(k),
            MapRef::Other(_) => self.get(k).is_some(),
        }
    }

    /// The entries in sorted key order.
    pub(crate) fn entries(&self) -> Vec<(String, Value)> {
        match self {
            MapRef::Go(m) => m.snapshot().into_iter().collect(),
            MapRef::Other(v) => crate::engine::value::map_entries(v).unwrap_or_default(),
        }
    }
}

/// A map argument to read (nil is None).
pub(crate) fn read_map<'a>(name: &str, v: &'a Value) -> Result<Option<MapRef<'a>>, Error> {
    if is_nil(v) {
        return Ok(None);
    }
    if let Some(m) = v.downcast_object_ref::<GoMap>() {
        return Ok(Some(MapRef::Go(m)));
    }
    if v.kind() == ValueKind::Map {
        return Ok(Some(MapRef::Other(v)));
    }
    Err(err(
        name,
        format!(
            "wrong type for value; expected map[string]interface {{}}; got {}",
            crate::engine::value::type_of(v)
        ),
    ))
}

/// A list value.
pub(crate) fn list_value(items: Vec<Value>) -> Value {
    Value::from(items)
}

fn add(env: &mut Environment<'_>, name: &'static str, f: Func) {
    env.add_function(name, move |args: Rest<Value>| f(&args.0));
    env.add_filter(name, move |v: Value, args: Rest<Value>| {
        let mut a = args.0;
        a.push(v);
        f(&a)
    });
}

/// Every function of the library, with its Helm name.
pub(crate) fn all() -> Vec<(&'static str, Func)> {
    let mut v = Vec::new();
    v.extend(strings::FUNCS.iter().copied());
    v.extend(conv::FUNCS.iter().copied());
    v.extend(dicts::FUNCS.iter().copied());
    v.extend(lists::FUNCS.iter().copied());
    v.extend(math::FUNCS.iter().copied());
    v.extend(encoding::FUNCS.iter().copied());
    v.extend(semver::FUNCS.iter().copied());
    v.extend(time::FUNCS.iter().copied());
    v.extend(printf::FUNCS.iter().copied());
    v.extend(gobuiltins::FUNCS.iter().copied());
    v.extend(pki::FUNCS.iter().copied());
    v.extend(crypto::FUNCS.iter().copied());
    v.extend(toml::FUNCS.iter().copied());
    v
}

/// Registers every function and filter on `env`.
pub fn register(env: &mut Environment<'_>) {
    for (name, f) in all() {
        add(env, name, f);
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use crate::engine::value::{format, to_jinja};

    /// Renders `tmpl` with the library and the Go formatter, `ctx` as the values tree.
    pub fn render_ctx(tmpl: &str, ctx: serde_json::Value) -> Result<String, minijinja::Error> {
        let mut env = minijinja::Environment::new();
        env.set_formatter(format);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        super::register(&mut env);
        env.render_str(tmpl, to_jinja(&ctx))
    }

    /// Renders `tmpl` with no context; panics (in tests) on error.
    pub fn r(tmpl: &str) -> String {
        match render_ctx(tmpl, serde_json::json!({})) {
            Ok(s) => s,
            Err(e) => panic!("{tmpl}: {e:#}"),
        }
    }

    /// The error of rendering `tmpl`.
    pub fn e(tmpl: &str) -> String {
        match render_ctx(tmpl, serde_json::json!({})) {
            Ok(s) => panic!("{tmpl} rendered {s:?}, expected an error"),
            Err(e) => format!("{e:#}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;

    #[test]
    fn function_and_filter_forms_agree() {
        assert_eq!(
            r(r#"{{ default("d", "") }}|{{ "" | default("d") }}"#),
            "d|d"
        );
        assert_eq!(
            r(r#"{{ trimSuffix("-", "a-") }}|{{ "a-" | trimSuffix("-") }}"#),
            "a|a"
        );
    }

    #[test]
    fn every_function_the_upstream_chart_calls_exists() {
        // Collected from the upstream chart and its subcharts (include, template, tpl and
        // lookup belong to the engine).
        let used = [
            "add",
            "and",
            "append",
            "b64dec",
            "b64enc",
            "contains",
            "date",
            "deepCopy",
            "default",
            "dict",
            "dig",
            "empty",
            "eq",
            "fail",
            "fromYaml",
            "ge",
            "get",
            "gt",
            "has",
            "hasKey",
            "hasPrefix",
            "indent",
            "index",
            "int",
            "join",
            "kebabcase",
            "kindIs",
            "kindOf",
            "le",
            "len",
            "list",
            "lower",
            "merge",
            "mergeOverwrite",
            "min",
            "mod",
            "mul",
            "ne",
            "nindent",
            "not",
            "now",
            "or",
            "print",
            "printf",
            "quote",
            "regexFind",
            "regexMatch",
            "regexReplaceAll",
            "replace",
            "required",
            "semverCompare",
            "set",
            "sha256sum",
            "slice",
            "splitList",
            "splitn",
            "squote",
            "toString",
            "toYaml",
            "trim",
            "trimPrefix",
            "trimSuffix",
            "trunc",
            "uniq",
            "until",
        ];
        let names: Vec<&str> = super::all().into_iter().map(|(n, _)| n).collect();
        for u in used {
            assert!(names.contains(&u), "{u} is missing");
        }
    }

    /// Every function the real charts of ../shared/corpus call (any bare identifier inside
    /// `{{ }}` in their templates, comments and strings removed) is in the library or is one
    /// of the engine's built-ins.
    #[test]
    fn every_function_the_corpus_charts_call_exists() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        if !corpus.is_dir() {
            println!("skipped: ../shared/corpus is not present");
            return;
        }
        const ENGINE: &[&str] = &[
            "include", "tpl", "template", "define", "block", "lookup", "if", "else", "end",
            "range", "with", "nil", "true", "false", "break", "continue", "and", "or", "not", "eq",
            "ne", "lt", "le", "gt", "ge", "index", "slice", "len", "print", "printf", "println",
            "html", "js", "urlquery", "call",
        ];
        let names: Vec<&str> = super::all().into_iter().map(|(n, _)| n).collect();
        let comment = regex::Regex::new(r"(?s)\{\{-?\s*/\*.*?\*/\s*-?\}\}").unwrap();
        let action = regex::Regex::new(r"(?s)\{\{(.*?)\}\}").unwrap();
        let strings = regex::Regex::new(r#""(\\.|[^"\\])*"|`[^`]*`|'(\\.|[^'\\])*'"#).unwrap();
        let ident = regex::Regex::new(r"(^|[^\w.$])([A-Za-z_]\w*)").unwrap();
        let mut missing = std::collections::BTreeSet::new();
        let mut files = 0;
        for entry in walkdir::WalkDir::new(&corpus).into_iter().flatten() {
            let path = entry.path();
            let in_templates = path.components().any(|c| c.as_os_str() == "templates");
            if !entry.file_type().is_file() || !in_templates {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            files += 1;
            let text = comment.replace_all(&text, "");
            for a in action.captures_iter(&text) {
                let body = strings.replace_all(&a[1], "\"\"");
                for m in ident.captures_iter(&body) {
                    let w = &m[2];
                    // map keys of dict literals and words of prose actions are not calls;
                    // a call is an identifier Helm knows as a function
                    if !ENGINE.contains(&w) && !names.contains(&w) && SPRIG.contains(&w) {
                        missing.insert(w.to_string());
                    }
                }
            }
        }
        assert!(files > 100, "only {files} template files found");
        assert!(missing.is_empty(), "missing: {missing:?}");
    }

    /// Sprig v3.3.0's function names (less env and expandenv, which Helm removes) and Helm's.
    const SPRIG: &[&str] = &[
        "abbrev",
        "abbrevboth",
        "add",
        "add1",
        "add1f",
        "addf",
        "adler32sum",
        "ago",
        "all",
        "any",
        "append",
        "atoi",
        "b32dec",
        "b32enc",
        "b64dec",
        "b64enc",
        "base",
        "bcrypt",
        "biggest",
        "buildCustomCert",
        "camelcase",
        "cat",
        "ceil",
        "chunk",
        "clean",
        "coalesce",
        "compact",
        "concat",
        "contains",
        "date",
        "dateInZone",
        "dateModify",
        "date_in_zone",
        "date_modify",
        "decryptAES",
        "deepCopy",
        "deepEqual",
        "default",
        "derivePassword",
        "dict",
        "dig",
        "dir",
        "div",
        "divf",
        "duration",
        "durationRound",
        "empty",
        "encryptAES",
        "ext",
        "fail",
        "first",
        "float64",
        "floor",
        "fromJson",
        "fromJsonArray",
        "fromToml",
        "fromYaml",
        "fromYamlArray",
        "genCA",
        "genCAWithKey",
        "genPrivateKey",
        "genSelfSignedCert",
        "genSelfSignedCertWithKey",
        "genSignedCert",
        "genSignedCertWithKey",
        "get",
        "getHostByName",
        "has",
        "hasKey",
        "hasPrefix",
        "hasSuffix",
        "hello",
        "htmlDate",
        "htmlDateInZone",
        "htpasswd",
        "indent",
        "initial",
        "initials",
        "int",
        "int64",
        "isAbs",
        "join",
        "kebabcase",
        "keys",
        "kindIs",
        "kindOf",
        "last",
        "list",
        "lower",
        "max",
        "maxf",
        "merge",
        "mergeOverwrite",
        "min",
        "minf",
        "mod",
        "mul",
        "mulf",
        "mustAppend",
        "mustChunk",
        "mustCompact",
        "mustDateModify",
        "mustDeepCopy",
        "mustFirst",
        "mustFromJson",
        "mustHas",
        "mustInitial",
        "mustLast",
        "mustMerge",
        "mustMergeOverwrite",
        "mustPrepend",
        "mustPush",
        "mustRegexFind",
        "mustRegexFindAll",
        "mustRegexMatch",
        "mustRegexReplaceAll",
        "mustRegexReplaceAllLiteral",
        "mustRegexSplit",
        "mustRest",
        "mustReverse",
        "mustSlice",
        "mustToDate",
        "mustToJson",
        "mustToPrettyJson",
        "mustToRawJson",
        "mustToYaml",
        "mustUniq",
        "mustWithout",
        "nindent",
        "nospace",
        "now",
        "omit",
        "osBase",
        "osClean",
        "osDir",
        "osExt",
        "osIsAbs",
        "pick",
        "pluck",
        "plural",
        "prepend",
        "push",
        "quote",
        "randAlpha",
        "randAlphaNum",
        "randAscii",
        "randBytes",
        "randInt",
        "randNumeric",
        "regexFind",
        "regexFindAll",
        "regexMatch",
        "regexQuoteMeta",
        "regexReplaceAll",
        "regexReplaceAllLiteral",
        "regexSplit",
        "repeat",
        "replace",
        "required",
        "rest",
        "reverse",
        "round",
        "semver",
        "semverCompare",
        "seq",
        "set",
        "sha1sum",
        "sha256sum",
        "sha512sum",
        "shuffle",
        "snakecase",
        "sortAlpha",
        "split",
        "splitList",
        "splitn",
        "squote",
        "sub",
        "subf",
        "substr",
        "swapcase",
        "ternary",
        "title",
        "toDate",
        "toDecimal",
        "toJson",
        "toPrettyJson",
        "toRawJson",
        "toString",
        "toStrings",
        "toToml",
        "toYaml",
        "toYamlPretty",
        "trim",
        "trimAll",
        "trimPrefix",
        "trimSuffix",
        "trimall",
        "trunc",
        "tuple",
        "typeIs",
        "typeIsLike",
        "typeOf",
        "uniq",
        "unixEpoch",
        "unset",
        "until",
        "untilStep",
        "untitle",
        "upper",
        "urlJoin",
        "urlParse",
        "uuidv4",
        "values",
        "without",
        "wrap",
        "wrapWith",
    ];

    /// Every name Helm's template engine knows is in the library (toYamlPretty aside).
    #[test]
    fn every_sprig_and_helm_function_exists() {
        let names: Vec<&str> = super::all().into_iter().map(|(n, _)| n).collect();
        let missing: Vec<&&str> = SPRIG
            .iter()
            .filter(|n| {
                !names.contains(n)
                    && !["include", "tpl", "required", "lookup", "toYamlPretty"].contains(n)
            })
            .collect();
        assert!(missing.is_empty(), "missing: {missing:?}");
    }

    #[test]
    fn helm_meaning_wins_over_jinja_builtins() {
        assert_eq!(
            r(
                r#"{{ "a\nb" | indent(2) }}|{{ "hello world" | title }}|{{ list(1, 2) | first }}|{{ list("a", "b") | join("-") }}|{{ "aXa" | replace("X", "-") }}|{{ 0 | default(5) }}|{{ "7" | int }}|{{ max(1, 3) }}|{{ " x " | trim }}|{{ list(1, 2) | last }}|{{ list(1, 2) | reverse }}|{{ "AB" | lower }}"#
            ),
            "  a\n  b|Hello World|1|a-b|a-a|5|7|3|x|2|[2 1]|ab"
        );
    }

    const SLOW: &[&str] = &[
        "genPrivateKey",
        "genCA",
        "genSelfSignedCert",
        "genSignedCert",
        "bcrypt",
        "htpasswd",
        "derivePassword",
    ];

    /// Every function with every arrangement of up to three awkward arguments: errors are
    /// fine, panics are not.
    #[test]
    fn no_function_panics_on_awkward_arguments() {
        use minijinja::Value;
        let mut env = minijinja::Environment::new();
        env.add_function("fuzz", || -> Result<Value, minijinja::Error> {
            let big = crate::engine::value::GoMap::new_value(
                [("a".to_string(), Value::from(1))].into_iter().collect(),
            );
            let pool = [
                Value::from(()),
                Value::UNDEFINED,
                Value::from(-1),
                Value::from(0),
                Value::from(3),
                Value::from(2.5),
                Value::from(-1e300),
                Value::from(f64::NAN),
                Value::from(i64::MAX),
                Value::from(i64::MIN),
                Value::from(""),
                Value::from("a,b:é"),
                Value::from("%d%s%v%-*.*q%"),
                Value::from(">=1.0-0 || ~2"),
                Value::from(vec![Value::from(1), Value::from("a")]),
                Value::from(Vec::<Value>::new()),
                big,
                Value::from(true),
            ];
            let mut calls = 0usize;
            let mut seen: Vec<usize> = Vec::new();
            for (name, f) in super::all() {
                // aliases (mustX, push...) share one implementation; the functions that make
                // keys or hash with bcrypt take a tenth of a second or more per call: their
                // own tests give them awkward arguments
                if seen.contains(&(f as usize)) || SLOW.contains(&name) {
                    continue;
                }
                seen.push(f as usize);
                let _ = f(&[]);
                for a in &pool {
                    let _ = f(std::slice::from_ref(a));
                    for b in &pool {
                        let _ = f(&[a.clone(), b.clone()]);
                        for c in pool.iter().step_by(3) {
                            let _ = f(&[a.clone(), b.clone(), c.clone()]);
                            calls += 1;
                        }
                    }
                }
            }
            Ok(Value::from(calls))
        });
        let out = env.render_str("{{ fuzz() }}", ()).unwrap_or_default();
        assert!(out.parse::<usize>().unwrap_or(0) > 10_000, "{out}");
    }

    #[test]
    fn fail_message_is_found() {
        let err = render_ctx(r#"{{ fail("my message") }}"#, serde_json::json!({})).unwrap_err();
        assert_eq!(super::fail_message(&err), Some("my message"));
        let err = render_ctx(r#"{{ 1 + none }}"#, serde_json::json!({})).unwrap_err();
        assert_eq!(super::fail_message(&err), None);
    }

    #[test]
    fn cast_int_parsing() {
        assert_eq!(super::parse_go_int("0x1f"), Some(31));
        assert_eq!(super::parse_go_int("010"), Some(8));
        assert_eq!(super::parse_go_int("-12.00"), Some(-12));
        assert_eq!(super::parse_go_int("12.5"), None);
        assert_eq!(super::parse_go_int(""), None);
    }
}
