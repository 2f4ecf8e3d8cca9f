//! helm-unittest's `path:` syntax: the JSONPath dialect of vmware-labs/yaml-jsonpath (as
//! helm-unittest forks it), the subset charts' suites write: `a.b`, `a["k.with.dots"]`,
//! `a['k']`, `a[0]`, `a[-1]`, `a[*]`, `a.*`, `a[1:3]` and filters
//! `a[?(@.name == "X")]` (`==`, `!=`, or a bare `@.key` for "has key"). A leading `$` is optional.
//! A path finds a list of nodes; none found is "unknown path".

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(i64),
    Slice(Option<i64>, Option<i64>),
    Wildcard,
    Filter(Vec<Step>, Option<(bool, Value)>),
}

/// A parsed path.
#[derive(Debug, Clone)]
pub struct Path(Vec<Step>);

impl Path {
    pub fn parse(text: &str) -> Result<Path, String> {
        let mut p = Parser {
            s: text.trim().as_bytes(),
            i: 0,
            text,
        };
        if p.peek() == Some(b'$') {
            p.i += 1;
        }
        let steps = p.steps(false)?;
        if p.i < p.s.len() {
            return Err(p.err("unexpected character"));
        }
        Ok(Path(steps))
    }

    /// Every node the path reaches from `root`, in document order.
    pub fn find<'a>(&self, root: &'a Value) -> Vec<&'a Value> {
        find(&self.0, root)
    }
}

fn find<'a>(steps: &[Step], root: &'a Value) -> Vec<&'a Value> {
    let mut cur = vec![root];
    for step in steps {
        let mut next = Vec::new();
        for v in cur {
            match (step, v) {
                (Step::Key(k), Value::Object(m)) => next.extend(m.get(k)),
                (Step::Index(i), Value::Array(a)) => {
                    let idx = if *i < 0 { a.len() as i64 + i } else { *i };
                    if idx >= 0 {
                        next.extend(a.get(idx as usize));
                    }
                }
                (Step::Slice(from, to), Value::Array(a)) => {
                    let n = a.len() as i64;
                    let norm = |x: i64| if x < 0 { (n + x).max(0) } else { x.min(n) };
                    let f = norm(from.unwrap_or(0));
                    let t = norm(to.unwrap_or(n));
                    if f < t {
                        next.extend(&a[f as usize..t as usize]);
                    }
                }
                (Step::Wildcard, Value::Array(a)) => next.extend(a.iter()),
                (Step::Wildcard, Value::Object(m)) => next.extend(m.values()),
                (Step::Filter(rel, test), Value::Array(a)) => {
                    next.extend(a.iter().filter(|item| filter_holds(rel, test, item)))
                }
                (Step::Filter(rel, test), Value::Object(m)) => {
                    next.extend(m.values().filter(|item| filter_holds(rel, test, item)))
                }
                _ => {}
            }
        }
        cur = next;
    }
    cur
}

