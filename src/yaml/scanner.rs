//! The reader and scanner of go-yaml v2.4.3 (go.yaml.in/yaml/v2, a port of libyaml), which Helm
//! v4.1.4 reads YAML with through sigs.k8s.io/yaml v1.6.0: readerc.go and scannerc.go, ported
//! function by function so that what is accepted, what each scalar holds, and every error and its
//! line are the same as Helm's.
//!
//! The quirks this keeps on purpose (each one changes what Helm reads):
//! - the reader refuses bytes that are not UTF-8 and control characters, as it decodes the input
//!   in chunks of 512 bytes ahead of the scanner (an error further on may win over it);
//! - CR, LF, CRLF, NEL, LS and PS are line breaks; LS and PS are kept in scalars;
//! - a byte-order mark at the start of a line is skipped only when it stands at the start of the
//!   reader's working buffer (libyaml's `is_bom` looks at `buffer[0]`);
//! - a simple key may not span lines nor exceed 1024 characters; flow nesting stops at 10,000.

use std::collections::{HashMap, VecDeque};

/// A position: characters from the start, 0-based line and column (all in characters).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Mark {
    pub index: usize,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenKind {
    StreamStart,
    StreamEnd,
    VersionDirective(u8, u8),
    TagDirective(Vec<u8>, Vec<u8>),
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias(Vec<u8>),
    Anchor(Vec<u8>),
    Tag(Vec<u8>, Vec<u8>),
    Scalar(Vec<u8>, ScalarStyle),
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: Mark,
    pub end: Mark,
}

/// Which stage failed (go-yaml's `parser.error`): scanner errors report the problem's line + 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    Reader,
    Scanner,
    Parser,
}

/// go-yaml's error state: the problem, its mark, and the context mark.
#[derive(Debug, Clone)]
pub(crate) struct SyntaxError {
    pub kind: ErrorKind,
    pub problem: String,
    pub problem_mark: Mark,
    pub context_mark: Mark,
}

impl SyntaxError {
    /// The line go-yaml's `parser.fail()` prints (0: none).
    pub(crate) fn helm_line(&self) -> usize {
        if self.problem_mark.line != 0 {
            if self.kind == ErrorKind::Scanner {
                self.problem_mark.line + 1
            } else {
                self.problem_mark.line
            }
        } else {
            self.context_mark.line
        }
    }

    /// go-yaml's message: `yaml: line N: PROBLEM`, or `yaml: PROBLEM` without a line.
    pub(crate) fn helm_message(&self) -> String {
        match self.helm_line() {
            0 => format!("yaml: {}", self.problem),
            n => format!("yaml: line {n}: {}", self.problem),
        }
    }

    /// The 1-based line the problem stands on, as closely as go-yaml knows it.
    pub(crate) fn line(&self) -> usize {
        match self.helm_line() {
            0 => self.problem_mark.line.max(self.context_mark.line) + 1,
            n => n,
        }
    }
}

pub(crate) type Result<T> = std::result::Result<T, SyntaxError>;

const RAW_BUFFER_SIZE: usize = 512;
const MAX_FLOW_LEVEL: usize = 10_000;
const MAX_INDENTS: usize = 10_000;

#[derive(Debug, Clone, Copy, Default)]
struct SimpleKey {
    possible: bool,
    required: bool,
    token_number: usize,
    mark: Mark,
}

pub(crate) struct Scanner<'a> {
    // --- reader (readerc.go) over an input string
    input: &'a [u8],
    /// Input offset of the raw buffer's first byte, its read position and length (relative).
    raw_start: usize,
    raw_pos: usize,
    raw_len: usize,
    eof: bool,
    encoding_known: bool,
    /// go-yaml's `parser.encoding` once known: UTF-8, or UTF-16 little/big endian (by BOM).
    utf16: Option<Utf16>,
    /// The decoded characters (UTF-8); never compacted: `buf_start` is where libyaml's working
    /// buffer would begin, `pos` the read position, `unread` the characters decoded ahead.
    buf: Vec<u8>,
    buf_start: usize,
    pos: usize,
    unread: usize,
    offset: usize,

    // --- scanner (scannerc.go)
    pub(crate) mark: Mark,
    stream_start_produced: bool,
    stream_end_produced: bool,
    flow_level: usize,
    tokens: VecDeque<Token>,
    tokens_parsed: usize,
    token_available: bool,
    indent: isize,
    indents: Vec<isize>,
    simple_key_allowed: bool,
    simple_keys: Vec<SimpleKey>,
    simple_keys_by_tok: HashMap<usize, usize>,
    pub(crate) error: Option<SyntaxError>,
}

