//! Go's `fmt.Sprintf`, `fmt.Sprint` and `fmt.Sprintln` over template values: `printf`,
//! `print`, `println`.

use super::strings::go_quote;
use super::{want, Func};
use crate::engine::value::{go_float, go_sprint, map_entries, type_of};
use minijinja::value::ValueKind;
use minijinja::{Error, Value};

pub(super) const FUNCS: &[(&str, Func)] =
    &[("printf", printf), ("print", print), ("println", println)];

fn printf(a: &[Value]) -> Result<Value, Error> {
    want("printf", a, 1, usize::MAX)?;
    let fmt = super::text(&a[0]);
    Ok(Value::from(sprintf(&fmt, &a[1..])))
}

fn is_string(v: &Value) -> bool {
    v.kind() == ValueKind::String
}

/// `fmt.Sprint`: operands joined, with a space between two operands when neither is a string.
pub(crate) fn sprint(a: &[Value]) -> String {
    let mut out = String::new();
    for (i, v) in a.iter().enumerate() {
        if i > 0 && !is_string(v) && !is_string(&a[i - 1]) {
            out.push(' ');
        }
        out.push_str(&go_sprint(v));
    }
    out
}

fn print(a: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(sprint(a)))
}

fn println(a: &[Value]) -> Result<Value, Error> {
    let parts: Vec<String> = a.iter().map(go_sprint).collect();
    Ok(Value::from(format!("{}\n", parts.join(" "))))
}

/// Go's fmt refuses widths and precisions above a million.
const TOO_LARGE: u64 = 1_000_000;

#[derive(Default, Clone, Copy)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// Go's `fmt.Sprintf` for the verbs templates use: `%s %d %v %q %f %e %g %x %X %o %b %t %c
/// %U %T %%`, flags `+ - # 0 space`, width and precision (also `*`). Wrong types print as Go
/// prints them (`%!d(string=x)`), as do missing and extra operands.
pub fn sprintf(fmt: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut argi = 0usize;
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0usize;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        let mut sp = Spec::default();
        while i < chars.len() {
            match chars[i] {
                '-' => {
                    sp.minus = true;
                    sp.zero = false;
                }
                '+' => sp.plus = true,
                '#' => sp.sharp = true,
                ' ' => sp.space = true,
                '0' => sp.zero = !sp.minus,
                _ => break,
            }
            i += 1;
        }
        // width
        if i < chars.len() && chars[i] == '*' {
            i += 1;
            if let Some(v) = args.get(argi) {
                argi += 1;
                let w = super::to_i64(v);
                if w.unsigned_abs() > TOO_LARGE || !v.is_integer() {
                    out.push_str("%!(BADWIDTH)");
                } else {
                    if w < 0 {
                        sp.minus = true;
                        sp.zero = false;
                    }
                    sp.width = Some(w.unsigned_abs() as usize);
                }
            } else {
                out.push_str("%!(BADWIDTH)");
            }
        } else {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i > start {
                sp.width = chars[start..i]
                    .iter()
                    .collect::<String>()
                    .parse()
                    .ok()
                    .filter(|w| *w as u64 <= TOO_LARGE);
                if sp.width.is_none() {
                    out.push_str("%!(BADWIDTH)");
                }
            }
        }
        // precision
        if i < chars.len() && chars[i] == '.' {
            i += 1;
            if i < chars.len() && chars[i] == '*' {
                i += 1;
                if let Some(v) = args.get(argi) {
                    argi += 1;
                    let p = super::to_i64(v);
                    if p.unsigned_abs() > TOO_LARGE || !v.is_integer() {
                        out.push_str("%!(BADPREC)");
                    } else {
                        sp.prec = if p < 0 { None } else { Some(p as usize) };
                    }
                } else {
                    out.push_str("%!(BADPREC)");
                }
            } else {
                let start = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let p: Option<usize> = if i == start {
                    Some(0)
                } else {
                    chars[start..i]
                        .iter()
                        .collect::<String>()
                        .parse()
                        .ok()
                        .filter(|p| *p as u64 <= TOO_LARGE)
                };
                if p.is_none() {
                    out.push_str("%!(BADPREC)");
                }
                sp.prec = p;
            }
        }
        if i >= chars.len() {
            out.push_str("%!(NOVERB)");
            break;
        }
        let verb = chars[i];
        i += 1;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(v) = args.get(argi) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        argi += 1;
        out.push_str(&fmt_value(verb, &sp, v, 0));
    }
    if argi < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args[argi..]
            .iter()
            .map(|v| {
                if super::is_nil(v) {
                    "<nil>".to_string()
                } else {
                    format!("{}={}", type_of(v), go_sprint(v))
                }
            })
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}

