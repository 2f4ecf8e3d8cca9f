//! Lexer and parser of Go's text/template, as Go 1.24's text/template/parse reads a template
//! (the behaviour is ported, not the code): `{{`/`}}` with the trim markers `{{- ` and ` -}}`,
//! comments, raw and interpreted strings, character constants, Go's number literals, the
//! keywords (`if`, `else`, `range`, `with`, `define`, `template`, `block`, `break`,
//! `continue`, `end`), variables, pipelines, parentheses and field chains.
//!
//! Like Go's parser, this one checks at parse time that every function exists and every
//! variable is declared before use, and reports errors as `template: NAME:LINE: MESSAGE`.

use std::fmt;
use std::sync::Arc;

/// A parse error: where (the file being parsed and the line) and Go's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub name: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "template: {}:{}: {}", self.name, self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// One parsed template: a file's body or a `define`.
#[derive(Debug)]
pub struct Tree {
    /// The template's name: the file name, or the `define`'s name.
    pub name: String,
    /// The file it was parsed from (Go's `ParseName`), for error locations.
    pub parse_name: Arc<str>,
    /// That file's text, for line and column numbers.
    pub source: Arc<str>,
    pub root: Vec<Node>,
}

impl Tree {
    /// Go's `IsEmptyTree`: only whitespace text (and nothing else). An empty definition does
    /// not replace an existing one.
    pub fn is_empty(&self) -> bool {
        self.root.iter().all(|n| match n {
            Node::Text(t) => t.trim().is_empty(),
            _ => false,
        })
    }

    /// `NAME:LINE:COL` of byte `pos` of the tree's file, as Go's `ErrorContext` (COL counts
    /// bytes from 0).
    pub fn location(&self, pos: usize) -> String {
        let pos = pos.min(self.source.len());
        let text = self.source.get(..pos).unwrap_or("");
        let line = 1 + text.matches('\n').count();
        let col = match text.rfind('\n') {
            Some(i) => pos - i - 1,
            None => pos,
        };
        format!("{}:{}:{}", self.parse_name, line, col)
    }
}

#[derive(Debug)]
pub enum Node {
    Text(String),
    Action(Pipe),
    If(Branch),
    Range(Branch),
    With(Branch),
    Template {
        pos: usize,
        name: String,
        pipe: Option<Pipe>,
    },
    Break(usize),
    Continue(usize),
}

#[derive(Debug)]
pub struct Branch {
    pub pos: usize,
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Option<Vec<Node>>,
}

#[derive(Debug)]
pub struct Pipe {
    pub pos: usize,
    pub is_assign: bool,
    pub decl: Vec<String>,
    pub cmds: Vec<Cmd>,
}

#[derive(Debug)]
pub struct Cmd {
    pub pos: usize,
    pub args: Vec<Arg>,
}

/// A number constant with what Go's `NumberNode` knows of it.
#[derive(Debug, Clone)]
pub struct Number {
    pub text: String,
    pub int: Option<i64>,
    pub float: Option<f64>,
    /// Written as a float (`.`, an exponent) rather than an integer or a character.
    pub float_syntax: bool,
}

#[derive(Debug)]
pub enum Arg {
    Field {
        pos: usize,
        idents: Vec<String>,
    },
    Var {
        pos: usize,
        name: String,
        idents: Vec<String>,
    },
    Dot(usize),
    Nil(usize),
    Bool(usize, bool),
    Str {
        pos: usize,
        value: String,
        quoted: String,
    },
    Num(usize, Number),
    Ident(usize, String),
    Pipe(Box<Pipe>),
    Chain {
        pos: usize,
        node: Box<Arg>,
        idents: Vec<String>,
    },
}

