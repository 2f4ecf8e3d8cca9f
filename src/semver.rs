//! Semantic versions as Masterminds/semver v3.4.0 reads them, for every place Helm uses it:
//! chart versions and dependency ranges (the loader and the values stage), `kubeVersion`
//! constraints (`chartr template`), and Sprig's `semver`/`semverCompare` (the engine).
//! Loose versions are coerced (`1.19` is 1.19.0, `v1.2.3` is 1.2.3); constraints take `=`,
//! `!=`, `>`, `<`, `>=`, `<=`, `~`, `~>`, `^`, wildcards (`1.2.x`), hyphen ranges (`1.2 - 1.4`),
//! `,` or space for AND and `||` for OR. A prerelease version only satisfies an OR-group that
//! itself names a prerelease (`>=1.19-0`).

use regex::Regex;
use std::cmp::Ordering;
use std::sync::OnceLock;
/// A parsed version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub metadata: String,
    pub original: String,
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

struct Res {
    loose: Regex,
    constraint: Regex,
    range: Regex,
    find: Regex,
    valid: Regex,
}

fn res() -> &'static Res {
    static R: OnceLock<Res> = OnceLock::new();
    R.get_or_init(|| {
        let mk = |s: String| Regex::new(&s).unwrap_or_else(|_| Regex::new("$^").unwrap_or_else(|_| unreachable!()));
        Res {
            loose: mk(r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$".to_string()),
            constraint: mk(format!(r"^\s*({OPS})\s*({CV})\s*$")),
            range: mk(format!(r"\s*({CV})\s+-\s+({CV})\s*")),
            find: mk(format!(r"({OPS})\s*({CV})")),
            valid: mk(format!(r"^(\s*({OPS})\s*({CV})\s*)((?:\s+|,\s*)({OPS})\s*({CV})\s*)*$")),
        }
    })
}

fn only(s: &str, f: impl Fn(char) -> bool) -> bool {
    s.chars().all(f)
}

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

fn validate_pre(p: &str) -> Result<(), String> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err("invalid prerelease string".into());
        } else if only(part, |c| c.is_ascii_digit()) {
            if part.len() > 1 && part.starts_with('0') {
                return Err("version segment starts with 0".into());
            }
        } else if !only(part, allowed) {
            return Err("invalid prerelease string".into());
        }
    }
    Ok(())
}

fn validate_meta(m: &str) -> Result<(), String> {
    for part in m.split('.') {
        if part.is_empty() || !only(part, allowed) {
            return Err("invalid metadata string".into());
        }
    }
    Ok(())
}

/// `semver.NewVersion` (coercing).
pub fn parse_version(v: &str) -> Result<Version, String> {
    let m = res()
        .loose
        .captures(v)
        .ok_or_else(|| "invalid semantic version".to_string())?;
    let seg = |i: usize| -> Result<u64, String> {
        match m.get(i) {
            None => Ok(0),
            Some(x) => x
                .as_str()
                .trim_start_matches('.')
                .parse::<u64>()
                .map_err(|e| format!("error parsing version segment: {e}")),
        }
    };
    let ver = Version {
        major: seg(1)?,
        minor: seg(2)?,
        patch: seg(3)?,
        pre: m.get(5).map(|x| x.as_str().to_string()).unwrap_or_default(),
        metadata: m.get(8).map(|x| x.as_str().to_string()).unwrap_or_default(),
        original: v.to_string(),
    };
    if !ver.pre.is_empty() {
        validate_pre(&ver.pre)?;
    }
    if !ver.metadata.is_empty() {
        validate_meta(&ver.metadata)?;
    }
    Ok(ver)
}

fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (s.parse::<u64>(), o.parse::<u64>()) {
        (Err(_), Err(_)) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (_, Err(_)) => Ordering::Less,
        (Err(_), _) => Ordering::Greater,
        (Ok(a), Ok(b)) => {
            if a > b {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

fn compare_pre(v: &str, o: &str) -> Ordering {
    let s: Vec<&str> = v.split('.').collect();
    let t: Vec<&str> = o.split('.').collect();
    for i in 0..s.len().max(t.len()) {
        let d = compare_pre_part(
            s.get(i).copied().unwrap_or(""),
            t.get(i).copied().unwrap_or(""),
        );
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

impl Version {
    /// Semver precedence (metadata ignored).
    pub fn compare(&self, o: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_pre(&self.pre, &o.pre),
            })
    }
}

#[derive(Debug, Clone)]
struct Constraint {
    con: Version,
    op: String,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

fn parse_constraint(c: &str) -> Result<Constraint, String> {
    let m = res()
        .constraint
        .captures(c)
        .ok_or_else(|| format!("improper constraint: {c}"))?;
    let g = |i: usize| m.get(i).map(|x| x.as_str()).unwrap_or("");
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    let ver = if is_x(g(3)) || g(3).is_empty() {
        dirty = true;
        format!("0.0.0{}", g(6))
    } else if is_x(g(4).trim_start_matches('.')) || g(4).is_empty() {
        minor_dirty = true;
        dirty = true;
        format!("{}.0.0{}", g(3), g(6))
    } else if is_x(g(5).trim_start_matches('.')) || g(5).is_empty() {
        dirty = true;
        patch_dirty = true;
        format!("{}{}.0{}", g(3), g(4), g(6))
    } else {
        g(2).to_string()
    };
    let con = parse_version(&ver).map_err(|_| "constraint parser error".to_string())?;
    Ok(Constraint {
        con,
        op: g(1).to_string(),
        minor_dirty,
        patch_dirty,
        dirty,
    })
}

fn check(v: &Version, c: &Constraint, include_pre: bool) -> bool {
    if !v.pre.is_empty() && !include_pre {
        return false;
    }
    let cv = &c.con;
    match c.op.as_str() {
        "" | "=" => {
            if c.dirty {
                tilde(v, c)
            } else {
                v.compare(cv) == Ordering::Equal
            }
        }
        "!=" => {
            if c.dirty {
                if cv.major != v.major {
                    return true;
                }
                if cv.minor != v.minor && !c.minor_dirty {
                    return true;
                } else if c.minor_dirty {
                    return false;
                } else if cv.patch != v.patch && !c.patch_dirty {
                    return true;
                } else if c.patch_dirty {
                    if !v.pre.is_empty() || !cv.pre.is_empty() {
                        return compare_pre(&v.pre, &cv.pre) != Ordering::Equal;
                    }
                    return false;
                }
            }
            v.compare(cv) != Ordering::Equal
        }
        ">" => {
            if !c.dirty {
                return v.compare(cv) == Ordering::Greater;
            }
            if v.major > cv.major {
                true
            } else if v.major < cv.major || c.minor_dirty {
                false
            } else if c.patch_dirty {
                v.minor > cv.minor
            } else {
                v.compare(cv) == Ordering::Greater
            }
        }
        "<" => v.compare(cv) == Ordering::Less,
        ">=" | "=>" => v.compare(cv) != Ordering::Less,
        "<=" | "=<" => {
            if !c.dirty {
                return v.compare(cv) != Ordering::Greater;
            }
            !(v.major > cv.major || v.major == cv.major && v.minor > cv.minor && !c.minor_dirty)
        }
        "~" | "~>" => tilde(v, c),
        "^" => {
            if v.compare(cv) == Ordering::Less {
                return false;
            }
            if cv.major > 0 || c.minor_dirty {
                return v.major == cv.major;
            }
            if v.major > 0 {
                return false;
            }
            if cv.minor > 0 || c.patch_dirty {
                return v.minor == cv.minor;
            }
            if v.minor > 0 {
                return false;
            }
            cv.patch == v.patch
        }
        _ => false,
    }
}

fn tilde(v: &Version, c: &Constraint) -> bool {
    let cv = &c.con;
    if v.compare(cv) == Ordering::Less {
        return false;
    }
    if cv.major == 0 && cv.minor == 0 && cv.patch == 0 && !c.minor_dirty && !c.patch_dirty {
        return true;
    }
    if v.major != cv.major {
        return false;
    }
    v.minor == cv.minor || c.minor_dirty
}

fn rewrite_range(i: &str) -> String {
    let mut o = i.to_string();
    for m in res().range.captures_iter(i) {
        let whole = m.get(0).map(|x| x.as_str()).unwrap_or("");
        let a = m.get(1).map(|x| x.as_str()).unwrap_or("");
        let b = m.get(11).map(|x| x.as_str()).unwrap_or("");
        o = o.replacen(whole, &format!(">= {a}, <= {b} "), 1);
    }
    o
}

/// A parsed constraint: OR-groups of AND-ed constraints.
pub struct Constraints {
    groups: Vec<(Vec<Constraint>, bool)>,
}

/// `semver.NewConstraint`.
pub fn parse_constraints(c: &str) -> Result<Constraints, String> {
    let c = rewrite_range(c);
    let mut groups = Vec::new();
    for or in c.split("||") {
        if !res().valid.is_match(or) {
            return Err(format!("improper constraint: {or}"));
        }
        let found: Vec<&str> = res().find.find_iter(or).map(|m| m.as_str()).collect();
        let found = if found.is_empty() { vec![or] } else { found };
        let mut cs = Vec::new();
        let mut has_pre = false;
        for s in found {
            let pc = parse_constraint(s)?;
            if !pc.con.pre.is_empty() {
                has_pre = true;
            }
            cs.push(pc);
        }
        groups.push((cs, has_pre));
    }
    Ok(Constraints { groups })
}

impl Constraints {
    /// Whether `v` satisfies any OR-group.
    pub fn check(&self, v: &Version) -> bool {
        self.groups
            .iter()
            .any(|(cs, pre)| cs.iter().all(|c| check(v, c, *pre)))
    }
}

/// Helm's `IsCompatibleRange(constraint, ver)`: false when either does not parse.
pub fn is_compatible_range(constraint: &str, ver: &str) -> bool {
    match (parse_constraints(constraint), parse_version(ver)) {
        (Ok(c), Ok(v)) => c.check(&v),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sc(c: &str, v: &str) -> bool {
        parse_constraints(c)
            .unwrap()
            .check(&parse_version(v).unwrap())
    }
    #[test]
    fn versions_parse_loosely() {
        assert_eq!(parse_version("v1.19").unwrap().to_string(), "1.19.0");
        assert_eq!(
            parse_version("1.2.3-beta.1+b5").unwrap().to_string(),
            "1.2.3-beta.1+b5"
        );
        assert!(parse_version("1.2.3.4").is_err());
        assert!(parse_version("x").is_err());
        assert!(parse_version("1.2.3-01").is_err());
    }

    #[test]
    fn constraints_like_the_upstream_chart() {
        assert!(sc(">=1.19-0", "1.35.0"));
        assert!(sc(">=1.19-0", "1.19.3-gke.100"));
        assert!(!sc(">=1.19", "1.19.3-gke.100"));
        assert!(sc("<1.19-0", "1.18.9"));
        assert!(!sc("<1.19-0", "v1.35.0"));
        assert!(sc(">=1.14-0, <1.19-0", "1.16.0"));
        assert!(sc(">= 1.2, < 3.0.0 || >= 4.2.3", "4.5.0"));
        assert!(!sc(">= 1.2, < 3.0.0 || >= 4.2.3", "3.5.0"));
    }

    #[test]
    fn constraint_operators() {
        assert!(sc("~1.2.3", "1.2.9") && !sc("~1.2.3", "1.3.0"));
        assert!(sc("~1", "1.9.0") && !sc("~1", "2.0.0"));
        assert!(sc("^1.2.3", "1.9.0") && !sc("^1.2.3", "2.0.0"));
        assert!(sc("^0.2.3", "0.2.9") && !sc("^0.2.3", "0.3.0"));
        assert!(sc("^0.0.3", "0.0.3") && !sc("^0.0.3", "0.0.4"));
        assert!(sc("1.2.x", "1.2.7") && !sc("1.2.x", "1.3.0"));
        assert!(sc("*", "5.0.0"));
        assert!(sc("!=1.2.3", "1.2.4") && !sc("!=1.2.3", "1.2.3"));
        assert!(sc("1.2 - 1.4.5", "1.4.5") && !sc("1.2 - 1.4.5", "1.4.6"));
        assert!(sc(">1.2", "1.3.0") && !sc(">1.2", "1.2.9"));
        assert!(sc("<=1.2", "1.2.9") && !sc("<=1.2", "1.3.0"));
        assert!(sc("=1.2.3", "1.2.3") && sc("1.2.3", "v1.2.3"));
        assert!(sc(">1.0.0-alpha", "1.0.0-beta") && !sc(">1.0.0-beta", "1.0.0-alpha"));
        assert!(sc(">1.0.0-alpha.1", "1.0.0-alpha.beta"));
        assert!(parse_constraints(">>1").is_err());
        assert!(parse_constraints("1.2.3 ||| 2").is_err());
    }

    #[test]
    fn chart_versions() {
        assert!(parse_version("1.2.3").is_ok());
        assert!(parse_version("v1.2").is_ok());
        assert!(parse_version("1.2.3-alpha.1+b").is_ok());
        assert!(parse_version("abc").is_err());
        assert!(parse_version("").is_err());
    }

    #[test]
    fn dependency_ranges() {
        assert!(is_compatible_range("1.2.3", "1.2.3"));
        assert!(!is_compatible_range("1.2.3", "1.2.4"));
        assert!(is_compatible_range("~1.2.0", "1.2.9"));
        assert!(is_compatible_range("^1.2.0", "1.9.0"));
        assert!(!is_compatible_range("^1.2.0", "2.0.0"));
        assert!(is_compatible_range(">=1.0.0 <2.0.0", "1.5.0"));
        assert!(is_compatible_range(">=1.0.0, <2.0.0", "1.5.0"));
        assert!(is_compatible_range("1.x", "1.5.0"));
        assert!(is_compatible_range("*", "1.5.0"));
        assert!(is_compatible_range("1.0 - 2.0", "1.5.0"));
        assert!(is_compatible_range("<1 || >=3", "3.1.0"));
        assert!(!is_compatible_range("*", "1.5.0-rc.1"));
        assert!(is_compatible_range(">=1.5.0-0", "1.5.0-rc.1"));
        assert!(!is_compatible_range("", "1.0.0"));
        assert!(!is_compatible_range("1.2.3", "not-a-version"));
    }
}
