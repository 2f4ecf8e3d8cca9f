//! Go text/template's escaping built-ins `html` and `js` (text/template funcs.go), which
//! Helm's charts can call: their arguments are printed as `fmt.Sprint` prints them (a single
//! string as it is), then escaped.

use super::Func;
use minijinja::{Error, Value};

pub(super) const FUNCS: &[(&str, Func)] = &[("html", html), ("js", js)];

/// Go's `evalArgs`: one string argument as it is, anything else as `fmt.Sprint`.
fn joined(a: &[Value]) -> String {
    match a {
        [v] if v.as_str().is_some() => v.as_str().unwrap_or_default().to_string(),
        _ => super::printf::sprint(a),
    }
}

/// `template.HTMLEscapeString`.
fn html(a: &[Value]) -> Result<Value, Error> {
    let s = joined(a);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    Ok(Value::from(out))
}

/// `template.JSEscapeString`.
fn js(a: &[Value]) -> Result<Value, Error> {
    let s = joined(a);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            '\n' => out.push_str("\\u000A"),
            '\r' => out.push_str("\\u000D"),
            '\t' => out.push_str("\\u0009"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    Ok(Value::from(out))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::r;

    #[test]
    fn escapes_as_go() {
        assert_eq!(
            r(r#"{{ html("<a href='x'>&\"</a>") }}"#),
            "&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;"
        );
        assert_eq!(
            r(r#"{{ js("a'b\"<=>&\\") }}"#),
            r#"a\'b\"\u003C\u003D\u003E\u0026\\"#
        );
        assert_eq!(r(r#"{{ html(1, 2) }}"#), "1 2");
    }
}