fn bad_verb(verb: char, v: &Value) -> String {
    if super::is_nil(v) {
        format!("%!{verb}(<nil>)")
    } else {
        format!("%!{verb}({}={})", type_of(v), go_sprint(v))
    }
}

fn pad(sp: &Spec, s: String, numeric: bool) -> String {
    let Some(w) = sp.width else { return s };
    let len = s.chars().count();
    if len >= w {
        return s;
    }
    let fill = w - len;
    if sp.minus {
        format!("{s}{}", " ".repeat(fill))
    } else if sp.zero && numeric {
        // zeros go after the sign
        let (sign, rest) = match s.chars().next() {
            Some(c @ ('-' | '+' | ' ')) => (c.to_string(), s[1..].to_string()),
            _ => (String::new(), s),
        };
        format!("{sign}{}{rest}", "0".repeat(fill))
    } else if sp.zero {
        format!("{}{s}", "0".repeat(fill))
    } else {
        format!("{}{s}", " ".repeat(fill))
    }
}

fn fmt_value(verb: char, sp: &Spec, v: &Value, depth: usize) -> String {
    // As deep as values go in Helm (10,000 levels); a map that holds itself still ends.
    if depth > crate::engine::value::MAX_DEPTH {
        return "<too deep>".into();
    }
    if verb == 'T' {
        return pad(sp, type_of(v).to_string(), false);
    }
    if verb == 'v' && sp.sharp {
        return pad(sp, super::gosyntax::go_syntax(v), false);
    }
    match v.kind() {
        ValueKind::Seq | ValueKind::Iterable if verb != 'T' => {
            // Go applies the verb to each element.
            let items: Vec<String> = v
                .try_iter()
                .map(|it| it.map(|x| fmt_value(verb, sp, &x, depth + 1)).collect())
                .unwrap_or_default();
            return format!("[{}]", items.join(" "));
        }
        ValueKind::Map => {
            let items: Vec<String> = map_entries(v)
                .unwrap_or_default()
                .into_iter()
                .map(|(k, x)| {
                    format!(
                        "{}:{}",
                        fmt_value(verb, sp, &Value::from(k), depth + 1),
                        fmt_value(verb, sp, &x, depth + 1)
                    )
                })
                .collect();
            return format!("map[{}]", items.join(" "));
        }
        _ => {}
    }
    if super::is_nil(v) {
        return match verb {
            'v' => pad(sp, "<nil>".into(), false),
            _ => bad_verb(verb, v),
        };
    }
    match v.kind() {
        ValueKind::String => fmt_string(verb, sp, v.as_str().unwrap_or_default(), v),
        ValueKind::Bool => match verb {
            'v' | 't' => pad(sp, go_sprint(v), false),
            _ => bad_verb(verb, v),
        },
        ValueKind::Number if v.is_integer() => fmt_int(verb, sp, v),
        ValueKind::Number => fmt_float(verb, sp, f64::try_from(v.clone()).unwrap_or(0.0), v),
        _ => match verb {
            'v' | 's' => pad(sp, go_sprint(v), false),
            _ => bad_verb(verb, v),
        },
    }
}

fn fmt_string(verb: char, sp: &Spec, s: &str, v: &Value) -> String {
    let s = match sp.prec {
        Some(p) if matches!(verb, 's' | 'v' | 'q' | 'x' | 'X') => {
            s.chars().take(p).collect::<String>()
        }
        _ => s.to_string(),
    };
    match verb {
        's' | 'v' => pad(sp, s, false),
        'q' => {
            if sp.sharp && !s.contains('`') {
                pad(sp, format!("`{s}`"), false)
            } else {
                pad(sp, go_quote(&s), false)
            }
        }
        'x' | 'X' => {
            let mut out = String::new();
            for (i, b) in s.bytes().enumerate() {
                if sp.space && i > 0 {
                    out.push(' ');
                }
                if sp.sharp && (sp.space || i == 0) {
                    out.push_str(if verb == 'x' { "0x" } else { "0X" });
                }
                if verb == 'x' {
                    out.push_str(&format!("{b:02x}"));
                } else {
                    out.push_str(&format!("{b:02X}"));
                }
            }
            pad(sp, out, false)
        }
        _ => bad_verb(verb, v),
    }
}

