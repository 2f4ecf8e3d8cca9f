//! Semantic versions as Masterminds/semver v3.4.0 reads them, for every place Helm uses it:
//! chart versions and dependency ranges (the loader and the values stage), `kubeVersion`
//! constraints (`chartr template`), and Sprig's `semver`/`semverCompare` (the engine).
//! Loose versions are coerced (`1.19` is 1.19.0, `v1.2.3` is 1.2.3); constraints take `=`,
//! `!=`, `>`, `<`, `>=`, `<=`, `~`, `~>`, `^`, wildcards (`1.2.x`), hyphen ranges (`1.2 - 1.4`),
//! `,` or space for AND and `||` for OR. A prerelease version only satisfies an OR-group that
//! itself names a prerelease (`>=1.19-0`).

use std::cmp::Ordering;

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

// Masterminds builds its grammar from regular expressions; chartr matches the same languages by
// hand (building the five regexes cost 4.2 M instructions per run). Each regex below is matched
// exactly as Go's RE2 does (leftmost-first, greedy): where backtracking could matter, the
// comment says why it cannot change the answer.

/// Go's `\s` (RE2's Perl class): `[\t\n\f\r ]`, not Unicode white space.
fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// `[0-9|x|X|\*]`: the version digits of a constraint (the `|` is in the class, as upstream).
fn is_cx(b: u8) -> bool {
    b.is_ascii_digit() || matches!(b, b'|' | b'x' | b'X' | b'*')
}

