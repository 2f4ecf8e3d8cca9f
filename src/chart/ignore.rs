//! `.helmignore`, with Helm's rules (pkg/ignore): one pattern a line, `#` comments, Go's
//! `filepath.Match` syntax, no `**`, a trailing `/` matches only folders, a leading `/` anchors
//! at the chart's root, a pattern without `/` matches the base name, `!` negates (and, as in
//! Helm, a negated rule ignores every path it does *not* match). `templates/.?*` is always added.

/// A parsed `.helmignore`.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    patterns: Vec<Pattern>,
}

#[derive(Debug, Clone)]
struct Pattern {
    rule: String,
    negate: bool,
    must_dir: bool,
    kind: Kind,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Rooted,
    Structural,
    Basename,
}

impl Rules {
    /// Parses a `.helmignore`'s text; the error names the offending rule.
    pub fn parse(text: &str) -> Result<Rules, String> {
        let mut r = Rules::default();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for line in text.split('\n') {
            let line = line.strip_suffix('\r').unwrap_or(line);
            r.add(line)?;
        }
        Ok(r)
    }

    /// Adds Helm's default rule (`templates/.?*`).
    pub fn add_defaults(&mut self) {
        let _ = self.add("templates/.?*");
    }

    fn add(&mut self, rule: &str) -> Result<(), String> {
        let rule = rule.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err(format!(
                "{rule:?}: double-star (**) syntax is not supported"
            ));
        }
        if crate::glob::try_match(rule, "abc").is_err() {
            return Err(format!("{rule:?}: syntax error in pattern"));
        }
        let mut r = rule;
        let negate = r.starts_with('!');
        if negate {
            r = &r[1..];
        }
        let must_dir = r.ends_with('/');
        if must_dir {
            r = &r[..r.len() - 1];
        }
        let (kind, r) = if let Some(after) = r.strip_prefix('/') {
            (Kind::Rooted, after)
        } else if r.contains('/') {
            (Kind::Structural, r)
        } else {
            (Kind::Basename, r)
        };
        self.patterns.push(Pattern {
            rule: r.to_string(),
            negate,
            must_dir,
            kind,
        });
        Ok(())
    }

    /// Whether `path` (relative to the chart, `/`-separated) is ignored.
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for p in &self.patterns {
            let matched = |n: &str| -> bool {
                let n = match p.kind {
                    Kind::Basename => n.rsplit('/').next().unwrap_or(n),
                    _ => n,
                };
                crate::glob::go_match(&p.rule, n)
            };
            if p.negate {
                if p.must_dir && !is_dir {
                    return true;
                }
                if !matched(path) {
                    return true;
                }
                continue;
            }
            if p.must_dir && !is_dir {
                continue;
            }
            if matched(path) {
                return true;
            }
        }
        false
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_match_cases() {
        assert_eq!(crate::glob::try_match("*.txt", "a.txt"), Ok(true));
        assert_eq!(crate::glob::try_match("*.txt", "d/a.txt"), Ok(false));
        assert_eq!(crate::glob::try_match("a?c", "abc"), Ok(true));
        assert_eq!(crate::glob::try_match("[a-c]x", "bx"), Ok(true));
        assert_eq!(crate::glob::try_match("[^a-c]x", "bx"), Ok(false));
        assert_eq!(crate::glob::try_match("a*", "a/b"), Ok(false));
        assert_eq!(crate::glob::try_match("a*b", "axxb"), Ok(true));
        assert_eq!(
            crate::glob::try_match("[", "a"),
            Err(crate::glob::BadPattern)
        );
        assert_eq!(crate::glob::try_match("a\\*b", "a*b"), Ok(true));
        assert_eq!(
            crate::glob::try_match("templates/.?*", "templates/.hidden"),
            Ok(true)
        );
    }

    #[test]
    fn rules() {
        let mut r = Rules::parse("# c\n*.bak\n/top.txt\nsecret/\ndocs/*.md\n").unwrap();
        r.add_defaults();
        assert!(r.ignore("x/y.bak", false));
        assert!(r.ignore("top.txt", false));
        assert!(!r.ignore("x/top.txt", false));
        assert!(r.ignore("secret", true));
        assert!(!r.ignore("secret", false));
        assert!(r.ignore("docs/a.md", false));
        assert!(r.ignore("templates/.x", false));
        assert!(!r.ignore("templates/x", false));
        assert!(Rules::parse("a/**/b").is_err());
    }
}