impl Arg {
    pub fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Var { pos, .. }
            | Arg::Dot(pos)
            | Arg::Nil(pos)
            | Arg::Bool(pos, _)
            | Arg::Str { pos, .. }
            | Arg::Num(pos, _)
            | Arg::Ident(pos, _)
            | Arg::Chain { pos, .. } => *pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { idents, .. } => {
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Var { name, idents, .. } => {
                f.write_str(name)?;
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Str { quoted, .. } => f.write_str(quoted),
            Arg::Num(_, n) => f.write_str(&n.text),
            Arg::Ident(_, n) => f.write_str(n),
            Arg::Pipe(p) => write!(f, "({p})"),
            Arg::Chain { node, idents, .. } => {
                match node.as_ref() {
                    Arg::Pipe(p) => write!(f, "({p})")?,
                    other => write!(f, "{other}")?,
                }
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{a}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- lexer

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Text(String),
    Left,
    Right,
    Field(String),
    Var(String),
    Dot,
    Str(String, String),
    RawStr(String, String),
    Char(i64, String),
    Num(String),
    Bool(bool),
    Nil,
    Ident(String),
    Keyword(&'static str),
    Pipe,
    LParen,
    RParen,
    Declare,
    Assign,
    Comma,
    Space,
    /// A printable ASCII character with no meaning in an action (Go's `itemChar`): the
    /// parser says it is unexpected where it stands.
    Punct(char),
    /// The lexer's error, where it stopped: Go lexes as the parser reads, so an earlier
    /// parse error wins over it, and the parser reports it when it gets there.
    Error(String),
    Eof,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    pos: usize,
    line: usize,
}

const KEYWORDS: &[&str] = &[
    "block", "break", "continue", "define", "else", "end", "if", "range", "template", "with",
];

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    tokens: Vec<Token>,
    /// Nesting of parentheses inside the current action.
    paren: usize,
    /// A byte offset and its line, where the last line count stopped: tokens come in order,
    /// so each line is counted once (counting from the start each time was quadratic).
    line_mark: (usize, usize),
}

type LexResult = Result<(), (usize, String)>;

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

impl<'a> Lexer<'a> {
    fn line_at(&mut self, pos: usize) -> usize {
        let (from, line) = if pos >= self.line_mark.0 {
            self.line_mark
        } else {
            (0, 1)
        };
        let end = pos.min(self.src.len()).max(from);
        let n = self.src.as_bytes()[from..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line_mark = (end, line + n);
        line + n
    }

    fn push(&mut self, tok: Tok, pos: usize) {
        let line = self.line_at(pos);
        self.tokens.push(Token { tok, pos, line });
    }

    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn run(&mut self) -> LexResult {
        let mut trim_next = false;
        loop {
            let rest = self.rest();
            let (text_end, found) = match rest.find("{{") {
                Some(i) => (self.pos + i, true),
                None => (self.src.len(), false),
            };
            let mut text = &self.src[self.pos..text_end];
            if trim_next {
                text = text.trim_start_matches([' ', '\t', '\r', '\n']);
            }
            // `{{- ` trims the text before it.
            let after = &self.src[text_end..];
            let left_trim = found
                && after.len() >= 4
                && after.as_bytes()[2] == b'-'
                && is_space(after.as_bytes()[3]);
            if left_trim {
                text = text.trim_end_matches([' ', '\t', '\r', '\n']);
            }
            if !text.is_empty() {
                let start = text_end - (text_end - self.pos).min(text.len());
                self.push(Tok::Text(text.to_string()), start);
            }
            if !found {
                self.push(Tok::Eof, self.src.len());
                return Ok(());
            }
            self.pos = text_end + 2;
            if left_trim {
                self.pos += 2;
            }
            trim_next = self.action(text_end)?;
        }
    }

    /// Lexes one action from after its `{{` (and trim marker); returns whether it ended
    /// with a right trim marker.
    fn action(&mut self, start: usize) -> Result<bool, (usize, String)> {
        // A comment: `/*` right after the delimiter, `*/` right before the closing one.
        if self.rest().starts_with("/*") {
            let body = self.rest();
            let Some(end) = body.find("*/") else {
                return Err((start, "unclosed comment".into()));
            };
            self.pos += end + 2;
            let r = self.rest();
            if r.starts_with("}}") {
                self.pos += 2;
                return Ok(false);
            }
            if r.len() >= 4 && is_space(r.as_bytes()[0]) && r[1..].starts_with("-}}") {
                self.pos += 4;
                return Ok(true);
            }
            return Err((start, "comment ends before closing delimiter".into()));
        }
        self.push(Tok::Left, start);
        self.paren = 0;
        loop {
            let r = self.rest();
            let p = self.pos;
            // ` -}}`
            if r.len() >= 4 && is_space(r.as_bytes()[0]) && r[1..].starts_with("-}}") {
                self.push(Tok::Space, p);
                self.push(Tok::Right, p + 1);
                self.pos += 4;
                return Ok(true);
            }
            if r.starts_with("}}") {
                if self.paren > 0 {
                    return Err((p, "unclosed left paren".into()));
                }
                self.push(Tok::Right, p);
                self.pos += 2;
                return Ok(false);
            }
            let Some(c) = r.chars().next() else {
                return Err((p, "unclosed action".into()));
            };
            match c {
                ' ' | '\t' | '\r' | '\n' => {
                    let n = r.bytes().take_while(|b| is_space(*b)).count();
                    // A space that ends in ` -}}` is left for that marker.
                    let n = if r[n..].starts_with("-}}") { n - 1 } else { n };
                    if n == 0 {
                        continue;
                    }
                    self.pos += n;
                    self.push(Tok::Space, p);
                }
                '=' => {
                    self.pos += 1;
                    self.push(Tok::Assign, p);
                }
                ':' => {
                    if !r.starts_with(":=") {
                        return Err((p, "expected :=".into()));
                    }
                    self.pos += 2;
                    self.push(Tok::Declare, p);
                }
                '|' => {
                    self.pos += 1;
                    self.push(Tok::Pipe, p);
                }
                ',' => {
                    self.pos += 1;
                    self.push(Tok::Comma, p);
                }
                '(' => {
                    self.pos += 1;
                    self.paren += 1;
                    self.push(Tok::LParen, p);
                }
                ')' => {
                    if self.paren == 0 {
                        return Err((p, "unexpected right paren".into()));
                    }
                    self.paren -= 1;
                    self.pos += 1;
                    self.push(Tok::RParen, p);
                }
                '"' => self.quote(p)?,
                '`' => {
                    let Some(end) = r[1..].find('`') else {
                        return Err((p, "unterminated raw quoted string".into()));
                    };
                    let body = &r[1..1 + end];
                    self.pos += end + 2;
                    self.push(Tok::RawStr(body.to_string(), r[..end + 2].to_string()), p);
                }
                '\'' => self.char_const(p)?,
                '$' => {
                    let n = 1 + r[1..]
                        .char_indices()
                        .find(|(_, c)| !is_alnum(*c))
                        .map_or(r.len() - 1, |(i, _)| i);
                    self.pos += n;
                    self.push(Tok::Var(r[..n].to_string()), p);
                }
                '.' => {
                    let next = r[1..].chars().next();
                    if next.is_some_and(|c| c.is_ascii_digit()) {
                        self.number(p)?;
                    } else if next.is_some_and(is_alnum) {
                        let n = 1 + r[1..]
                            .char_indices()
                            .find(|(_, c)| !is_alnum(*c))
                            .map_or(r.len() - 1, |(i, _)| i);
                        self.pos += n;
                        self.push(Tok::Field(r[1..n].to_string()), p);
                    } else {
                        self.pos += 1;
                        self.push(Tok::Dot, p);
                    }
                }
                '+' | '-' if r[1..].chars().next().is_some_and(|c| c.is_ascii_digit()) => {
                    self.number(p)?
                }
                c if c.is_ascii_digit() => self.number(p)?,
                c if is_alnum(c) => {
                    let n = r
                        .char_indices()
                        .find(|(_, c)| !is_alnum(*c))
                        .map_or(r.len(), |(i, _)| i);
                    let word = &r[..n];
                    self.pos += n;
                    let tok = match word {
                        "true" => Tok::Bool(true),
                        "false" => Tok::Bool(false),
                        "nil" => Tok::Nil,
                        w => match KEYWORDS.iter().find(|k| **k == w) {
                            Some(k) => Tok::Keyword(k),
                            None => Tok::Ident(w.to_string()),
                        },
                    };
                    self.push(tok, p);
                }
                c if c.is_ascii() && !c.is_ascii_control() => {
                    self.pos += 1;
                    self.push(Tok::Punct(c), p);
                }
                c => {
                    // Go's `%#U`: the code point, and the character when it is printable.
                    let shown = if c.is_control() {
                        format!("U+{:04X}", u32::from(c))
                    } else {
                        format!("U+{:04X} {c:?}", u32::from(c))
                    };
                    return Err((p, format!("unrecognized character in action: {shown}")));
                }
            }
        }
    }

    fn quote(&mut self, p: usize) -> LexResult {
        let r = self.rest();
        let bytes = r.as_bytes();
        let mut i = 1;
        loop {
            match bytes.get(i) {
                None | Some(b'\n') => return Err((p, "unterminated quoted string".into())),
                Some(b'\\') => i += 2,
                Some(b'"') => break,
                Some(_) => i += 1,
            }
        }
        let quoted = &r[..=i];
        let value = unquote(quoted).ok_or((p, format!("invalid syntax: {quoted}")))?;
        self.pos += i + 1;
        self.push(Tok::Str(value, quoted.to_string()), p);
        Ok(())
    }

    fn char_const(&mut self, p: usize) -> LexResult {
        let r = self.rest();
        let bytes = r.as_bytes();
        let mut i = 1;
        loop {
            match bytes.get(i) {
                None | Some(b'\n') => return Err((p, "unterminated character constant".into())),
                Some(b'\\') => i += 2,
                Some(b'\'') => break,
                Some(_) => i += 1,
            }
        }
        let text = &r[..=i];
        let inner = format!("\"{}\"", &text[1..text.len() - 1].replace("\\'", "'"));
        let value = unquote(&inner)
            .filter(|s| s.chars().count() == 1)
            .and_then(|s| s.chars().next())
            .ok_or((p, format!("malformed character constant: {text}")))?;
        self.pos += i + 1;
        self.push(Tok::Char(i64::from(u32::from(value)), text.to_string()), p);
        Ok(())
    }

    fn number(&mut self, p: usize) -> LexResult {
        let r = self.rest();
        let n = r
            .char_indices()
            .find(|(i, c)| {
                !(c.is_ascii_alphanumeric()
                    || *c == '_'
                    || *c == '.'
                    || ((*c == '+' || *c == '-')
                        && (*i == 0
                            || r[..*i].ends_with(['e', 'E', 'p', 'P'])
                                && !r[..*i].starts_with("0x")
                                && !r[..*i].starts_with("0X")
                            || r[..*i].ends_with(['p', 'P']))))
            })
            .map_or(r.len(), |(i, _)| i);
        self.pos += n;
        self.push(Tok::Num(r[..n].to_string()), p);
        Ok(())
    }
}

/// Go's `strconv.Unquote` of a double-quoted string.
pub fn unquote(q: &str) -> Option<String> {
    let inner = q.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = chars.next()?;
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            'x' | 'u' | 'U' => {
                let len = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = (0..len).filter_map(|_| chars.next()).collect();
                if hex.len() != len {
                    return None;
                }
                let n = u32::from_str_radix(&hex, 16).ok()?;
                if e == 'x' {
                    // A byte; non-ASCII bytes make invalid UTF-8 in Go, here U+FFFD.
                    out.push(char::from_u32(n).filter(|_| n < 0x80).unwrap_or('\u{FFFD}'));
                } else {
                    out.push(char::from_u32(n)?);
                }
            }
            '0'..='7' => {
                let mut n = e.to_digit(8)?;
                for _ in 0..2 {
                    n = n * 8 + chars.next()?.to_digit(8)?;
                }
                out.push(char::from_u32(n).filter(|_| n < 0x80).unwrap_or('\u{FFFD}'));
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Parses a Go number literal as the template parser does.
fn parse_number(text: &str) -> Result<Number, String> {
    let bad = || format!("bad number syntax: {text:?}");
    if text.ends_with('i') {
        return Err(format!(
            "{text}: imaginary (complex) numbers are not supported by chartr"
        ));
    }
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if body.starts_with('_') || body.ends_with('_') || body.contains("__") {
        return Err(bad());
    }
    let lower = body.to_ascii_lowercase();
    let is_hex = lower.starts_with("0x");
    let int = {
        let clean = lower.replace('_', "");
        let (radix, digits) = if let Some(d) = clean.strip_prefix("0x") {
            (16, d.to_string())
        } else if let Some(d) = clean.strip_prefix("0o") {
            (8, d.to_string())
        } else if let Some(d) = clean.strip_prefix("0b") {
            (2, d.to_string())
        } else if clean.len() > 1
            && clean.starts_with('0')
            && clean.bytes().all(|b| b.is_ascii_digit())
        {
            (8, clean[1..].to_string())
        } else {
            (10, clean.clone())
        };
        if digits.is_empty() {
            None
        } else {
            i128::from_str_radix(&digits, radix)
                .ok()
                .map(|n| if neg { -n } else { n })
                .and_then(|n| i64::try_from(n).ok())
        }
    };
    let float_syntax =
        !is_hex && (lower.contains('.') || lower.contains('e')) || is_hex && lower.contains('p');
    let float = if let Some(i) = int {
        Some(i as f64)
    } else if !is_hex {
        let clean = body.replace('_', "");
        clean
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(|f| if neg { -f } else { f })
    } else {
        None
    };
    if int.is_none() && float.is_none() {
        return Err(bad());
    }
    // Go: an integer too large for uint64 that parses as a float is refused.
    if int.is_none() && !float_syntax && !is_hex {
        let fits_u64 = body.replace('_', "").parse::<u64>().is_ok();
        if !fits_u64 {
            return Err(format!("integer overflow: {text:?}"));
        }
    }
    // Go: an integer-valued float constant is also an int (1e3 is 1000).
    let int = int.or_else(|| {
        float
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.2e18)
            .map(|f| f as i64)
    });
    Ok(Number {
        text: text.to_string(),
        int,
        float,
        float_syntax,
    })
}

// ---------------------------------------------------------------- parser

/// What the parser must know of the world: which functions exist.
pub trait Funcs {
    fn has(&self, name: &str) -> bool;
}

/// Parses the file `name` with text `src`: its body (named `name`) and every `define` and
/// `block` in it, in order of appearance.
pub fn parse(name: &str, src: &str, funcs: &dyn Funcs) -> Result<Vec<Tree>, ParseError> {
    let parse_name: Arc<str> = Arc::from(name);
    let source: Arc<str> = Arc::from(src);
    let mut lx = Lexer {
        src,
        pos: 0,
        tokens: Vec::new(),
        paren: 0,
        line_mark: (0, 1),
    };
    if let Err((pos, msg)) = lx.run() {
        lx.push(Tok::Error(msg), pos);
        lx.push(Tok::Eof, lx.src.len());
    }
    let mut p = Parser {
        name: name.to_string(),
        tokens: lx.tokens,
        i: 0,
        funcs,
        vars: vec!["$".to_string()],
        defines: Vec::new(),
        parse_name: parse_name.clone(),
        source: source.clone(),
        range_depth: 0,
        action_line: 0,
    };
    let (root, end) = p.list()?;
    if let Some(t) = end {
        return Err(p.error_at(&t, format!("unexpected {}", describe_end(&t.tok))));
    }
    let mut out = vec![Tree {
        name: name.to_string(),
        parse_name,
        source,
        root,
    }];
    out.extend(p.defines);
    Ok(out)
}

fn describe_end(t: &Tok) -> String {
    match t {
        Tok::Keyword(k) => format!("{{{{{k}}}}}"),
        _ => "token".into(),
    }
}

struct Parser<'f> {
    name: String,
    tokens: Vec<Token>,
    i: usize,
    funcs: &'f dyn Funcs,
    vars: Vec<String>,
    defines: Vec<Tree>,
    parse_name: Arc<str>,
    source: Arc<str>,
    range_depth: usize,
    /// The line of the `{{` of the action being parsed (0 outside one), for Go's `in action
    /// started at FILE:LINE`.
    action_line: usize,
}

type PResult<T> = Result<T, ParseError>;

/// The keyword that ended a list: `end`, `else` (with the token after it) or `break`...
#[derive(Debug)]
struct EndTok {
    tok: Tok,
    line: usize,
}

impl<'f> Parser<'f> {
    fn error_at(&self, t: &EndTok, message: String) -> ParseError {
        ParseError {
            name: self.name.clone(),
            line: t.line,
            message,
        }
    }

    fn err(&self, message: impl Into<String>) -> ParseError {
        // Past the end: the line of the end of the text (Go's EOF token).
        let line = self
            .tokens
            .get(self.i)
            .or(self.tokens.last())
            .map_or(1, |t| t.line);
        ParseError {
            name: self.name.clone(),
            line,
            message: message.into(),
        }
    }

    fn peek(&self) -> &Token {
        &self.tokens[self.i.min(self.tokens.len() - 1)]
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        if self.i < self.tokens.len() {
            self.i += 1;
        }
        t
    }

    fn peek_non_space(&mut self) -> &Token {
        while self.peek().tok == Tok::Space {
            self.i += 1;
        }
        self.peek()
    }

    fn next_non_space(&mut self) -> Token {
        self.peek_non_space();
        self.next()
    }

    fn expect_right(&mut self, context: &str) -> PResult<()> {
        let t = self.next_non_space();
        if t.tok != Tok::Right {
            return Err(self.unexpected(&t, context));
        }
        Ok(())
    }

    fn unexpected(&self, t: &Token, context: &str) -> ParseError {
        let what = match &t.tok {
            Tok::Eof => "EOF".to_string(),
            Tok::Right => "\"}}\"".to_string(),
            Tok::Left => "\"{{\"".to_string(),
            Tok::Pipe => "\"|\"".to_string(),
            Tok::LParen => "\"(\"".to_string(),
            Tok::RParen => "\")\"".to_string(),
            Tok::Comma => "\",\"".to_string(),
            Tok::Declare => "\":=\"".to_string(),
            Tok::Assign => "\"=\"".to_string(),
            Tok::Dot => "<.>".to_string(),
            Tok::Field(f) => format!("<.{f}>"),
            Tok::Var(v) => format!("<{v}>"),
            Tok::Ident(i) => format!("<{i}>"),
            Tok::Keyword(k) => format!("<{k}>"),
            Tok::Str(_, q) | Tok::RawStr(_, q) | Tok::Char(_, q) | Tok::Num(q) => q.clone(),
            Tok::Bool(b) => format!("<{b}>"),
            Tok::Nil => "<nil>".to_string(),
            Tok::Punct(c) => format!("{:?}", c.to_string()),
            Tok::Text(_) | Tok::Space => "token".to_string(),
            Tok::Error(m) => {
                // Go's `unexpected` of an error item: its text, and where the action began.
                let mut message = m.clone();
                if self.action_line != 0 && self.action_line != t.line {
                    let started = format!("started at {}:{}", self.parse_name, self.action_line);
                    if message.ends_with(" action") {
                        message = format!("{message} {started}");
                    } else {
                        message = format!("{message} in action {started}");
                    }
                }
                return ParseError {
                    name: self.name.clone(),
                    line: t.line,
                    message,
                };
            }
        };
        ParseError {
            name: self.name.clone(),
            line: t.line,
            message: format!("unexpected {what} in {context}"),
        }
    }

    /// Parses nodes until EOF or a keyword that ends a list (`end`, `else`), which is
    /// returned with its action consumed up to the keyword.
    fn list(&mut self) -> PResult<(Vec<Node>, Option<EndTok>)> {
        let mut nodes = Vec::new();
        loop {
            let t = self.next();
            match t.tok {
                Tok::Eof => return Ok((nodes, None)),
                Tok::Text(s) => nodes.push(Node::Text(s)),
                Tok::Left => {
                    let k = self.peek_non_space().clone();
                    match &k.tok {
                        Tok::Keyword("end") | Tok::Keyword("else") => {
                            self.next();
                            return Ok((
                                nodes,
                                Some(EndTok {
                                    tok: k.tok,
                                    line: k.line,
                                }),
                            ));
                        }
                        _ => {
                            let outer = std::mem::replace(&mut self.action_line, t.line);
                            let n = self.action();
                            self.action_line = outer;
                            if let Some(n) = n? {
                                nodes.push(n);
                            }
                        }
                    }
                }
                _ => return Err(self.unexpected(&t, "input")),
            }
        }
    }

    /// One action after `{{`; `None` for a `define`.
    fn action(&mut self) -> PResult<Option<Node>> {
        let t = self.peek_non_space().clone();
        match t.tok {
            Tok::Keyword("if") => {
                self.next();
                Ok(Some(Node::If(self.branch("if", t.pos)?)))
            }
            Tok::Keyword("range") => {
                self.next();
                self.range_depth += 1;
                let b = self.branch("range", t.pos);
                self.range_depth -= 1;
                Ok(Some(Node::Range(b?)))
            }
            Tok::Keyword("with") => {
                self.next();
                Ok(Some(Node::With(self.branch("with", t.pos)?)))
            }
            Tok::Keyword("define") => {
                self.next();
                self.define(false)
            }
            Tok::Keyword("block") => {
                self.next();
                self.define(true)
            }
            Tok::Keyword("template") => {
                self.next();
                let (pos, name, pipe) = self.template_args("template")?;
                Ok(Some(Node::Template { pos, name, pipe }))
            }
            Tok::Keyword(k @ ("break" | "continue")) => {
                self.next();
                if self.range_depth == 0 {
                    return Err(self.err(format!("{{{{{k}}}}} outside {{{{range}}}}")));
                }
                self.expect_right(&format!("{{{{{k}}}}}"))?;
                Ok(Some(if k == "break" {
                    Node::Break(t.pos)
                } else {
                    Node::Continue(t.pos)
                }))
            }
            _ => {
                let pipe = self.pipeline("command", true)?;
                Ok(Some(Node::Action(pipe)))
            }
        }
    }

    /// A `template`'s name and pipeline; Go's template node is at the name.
    fn template_args(&mut self, context: &str) -> PResult<(usize, String, Option<Pipe>)> {
        let t = self.next_non_space();
        let pos = t.pos;
        let name = match t.tok {
            Tok::Str(s, _) | Tok::RawStr(s, _) => s,
            _ => return Err(self.unexpected(&t, &format!("{context} clause"))),
        };
        if self.peek_non_space().tok == Tok::Right {
            self.next();
            return Ok((pos, name, None));
        }
        let pipe = self.pipeline(context, true)?;
        Ok((pos, name, Some(pipe)))
    }

    fn define(&mut self, block: bool) -> PResult<Option<Node>> {
        let context = if block { "block" } else { "define" };
        let t = self.next_non_space();
        let pos = t.pos;
        let name = match t.tok {
            Tok::Str(s, _) | Tok::RawStr(s, _) => s,
            _ => return Err(self.unexpected(&t, &format!("{context} clause"))),
        };
        let pipe = if block && self.peek_non_space().tok != Tok::Right {
            Some(self.pipeline(context, true)?)
        } else {
            self.expect_right(&format!("{context} clause"))?;
            None
        };
        // A definition has its own variables: only `$`.
        let saved = std::mem::replace(&mut self.vars, vec!["$".to_string()]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        // Restored on error too: a `range` around this define counts itself out as it returns.
        let listed = self.list();
        self.vars = saved;
        self.range_depth = saved_range;
        let (body, end) = listed?;
        match end {
            Some(e) if e.tok == Tok::Keyword("end") => self.expect_right("end")?,
            Some(e) => {
                return Err(self.error_at(&e, format!("unexpected {}", describe_end(&e.tok))))
            }
            None => return Err(self.err("unexpected EOF")),
        }
        self.defines.push(Tree {
            name: name.clone(),
            parse_name: self.parse_name.clone(),
            source: self.source.clone(),
            root: body,
        });
        if block {
            return Ok(Some(Node::Template { pos, name, pipe }));
        }
        Ok(None)
    }

    /// `if`/`range`/`with` after the keyword, through its `{{end}}`.
    fn branch(&mut self, context: &str, pos: usize) -> PResult<Branch> {
        let mark = self.vars.len();
        let pipe = self.pipeline(context, true)?;
        if context == "range" && pipe.decl.len() > 2 {
            return Err(self.err("too many declarations in range"));
        }
        let (list, end) = self.list()?;
        let mut else_list = None;
        match end {
            None => return Err(self.err("unexpected EOF")),
            Some(e) if e.tok == Tok::Keyword("end") => self.expect_right("end")?,
            Some(e) => {
                // `else`, maybe `else if` / `else with`.
                let next = self.peek_non_space().clone();
                let chained = match (&next.tok, context) {
                    (Tok::Keyword("if"), "if") => Some("if"),
                    (Tok::Keyword("with"), "with") => Some("with"),
                    _ => None,
                };
                if let Some(kw) = chained {
                    self.next();
                    // The inner branch consumes the shared {{end}}.
                    self.vars.truncate(mark);
                    let inner = self.branch(kw, next.pos)?;
                    else_list = Some(vec![if kw == "if" {
                        Node::If(inner)
                    } else {
                        Node::With(inner)
                    }]);
                } else {
                    self.expect_right("else")?;
                    self.vars.truncate(mark);
                    let (l, end2) = self.list()?;
                    match end2 {
                        Some(e2) if e2.tok == Tok::Keyword("end") => self.expect_right("end")?,
                        Some(e2) => {
                            return Err(self.error_at(
                                &e2,
                                format!("expected end; found {}", describe_end(&e2.tok)),
                            ))
                        }
                        None => return Err(self.err("unexpected EOF")),
                    }
                    else_list = Some(l);
                }
                let _ = e;
            }
        }
        self.vars.truncate(mark);
        Ok(Branch {
            pos,
            pipe,
            list,
            else_list,
        })
    }

    /// A pipeline, with its declarations, up to `}}` (or `)` when inside parentheses:
    /// `end_right` false).
    fn pipeline(&mut self, context: &str, end_right: bool) -> PResult<Pipe> {
        let start = self.peek_non_space().pos;
        let mut decl = Vec::new();
        let mut is_assign = false;
        // Declarations: `$x :=`, `$x =`, `$i, $v :=`.
        let save = self.i;
        if let Tok::Var(v) = self.peek_non_space().tok.clone() {
            self.next();
            let t = self.peek_non_space().clone();
            match t.tok {
                Tok::Declare | Tok::Assign => {
                    self.next();
                    is_assign = t.tok == Tok::Assign;
                    decl.push(v);
                }
                Tok::Comma if context == "range" => {
                    self.next();
                    let t2 = self.next_non_space();
                    let Tok::Var(v2) = t2.tok else {
                        return Err(self.err("range can only initialize variables"));
                    };
                    let t3 = self.next_non_space();
                    if !matches!(t3.tok, Tok::Declare | Tok::Assign) {
                        return Err(self.unexpected(&t3, "range"));
                    }
                    is_assign = t3.tok == Tok::Assign;
                    decl.push(v);
                    decl.push(v2);
                }
                _ => self.i = save,
            }
        }
        if is_assign {
            for v in &decl {
                if !self.vars.contains(v) {
                    return Err(self.err(format!("undefined variable {v:?}")));
                }
            }
        }
        let mut cmds = Vec::new();
        loop {
            let t = self.peek_non_space().clone();
            match t.tok {
                Tok::Right if end_right => {
                    self.next();
                    break;
                }
                Tok::RParen if !end_right => {
                    self.next();
                    break;
                }
                Tok::Right | Tok::RParen | Tok::Eof => {
                    return Err(self.unexpected(&t, context));
                }
                _ => {
                    let c = self.command(context)?;
                    cmds.push(c);
                    let t = self.peek_non_space().clone();
                    match t.tok {
                        // A pipe before the end is no error in Go (`{{ .x | }}`).
                        Tok::Pipe => {
                            self.next();
                        }
                        Tok::Right | Tok::RParen => {}
                        _ => return Err(self.unexpected(&t, "operand")),
                    }
                }
            }
        }
        if cmds.is_empty() {
            return Err(self.err(format!("missing value for {context}")));
        }
        // Only the first command may be a non-executable value.
        for (i, c) in cmds.iter().enumerate().skip(1) {
            if let Some(a) = c.args.first() {
                if matches!(
                    a,
                    Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Num(..) | Arg::Str { .. }
                ) {
                    return Err(self.err(format!(
                        "non executable command in pipeline stage {}",
                        i + 1
                    )));
                }
            }
        }
        if !is_assign {
            for v in &decl {
                self.vars.push(v.clone());
            }
        }
        Ok(Pipe {
            pos: start,
            is_assign,
            decl,
            cmds,
        })
    }

    fn command(&mut self, context: &str) -> PResult<Cmd> {
        let pos = self.peek_non_space().pos;
        let mut args = Vec::new();
        loop {
            self.peek_non_space();
            let op = self.operand(context)?;
            match op {
                Some(a) => args.push(a),
                None => break,
            }
            let t = self.peek().clone();
            match t.tok {
                Tok::Space => {
                    self.peek_non_space();
                }
                Tok::Right | Tok::RParen | Tok::Pipe => {}
                _ => return Err(self.unexpected(&t, "operand")),
            }
            if matches!(self.peek().tok, Tok::Right | Tok::RParen | Tok::Pipe) {
                break;
            }
        }
        if args.is_empty() {
            let t = self.peek().clone();
            return Err(self.unexpected(&t, context));
        }
        Ok(Cmd { pos, args })
    }

    /// A term and the field chain after it.
    fn operand(&mut self, context: &str) -> PResult<Option<Arg>> {
        let Some(term) = self.term(context)? else {
            return Ok(None);
        };
        // Go's chain node (and the field or variable node made of it) is at the first field
        // after the term: `.Values.s.y` is at `.s`.
        let pos = self.peek().pos;
        let mut idents = Vec::new();
        while let Tok::Field(f) = &self.peek().tok {
            idents.push(f.clone());
            self.next();
        }
        if idents.is_empty() {
            return Ok(Some(term));
        }
        Ok(Some(match term {
            Arg::Field {
                idents: mut first, ..
            } => {
                first.extend(idents);
                Arg::Field { pos, idents: first }
            }
            Arg::Var {
                name,
                idents: mut first,
                ..
            } => {
                first.extend(idents);
                Arg::Var {
                    pos,
                    name,
                    idents: first,
                }
            }
            Arg::Bool(..) | Arg::Str { .. } | Arg::Num(..) | Arg::Nil(_) | Arg::Dot(_) => {
                return Err(self.err(format!("unexpected . after term {:?}", term.to_string())));
            }
            other => Arg::Chain {
                pos,
                node: Box::new(other),
                idents,
            },
        }))
    }

    fn term(&mut self, context: &str) -> PResult<Option<Arg>> {
        let t = self.peek().clone();
        let arg = match t.tok {
            Tok::Ident(name) => {
                if !self.funcs.has(&name) {
                    return Err(ParseError {
                        name: self.name.clone(),
                        line: t.line,
                        message: format!("function {name:?} not defined"),
                    });
                }
                Arg::Ident(t.pos, name)
            }
            Tok::Dot => Arg::Dot(t.pos),
            Tok::Nil => Arg::Nil(t.pos),
            Tok::Var(v) => {
                if !self.vars.contains(&v) {
                    return Err(ParseError {
                        name: self.name.clone(),
                        line: t.line,
                        message: format!("undefined variable {v:?}"),
                    });
                }
                Arg::Var {
                    pos: t.pos,
                    name: v,
                    idents: Vec::new(),
                }
            }
            Tok::Field(f) => Arg::Field {
                pos: t.pos,
                idents: vec![f],
            },
            Tok::Bool(b) => Arg::Bool(t.pos, b),
            Tok::Char(n, text) => Arg::Num(
                t.pos,
                Number {
                    text,
                    int: Some(n),
                    float: Some(n as f64),
                    float_syntax: false,
                },
            ),
            Tok::Num(text) => {
                let n = parse_number(&text).map_err(|m| ParseError {
                    name: self.name.clone(),
                    line: t.line,
                    message: m,
                })?;
                Arg::Num(t.pos, n)
            }
            Tok::LParen => {
                self.next();
                let p = self.pipeline("parenthesized pipeline", false)?;
                return Ok(Some(Arg::Pipe(Box::new(p))));
            }
            Tok::Str(value, quoted) | Tok::RawStr(value, quoted) => Arg::Str {
                pos: t.pos,
                value,
                quoted,
            },
            Tok::Keyword(_) => {
                return Err(self.unexpected(&t, context));
            }
            _ => return Ok(None),
        };
        self.next();
        Ok(Some(arg))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct All;
    impl Funcs for All {
        fn has(&self, name: &str) -> bool {
            name != "nosuch"
        }
    }

    fn p(src: &str) -> Result<Vec<Tree>, ParseError> {
        parse("t", src, &All)
    }

    #[test]
    fn trims_and_comments() {
        let t = p("a  {{- /* c */ -}}  b {{- 1 }}\n").unwrap();
        let texts: Vec<String> = t[0]
            .root
            .iter()
            .filter_map(|n| match n {
                Node::Text(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["a", "b", "\n"]);
    }

    #[test]
    fn numbers() {
        let n = parse_number("0x1F").unwrap();
        assert_eq!(n.int, Some(31));
        let n = parse_number("1_000").unwrap();
        assert_eq!(n.int, Some(1000));
        let n = parse_number("1.5").unwrap();
        assert!(n.float_syntax && n.int.is_none());
        let n = parse_number("1e3").unwrap();
        assert_eq!(n.int, Some(1000));
        assert!(n.float_syntax);
        assert_eq!(parse_number("0o17").unwrap().int, Some(15));
        assert_eq!(parse_number("017").unwrap().int, Some(15));
        assert_eq!(parse_number("-3").unwrap().int, Some(-3));
        assert!(parse_number("1i").is_err());
        assert!(parse_number("1x").is_err());
    }

    #[test]
    fn errors_as_go() {
        assert_eq!(
            p("{{ nosuch 1 }}").unwrap_err().to_string(),
            "template: t:1: function \"nosuch\" not defined"
        );
        assert_eq!(
            p("\n{{ $x }}").unwrap_err().to_string(),
            "template: t:2: undefined variable \"$x\""
        );
        assert_eq!(
            p("{{ if 1 }}").unwrap_err().to_string(),
            "template: t:1: unexpected EOF"
        );
        assert_eq!(
            p("{{ end }}").unwrap_err().to_string(),
            "template: t:1: unexpected {{end}}"
        );
        assert!(p("{{ \"a }}").is_err());
        assert!(p("{{ 1 ").is_err());
        // Lexer errors as Go reports them (tests/bad_inputs.rs compares with helm v4).
        for (src, want) in [
            ("{{ .x \n", "template: t:2: unclosed action started at t:1"),
            (
                "{{ (1 \n }}",
                "template: t:2: unclosed left paren in action started at t:1",
            ),
            ("{{ . @ }}", "template: t:1: unexpected \"@\" in operand"),
            (
                "{{ nosuch\n: }}",
                "template: t:1: function \"nosuch\" not defined",
            ),
            (
                "{{ . \u{1} }}",
                "template: t:1: unrecognized character in action: U+0001",
            ),
            (
                "{{ .x | quote | 2 }}",
                "template: t:1: non executable command in pipeline stage 3",
            ),
        ] {
            assert_eq!(p(src).unwrap_err().to_string(), want, "{src:?}");
        }
        assert!(p("{{ .x | }}").is_ok());
    }

    #[test]
    fn strings_of_nodes() {
        let t = p("{{ $x := include \"a\" (dict \"k\" .Values.a) | quote }}{{ (.a).b }}").unwrap();
        let Node::Action(pipe) = &t[0].root[0] else {
            panic!()
        };
        assert_eq!(
            pipe.to_string(),
            "$x := include \"a\" (dict \"k\" .Values.a) | quote"
        );
        let Node::Action(pipe) = &t[0].root[1] else {
            panic!()
        };
        assert_eq!(pipe.to_string(), "(.a).b");
    }

    #[test]
    fn defines_and_else_chains() {
        let t = p("{{ define \"x\" }}X{{ end }}{{ if 1 }}a{{ else if 2 }}b{{ else }}c{{ end }}")
            .unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[1].name, "x");
        let Node::If(b) = &t[0].root[0] else { panic!() };
        assert!(matches!(b.else_list.as_deref(), Some([Node::If(_)])));
    }
}