fn fmt_int(verb: char, sp: &Spec, v: &Value) -> String {
    let n = i128::try_from(v.clone()).unwrap_or(0);
    let neg = n < 0;
    let mag = n.unsigned_abs();
    let sign = if neg {
        "-"
    } else if sp.plus {
        "+"
    } else if sp.space {
        " "
    } else {
        ""
    };
    let digits = |s: String| -> String {
        match sp.prec {
            Some(p) if s.len() < p => format!("{}{s}", "0".repeat(p - s.len())),
            Some(0) if mag == 0 => String::new(),
            _ => s,
        }
    };
    let num = |prefix: &str, body: String| -> String {
        let mut sp2 = *sp;
        if sp.prec.is_some() {
            sp2.zero = false;
        }
        pad(&sp2, format!("{sign}{prefix}{}", digits(body)), true)
    };
    match verb {
        'd' | 'v' => num("", mag.to_string()),
        'x' => num(if sp.sharp { "0x" } else { "" }, format!("{mag:x}")),
        'X' => num(if sp.sharp { "0X" } else { "" }, format!("{mag:X}")),
        'o' => num(if sp.sharp { "0" } else { "" }, format!("{mag:o}")),
        'O' => num("0o", format!("{mag:o}")),
        'b' => num("", format!("{mag:b}")),
        'c' => pad(
            sp,
            char::from_u32(n as u32).unwrap_or('\u{FFFD}').to_string(),
            false,
        ),
        'q' => {
            let c = char::from_u32(n as u32).unwrap_or('\u{FFFD}');
            let q = go_quote(&c.to_string());
            let inner = &q[1..q.len() - 1];
            let inner = if inner == "\\\"" { "\"" } else { inner };
            let inner = if c == '\'' { "\\'" } else { inner };
            pad(sp, format!("'{inner}'"), false)
        }
        'U' => pad(sp, format!("U+{:04X}", mag), false),
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 's' | 't' => bad_verb(verb, v),
        _ => bad_verb(verb, v),
    }
}