fn filter_holds(rel: &[Step], test: &Option<(bool, Value)>, item: &Value) -> bool {
    let found = find(rel, item);
    match test {
        None => !found.is_empty(),
        Some((equal, lit)) => {
            let any = found.contains(&lit);
            if *equal {
                any
            } else {
                !found.is_empty() && !any
            }
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn err(&self, what: &str) -> String {
        format!("invalid path {:?}: {what} at {}", self.text, self.i)
    }

    /// Steps until the end, or (inside a filter) until a space, `=`, `!` or `)`.
    fn steps(&mut self, in_filter: bool) -> Result<Vec<Step>, String> {
        let mut steps = Vec::new();
        let mut first = true;
        while let Some(c) = self.peek() {
            match c {
                b'.' => {
                    self.i += 1;
                    if self.peek() == Some(b'.') {
                        return Err(self.err("recursive descent is not supported"));
                    }
                    steps.push(self.name()?);
                }
                b'[' => {
                    self.i += 1;
                    steps.push(self.bracket()?);
                }
                b' ' | b'=' | b'!' | b')' if in_filter => break,
                _ if first => steps.push(self.name()?),
                _ => return Err(self.err("expected '.' or '['")),
            }
            first = false;
        }
        Ok(steps)
    }

    fn name(&mut self) -> Result<Step, String> {
        let start = self.i;
        while let Some(c) = self.peek() {
            if matches!(c, b'.' | b'[' | b' ' | b'=' | b'!' | b')') {
                break;
            }
            self.i += 1;
        }
        let name = std::str::from_utf8(&self.s[start..self.i]).map_err(|e| e.to_string())?;
        match name {
            "" => Err(self.err("empty name")),
            "*" => Ok(Step::Wildcard),
            n => Ok(Step::Key(n.to_string())),
        }
    }

    fn quoted(&mut self) -> Result<String, String> {
        let q = self.peek().ok_or_else(|| self.err("expected a quote"))?;
        self.i += 1;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.err("unterminated string")),
                Some(b'\\') => {
                    self.i += 1;
                    out.extend(self.peek());
                    self.i += 1;
                }
                Some(c) if c == q => {
                    self.i += 1;
                    break;
                }
                Some(c) => {
                    out.push(c);
                    self.i += 1;
                }
            }
        }
        String::from_utf8(out).map_err(|e| e.to_string())
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), String> {
        self.skip_spaces();
        if self.peek() != Some(c) {
            return Err(self.err(&format!("expected '{}'", c as char)));
        }
        self.i += 1;
        Ok(())
    }

    fn bracket(&mut self) -> Result<Step, String> {
        self.skip_spaces();
        let step = match self.peek() {
            Some(b'\'' | b'"') => Step::Key(self.quoted()?),
            Some(b'*') => {
                self.i += 1;
                Step::Wildcard
            }
            Some(b'?') => {
                self.i += 1;
                self.expect(b'(')?;
                self.skip_spaces();
                if self.peek() != Some(b'@') {
                    return Err(self.err("a filter starts with '@'"));
                }
                self.i += 1;
                let rel = self.steps(true)?;
                self.skip_spaces();
                let test = match self.peek() {
                    Some(b'=') | Some(b'!') => {
                        let equal = self.peek() == Some(b'=');
                        self.i += 1;
                        self.expect(b'=')?;
                        self.skip_spaces();
                        Some((equal, self.literal()?))
                    }
                    _ => None,
                };
                self.expect(b')')?;
                Step::Filter(rel, test)
            }
            _ => {
                let start = self.i;
                while let Some(c) = self.peek() {
                    if c == b']' {
                        break;
                    }
                    self.i += 1;
                }
                let inner = std::str::from_utf8(&self.s[start..self.i])
                    .map_err(|e| e.to_string())?
                    .trim()
                    .to_string();
                let num = |t: &str| -> Result<Option<i64>, String> {
                    let t = t.trim();
                    if t.is_empty() {
                        return Ok(None);
                    }
                    t.parse::<i64>()
                        .map(Some)
                        .map_err(|_| self.err("expected an index"))
                };
                match inner.split_once(':') {
                    Some((a, b)) => Step::Slice(num(a)?, num(b)?),
                    None => Step::Index(num(&inner)?.ok_or_else(|| self.err("empty index"))?),
                }
            }
        };
        self.expect(b']')?;
        Ok(step)
    }

    fn literal(&mut self) -> Result<Value, String> {
        match self.peek() {
            Some(b'\'' | b'"') => Ok(Value::String(self.quoted()?)),
            _ => {
                let start = self.i;
                while let Some(c) = self.peek() {
                    if c == b')' || c == b' ' {
                        break;
                    }
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[start..self.i]).map_err(|e| e.to_string())?;
                match t {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    "null" => Ok(Value::Null),
                    _ => t
                        .parse::<f64>()
                        .ok()
                        .and_then(serde_json::Number::from_f64)
                        .map(Value::Number)
                        .ok_or_else(|| self.err("expected a literal")),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn get(path: &str, v: &Value) -> Vec<Value> {
        Path::parse(path)
            .unwrap()
            .find(v)
            .into_iter()
            .cloned()
            .collect()
    }

    #[test]
    fn paths_as_suites_write_them() {
        let doc = json!({"metadata": {"labels": {"app.kubernetes.io/name": "x"}},
            "spec": {"containers": [{"name": "a", "env": [{"name": "X", "value": "1"}]},
                                    {"name": "b"}]}});
        assert_eq!(
            get(r#"metadata.labels["app.kubernetes.io/name"]"#, &doc),
            [json!("x")]
        );
        assert_eq!(
            get("metadata.labels['app.kubernetes.io/name']", &doc),
            [json!("x")]
        );
        assert_eq!(get("spec.containers[1].name", &doc), [json!("b")]);
        assert_eq!(get("spec.containers[-1].name", &doc), [json!("b")]);
        assert_eq!(
            get("$.spec.containers[*].name", &doc),
            [json!("a"), json!("b")]
        );
        assert_eq!(
            get(r#"spec.containers[0].env[?(@.name == "X")].value"#, &doc),
            [json!("1")]
        );
        assert_eq!(get(r#"spec.containers[?(@.env)].name"#, &doc), [json!("a")]);
        assert_eq!(get("spec.containers[0:1].name", &doc), [json!("a")]);
        assert!(get("spec.containers[5]", &doc).is_empty());
        assert!(get("metadata.missing.deeper", &doc).is_empty());
        assert!(Path::parse("a..b").is_err());
        assert!(Path::parse("a[").is_err());
    }
}