/// `[0-9A-Za-z\-]`: prerelease and metadata characters.
fn is_id(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// The spans (start, end) of a version's pieces as the regexes capture them: `major`, `.minor`
/// and `.patch` (each with its dot), `-pre` (with the dash) and `+meta` (with the plus).
#[derive(Debug, Default, Clone, Copy)]
struct Parts {
    major: (usize, usize),
    minor: Option<(usize, usize)>,
    patch: Option<(usize, usize)>,
    pre: Option<(usize, usize)>,
    meta: Option<(usize, usize)>,
    end: usize,
}

/// `[A](\.[A])*` greedily from `i`: the end, if at least one character of `A` is there.
fn dotted(s: &[u8], mut i: usize) -> Option<usize> {
    if !s.get(i).copied().is_some_and(is_id) {
        return None;
    }
    loop {
        while s.get(i).copied().is_some_and(is_id) {
            i += 1;
        }
        if s.get(i) == Some(&b'.') && s.get(i + 1).copied().is_some_and(is_id) {
            i += 1;
        } else {
            return Some(i);
        }
    }
}

/// The greedy, first-preference match of `v?(D+)(\.D+)?(\.D+)?(-(ID(\.ID)*))?(\+(ID(\.ID)*))?`
/// at `s[i..]` (D: `digit`). Every part is optional after the first and none can start with a
/// character the part before it accepts, so the greedy match is the only one: a string is in
/// the language exactly when this consumes all of it.
fn scan(s: &[u8], i: usize, digit: fn(u8) -> bool) -> Option<Parts> {
    let run = |mut j: usize| {
        while s.get(j).copied().is_some_and(digit) {
            j += 1;
        }
        j
    };
    let mut j = i;
    if s.get(j) == Some(&b'v') && s.get(j + 1).copied().is_some_and(digit) {
        j += 1;
    }
    let e = run(j);
    if e == j {
        return None;
    }
    let mut p = Parts {
        major: (j, e),
        ..Parts::default()
    };
    j = e;
    for slot in [&mut p.minor, &mut p.patch] {
        if s.get(j) == Some(&b'.') && s.get(j + 1).copied().is_some_and(digit) {
            let e = run(j + 1);
            *slot = Some((j, e));
            j = e;
        } else {
            break;
        }
    }
    if s.get(j) == Some(&b'-') {
        if let Some(e) = dotted(s, j + 1) {
            p.pre = Some((j, e));
            j = e;
        }
    }
    if s.get(j) == Some(&b'+') {
        if let Some(e) = dotted(s, j + 1) {
            p.meta = Some((j, e));
            j = e;
        }
    }
    p.end = j;
    Some(p)
}

/// `scan` when it must match all of `s[i..end]`.
fn scan_exact(s: &[u8], i: usize, end: usize, digit: fn(u8) -> bool) -> Option<Parts> {
    scan(&s[..end], i, digit).filter(|p| p.end == end)
}

fn span(s: &str, r: (usize, usize)) -> &str {
    &s[r.0..r.1]
}

fn span_or_empty(s: &str, r: Option<(usize, usize)>) -> &str {
    r.map(|r| span(s, r)).unwrap_or("")
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

/// Go's `strconv.ParseUint(s, 10, 64)` on a string of digits, wrapped as Masterminds wraps it.
fn segment(s: &str) -> Result<u64, String> {
    s.parse::<u64>().map_err(|_| {
        format!(
            "error parsing version segment: strconv.ParseUint: parsing {s:?}: value out of range"
        )
    })
}

/// `semver.NewVersion` (coercing: Masterminds' loose regex
/// `^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-(…))?(\+(…))?$`).
pub fn parse_version(v: &str) -> Result<Version, String> {
    let b = v.as_bytes();
    let p = scan_exact(b, 0, b.len(), |c| c.is_ascii_digit())
        .ok_or_else(|| "invalid semantic version".to_string())?;
    let dotless = |r: Option<(usize, usize)>| -> Result<u64, String> {
        match r {
            None => Ok(0),
            Some((a, e)) => segment(&v[a + 1..e]),
        }
    };
    let ver = Version {
        major: segment(span(v, p.major))?,
        minor: dotless(p.minor)?,
        patch: dotless(p.patch)?,
        pre: p
            .pre
            .map(|(a, e)| v[a + 1..e].to_string())
            .unwrap_or_default(),
        metadata: p
            .meta
            .map(|(a, e)| v[a + 1..e].to_string())
            .unwrap_or_default(),
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

/// Masterminds' `parseConstraint` on one constraint: operator `op`, version text `cv` (already
/// known to match the constraint version grammar).
fn parse_constraint(op: &str, cv: &str) -> Result<Constraint, String> {
    let p = scan_exact(cv.as_bytes(), 0, cv.len(), is_cx)
        .ok_or_else(|| format!("improper constraint: {op}{cv}"))?;
    let major = span(cv, p.major);
    let minor = span_or_empty(cv, p.minor);
    let patch = span_or_empty(cv, p.patch);
    let pre = span_or_empty(cv, p.pre);
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    let ver = if is_x(major) {
        dirty = true;
        format!("0.0.0{pre}")
    } else if is_x(minor.trim_start_matches('.')) || minor.is_empty() {
        minor_dirty = true;
        dirty = true;
        format!("{major}.0.0{pre}")
    } else if is_x(patch.trim_start_matches('.')) || patch.is_empty() {
        dirty = true;
        patch_dirty = true;
        format!("{major}{minor}.0{pre}")
    } else {
        cv.to_string()
    };
    let con = parse_version(&ver).map_err(|_| "constraint parser error".to_string())?;
    Ok(Constraint {
        con,
        op: op.to_string(),
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

fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while s.get(i).copied().is_some_and(is_ws) {
        i += 1;
    }
    i
}

/// The leftmost `p` in `a..e` with `s[p..e]` in the constraint version language: the regex's
/// automaton run from every start at once, each state keeping its leftmost start (threads that
/// meet in a state have the same future), so this is linear in `e - a`.
fn leftmost_version_suffix(s: &[u8], a: usize, e: usize) -> Option<usize> {
    // States: 0 start, 1 after `v`, 2/4/6 in major/minor/patch, 3/5 after their dot,
    // 8 after `-`, 9 in a prerelease part, 10 after its dot, 11 after `+`, 12 in a metadata
    // part, 13 after its dot. Accepting: 2, 4, 6, 9, 12.
    fn step(state: usize, c: u8) -> Option<usize> {
        let x = is_cx(c);
        let id = is_id(c);
        Some(match (state, c) {
            (0, b'v') => 1,
            (0..=2, _) if x => 2,
            (3 | 4, _) if x => 4,
            (5 | 6, _) if x => 6,
            (2, b'.') => 3,
            (4, b'.') => 5,
            (2 | 4 | 6, b'-') => 8,
            (2 | 4 | 6 | 9, b'+') => 11,
            (8..=10, _) if id => 9,
            (9, b'.') => 10,
            (11..=13, _) if id => 12,
            (12, b'.') => 13,
            _ => return None,
        })
    }
    let mut best: [Option<usize>; 14] = [None; 14];
    for (i, &c) in s.iter().enumerate().take(e).skip(a) {
        best[0] = Some(i);
        let mut next: [Option<usize>; 14] = [None; 14];
        for (st, start) in best.iter().enumerate() {
            if let (Some(start), Some(t)) = (start, step(st, c)) {
                next[t] = Some(next[t].map_or(*start, |n: usize| n.min(*start)));
            }
        }
        best = next;
    }
    [2, 4, 6, 9, 12].iter().filter_map(|&st| best[st]).min()
}

/// What Masterminds' range regex `\s*(CV)\s+-\s+(CV)\s*` finds after a first version ending at
/// `e`: the end of the match and the second version's span.
fn range_tail(s: &[u8], e: usize) -> Option<(usize, (usize, usize))> {
    let k = skip_ws(s, e);
    if k == e || s.get(k) != Some(&b'-') {
        return None;
    }
    let k2 = skip_ws(s, k + 1);
    if k2 == k + 1 {
        return None;
    }
    let p = scan(s, k2, is_cx)?;
    Some((skip_ws(s, p.end), (k2, p.end)))
}

/// Masterminds' `rewriteRange`: every `A - B` becomes `>= A, <= B `, each replacing the first
/// occurrence of the matched text (as `strings.Replace(o, m, t, 1)` does).
fn rewrite_range(i: &str) -> String {
    let s = i.as_bytes();
    // (match start, match end, first version, second version)
    type Span = (usize, usize);
    let mut found: Vec<(usize, usize, Span, Span)> = Vec::new();
    let mut from = 0;
    'search: while from < s.len() {
        // The regex's leftmost match at or after `from`: the first version must end where a
        // run of non-blanks ends (a blank must follow it), so each run is tried in turn.
        let mut r = from;
        loop {
            let run_start = skip_ws(s, r);
            if run_start >= s.len() {
                break 'search;
            }
            let mut run_end = run_start;
            while run_end < s.len() && !is_ws(s[run_end]) {
                run_end += 1;
            }
            if let Some((end, second)) = range_tail(s, run_end) {
                if let Some(p) = leftmost_version_suffix(s, run_start, run_end) {
                    // A match may start on the blanks before the version (`\s*`).
                    let start = if p == run_start { r } else { p };
                    found.push((start, end, (p, run_end), second));
                    from = end;
                    continue 'search;
                }
            }
            r = run_end;
        }
    }
    let mut o = i.to_string();
    for (start, end, a, b) in found {
        let t = format!(">= {}, <= {} ", &i[a.0..a.1], &i[b.0..b.1]);
        o = o.replacen(&i[start..end], &t, 1);
    }
    o
}

/// Masterminds' `validConstraintRegex` (`^(\s*OPS\s*CV\s*)((?:\s+|,\s*)OPS\s*CV\s*)*$`) and
/// `findConstraintRegex` (`(OPS)\s*(CV)`) over one OR-group: its constraints as (operator,
/// version) pairs, or None when the group is improper. Operators and versions share no
/// character, so an operator is the whole run of operator characters, and a version the whole
/// run up to the next blank or comma.
fn and_group(g: &str) -> Option<Vec<(&str, &str)>> {
    const OPS: [&str; 12] = [
        "", "=", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^",
    ];
    let b = g.as_bytes();
    let mut out = Vec::new();
    let mut i = skip_ws(b, 0);
    loop {
        let op_start = i;
        while i < b.len() && matches!(b[i], b'=' | b'!' | b'>' | b'<' | b'~' | b'^') {
            i += 1;
        }
        let op = &g[op_start..i];
        if !OPS.contains(&op) {
            return None;
        }
        i = skip_ws(b, i);
        let cv_start = i;
        while i < b.len() && !is_ws(b[i]) && b[i] != b',' {
            i += 1;
        }
        scan_exact(b, cv_start, i, is_cx)?;
        out.push((op, &g[cv_start..i]));
        let before = i;
        i = skip_ws(b, i);
        if i == b.len() {
            return Some(out);
        }
        if b[i] == b',' {
            i = skip_ws(b, i + 1);
        } else if i == before {
            return None;
        }
    }
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
        let found = and_group(or).ok_or_else(|| format!("improper constraint: {or}"))?;
        let mut cs = Vec::new();
        let mut has_pre = false;
        for (op, cv) in found {
            let pc = parse_constraint(op, cv)?;
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