/// Go's `%e` text from Rust's: `1.5e6` → `1.5e+06`.
fn go_exp(s: &str, upper: bool) -> String {
    let (m, e) = s.split_once('e').unwrap_or((s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let ch = if upper { 'E' } else { 'e' };
    format!("{m}{ch}{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

fn fmt_float(verb: char, sp: &Spec, f: f64, v: &Value) -> String {
    let sign_of = |s: String| -> String {
        if s.starts_with('-') || s.starts_with('+') && s != "+Inf" {
            s
        } else if sp.plus {
            format!("+{s}")
        } else if sp.space {
            format!(" {s}")
        } else {
            s
        }
    };
    if f.is_nan() || f.is_infinite() {
        let s = if f.is_nan() {
            if sp.plus {
                "+NaN".to_string()
            } else {
                "NaN".to_string()
            }
        } else if f > 0.0 {
            if sp.plus {
                "+Inf".to_string()
            } else {
                "Inf".to_string()
            }
        } else {
            "-Inf".to_string()
        };
        let mut sp2 = *sp;
        sp2.zero = false;
        return match verb {
            'v' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' => pad(&sp2, s, false),
            _ => bad_verb(verb, v),
        };
    }
    let body = match verb {
        'v' => go_float(f),
        'f' | 'F' => format!("{:.*}", sp.prec.unwrap_or(6), f),
        'e' | 'E' => go_exp(&format!("{:.*e}", sp.prec.unwrap_or(6), f), verb == 'E'),
        'x' | 'X' => super::gosyntax::hex_float(f, sp.prec, verb == 'X'),
        'g' | 'G' => match sp.prec {
            None => {
                let s = go_float(f);
                if verb == 'G' {
                    s.to_uppercase()
                } else {
                    s
                }
            }
            Some(p) => fmt_g_prec(f, p.max(1), sp.sharp, verb == 'G'),
        },
        _ => return bad_verb(verb, v),
    };
    pad(sp, sign_of(body), true)
}

fn fmt_g_prec(f: f64, p: usize, sharp: bool, upper: bool) -> String {
    let e_form = format!("{:.*e}", p - 1, f);
    let exp: i32 = e_form
        .split_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    if exp < -4 || exp >= p as i32 {
        let (m, _) = e_form.split_once('e').unwrap_or((&e_form, ""));
        let m = if sharp { m.to_string() } else { trim_zeros(m) };
        let ch = if upper { 'E' } else { 'e' };
        format!("{m}{ch}{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        let s = format!("{:.*}", decimals, f);
        if sharp {
            s
        } else {
            trim_zeros(&s)
        }
    }
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::sprintf;
    use minijinja::Value;

    fn f(fmt: &str, args: Vec<Value>) -> String {
        sprintf(fmt, &args)
    }

    #[test]
    fn verbs() {
        assert_eq!(f("%s-%d", vec!["a".into(), 5i64.into()]), "a-5");
        assert_eq!(f("%d", vec![5432.0f64.into()]), "%!d(float64=5432)");
        assert_eq!(f("%s", vec![1.5f64.into()]), "%!s(float64=1.5)");
        assert_eq!(
            f("%v|%v", vec![1e6f64.into(), Value::from(())]),
            "1e+06|<nil>"
        );
        assert_eq!(f("%q", vec!["a\"b".into()]), "\"a\\\"b\"");
        assert_eq!(
            f(
                "%5.2f|%-5d|%05d|%x|%X|%o|%b",
                vec![
                    3.14659f64.into(),
                    42i64.into(),
                    (-42i64).into(),
                    255i64.into(),
                    "hi".into(),
                    8i64.into(),
                    5i64.into()
                ]
            ),
            " 3.15|42   |-0042|ff|6869|10|101"
        );
        assert_eq!(
            f("%t|%t", vec![true.into(), "x".into()]),
            "true|%!t(string=x)"
        );
        assert_eq!(
            f(
                "%e|%g|%.3g|%G",
                vec![
                    1234.5678f64.into(),
                    0.000012f64.into(),
                    1234.5678f64.into(),
                    1e21f64.into()
                ]
            ),
            "1.234568e+03|1.2e-05|1.23e+03|1E+21"
        );
        assert_eq!(f("100%%|%s", vec![]), "100%|%!s(MISSING)");
        assert_eq!(f("%s", vec!["a".into(), 1i64.into()]), "a%!(EXTRA int64=1)");
        assert_eq!(
            f(
                "%.2s|%6s|%-6s|",
                vec!["abc".into(), "ab".into(), "ab".into()]
            ),
            "ab|    ab|ab    |"
        );
        assert_eq!(
            f("%T %T %T", vec![1i64.into(), 1.0f64.into(), "s".into()]),
            "int64 float64 string"
        );
        assert_eq!(
            f("%c|%q|%U", vec![65i64.into(), 65i64.into(), 65i64.into()]),
            "A|'A'|U+0041"
        );
        assert_eq!(
            f(
                "%+d|% d|%+.1f",
                vec![5i64.into(), 5i64.into(), 2.25f64.into()]
            ),
            "+5| 5|+2.2"
        );
        assert_eq!(
            f(
                "%*d|%.*f",
                vec![4i64.into(), 7i64.into(), 1i64.into(), 2.0f64.into()]
            ),
            "   7|2.0"
        );
    }

    #[test]
    fn lists_and_maps() {
        assert_eq!(
            r(r#"{{ printf("%v %s %d", list(1, "a"), list("x", "y"), list(1, 2)) }}"#),
            "[1 a] [x y] [1 2]"
        );
        assert_eq!(
            r(r#"{{ printf("%v", dict("b", 1, "a", list())) }}"#),
            "map[a:[] b:1]"
        );
    }

    #[test]
    fn print_and_println() {
        assert_eq!(
            r(r#"{{ print("a", 1, 2, "b", none) }}|{{ println("a", 1) }}"#),
            "a1 2b<nil>|a 1\n"
        );
    }
}
