//! Kubernetes label selectors in their string form (`app=web,tier!=db,env in (a,b),!legacy`),
//! as kustomize's `labelSelector` and `annotationSelector` take them (k8s.io/apimachinery
//! labels.Parse): `=`, `==`, `!=`, `in`, `notin`, `KEY` (exists) and `!KEY` (does not).

use crate::{Map, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    In(Vec<String>),
    NotIn(Vec<String>),
    Exists,
    DoesNotExist,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Requirement {
    key: String,
    op: Op,
}

/// A parsed selector; every requirement must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    reqs: Vec<Requirement>,
}

/// Splits at commas outside parentheses.
fn split_requirements(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn set_values(rest: &str, text: &str) -> Result<Vec<String>, String> {
    let inner = rest
        .trim()
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| format!("selector {text:?}: expected a list of values in parentheses"))?;
    Ok(inner
        .split(',')
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect())
}

impl Selector {
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        for part in split_requirements(text) {
            let part = part.trim();
            if part.is_empty() {
                return Err(format!("selector {text:?}: empty requirement"));
            }
            let bad_key = |k: &str| k.is_empty() || k.contains([' ', '(', ')', '=', '!']);
            let req = if let Some(k) = part.strip_prefix('!') {
                Requirement {
                    key: k.trim().to_string(),
                    op: Op::DoesNotExist,
                }
            } else if let Some((k, v)) = part.split_once("!=") {
                Requirement {
                    key: k.trim().to_string(),
                    op: Op::NotIn(vec![v.trim().to_string()]),
                }
            } else if let Some((k, v)) = part.split_once('=') {
                let v = v.strip_prefix('=').unwrap_or(v);
                Requirement {
                    key: k.trim().to_string(),
                    op: Op::In(vec![v.trim().to_string()]),
                }
            } else if let Some((k, rest)) = part.split_once(" notin ") {
                Requirement {
                    key: k.trim().to_string(),
                    op: Op::NotIn(set_values(rest, text)?),
                }
            } else if let Some((k, rest)) = part.split_once(" in ") {
                Requirement {
                    key: k.trim().to_string(),
                    op: Op::In(set_values(rest, text)?),
                }
            } else {
                Requirement {
                    key: part.to_string(),
                    op: Op::Exists,
                }
            };
            if bad_key(&req.key) {
                return Err(format!("selector {text:?}: invalid requirement {part:?}"));
            }
            reqs.push(req);
        }
        Ok(Selector { reqs })
    }

    /// Whether `labels` (an object's `metadata.labels` or `annotations`; None when absent)
    /// satisfies every requirement. Values that are not strings never match a value.
    pub fn matches(&self, labels: Option<&Map>) -> bool {
        self.reqs.iter().all(|r| {
            let v = labels.and_then(|m| m.get(&r.key));
            let s = v.and_then(Value::as_str);
            match &r.op {
                Op::Exists => v.is_some(),
                Op::DoesNotExist => v.is_none(),
                Op::In(set) => s.is_some_and(|s| set.iter().any(|x| x == s)),
                Op::NotIn(set) => !s.is_some_and(|s| set.iter().any(|x| x == s)),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(v: Value) -> Map {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn every_operator() {
        let l = m(json!({"app": "web", "tier": "front", "env": "prod"}));
        let t = |s: &str| Selector::parse(s).unwrap().matches(Some(&l));
        assert!(t("app=web"));
        assert!(t("app==web,tier=front"));
        assert!(!t("app=db"));
        assert!(t("app!=db"));
        assert!(t("missing!=x"));
        assert!(t("env in (dev, prod)"));
        assert!(!t("env notin (dev,prod)"));
        assert!(t("env notin (dev),app"));
        assert!(t("!legacy"));
        assert!(!t("!app"));
        assert!(!Selector::parse("app").unwrap().matches(None));
        assert!(Selector::parse("!app").unwrap().matches(None));
    }

    #[test]
    fn bad_selectors_are_errors() {
        for bad in ["", "a=b,", "env in dev", "=x", "a b"] {
            assert!(Selector::parse(bad).is_err(), "{bad}");
        }
    }
}
