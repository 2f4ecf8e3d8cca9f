//! `Files`: the chart's non-template files, as Helm's `files` type (`Get`, `GetBytes`, `Glob`,
//! `Lines`, `AsConfig`, `AsSecrets`). Only the files loaded with the chart are there, so a path
//! such as `../x` or `/etc/passwd` reads nothing, as in Helm.

use crate::{Map, Value};
use base64::Engine as _;
use minijinja::value::{Enumerator, Object, ObjectRepr, Value as JValue};
use minijinja::{Error, ErrorKind, State};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A set of chart files by their path in the chart (`/`-separated), sorted by path as Go
/// ranges over a map.
#[derive(Debug, Clone, Default)]
pub struct Files(pub BTreeMap<String, Arc<[u8]>>);

impl Files {
    pub fn new<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Files {
        Files(
            files
                .into_iter()
                .map(|(n, d)| (n.to_string(), Arc::from(d)))
                .collect(),
        )
    }

    pub fn get_bytes(&self, name: &str) -> &[u8] {
        self.0.get(name).map_or(&[], |d| d)
    }

    /// Helm's `Get`: `string(bytes)`. Go keeps bytes that are not UTF-8 in the string, so they
    /// are held as [`crate::gojson::go_bytes_string`]'s stand-ins: `len` counts them as bytes,
    /// `quote` writes `\xNN`, `toJson` `\ufffd` per byte, `b64enc` the bytes themselves.
    pub fn get(&self, name: &str) -> String {
        crate::gojson::go_bytes_string(self.get_bytes(name))
    }

    /// The files whose path matches the gobwas-style `pattern` (`*`, `?`, `**`, `[...]`,
    /// `{a,b}`, `/` as separator). Helm falls back to `**` (every file) on a bad pattern.
    pub fn glob(&self, pattern: &str) -> Files {
        let re = glob_regex(pattern).unwrap_or_else(|| glob_regex("**").unwrap_or_else(never));
        Files(
            self.0
                .iter()
                .filter(|(n, _)| re.is_match(n))
                .map(|(n, d)| (n.clone(), d.clone()))
                .collect(),
        )
    }

    /// Helm's `Lines`: the file split on `\n`, one trailing newline dropped.
    pub fn lines(&self, name: &str) -> Vec<String> {
        match self.0.get(name) {
            None => Vec::new(),
            Some(d) if d.is_empty() => Vec::new(),
            Some(d) => {
                let s = crate::gojson::go_bytes_string(d);
                let s = s.strip_suffix('\n').unwrap_or(&s);
                s.split('\n').map(str::to_string).collect()
            }
        }
    }

    fn by_base(&self, f: impl Fn(&[u8]) -> String) -> String {
        let mut m: BTreeMap<&str, String> = BTreeMap::new();
        for (k, v) in &self.0 {
            let base = k.rsplit('/').next().unwrap_or(k);
            m.insert(base, f(v));
        }
        let map: Map = m
            .into_iter()
            .map(|(k, v)| (k.to_string(), Value::String(v)))
            .collect();
        let y = crate::yaml::to_yaml(&Value::Object(map));
        y.strip_suffix('\n').unwrap_or(&y).to_string()
    }

    /// Helm's `AsConfig`: a YAML map of base name to content (for a ConfigMap's `data`).
    pub fn as_config(&self) -> String {
        self.by_base(crate::gojson::go_bytes_string)
    }

    /// Helm's `AsSecrets`: a YAML map of base name to base64 content (for a Secret's `data`).
    pub fn as_secrets(&self) -> String {
        self.by_base(|d| base64::engine::general_purpose::STANDARD.encode(d))
    }
}

fn never() -> regex::Regex {
    // Unreachable in practice ("**" always compiles); a regex that matches nothing.
    regex::Regex::new("[^\\s\\S]").unwrap_or_else(|_| unreachable!())
}

/// Translates a gobwas/glob pattern (separator `/`) into an anchored regex.
/// `None` when the pattern does not compile (unclosed `[` or `{`).
pub fn glob_regex(pattern: &str) -> Option<regex::Regex> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    let body = glob_part(&chars, &mut i, false)?;
    if i != chars.len() {
        return None;
    }
    regex::Regex::new(&format!("^(?s:{body})$")).ok()
}

fn glob_part(c: &[char], i: &mut usize, in_alt: bool) -> Option<String> {
    let mut out = String::new();
    while *i < c.len() {
        let ch = c[*i];
        match ch {
            '*' => {
                if c.get(*i + 1) == Some(&'*') {
                    out.push_str(".*");
                    *i += 2;
                    while c.get(*i) == Some(&'*') {
                        *i += 1;
                    }
                    continue;
                }
                out.push_str("[^/]*");
            }
            '?' => out.push_str("[^/]"),
            '\\' => {
                *i += 1;
                let e = *c.get(*i)?;
                out.push_str(&regex::escape(&e.to_string()));
            }
            '[' => {
                let mut j = *i + 1;
                let mut class = String::from("[");
                if c.get(j) == Some(&'!') {
                    class.push('^');
                    j += 1;
                }
                let start = j;
                while j < c.len() && (c[j] != ']' || j == start) {
                    let x = c[j];
                    if x == '\\' || x == '[' || x == '&' || x == '~' || x == '^' {
                        class.push('\\');
                    }
                    class.push(x);
                    j += 1;
                }
                if j >= c.len() {
                    return None;
                }
                class.push(']');
                out.push_str(&class);
                *i = j;
            }
            '{' => {
                *i += 1;
                let mut alts = Vec::new();
                loop {
                    alts.push(glob_part(c, i, true)?);
                    match c.get(*i) {
                        Some(',') => *i += 1,
                        Some('}') => break,
                        _ => return None,
                    }
                }
                out.push_str(&format!("(?:{})", alts.join("|")));
            }
            ',' | '}' if in_alt => return Some(out),
            _ => out.push_str(&regex::escape(&ch.to_string())),
        }
        *i += 1;
    }
    if in_alt {
        return None;
    }
    Some(out)
}