fn is_alpha_b(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn is_hex_b(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

fn as_hex_b(b: u8) -> u32 {
    match b {
        b'A'..=b'F' => (b - b'A' + 10) as u32,
        b'a'..=b'f' => (b - b'a' + 10) as u32,
        _ => (b.wrapping_sub(b'0')) as u32,
    }
}

/// The byte order of a UTF-16 input (go-yaml's `yaml_UTF16LE_ENCODING` / `yaml_UTF16BE_ENCODING`).
#[derive(Clone, Copy, PartialEq)]
enum Utf16 {
    Le,
    Be,
}

/// The length of the UTF-8 sequence a byte starts (0: not a leading byte).
pub(crate) fn width(b: u8) -> usize {
    if b & 0x80 == 0 {
        1
    } else if b & 0xE0 == 0xC0 {
        2
    } else if b & 0xF0 == 0xE0 {
        3
    } else if b & 0xF8 == 0xF0 {
        4
    } else {
        0
    }
}

impl<'a> Scanner<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Scanner {
            input,
            raw_start: 0,
            raw_pos: 0,
            raw_len: 0,
            eof: false,
            encoding_known: false,
            utf16: None,
            buf: Vec::with_capacity(input.len() + 8),
            buf_start: 0,
            pos: 0,
            unread: 0,
            offset: 0,
            mark: Mark::default(),
            stream_start_produced: false,
            stream_end_produced: false,
            flow_level: 0,
            tokens: VecDeque::new(),
            tokens_parsed: 0,
            token_available: false,
            indent: -1,
            indents: Vec::new(),
            simple_key_allowed: false,
            simple_keys: Vec::new(),
            simple_keys_by_tok: HashMap::new(),
            error: None,
        }
    }

    // ------------------------------------------------------------------ reader

    fn reader_error(&mut self, problem: &str) -> SyntaxError {
        let e = SyntaxError {
            kind: ErrorKind::Reader,
            problem: problem.to_string(),
            problem_mark: Mark::default(),
            context_mark: Mark::default(),
        };
        self.error = Some(e.clone());
        e
    }

    fn update_raw_buffer(&mut self) {
        if self.raw_pos == 0 && self.raw_len == RAW_BUFFER_SIZE {
            return;
        }
        if self.eof {
            return;
        }
        self.raw_start += self.raw_pos;
        self.raw_len -= self.raw_pos;
        self.raw_pos = 0;
        let input_pos = self.raw_start + self.raw_len;
        if input_pos == self.input.len() {
            self.eof = true;
            return;
        }
        let n = (RAW_BUFFER_SIZE - self.raw_len).min(self.input.len() - input_pos);
        self.raw_len += n;
    }

    fn raw(&self, k: usize) -> u8 {
        self.input[self.raw_start + self.raw_pos + k]
    }

    fn determine_encoding(&mut self) -> Result<()> {
        while !self.eof && self.raw_len - self.raw_pos < 3 {
            self.update_raw_buffer();
        }
        let avail = self.raw_len - self.raw_pos;
        // go-yaml's yaml_parser_determine_encoding: a UTF-16 BOM selects UTF-16 (and is skipped).
        if avail >= 2 && self.raw(0) == 0xFF && self.raw(1) == 0xFE {
            self.utf16 = Some(Utf16::Le);
            self.raw_pos += 2;
            self.offset += 2;
        } else if avail >= 2 && self.raw(0) == 0xFE && self.raw(1) == 0xFF {
            self.utf16 = Some(Utf16::Be);
            self.raw_pos += 2;
            self.offset += 2;
        } else if avail >= 3 && self.raw(0) == 0xEF && self.raw(1) == 0xBB && self.raw(2) == 0xBF {
            self.raw_pos += 3;
            self.offset += 3;
        }
        self.encoding_known = true;
        Ok(())
    }

    /// libyaml's `yaml_parser_update_buffer`: makes `length` characters available.
    fn update_buffer(&mut self, length: usize) -> Result<()> {
        if self.unread >= length {
            return Ok(());
        }
        if !self.encoding_known {
            self.determine_encoding()?;
        }
        // The working buffer is compacted: what is at `pos` moves to its start.
        self.buf_start = self.pos;
        let mut first = true;
        while self.unread < length {
            if !first || self.raw_pos == self.raw_len {
                self.update_raw_buffer();
            }
            first = false;
            while self.raw_pos != self.raw_len {
                let raw_unread = self.raw_len - self.raw_pos;
                if let Some(order) = self.utf16 {
                    match self.decode_utf16(order, raw_unread)? {
                        Some(()) => continue,
                        None => break,
                    }
                }
                let octet = self.raw(0);
                let w = width(octet);
                if w == 0 {
                    return Err(self.reader_error("invalid leading UTF-8 octet"));
                }
                if w > raw_unread {
                    if self.eof {
                        return Err(self.reader_error("incomplete UTF-8 octet sequence"));
                    }
                    break;
                }
                let mut value: u32 = match w {
                    1 => (octet & 0x7F) as u32,
                    2 => (octet & 0x1F) as u32,
                    3 => (octet & 0x0F) as u32,
                    _ => (octet & 0x07) as u32,
                };
                for k in 1..w {
                    let o = self.raw(k);
                    if o & 0xC0 != 0x80 {
                        return Err(self.reader_error("invalid trailing UTF-8 octet"));
                    }
                    value = (value << 6) + (o & 0x3F) as u32;
                }
                let ok_len = match w {
                    1 => true,
                    2 => value >= 0x80,
                    3 => value >= 0x800,
                    _ => value >= 0x10000,
                };
                if !ok_len {
                    return Err(self.reader_error("invalid length of a UTF-8 sequence"));
                }
                if (0xD800..=0xDFFF).contains(&value) || value > 0x10FFFF {
                    return Err(self.reader_error("invalid Unicode character"));
                }
                if !readable(value) {
                    return Err(self.reader_error("control characters are not allowed"));
                }
                let at = self.raw_start + self.raw_pos;
                self.buf.extend_from_slice(&self.input[at..at + w]);
                self.raw_pos += w;
                self.offset += w;
                self.unread += 1;
            }
            if self.eof {
                self.buf.push(0);
                self.unread += 1;
                break;
            }
        }
        Ok(())
    }

    /// go-yaml's UTF-16 branch of yaml_parser_update_buffer: decodes one character (a code
    /// unit, or a surrogate pair) into the working buffer as UTF-8. `None`: the raw buffer holds
    /// too few bytes for it and more input is to come.
    fn decode_utf16(&mut self, order: Utf16, raw_unread: usize) -> Result<Option<()>> {
        let unit = |s: &Self, k: usize| -> u32 {
            let (a, b) = (s.raw(k) as u32, s.raw(k + 1) as u32);
            match order {
                Utf16::Le => a | (b << 8),
                Utf16::Be => (a << 8) | b,
            }
        };
        if raw_unread < 2 {
            if self.eof {
                return Err(self.reader_error("incomplete UTF-16 character"));
            }
            return Ok(None);
        }
        let mut value = unit(self, 0);
        if value & 0xFC00 == 0xDC00 {
            return Err(self.reader_error("unexpected low surrogate area"));
        }
        let w = if value & 0xFC00 == 0xD800 {
            if raw_unread < 4 {
                if self.eof {
                    return Err(self.reader_error("incomplete UTF-16 surrogate pair"));
                }
                return Ok(None);
            }
            let value2 = unit(self, 2);
            if value2 & 0xFC00 != 0xDC00 {
                return Err(self.reader_error("expected low surrogate area"));
            }
            value = 0x10000 + ((value & 0x3FF) << 10) + (value2 & 0x3FF);
            4
        } else {
            2
        };
        if !readable(value) {
            return Err(self.reader_error("control characters are not allowed"));
        }
        // Every value left is a Unicode scalar value (surrogates were paired above).
        let c = char::from_u32(value).unwrap_or('\u{FFFD}');
        let mut tmp = [0u8; 4];
        self.buf
            .extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
        self.raw_pos += w;
        self.offset += w;
        self.unread += 1;
        Ok(Some(()))
    }

    #[inline]
    fn cache(&mut self, length: usize) -> Result<()> {
        if self.unread >= length {
            Ok(())
        } else {
            self.update_buffer(length)
        }
    }

    /// The byte `k` bytes ahead (0 past the end, as libyaml's padding).
    #[inline]
    fn at(&self, k: usize) -> u8 {
        self.buf.get(self.pos + k).copied().unwrap_or(0)
    }

    fn is_z(&self, k: usize) -> bool {
        self.at(k) == 0
    }
    fn is_blank(&self, k: usize) -> bool {
        matches!(self.at(k), b' ' | b'\t')
    }
    fn is_tab(&self, k: usize) -> bool {
        self.at(k) == b'\t'
    }
    fn is_space(&self, k: usize) -> bool {
        self.at(k) == b' '
    }
    fn is_break(&self, k: usize) -> bool {
        let b = self.at(k);
        b == b'\r'
            || b == b'\n'
            || (b == 0xC2 && self.at(k + 1) == 0x85)
            || (b == 0xE2 && self.at(k + 1) == 0x80 && matches!(self.at(k + 2), 0xA8 | 0xA9))
    }
    fn is_breakz(&self, k: usize) -> bool {
        self.is_break(k) || self.is_z(k)
    }
    fn is_blankz(&self, k: usize) -> bool {
        self.is_blank(k) || self.is_breakz(k)
    }
    fn is_crlf(&self, k: usize) -> bool {
        self.at(k) == b'\r' && self.at(k + 1) == b'\n'
    }
    fn is_alpha(&self, k: usize) -> bool {
        is_alpha_b(self.at(k))
    }
    fn is_digit(&self, k: usize) -> bool {
        self.at(k).is_ascii_digit()
    }
    /// libyaml's `is_bom(buffer, pos)` reads `buffer[0..3]`, not `pos`.
    fn is_bom(&self) -> bool {
        self.buf.get(self.buf_start..self.buf_start + 3) == Some(&[0xEF, 0xBB, 0xBF][..])
    }

    fn skip(&mut self) {
        self.mark.index += 1;
        self.mark.column += 1;
        self.unread = self.unread.saturating_sub(1);
        self.pos += width(self.at(0)).max(1);
    }

    fn skip_line(&mut self) {
        if self.is_crlf(0) {
            self.mark.index += 2;
            self.mark.column = 0;
            self.mark.line += 1;
            self.unread = self.unread.saturating_sub(2);
            self.pos += 2;
        } else if self.is_break(0) {
            self.mark.index += 1;
            self.mark.column = 0;
            self.mark.line += 1;
            self.unread = self.unread.saturating_sub(1);
            self.pos += width(self.at(0)).max(1);
        }
    }

    fn read(&mut self, s: &mut Vec<u8>) {
        let w = width(self.at(0)).max(1);
        let end = (self.pos + w).min(self.buf.len());
        s.extend_from_slice(&self.buf[self.pos..end]);
        self.pos += w;
        self.mark.index += 1;
        self.mark.column += 1;
        self.unread = self.unread.saturating_sub(1);
    }

    fn read_line(&mut self, s: &mut Vec<u8>) {
        let (b0, b1, b2) = (self.at(0), self.at(1), self.at(2));
        if b0 == b'\r' && b1 == b'\n' {
            s.push(b'\n');
            self.pos += 2;
            self.mark.index += 1;
            self.unread = self.unread.saturating_sub(1);
        } else if b0 == b'\r' || b0 == b'\n' {
            s.push(b'\n');
            self.pos += 1;
        } else if b0 == 0xC2 && b1 == 0x85 {
            s.push(b'\n');
            self.pos += 2;
        } else if b0 == 0xE2 && b1 == 0x80 && (b2 == 0xA8 || b2 == 0xA9) {
            s.extend_from_slice(&[b0, b1, b2]);
            self.pos += 3;
        } else {
            return;
        }
        self.mark.index += 1;
        self.mark.column = 0;
        self.mark.line += 1;
        self.unread = self.unread.saturating_sub(1);
    }

    // ------------------------------------------------------------------ tokens

    fn scanner_error(&mut self, context: &str, context_mark: Mark, problem: &str) -> SyntaxError {
        let _ = context;
        let e = SyntaxError {
            kind: ErrorKind::Scanner,
            problem: problem.to_string(),
            problem_mark: self.mark,
            context_mark,
        };
        self.error = Some(e.clone());
        e
    }

    /// The next token without taking it (go-yaml's `peek_token`).
    pub(crate) fn peek(&mut self) -> Result<&Token> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if !self.token_available {
            self.fetch_more_tokens()?;
        }
        self.tokens.front().ok_or_else(|| SyntaxError {
            kind: ErrorKind::Parser,
            problem: "no more tokens".into(),
            problem_mark: self.mark,
            context_mark: self.mark,
        })
    }

    /// Takes the token `peek` returned (go-yaml's `skip_token`).
    pub(crate) fn skip_token(&mut self) {
        self.token_available = false;
        self.tokens_parsed += 1;
        if let Some(t) = self.tokens.pop_front() {
            self.stream_end_produced = t.kind == TokenKind::StreamEnd;
        }
    }

    pub(crate) fn stream_end_produced(&self) -> bool {
        self.stream_end_produced
    }

    /// Where the token numbered `number` sits in the queue: None when the parser has already
    /// taken it. go-yaml computes `number - tokens_parsed` as a signed int and its
    /// `yaml_insert_token` appends on a negative position; this happens when an empty flow
    /// collection is a key (`[]: x`): closing it deletes the outer key's `simple_keys_by_tok`
    /// entry (both keys carry the same token number), so the parser takes `[` `]` as the first
    /// document before the `:` is scanned, and KEY and BLOCK-MAPPING-START are appended after it.
    fn queue_pos(&self, number: usize) -> Option<usize> {
        number.checked_sub(self.tokens_parsed)
    }

    fn insert_token(&mut self, pos: Option<usize>, token: Token) {
        match pos {
            None => self.tokens.push_back(token),
            Some(p) => self.tokens.insert(p.min(self.tokens.len()), token),
        }
    }

    fn fetch_more_tokens(&mut self) -> Result<()> {
        loop {
            if !self.tokens.is_empty() {
                match self.simple_keys_by_tok.get(&self.tokens_parsed).copied() {
                    None => break,
                    Some(i) => {
                        let mut k = self.simple_keys[i];
                        let valid = self.simple_key_is_valid(&mut k)?;
                        self.simple_keys[i] = k;
                        if !valid {
                            break;
                        }
                    }
                }
            }
            self.fetch_next_token()?;
        }
        self.token_available = true;
        Ok(())
    }

    fn fetch_next_token(&mut self) -> Result<()> {
        self.cache(1)?;
        if !self.stream_start_produced {
            return self.fetch_stream_start();
        }
        self.scan_to_next_token()?;
        self.unroll_indent(self.mark.column as isize);
        self.cache(4)?;
        if self.is_z(0) {
            return self.fetch_stream_end();
        }
        let c = self.at(0);
        if self.mark.column == 0 && c == b'%' {
            return self.fetch_directive();
        }
        if self.mark.column == 0
            && c == b'-'
            && self.at(1) == b'-'
            && self.at(2) == b'-'
            && self.is_blankz(3)
        {
            return self.fetch_document_indicator(TokenKind::DocumentStart);
        }
        if self.mark.column == 0
            && c == b'.'
            && self.at(1) == b'.'
            && self.at(2) == b'.'
            && self.is_blankz(3)
        {
            return self.fetch_document_indicator(TokenKind::DocumentEnd);
        }
        match c {
            b'[' => return self.fetch_flow_collection_start(TokenKind::FlowSequenceStart),
            b'{' => return self.fetch_flow_collection_start(TokenKind::FlowMappingStart),
            b']' => return self.fetch_flow_collection_end(TokenKind::FlowSequenceEnd),
            b'}' => return self.fetch_flow_collection_end(TokenKind::FlowMappingEnd),
            b',' => return self.fetch_flow_entry(),
            _ => {}
        }
        if c == b'-' && self.is_blankz(1) {
            return self.fetch_block_entry();
        }
        if c == b'?' && (self.flow_level > 0 || self.is_blankz(1)) {
            return self.fetch_key();
        }
        if c == b':' && (self.flow_level > 0 || self.is_blankz(1)) {
            return self.fetch_value();
        }
        match c {
            b'*' => return self.fetch_anchor(true),
            b'&' => return self.fetch_anchor(false),
            b'!' => return self.fetch_tag(),
            b'|' if self.flow_level == 0 => return self.fetch_block_scalar(true),
            b'>' if self.flow_level == 0 => return self.fetch_block_scalar(false),
            b'\'' => return self.fetch_flow_scalar(true),
            b'"' => return self.fetch_flow_scalar(false),
            _ => {}
        }
        let indicator = matches!(
            c,
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        );
        if !(self.is_blankz(0) || indicator)
            || (c == b'-' && !self.is_blank(1))
            || (self.flow_level == 0 && (c == b'?' || c == b':') && !self.is_blankz(1))
        {
            return self.fetch_plain_scalar();
        }
        let m = self.mark;
        Err(self.scanner_error(
            "while scanning for the next token",
            m,
            "found character that cannot start any token",
        ))
    }

    fn simple_key_is_valid(&mut self, k: &mut SimpleKey) -> Result<bool> {
        if !k.possible {
            return Ok(false);
        }
        if k.mark.line < self.mark.line || k.mark.index + 1024 < self.mark.index {
            if k.required {
                return Err(self.scanner_error(
                    "while scanning a simple key",
                    k.mark,
                    "could not find expected ':'",
                ));
            }
            k.possible = false;
            return Ok(false);
        }
        Ok(true)
    }

    fn save_simple_key(&mut self) -> Result<()> {
        let required = self.flow_level == 0 && self.indent == self.mark.column as isize;
        if self.simple_key_allowed {
            let k = SimpleKey {
                possible: true,
                required,
                token_number: self.tokens_parsed + self.tokens.len(),
                mark: self.mark,
            };
            self.remove_simple_key()?;
            let last = self.simple_keys.len() - 1;
            self.simple_keys[last] = k;
            self.simple_keys_by_tok.insert(k.token_number, last);
        }
        Ok(())
    }

    fn remove_simple_key(&mut self) -> Result<()> {
        let i = self.simple_keys.len() - 1;
        if self.simple_keys[i].possible {
            if self.simple_keys[i].required {
                let m = self.simple_keys[i].mark;
                return Err(self.scanner_error(
                    "while scanning a simple key",
                    m,
                    "could not find expected ':'",
                ));
            }
            self.simple_keys[i].possible = false;
            let t = self.simple_keys[i].token_number;
            self.simple_keys_by_tok.remove(&t);
        }
        Ok(())
    }

    fn increase_flow_level(&mut self) -> Result<()> {
        self.simple_keys.push(SimpleKey {
            possible: false,
            required: false,
            token_number: self.tokens_parsed + self.tokens.len(),
            mark: self.mark,
        });
        self.flow_level += 1;
        if self.flow_level > MAX_FLOW_LEVEL {
            let m = self.mark;
            return Err(self.scanner_error(
                "while increasing flow level",
                m,
                &format!("exceeded max depth of {MAX_FLOW_LEVEL}"),
            ));
        }
        Ok(())
    }

    fn decrease_flow_level(&mut self) {
        if self.flow_level > 0 {
            self.flow_level -= 1;
            if let Some(k) = self.simple_keys.pop() {
                self.simple_keys_by_tok.remove(&k.token_number);
            }
        }
    }

    /// `number`: the token number to insert before (None: append).
    fn roll_indent(
        &mut self,
        column: usize,
        number: Option<usize>,
        kind: TokenKind,
        mark: Mark,
    ) -> Result<()> {
        if self.flow_level > 0 {
            return Ok(());
        }
        if self.indent < column as isize {
            self.indents.push(self.indent);
            self.indent = column as isize;
            if self.indents.len() > MAX_INDENTS {
                let m = self.simple_keys.last().map(|k| k.mark).unwrap_or_default();
                return Err(self.scanner_error(
                    "while increasing indent level",
                    m,
                    &format!("exceeded max depth of {MAX_INDENTS}"),
                ));
            }
            let token = Token {
                kind,
                start: mark,
                end: mark,
            };
            let pos = number.and_then(|n| self.queue_pos(n));
            self.insert_token(pos, token);
        }
        Ok(())
    }

    fn unroll_indent(&mut self, column: isize) {
        if self.flow_level > 0 {
            return;
        }
        while self.indent > column {
            let token = Token {
                kind: TokenKind::BlockEnd,
                start: self.mark,
                end: self.mark,
            };
            self.insert_token(None, token);
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    fn push(&mut self, kind: TokenKind, start: Mark, end: Mark) {
        self.insert_token(None, Token { kind, start, end });
    }

    fn fetch_stream_start(&mut self) -> Result<()> {
        self.indent = -1;
        self.simple_keys.push(SimpleKey::default());
        self.simple_key_allowed = true;
        self.stream_start_produced = true;
        let m = self.mark;
        self.push(TokenKind::StreamStart, m, m);
        Ok(())
    }

    fn fetch_stream_end(&mut self) -> Result<()> {
        if self.mark.column != 0 {
            self.mark.column = 0;
            self.mark.line += 1;
        }
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let m = self.mark;
        self.push(TokenKind::StreamEnd, m, m);
        Ok(())
    }

    fn fetch_directive(&mut self) -> Result<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let t = self.scan_directive()?;
        self.insert_token(None, t);
        Ok(())
    }

    fn fetch_document_indicator(&mut self, kind: TokenKind) -> Result<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        self.skip();
        self.skip();
        let end = self.mark;
        self.push(kind, start, end);
        Ok(())
    }

    fn fetch_flow_collection_start(&mut self, kind: TokenKind) -> Result<()> {
        self.save_simple_key()?;
        self.increase_flow_level()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(kind, start, end);
        Ok(())
    }

    fn fetch_flow_collection_end(&mut self, kind: TokenKind) -> Result<()> {
        self.remove_simple_key()?;
        self.decrease_flow_level();
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(kind, start, end);
        Ok(())
    }

    fn fetch_flow_entry(&mut self) -> Result<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(TokenKind::FlowEntry, start, end);
        Ok(())
    }

    fn fetch_block_entry(&mut self) -> Result<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                let m = self.mark;
                return Err(self.scanner_error(
                    "",
                    m,
                    "block sequence entries are not allowed in this context",
                ));
            }
            let m = self.mark;
            self.roll_indent(m.column, None, TokenKind::BlockSequenceStart, m)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(TokenKind::BlockEntry, start, end);
        Ok(())
    }

    fn fetch_key(&mut self) -> Result<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                let m = self.mark;
                return Err(self.scanner_error(
                    "",
                    m,
                    "mapping keys are not allowed in this context",
                ));
            }
            let m = self.mark;
            self.roll_indent(m.column, None, TokenKind::BlockMappingStart, m)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = self.flow_level == 0;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(TokenKind::Key, start, end);
        Ok(())
    }

    fn fetch_value(&mut self) -> Result<()> {
        let last = self.simple_keys.len() - 1;
        let mut k = self.simple_keys[last];
        let valid = self.simple_key_is_valid(&mut k)?;
        self.simple_keys[last] = k;
        if valid {
            let token = Token {
                kind: TokenKind::Key,
                start: k.mark,
                end: k.mark,
            };
            self.insert_token(self.queue_pos(k.token_number), token);
            self.roll_indent(
                k.mark.column,
                Some(k.token_number),
                TokenKind::BlockMappingStart,
                k.mark,
            )?;
            self.simple_keys[last].possible = false;
            self.simple_keys_by_tok.remove(&k.token_number);
            self.simple_key_allowed = false;
        } else {
            if self.flow_level == 0 {
                if !self.simple_key_allowed {
                    let m = self.mark;
                    return Err(self.scanner_error(
                        "",
                        m,
                        "mapping values are not allowed in this context",
                    ));
                }
                let m = self.mark;
                self.roll_indent(m.column, None, TokenKind::BlockMappingStart, m)?;
            }
            self.simple_key_allowed = self.flow_level == 0;
        }
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(TokenKind::Value, start, end);
        Ok(())
    }

    fn fetch_anchor(&mut self, alias: bool) -> Result<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let t = self.scan_anchor(alias)?;
        self.insert_token(None, t);
        Ok(())
    }

    fn fetch_tag(&mut self) -> Result<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let t = self.scan_tag()?;
        self.insert_token(None, t);
        Ok(())
    }

    fn fetch_block_scalar(&mut self, literal: bool) -> Result<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let t = self.scan_block_scalar(literal)?;
        self.insert_token(None, t);
        Ok(())
    }

    fn fetch_flow_scalar(&mut self, single: bool) -> Result<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let t = self.scan_flow_scalar(single)?;
        self.insert_token(None, t);
        Ok(())
    }

    fn fetch_plain_scalar(&mut self) -> Result<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let t = self.scan_plain_scalar()?;
        self.insert_token(None, t);
        Ok(())
    }

    fn scan_to_next_token(&mut self) -> Result<()> {
        loop {
            self.cache(1)?;
            if self.mark.column == 0 && self.is_bom() {
                self.skip();
            }
            self.cache(1)?;
            while self.at(0) == b' '
                || ((self.flow_level > 0 || !self.simple_key_allowed) && self.at(0) == b'\t')
            {
                self.skip();
                self.cache(1)?;
            }
            if self.at(0) == b'#' {
                while !self.is_breakz(0) {
                    self.skip();
                    self.cache(1)?;
                }
            }
            if self.is_break(0) {
                self.cache(2)?;
                self.skip_line();
                if self.flow_level == 0 {
                    self.simple_key_allowed = true;
                }
            } else {
                break;
            }
        }
        Ok(())
    }

    fn skip_blanks_and_comment(&mut self) -> Result<()> {
        self.cache(1)?;
        while self.is_blank(0) {
            self.skip();
            self.cache(1)?;
        }
        if self.at(0) == b'#' {
            while !self.is_breakz(0) {
                self.skip();
                self.cache(1)?;
            }
        }
        Ok(())
    }

    fn scan_directive(&mut self) -> Result<Token> {
        let start = self.mark;
        self.skip();
        let name = self.scan_directive_name(start)?;
        let kind = if name == b"YAML" {
            let (major, minor) = self.scan_version_directive_value(start)?;
            TokenKind::VersionDirective(major, minor)
        } else if name == b"TAG" {
            let (h, p) = self.scan_tag_directive_value(start)?;
            TokenKind::TagDirective(h, p)
        } else {
            return Err(self.scanner_error(
                "while scanning a directive",
                start,
                "found unknown directive name",
            ));
        };
        let end = self.mark;
        self.skip_blanks_and_comment()?;
        if !self.is_breakz(0) {
            return Err(self.scanner_error(
                "while scanning a directive",
                start,
                "did not find expected comment or line break",
            ));
        }
        if self.is_break(0) {
            self.cache(2)?;
            self.skip_line();
        }
        Ok(Token { kind, start, end })
    }

    fn scan_directive_name(&mut self, start: Mark) -> Result<Vec<u8>> {
        self.cache(1)?;
        let mut s = Vec::new();
        while self.is_alpha(0) {
            self.read(&mut s);
            self.cache(1)?;
        }
        if s.is_empty() {
            return Err(self.scanner_error(
                "while scanning a directive",
                start,
                "could not find expected directive name",
            ));
        }
        if !self.is_blankz(0) {
            return Err(self.scanner_error(
                "while scanning a directive",
                start,
                "found unexpected non-alphabetical character",
            ));
        }
        Ok(s)
    }

    fn scan_version_directive_value(&mut self, start: Mark) -> Result<(u8, u8)> {
        self.cache(1)?;
        while self.is_blank(0) {
            self.skip();
            self.cache(1)?;
        }
        let major = self.scan_version_directive_number(start)?;
        if self.at(0) != b'.' {
            return Err(self.scanner_error(
                "while scanning a %YAML directive",
                start,
                "did not find expected digit or '.' character",
            ));
        }
        self.skip();
        let minor = self.scan_version_directive_number(start)?;
        Ok((major, minor))
    }

    fn scan_version_directive_number(&mut self, start: Mark) -> Result<u8> {
        self.cache(1)?;
        let mut value: u8 = 0;
        let mut length = 0;
        while self.is_digit(0) {
            length += 1;
            if length > 2 {
                return Err(self.scanner_error(
                    "while scanning a %YAML directive",
                    start,
                    "found extremely long version number",
                ));
            }
            value = value * 10 + (self.at(0) - b'0');
            self.skip();
            self.cache(1)?;
        }
        if length == 0 {
            return Err(self.scanner_error(
                "while scanning a %YAML directive",
                start,
                "did not find expected version number",
            ));
        }
        Ok(value)
    }

    fn scan_tag_directive_value(&mut self, start: Mark) -> Result<(Vec<u8>, Vec<u8>)> {
        self.cache(1)?;
        while self.is_blank(0) {
            self.skip();
            self.cache(1)?;
        }
        let handle = self.scan_tag_handle(true, start)?;
        self.cache(1)?;
        if !self.is_blank(0) {
            return Err(self.scanner_error(
                "while scanning a %TAG directive",
                start,
                "did not find expected whitespace",
            ));
        }
        while self.is_blank(0) {
            self.skip();
            self.cache(1)?;
        }
        let prefix = self.scan_tag_uri(true, &[], start)?;
        self.cache(1)?;
        if !self.is_blankz(0) {
            return Err(self.scanner_error(
                "while scanning a %TAG directive",
                start,
                "did not find expected whitespace or line break",
            ));
        }
        Ok((handle, prefix))
    }

    fn scan_anchor(&mut self, alias: bool) -> Result<Token> {
        let mut s = Vec::new();
        let start = self.mark;
        self.skip();
        self.cache(1)?;
        while self.is_alpha(0) {
            self.read(&mut s);
            self.cache(1)?;
        }
        let end = self.mark;
        let c = self.at(0);
        if s.is_empty()
            || !(self.is_blankz(0)
                || matches!(c, b'?' | b':' | b',' | b']' | b'}' | b'%' | b'@' | b'`'))
        {
            let context = if alias {
                "while scanning an alias"
            } else {
                "while scanning an anchor"
            };
            return Err(self.scanner_error(
                context,
                start,
                "did not find expected alphabetic or numeric character",
            ));
        }
        let kind = if alias {
            TokenKind::Alias(s)
        } else {
            TokenKind::Anchor(s)
        };
        Ok(Token { kind, start, end })
    }

    fn scan_tag(&mut self) -> Result<Token> {
        let start = self.mark;
        self.cache(2)?;
        let (mut handle, mut suffix);
        if self.at(1) == b'<' {
            handle = Vec::new();
            self.skip();
            self.skip();
            suffix = self.scan_tag_uri(false, &[], start)?;
            if self.at(0) != b'>' {
                return Err(self.scanner_error(
                    "while scanning a tag",
                    start,
                    "did not find the expected '>'",
                ));
            }
            self.skip();
        } else {
            handle = self.scan_tag_handle(false, start)?;
            if handle.len() > 1 && handle[0] == b'!' && handle[handle.len() - 1] == b'!' {
                suffix = self.scan_tag_uri(false, &[], start)?;
            } else {
                suffix = self.scan_tag_uri(false, &handle, start)?;
                handle = vec![b'!'];
                if suffix.is_empty() {
                    std::mem::swap(&mut handle, &mut suffix);
                }
            }
        }
        self.cache(1)?;
        if !self.is_blankz(0) {
            return Err(self.scanner_error(
                "while scanning a tag",
                start,
                "did not find expected whitespace or line break",
            ));
        }
        let end = self.mark;
        Ok(Token {
            kind: TokenKind::Tag(handle, suffix),
            start,
            end,
        })
    }

    fn scan_tag_handle(&mut self, directive: bool, start: Mark) -> Result<Vec<u8>> {
        let context = if directive {
            "while parsing a %TAG directive"
        } else {
            "while parsing a tag"
        };
        self.cache(1)?;
        if self.at(0) != b'!' {
            return Err(self.scanner_error(context, start, "did not find expected '!'"));
        }
        let mut s = Vec::new();
        self.read(&mut s);
        self.cache(1)?;
        while self.is_alpha(0) {
            self.read(&mut s);
            self.cache(1)?;
        }
        if self.at(0) == b'!' {
            self.read(&mut s);
        } else if directive && s != b"!" {
            return Err(self.scanner_error(context, start, "did not find expected '!'"));
        }
        Ok(s)
    }

    fn scan_tag_uri(&mut self, directive: bool, head: &[u8], start: Mark) -> Result<Vec<u8>> {
        let context = if directive {
            "while parsing a %TAG directive"
        } else {
            "while parsing a tag"
        };
        let mut s = Vec::new();
        let mut has_tag = !head.is_empty();
        if head.len() > 1 {
            s.extend_from_slice(&head[1..]);
        }
        self.cache(1)?;
        loop {
            let c = self.at(0);
            let uri_char = is_alpha_b(c)
                || matches!(
                    c,
                    b';' | b'/'
                        | b'?'
                        | b':'
                        | b'@'
                        | b'&'
                        | b'='
                        | b'+'
                        | b'$'
                        | b','
                        | b'.'
                        | b'!'
                        | b'~'
                        | b'*'
                        | b'\''
                        | b'('
                        | b')'
                        | b'['
                        | b']'
                        | b'%'
                );
            if !uri_char {
                break;
            }
            if c == b'%' {
                self.scan_uri_escapes(context, start, &mut s)?;
            } else {
                self.read(&mut s);
            }
            self.cache(1)?;
            has_tag = true;
        }
        if !has_tag {
            return Err(self.scanner_error(context, start, "did not find expected tag URI"));
        }
        Ok(s)
    }

    fn scan_uri_escapes(&mut self, context: &str, start: Mark, s: &mut Vec<u8>) -> Result<()> {
        let mut w: usize = 1024;
        while w > 0 {
            self.cache(3)?;
            if !(self.at(0) == b'%' && is_hex_b(self.at(1)) && is_hex_b(self.at(2))) {
                return Err(self.scanner_error(context, start, "did not find URI escaped octet"));
            }
            let octet = ((as_hex_b(self.at(1)) << 4) + as_hex_b(self.at(2))) as u8;
            if w == 1024 {
                w = width(octet);
                if w == 0 {
                    return Err(self.scanner_error(
                        context,
                        start,
                        "found an incorrect leading UTF-8 octet",
                    ));
                }
            } else if octet & 0xC0 != 0x80 {
                return Err(self.scanner_error(
                    context,
                    start,
                    "found an incorrect trailing UTF-8 octet",
                ));
            }
            s.push(octet);
            self.skip();
            self.skip();
            self.skip();
            w -= 1;
        }
        Ok(())
    }

    fn scan_block_scalar(&mut self, literal: bool) -> Result<Token> {
        let start = self.mark;
        self.skip();
        self.cache(1)?;
        let mut chomping = 0i32;
        let mut increment = 0usize;
        let ctx = "while scanning a block scalar";
        if self.at(0) == b'+' || self.at(0) == b'-' {
            chomping = if self.at(0) == b'+' { 1 } else { -1 };
            self.skip();
            self.cache(1)?;
            if self.is_digit(0) {
                if self.at(0) == b'0' {
                    return Err(self.scanner_error(
                        ctx,
                        start,
                        "found an indentation indicator equal to 0",
                    ));
                }
                increment = (self.at(0) - b'0') as usize;
                self.skip();
            }
        } else if self.is_digit(0) {
            if self.at(0) == b'0' {
                return Err(self.scanner_error(
                    ctx,
                    start,
                    "found an indentation indicator equal to 0",
                ));
            }
            increment = (self.at(0) - b'0') as usize;
            self.skip();
            self.cache(1)?;
            if self.at(0) == b'+' || self.at(0) == b'-' {
                chomping = if self.at(0) == b'+' { 1 } else { -1 };
                self.skip();
            }
        }
        self.skip_blanks_and_comment()?;
        if !self.is_breakz(0) {
            return Err(self.scanner_error(
                ctx,
                start,
                "did not find expected comment or line break",
            ));
        }
        if self.is_break(0) {
            self.cache(2)?;
            self.skip_line();
        }
        let mut end = self.mark;
        let mut indent: usize = 0;
        if increment > 0 {
            indent = if self.indent >= 0 {
                self.indent as usize + increment
            } else {
                increment
            };
        }
        let mut s = Vec::new();
        let mut leading_break = Vec::new();
        let mut trailing_breaks = Vec::new();
        self.scan_block_scalar_breaks(&mut indent, &mut trailing_breaks, start, &mut end)?;
        self.cache(1)?;
        let mut leading_blank = false;
        while self.mark.column == indent && !self.is_z(0) {
            let trailing_blank = self.is_blank(0);
            if !literal
                && !leading_blank
                && !trailing_blank
                && leading_break.first() == Some(&b'\n')
            {
                if trailing_breaks.is_empty() {
                    s.push(b' ');
                }
            } else {
                s.extend_from_slice(&leading_break);
            }
            leading_break.clear();
            s.extend_from_slice(&trailing_breaks);
            trailing_breaks.clear();
            leading_blank = self.is_blank(0);
            while !self.is_breakz(0) {
                self.read(&mut s);
                self.cache(1)?;
            }
            self.cache(2)?;
            self.read_line(&mut leading_break);
            self.scan_block_scalar_breaks(&mut indent, &mut trailing_breaks, start, &mut end)?;
        }
        if chomping != -1 {
            s.extend_from_slice(&leading_break);
        }
        if chomping == 1 {
            s.extend_from_slice(&trailing_breaks);
        }
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        Ok(Token {
            kind: TokenKind::Scalar(s, style),
            start,
            end,
        })
    }

    fn scan_block_scalar_breaks(
        &mut self,
        indent: &mut usize,
        breaks: &mut Vec<u8>,
        start: Mark,
        end: &mut Mark,
    ) -> Result<()> {
        *end = self.mark;
        let mut max_indent = 0;
        loop {
            self.cache(1)?;
            while (*indent == 0 || self.mark.column < *indent) && self.is_space(0) {
                self.skip();
                self.cache(1)?;
            }
            if self.mark.column > max_indent {
                max_indent = self.mark.column;
            }
            if (*indent == 0 || self.mark.column < *indent) && self.is_tab(0) {
                return Err(self.scanner_error(
                    "while scanning a block scalar",
                    start,
                    "found a tab character where an indentation space is expected",
                ));
            }
            if !self.is_break(0) {
                break;
            }
            self.cache(2)?;
            self.read_line(breaks);
            *end = self.mark;
        }
        if *indent == 0 {
            *indent = max_indent;
            let min = (self.indent + 1).max(1) as usize;
            if *indent < min {
                *indent = min;
            }
        }
        Ok(())
    }

    fn scan_flow_scalar(&mut self, single: bool) -> Result<Token> {
        let start = self.mark;
        self.skip();
        let mut s = Vec::new();
        let mut leading_break = Vec::new();
        let mut trailing_breaks = Vec::new();
        let mut whitespaces = Vec::new();
        loop {
            self.cache(4)?;
            if self.mark.column == 0
                && ((self.at(0) == b'-' && self.at(1) == b'-' && self.at(2) == b'-')
                    || (self.at(0) == b'.' && self.at(1) == b'.' && self.at(2) == b'.'))
                && self.is_blankz(3)
            {
                return Err(self.scanner_error(
                    "while scanning a quoted scalar",
                    start,
                    "found unexpected document indicator",
                ));
            }
            if self.is_z(0) {
                return Err(self.scanner_error(
                    "while scanning a quoted scalar",
                    start,
                    "found unexpected end of stream",
                ));
            }
            let mut leading_blanks = false;
            while !self.is_blankz(0) {
                let c = self.at(0);
                if single && c == b'\'' && self.at(1) == b'\'' {
                    s.push(b'\'');
                    self.skip();
                    self.skip();
                } else if (single && c == b'\'') || (!single && c == b'"') {
                    break;
                } else if !single && c == b'\\' && self.is_break(1) {
                    self.cache(3)?;
                    self.skip();
                    self.skip_line();
                    leading_blanks = true;
                    break;
                } else if !single && c == b'\\' {
                    let mut code_length = 0;
                    match self.at(1) {
                        b'0' => s.push(0),
                        b'a' => s.push(0x07),
                        b'b' => s.push(0x08),
                        b't' | b'\t' => s.push(0x09),
                        b'n' => s.push(0x0A),
                        b'v' => s.push(0x0B),
                        b'f' => s.push(0x0C),
                        b'r' => s.push(0x0D),
                        b'e' => s.push(0x1B),
                        b' ' => s.push(0x20),
                        b'"' => s.push(b'"'),
                        b'\'' => s.push(b'\''),
                        b'\\' => s.push(b'\\'),
                        b'N' => s.extend_from_slice(&[0xC2, 0x85]),
                        b'_' => s.extend_from_slice(&[0xC2, 0xA0]),
                        b'L' => s.extend_from_slice(&[0xE2, 0x80, 0xA8]),
                        b'P' => s.extend_from_slice(&[0xE2, 0x80, 0xA9]),
                        b'x' => code_length = 2,
                        b'u' => code_length = 4,
                        b'U' => code_length = 8,
                        _ => {
                            return Err(self.scanner_error(
                                "while parsing a quoted scalar",
                                start,
                                "found unknown escape character",
                            ))
                        }
                    }
                    self.skip();
                    self.skip();
                    if code_length > 0 {
                        self.cache(code_length)?;
                        let mut value: u32 = 0;
                        for k in 0..code_length {
                            if !is_hex_b(self.at(k)) {
                                return Err(self.scanner_error(
                                    "while parsing a quoted scalar",
                                    start,
                                    "did not find expected hexdecimal number",
                                ));
                            }
                            value = (value << 4) + as_hex_b(self.at(k));
                        }
                        let Some(ch) = char::from_u32(value) else {
                            return Err(self.scanner_error(
                                "while parsing a quoted scalar",
                                start,
                                "found invalid Unicode character escape code",
                            ));
                        };
                        let mut b = [0u8; 4];
                        s.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                        for _ in 0..code_length {
                            self.skip();
                        }
                    }
                } else {
                    self.read(&mut s);
                }
                self.cache(2)?;
            }
            self.cache(1)?;
            if (single && self.at(0) == b'\'') || (!single && self.at(0) == b'"') {
                break;
            }
            while self.is_blank(0) || self.is_break(0) {
                if self.is_blank(0) {
                    if !leading_blanks {
                        self.read(&mut whitespaces);
                    } else {
                        self.skip();
                    }
                } else {
                    self.cache(2)?;
                    if !leading_blanks {
                        whitespaces.clear();
                        self.read_line(&mut leading_break);
                        leading_blanks = true;
                    } else {
                        self.read_line(&mut trailing_breaks);
                    }
                }
                self.cache(1)?;
            }
            if leading_blanks {
                if leading_break.first() == Some(&b'\n') {
                    if trailing_breaks.is_empty() {
                        s.push(b' ');
                    } else {
                        s.extend_from_slice(&trailing_breaks);
                    }
                } else {
                    s.extend_from_slice(&leading_break);
                    s.extend_from_slice(&trailing_breaks);
                }
                trailing_breaks.clear();
                leading_break.clear();
            } else {
                s.extend_from_slice(&whitespaces);
                whitespaces.clear();
            }
        }
        self.skip();
        let end = self.mark;
        let style = if single {
            ScalarStyle::SingleQuoted
        } else {
            ScalarStyle::DoubleQuoted
        };
        Ok(Token {
            kind: TokenKind::Scalar(s, style),
            start,
            end,
        })
    }

    fn scan_plain_scalar(&mut self) -> Result<Token> {
        let mut s = Vec::new();
        let mut leading_break = Vec::new();
        let mut trailing_breaks = Vec::new();
        let mut whitespaces = Vec::new();
        let mut leading_blanks = false;
        let indent = self.indent + 1;
        let start = self.mark;
        let mut end = self.mark;
        loop {
            self.cache(4)?;
            if self.mark.column == 0
                && ((self.at(0) == b'-' && self.at(1) == b'-' && self.at(2) == b'-')
                    || (self.at(0) == b'.' && self.at(1) == b'.' && self.at(2) == b'.'))
                && self.is_blankz(3)
            {
                break;
            }
            if self.at(0) == b'#' {
                break;
            }
            while !self.is_blankz(0) {
                let c = self.at(0);
                if (c == b':' && self.is_blankz(1))
                    || (self.flow_level > 0 && matches!(c, b',' | b'?' | b'[' | b']' | b'{' | b'}'))
                {
                    break;
                }
                if leading_blanks || !whitespaces.is_empty() {
                    if leading_blanks {
                        if leading_break.first() == Some(&b'\n') {
                            if trailing_breaks.is_empty() {
                                s.push(b' ');
                            } else {
                                s.extend_from_slice(&trailing_breaks);
                            }
                        } else {
                            s.extend_from_slice(&leading_break);
                            s.extend_from_slice(&trailing_breaks);
                        }
                        trailing_breaks.clear();
                        leading_break.clear();
                        leading_blanks = false;
                    } else {
                        s.extend_from_slice(&whitespaces);
                        whitespaces.clear();
                    }
                }
                self.read(&mut s);
                end = self.mark;
                self.cache(2)?;
            }
            if !(self.is_blank(0) || self.is_break(0)) {
                break;
            }
            self.cache(1)?;
            while self.is_blank(0) || self.is_break(0) {
                if self.is_blank(0) {
                    if leading_blanks && (self.mark.column as isize) < indent && self.is_tab(0) {
                        return Err(self.scanner_error(
                            "while scanning a plain scalar",
                            start,
                            "found a tab character that violates indentation",
                        ));
                    }
                    if !leading_blanks {
                        self.read(&mut whitespaces);
                    } else {
                        self.skip();
                    }
                } else {
                    self.cache(2)?;
                    if !leading_blanks {
                        whitespaces.clear();
                        self.read_line(&mut leading_break);
                        leading_blanks = true;
                    } else {
                        self.read_line(&mut trailing_breaks);
                    }
                }
                self.cache(1)?;
            }
            if self.flow_level == 0 && (self.mark.column as isize) < indent {
                break;
            }
        }
        if leading_blanks {
            self.simple_key_allowed = true;
        }
        Ok(Token {
            kind: TokenKind::Scalar(s, ScalarStyle::Plain),
            start,
            end,
        })
    }
}

