//! Splitting a rendered template into YAML documents, exactly as Helm's `SplitManifests`
//! (pkg/release/v1/util/manifest.go) does.
//!
//! Helm trims the whole text, splits it on the regular expression `(?:^|\s*\n)---\s*`, drops
//! the pieces that are exactly empty and trims each remaining piece. Its quirks are kept on
//! purpose, since `helm template` prints what they produce:
//! - a document holding only comments or whitespace-free text is kept (it is not "empty");
//! - the separator eats the newline after `---`, so of two separators in a row (`---\n---\n`)
//!   the second stays at the head of the next document;
//! - any line that *starts* with `---` separates, whatever follows on that line
//!   (`---foo` leaves `foo` as the start of the next document).

use regex::Regex;
use std::sync::OnceLock;

/// Go's `\s` is ASCII-only (`[\t\n\f\r ]`); the regex crate's is Unicode, so spell it out.
fn separator() -> &'static Regex {
    static SEP: OnceLock<Regex> = OnceLock::new();
    SEP.get_or_init(|| {
        Regex::new(r"(?:^|[\t\n\x0C\r ]*\n)---[\t\n\x0C\r ]*").unwrap_or_else(|_| unreachable!())
    })
}

/// Go's `strings.TrimSpace`: Unicode white space at both ends (Rust's `trim` has the same set).
pub fn trim_space(s: &str) -> &str {
    s.trim()
}

/// Helm's `SplitManifests`: the documents of `text` in order, each trimmed, none empty.
pub fn split_manifests(text: &str) -> Vec<String> {
    let text = trim_space(text);
    go_split(separator(), text)
        .into_iter()
        .filter(|d| !d.is_empty())
        .map(|d| trim_space(d).to_string())
        .collect()
}

/// One document's share of [`split_manifests`] over a longer text, for splitting a printed
/// stream document by document: with `after_separator`, the text before `text` ended in a
/// separator, which ate the newline a `---` at the very start of `text` needs to separate.
/// Returns the documents and whether `text` itself ends in a separator.
pub fn split_continued(text: &str, after_separator: bool) -> (Vec<String>, bool) {
    // A character that is neither white space nor `-` keeps `^` from matching at the start,
    // as the text before does in the whole stream.
    let s = if after_separator {
        format!("x{text}")
    } else {
        text.to_string()
    };
    let ends = separator()
        .find_iter(&s)
        .last()
        .is_some_and(|m| m.end() == s.len());
    let mut docs: Vec<String> = go_split(separator(), &s)
        .into_iter()
        .filter(|d| !d.is_empty())
        .map(|d| trim_space(d).to_string())
        .collect();
    if after_separator {
        if let Some(first) = docs.first_mut() {
            *first = trim_space(first.strip_prefix('x').unwrap_or(first)).to_string();
        }
        docs.retain(|d| !d.is_empty());
    }
    (docs, ends)
}

/// Go's `regexp.Split(s, -1)`.
fn go_split<'a>(re: &Regex, s: &'a str) -> Vec<&'a str> {
    if s.is_empty() {
        return vec![""];
    }
    let mut out = Vec::new();
    let mut beg = 0;
    let mut end = 0;
    for m in re.find_iter(s) {
        end = m.start();
        if m.end() != 0 {
            out.push(&s[beg..end]);
        }
        beg = m.end();
    }
    if end != s.len() {
        out.push(&s[beg..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_separator_lines_and_trims() {
        let docs = split_manifests("\n\na: 1\n---\nb: 2   \n\n---\n  c: 3\n");
        assert_eq!(docs, vec!["a: 1", "b: 2", "c: 3"]);
    }

    #[test]
    fn leading_separator_and_comment_only_documents() {
        let docs = split_manifests("---\n# only a comment\n---\na: 1\n");
        assert_eq!(docs, vec!["# only a comment", "a: 1"]);
    }

    #[test]
    fn whitespace_only_text_gives_nothing() {
        assert!(split_manifests("  \n\n\t").is_empty());
        assert!(split_manifests("").is_empty());
        assert!(split_manifests("---\n").is_empty());
        // The second separator lacks the newline the first one ate: Helm keeps it.
        assert_eq!(split_manifests("---\n---"), vec!["---"]);
    }

    #[test]
    fn second_of_two_separators_stays_with_the_next_document() {
        // Helm prints "---\nkind: Bar" as the document: the first separator ate the newline
        // the second one would have needed.
        assert_eq!(
            split_manifests("a: 1\n---\n---\nkind: Bar\n"),
            vec!["a: 1", "---\nkind: Bar"]
        );
        assert_eq!(
            split_manifests("a: 1\n---\n\n---\nkind: Foo"),
            vec!["a: 1", "---\nkind: Foo"]
        );
    }

    #[test]
    fn separator_needs_line_start_but_not_line_end() {
        assert_eq!(split_manifests("a: |\n  ---\nb"), vec!["a: |\n  ---\nb"]);
        assert_eq!(
            split_manifests("a: x---y\n---foo: 1"),
            vec!["a: x---y", "foo: 1"]
        );
    }

    #[test]
    fn non_ascii_space_is_not_a_separator_space() {
        // U+00A0 after --- is not Go's \s, so it stays; TrimSpace then removes it.
        assert_eq!(
            split_manifests("a\n---\u{a0}b"),
            vec!["a", "\u{a0}b".trim()]
        );
    }
}