fn one_string(method: &str, args: &[JValue]) -> Result<String, Error> {
    match args {
        [v] if v.as_str().is_some() => Ok(v.as_str().unwrap_or_default().to_string()),
        [v] if v.is_undefined() || v.is_none() => Ok(String::new()),
        _ => Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("Files.{method} takes one argument, a path or pattern string"),
        )),
    }
}

impl Object for Files {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &JValue) -> Option<JValue> {
        self.0
            .get(key.as_str()?)
            .map(|d| JValue::from_bytes(d.to_vec()))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.0.keys().map(|k| JValue::from(k.as_str())).collect())
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &State<'_, '_>,
        method: &str,
        args: &[JValue],
    ) -> Result<JValue, Error> {
        self.method(method, args).unwrap_or_else(|| {
            Err(Error::new(
                ErrorKind::UnknownMethod,
                format!(
                    "Files has no method {method} (it has Get, GetBytes, Glob, Lines, AsConfig, AsSecrets)"
                ),
            ))
        })
    }
}

impl Files {
    /// Helm's methods of `Files`, for every dialect; `None` when there is no such method.
    pub fn method(&self, method: &str, args: &[JValue]) -> Option<Result<JValue, Error>> {
        Some(match method {
            "Get" => one_string(method, args).map(|p| JValue::from(self.get(&p))),
            "GetBytes" => {
                one_string(method, args).map(|p| JValue::from_bytes(self.get_bytes(&p).to_vec()))
            }
            "Glob" => one_string(method, args).map(|p| JValue::from_object(self.glob(&p))),
            "Lines" => one_string(method, args).map(|p| JValue::from(self.lines(&p))),
            "AsConfig" | "AsSecrets" => {
                if !args.is_empty() {
                    return Some(Err(Error::new(
                        ErrorKind::TooManyArguments,
                        format!("Files.{method} takes no argument"),
                    )));
                }
                Ok(JValue::from(if method == "AsConfig" {
                    self.as_config()
                } else {
                    self.as_secrets()
                }))
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        Files::new([
            ("config/a.conf", b"alpha\n".as_slice()),
            ("config/sub/b.conf", b"beta".as_slice()),
            ("config/c.txt", b"one\ntwo\n".as_slice()),
            ("README.md", b"readme".as_slice()),
            ("crds/x.yaml", b"kind: X".as_slice()),
        ])
    }

    fn names(f: &Files) -> Vec<&str> {
        f.0.keys().map(String::as_str).collect()
    }

    #[test]
    fn glob_follows_gobwas() {
        let f = files();
        assert_eq!(
            names(&f.glob("config/*")),
            ["config/a.conf", "config/c.txt"]
        );
        assert_eq!(
            names(&f.glob("config/**")),
            ["config/a.conf", "config/c.txt", "config/sub/b.conf"]
        );
        assert_eq!(
            names(&f.glob("**.conf")),
            ["config/a.conf", "config/sub/b.conf"]
        );
        assert_eq!(
            names(&f.glob("config/*.{conf,txt}")),
            ["config/a.conf", "config/c.txt"]
        );
        assert_eq!(names(&f.glob("config/[ab].conf")), ["config/a.conf"]);
        assert_eq!(names(&f.glob("config/[!a].*")), ["config/c.txt"]);
        assert_eq!(names(&f.glob("?EADME.md")), ["README.md"]);
        assert!(names(&f.glob("nothing/*")).is_empty());
        // A pattern gobwas cannot compile matches everything, as Helm falls back to "**".
        assert_eq!(f.glob("config/[a").0.len(), 5);
    }

    #[test]
    fn get_lines_and_confinement() {
        let f = files();
        assert_eq!(f.get("config/a.conf"), "alpha\n");
        assert_eq!(f.get("../config/a.conf"), "");
        assert_eq!(f.get("/etc/passwd"), "");
        assert_eq!(f.get_bytes("README.md"), b"readme");
        assert_eq!(f.lines("config/c.txt"), ["one", "two"]);
        assert_eq!(f.lines("config/sub/b.conf"), ["beta"]);
        assert!(f.lines("missing").is_empty());
    }

    #[test]
    fn as_config_and_as_secrets_are_yaml_maps_by_base_name() {
        let f = files().glob("config/**");
        let conf = crate::yaml::parse(&f.as_config(), "AsConfig").unwrap();
        assert_eq!(
            conf,
            serde_json::json!({"a.conf": "alpha\n", "b.conf": "beta", "c.txt": "one\ntwo"})
        );
        let sec = crate::yaml::parse(&f.as_secrets(), "AsSecrets").unwrap();
        assert_eq!(
            sec,
            serde_json::json!({"a.conf": "YWxwaGEK", "b.conf": "YmV0YQ==", "c.txt": "b25lCnR3bwo="})
        );
    }
}