/// Whether go-yaml's reader takes the character `value` (yaml_parser_update_buffer's check,
/// the same for UTF-8 and UTF-16 input): else `control characters are not allowed`.
fn readable(value: u32) -> bool {
    value == 0x09
        || value == 0x0A
        || value == 0x0D
        || (0x20..=0x7E).contains(&value)
        || value == 0x85
        || (0xA0..=0xD7FF).contains(&value)
        || (0xE000..=0xFFFD).contains(&value)
        || (0x10000..=0x10FFFF).contains(&value)
}

#[cfg(test)]
mod tests {
    use crate::yaml::parse;
    use serde_json::json;

    /// An empty flow collection as a block key: the scanner once subtracted past zero here
    /// (found by the diff, coalesce and manifests fuzzers). go-yaml, and so Helm v4.1.4, reads
    /// the collection alone as the first document and never reaches the `: x`; a key in a
    /// mapping already open or after `?` is go-yaml's error.
    #[test]
    fn an_empty_flow_collection_as_a_key_is_read_as_go_yaml_reads_it() {
        assert_eq!(parse("[]: x\n", "t.yaml").ok(), Some(json!([])));
        assert_eq!(parse("[ ]: x\ny: 1\n", "t.yaml").ok(), Some(json!([])));
        assert_eq!(parse("{}: x\n", "t.yaml").ok(), Some(json!({})));
        assert_eq!(parse("{}: {}: []: x\n", "t.yaml").ok(), Some(json!({})));
        let msg = |text: &str| parse(text, "t.yaml").map_err(|e| e.message).err();
        assert_eq!(
            msg("? []: x\n").as_deref(),
            Some("error converting YAML to JSON: yaml: did not find expected key")
        );
        assert_eq!(
            msg("a:\n  []: x\n").as_deref(),
            Some("error converting YAML to JSON: yaml: line 1: did not find expected key")
        );
        assert_eq!(
            msg("- []: x\n").as_deref(),
            Some("error converting YAML to JSON: yaml: did not find expected '-' indicator")
        );
    }
}
