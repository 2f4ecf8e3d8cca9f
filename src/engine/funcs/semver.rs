//! Sprig's `semver` and `semverCompare` over [`crate::semver`].

use super::{err, text, want, Func};
use crate::semver::{parse_constraints, parse_version, Version};
use minijinja::value::{Object, ObjectRepr};
use minijinja::{Error, State, Value};
use std::cmp::Ordering;
use std::sync::Arc;

pub(super) const FUNCS: &[(&str, Func)] = &[("semver", semver), ("semverCompare", semver_compare)];

fn semver_compare(a: &[Value]) -> Result<Value, Error> {
    want("semverCompare", a, 2, 2)?;
    let c = parse_constraints(&text(&a[0])).map_err(|e| err("semverCompare", e))?;
    let v = parse_version(&text(&a[1])).map_err(|e| err("semverCompare", e))?;
    Ok(Value::from(c.check(&v)))
}

impl Object for Version {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        Some(match key.as_str()? {
            "Major" => Value::from(self.major),
            "Minor" => Value::from(self.minor),
            "Patch" => Value::from(self.patch),
            "Prerelease" => Value::from(self.pre.as_str()),
            "Metadata" => Value::from(self.metadata.as_str()),
            "Original" => Value::from(self.original.as_str()),
            _ => return None,
        })
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        let other = || -> Result<Version, Error> {
            let o = args.first().ok_or_else(|| err(method, "missing version"))?;
            match o.downcast_object_ref::<Version>() {
                Some(v) => Ok(v.clone()),
                None => parse_version(&text(o)).map_err(|e| err(method, e)),
            }
        };
        match method {
            "String" => Ok(Value::from(self.to_string())),
            "Original" => Ok(Value::from(self.original.as_str())),
            "Compare" => Ok(Value::from(match self.compare(&other()?) {
                Ordering::Less => -1,
                Ordering::Equal => 0,
                Ordering::Greater => 1,
            })),
            "LessThan" => Ok(Value::from(self.compare(&other()?) == Ordering::Less)),
            "GreaterThan" => Ok(Value::from(self.compare(&other()?) == Ordering::Greater)),
            "Equal" => Ok(Value::from(self.compare(&other()?) == Ordering::Equal)),
            _ => Err(Error::from(minijinja::ErrorKind::UnknownMethod)),
        }
    }

    fn render(self: &Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self}")
    }
}

/// `semver VERSION`: an object with `.Major`, `.Minor`, `.Patch`, `.Prerelease`,
/// `.Metadata`, `.Original`, printing as the version.
fn semver(a: &[Value]) -> Result<Value, Error> {
    want("semver", a, 1, 1)?;
    parse_version(&text(&a[0]))
        .map(Value::from_object)
        .map_err(|e| err("semver", e))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;

    #[test]
    fn template_forms() {
        assert_eq!(
            r(
                r#"{{ semverCompare(">=1.19-0", "v1.35.0") }}|{{ "1.18.0" | semverCompare(">=1.19-0") }}"#
            ),
            "true|false"
        );
        assert!(e(r#"{{ semverCompare(">=1.19", "nope") }}"#).contains("invalid semantic version"));
        assert!(e(r#"{{ semverCompare("!!", "1.0.0") }}"#).contains("improper constraint"));
        assert_eq!(
            r(
                r#"{% set v = semver("v1.2.3-rc.1+m") %}{{ v }}|{{ v.Major }}|{{ v.Minor }}|{{ v.Prerelease }}|{{ v.Metadata }}|{{ v.Original }}|{{ v.Compare("1.2.3") }}"#
            ),
            "1.2.3-rc.1+m|1|2|rc.1|m|v1.2.3-rc.1+m|-1"
        );
    }
}
