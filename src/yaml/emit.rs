//! The writer: what sigs.k8s.io/yaml.Marshal prints (Helm's `toYaml`). It marshals to JSON,
//! reads that back with go-yaml v2 (numbers get go-yaml's types, map keys go-yaml's order) and
//! prints it with go-yaml v2's emitter, a port of libyaml's. The emitter below is that port,
//! restricted to what JSON data produces: no tags, no anchors, block style, 2-space indent,
//! 80-column folding, unicode output.

use super::resolve::{self, Kind};
use crate::Value;

const BEST_INDENT: i32 = 2;
const BEST_WIDTH: i32 = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

#[derive(Debug)]
enum Ev {
    Scalar(String, Style),
    SeqStart,
    SeqEnd,
    MapStart,
    MapEnd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    DocumentContent,
    DocumentEnd,
    FlowSequenceFirstItem,
    FlowMappingFirstKey,
    BlockSequenceFirstItem,
    BlockSequenceItem,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingSimpleValue,
    BlockMappingValue,
}

/// Prints `v` as sigs.k8s.io/yaml.Marshal does, trailing newline included, or `None` where
/// Marshal fails: it reads its own JSON text back with go-yaml's reader, which refuses
/// - strings holding characters it does not read (DEL, C1 controls, U+FFFE/U+FFFF);
/// - collections nested deeper than its flow limit ([`MAX_FLOW_LEVEL`]);
/// - map keys that cannot be simple keys: longer than [`MAX_KEY_JSON_CHARS`] characters once
///   JSON-escaped, or holding NEL (U+0085, which encoding/json leaves raw: a line break).
///
/// Helm's `toYaml` then prints nothing.
pub(crate) fn to_yaml(v: &Value) -> Option<String> {
    let mut events = Vec::new();
    if !events_of(v, &mut events, 0) {
        return None;
    }
    let mut e = Emitter::default();
    e.run(&events);
    String::from_utf8(e.out).ok()
}

/// go-yaml v2's `max_flow_level`: `{` or `[` more than this deep is "exceeded max depth".
const MAX_FLOW_LEVEL: usize = 10_000;

/// A simple key ends at most 1024 characters after it starts (go-yaml's stale-key rule), so a
/// JSON key `"…"` (the colon follows at once) holds at most 1022 characters between its quotes.
const MAX_KEY_JSON_CHARS: usize = 1022;

/// How many characters encoding/json writes for `s` between the quotes (`json.Marshal`
/// escapes `<`, `>`, `&`, U+2028, U+2029 and other controls as `\u00XX`).
fn json_chars(s: &str) -> usize {
    crate::gojson::go_chars(s)
        .map(|(_, _, c)| match c {
            crate::gojson::GoChar::Bad(_) => 6,
            crate::gojson::GoChar::Char(c) => match c {
                '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
                '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => 6,
                c if (c as u32) < 0x20 => 6,
                _ => 1,
            },
        })
        .sum()
}

/// Whether go-yaml's reader takes `k`, as encoding/json writes it, as a key of a flow mapping.
fn simple_key(k: &str) -> bool {
    !k.contains('\u{85}') && json_chars(k) <= MAX_KEY_JSON_CHARS
}

/// Whether go-yaml's reader accepts `c` (after encoding/json escaped the controls below 0x20).
fn readable(s: &str) -> bool {
    s.chars().all(|c| {
        let u = c as u32;
        !(u == 0x7F || (0x80..=0x9F).contains(&u) && u != 0x85 || u == 0xFFFE || u == 0xFFFF)
    })
}

/// What go-yaml reads back from encoding/json's quoted form of `s`. encoding/json leaves NEL
/// (U+0085) raw, and inside a double-quoted YAML scalar it is a line break that gets folded:
/// a run of spaces and NELs becomes one space (one NEL) or n-1 newlines (n NELs).
fn json_reread(s: &str) -> std::borrow::Cow<'_, str> {
    // A byte that is not UTF-8 went out as \ufffd.
    let s = crate::gojson::bad_bytes_as_fffd(s);
    if !s.contains('\u{85}') {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    let mut nels = 0;
    let flush = |out: &mut String, run: &mut String, nels: &mut usize| {
        match *nels {
            0 => out.push_str(run),
            1 => out.push(' '),
            n => out.extend(std::iter::repeat_n('\n', n - 1)),
        }
        run.clear();
        *nels = 0;
    };
    for c in s.chars() {
        match c {
            ' ' => run.push(c),
            '\u{85}' => nels += 1,
            _ => {
                flush(&mut out, &mut run, &mut nels);
                out.push(c);
            }
        }
    }
    flush(&mut out, &mut run, &mut nels);
    out.into()
}

fn string_style(s: &str) -> Style {
    if s.contains('\n') {
        Style::Literal
    } else if resolve::plain_kind(s) == Kind::Str && !is_base60_float(s) {
        Style::Plain
    } else {
        Style::Double
    }
}

/// go-yaml v2 `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&c) = b.first() else { return false };
    if !(c == b'+' || c == b'-' || c.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    let mut i = 0;
    if b[i] == b'+' || b[i] == b'-' {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        // [0-5]?[0-9]
        let st = i;
        while i < b.len() && b[i].is_ascii_digit() && i - st < 2 {
            i += 1;
        }
        match i - st {
            1 => {}
            2 if b[st] <= b'5' => {}
            2 => {
                // `[0-5]?` cannot take the first digit: then only one digit matches and the
                // next must not be a digit, which it is.
                return false;
            }
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// The scalar go-yaml prints for a JSON number: its text re-read as YAML (an int, a uint64 or a
/// float64) and formatted back.
fn number_text(n: &serde_json::Number) -> String {
    let text = crate::gojson::format_number(n);
    if let Some(i) = resolve::go_parse_int(&text) {
        return i.to_string();
    }
    if let Some(u) = resolve::go_parse_uint(&text) {
        return u.to_string();
    }
    resolve::format_g(text.parse::<f64>().unwrap_or(0.0), false)
}

/// The events printing `v` takes, `v` standing at flow level `level` of the JSON text; false
/// where go-yaml's reader would refuse that text.
fn events_of(v: &Value, out: &mut Vec<Ev>, level: usize) -> bool {
    if matches!(v, Value::Array(_) | Value::Object(_)) && level >= MAX_FLOW_LEVEL {
        return false;
    }
    match v {
        Value::Null => out.push(Ev::Scalar("null".into(), Style::Plain)),
        Value::Bool(b) => out.push(Ev::Scalar(b.to_string(), Style::Plain)),
        Value::Number(n) => out.push(Ev::Scalar(number_text(n), Style::Plain)),
        Value::String(s) => {
            if !readable(s) {
                return false;
            }
            let s = json_reread(s);
            let style = string_style(&s);
            out.push(Ev::Scalar(s.into_owned(), style));
        }
        Value::Array(items) => {
            out.push(Ev::SeqStart);
            for item in items {
                if !events_of(item, out, level + 1) {
                    return false;
                }
            }
            out.push(Ev::SeqEnd);
        }
        Value::Object(map) => {
            out.push(Ev::MapStart);
            let keys: Vec<&String> = map.keys().collect();
            let chars: Vec<Vec<char>> = keys.iter().map(|k| k.chars().collect()).collect();
            let mut order: Vec<usize> = (0..keys.len()).collect();
            merge_sort_by(&mut order, &|a, b| key_less_chars(&chars[*a], &chars[*b]));
            for k in order.into_iter().map(|i| keys[i]) {
                if !readable(k) || !simple_key(k) {
                    return false;
                }
                // A key holding NEL never gets here.
                let key = crate::gojson::bad_bytes_as_fffd(k);
                let style = string_style(&key);
                out.push(Ev::Scalar(key.into_owned(), style));
                if !events_of(&map[k.as_str()], out, level + 1) {
                    return false;
                }
            }
            out.push(Ev::MapEnd);
        }
    }
    true
}

fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"^\p{L}$").ok())
        .as_ref()
        .is_some_and(|re| re.is_match(c.encode_utf8(&mut [0; 4])))
}

fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"^\p{Nd}$").ok())
        .as_ref()
        .is_some_and(|re| re.is_match(c.encode_utf8(&mut [0; 4])))
}

/// go-yaml v2's `keyList.Less` for string keys: letters after other characters, runs of digits
/// compared as numbers (`a2` before `a10`).
fn key_less_chars(ar: &[char], br: &[char]) -> bool {
    let n = ar.len().min(br.len());
    for i in 0..n {
        if ar[i] == br[i] {
            continue;
        }
        let al = is_letter(ar[i]);
        let bl = is_letter(br[i]);
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && is_digit(ar[j - 1]) {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && is_digit(ar[ai]) {
            an = an.wrapping_mul(10).wrapping_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && is_digit(br[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

/// A stable merge sort on a "less" function. go-yaml's key order is not transitive (`1000000`
/// < `1e+06` < `3.14` < `1000000`), which makes the standard library's sorts panic; this one
/// only ever asks `less` and always finishes. (With such keys Helm's own order depends on Go's
/// random map iteration, so no order is more right than another.)
fn merge_sort_by<T: Clone>(v: &mut [T], less: &dyn Fn(&T, &T) -> bool) {
    let n = v.len();
    if n < 2 {
        return;
    }
    let mut buf: Vec<T> = v.to_vec();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                if less(&v[j], &v[i]) {
                    buf[k] = v[j].clone();
                    j += 1;
                } else {
                    buf[k] = v[i].clone();
                    i += 1;
                }
                k += 1;
            }
            while i < mid {
                buf[k] = v[i].clone();
                i += 1;
                k += 1;
            }
            while j < end {
                buf[k] = v[j].clone();
                j += 1;
                k += 1;
            }
            start = end;
        }
        v.clone_from_slice(&buf);
        width *= 2;
    }
}

/// Byte `i` of `v`, or NUL past the end (libyaml's strings are NUL-terminated).
fn at(v: &[u8], i: usize) -> u8 {
    v.get(i).copied().unwrap_or(0)
}

fn width(b: u8) -> usize {
    if b & 0x80 == 0 {
        1
    } else if b & 0xE0 == 0xC0 {
        2
    } else if b & 0xF0 == 0xE0 {
        3
    } else if b & 0xF8 == 0xF0 {
        4
    } else {
        1
    }
}

fn is_space(v: &[u8], i: usize) -> bool {
    at(v, i) == b' '
}

fn is_blank(v: &[u8], i: usize) -> bool {
    matches!(at(v, i), b' ' | b'\t')
}

fn is_break(v: &[u8], i: usize) -> bool {
    let (b0, b1, b2) = (at(v, i), at(v, i + 1), at(v, i + 2));
    b0 == b'\r'
        || b0 == b'\n'
        || (b0 == 0xC2 && b1 == 0x85)
        || (b0 == 0xE2 && b1 == 0x80 && (b2 == 0xA8 || b2 == 0xA9))
}

fn is_blankz(v: &[u8], i: usize) -> bool {
    is_blank(v, i) || is_break(v, i) || at(v, i) == 0
}

fn is_printable(v: &[u8], i: usize) -> bool {
    let (b0, b1, b2) = (at(v, i), at(v, i + 1), at(v, i + 2));
    b0 == 0x0A
        || (0x20..=0x7E).contains(&b0)
        || (b0 == 0xC2 && b1 >= 0xA0)
        || (b0 > 0xC2 && b0 < 0xED)
        || (b0 == 0xED && b1 < 0xA0)
        || b0 == 0xEE
        || (b0 == 0xEF
            && !(b1 == 0xBB && b2 == 0xBF)
            && !(b1 == 0xBF && (b2 == 0xBE || b2 == 0xBF)))
}

/// libyaml's `is_bom` as go-yaml calls it: it looks at the start of the value, whatever `i` is.
fn is_bom(v: &[u8]) -> bool {
    v.len() >= 3 && v[0] == 0xEF && v[1] == 0xBB && v[2] == 0xBF
}

#[derive(Default)]
struct ScalarData {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
    style: Option<Style>,
}

struct Emitter {
    out: Vec<u8>,
    column: i32,
    indent: i32,
    indents: Vec<i32>,
    states: Vec<State>,
    state: State,
    flow_level: i32,
    root_context: bool,
    mapping_context: bool,
    simple_key_context: bool,
    whitespace: bool,
    indention: bool,
    scalar: ScalarData,
}

impl Default for Emitter {
    fn default() -> Self {
        Emitter {
            out: Vec::new(),
            column: 0,
            indent: -1,
            indents: Vec::new(),
            states: Vec::new(),
            state: State::DocumentContent,
            flow_level: 0,
            root_context: false,
            mapping_context: false,
            simple_key_context: false,
            whitespace: true,
            indention: true,
            scalar: ScalarData::default(),
        }
    }
}

impl Emitter {
    fn run(&mut self, events: &[Ev]) {
        for i in 0..events.len() {
            if let Ev::Scalar(v, _) = &events[i] {
                self.analyze_scalar(v.as_bytes());
            }
            self.state_machine(events, i);
        }
        // Document end (implicit): a final line break.
        if self.state == State::DocumentEnd {
            self.write_indent();
        }
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::DocumentEnd);
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn state_machine(&mut self, evs: &[Ev], i: usize) {
        match self.state {
            State::DocumentContent => {
                self.states.push(State::DocumentEnd);
                self.emit_node(evs, i, true, false, false);
            }
            State::DocumentEnd => {}
            State::FlowSequenceFirstItem => {
                // Only empty collections are written in flow style.
                self.write_indicator(b"[", true, true, false);
                self.increase_indent(true, false);
                self.pop_indent();
                self.write_indicator(b"]", false, false, false);
                self.pop_state();
            }
            State::FlowMappingFirstKey => {
                self.write_indicator(b"{", true, true, false);
                self.increase_indent(true, false);
                self.pop_indent();
                self.write_indicator(b"}", false, false, false);
                self.pop_state();
            }
            State::BlockSequenceFirstItem | State::BlockSequenceItem => {
                if self.state == State::BlockSequenceFirstItem {
                    let indentless = self.mapping_context && !self.indention;
                    self.increase_indent(false, indentless);
                }
                if matches!(evs[i], Ev::SeqEnd) {
                    self.pop_indent();
                    self.pop_state();
                    return;
                }
                self.write_indent();
                self.write_indicator(b"-", true, false, true);
                self.states.push(State::BlockSequenceItem);
                self.emit_node(evs, i, false, false, false);
            }
            State::BlockMappingFirstKey | State::BlockMappingKey => {
                if self.state == State::BlockMappingFirstKey {
                    self.increase_indent(false, false);
                }
                if matches!(evs[i], Ev::MapEnd) {
                    self.pop_indent();
                    self.pop_state();
                    return;
                }
                self.write_indent();
                if self.check_simple_key(evs, i) {
                    self.states.push(State::BlockMappingSimpleValue);
                    self.emit_node(evs, i, false, true, true);
                } else {
                    self.write_indicator(b"?", true, false, true);
                    self.states.push(State::BlockMappingValue);
                    self.emit_node(evs, i, false, true, false);
                }
            }
            State::BlockMappingSimpleValue => {
                self.write_indicator(b":", false, false, false);
                self.states.push(State::BlockMappingKey);
                self.emit_node(evs, i, false, true, false);
            }
            State::BlockMappingValue => {
                self.write_indent();
                self.write_indicator(b":", true, false, true);
                self.states.push(State::BlockMappingKey);
                self.emit_node(evs, i, false, true, false);
            }
        }
    }

    fn check_simple_key(&self, evs: &[Ev], i: usize) -> bool {
        match &evs[i] {
            Ev::Scalar(v, _) => !self.scalar.multiline && v.len() <= 128,
            Ev::SeqStart => matches!(evs.get(i + 1), Some(Ev::SeqEnd)),
            Ev::MapStart => matches!(evs.get(i + 1), Some(Ev::MapEnd)),
            _ => false,
        }
    }

    fn emit_node(&mut self, evs: &[Ev], i: usize, root: bool, mapping: bool, simple_key: bool) {
        self.root_context = root;
        self.mapping_context = mapping;
        self.simple_key_context = simple_key;
        match &evs[i] {
            Ev::Scalar(v, style) => {
                self.select_scalar_style(v.as_bytes(), *style);
                self.increase_indent(true, false);
                self.process_scalar(v.as_bytes());
                self.pop_indent();
                self.pop_state();
            }
            Ev::SeqStart => {
                self.state = if self.flow_level > 0 || matches!(evs.get(i + 1), Some(Ev::SeqEnd)) {
                    State::FlowSequenceFirstItem
                } else {
                    State::BlockSequenceFirstItem
                };
            }
            Ev::MapStart => {
                self.state = if self.flow_level > 0 || matches!(evs.get(i + 1), Some(Ev::MapEnd)) {
                    State::FlowMappingFirstKey
                } else {
                    State::BlockMappingFirstKey
                };
            }
            Ev::SeqEnd | Ev::MapEnd => {}
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn analyze_scalar(&mut self, value: &[u8]) {
        let d = &mut self.scalar;
        if value.is_empty() {
            *d = ScalarData {
                multiline: false,
                flow_plain_allowed: false,
                block_plain_allowed: true,
                single_quoted_allowed: true,
                block_allowed: false,
                style: None,
            };
            return;
        }
        let mut block_indicators = false;
        let mut flow_indicators = false;
        let mut line_breaks = false;
        let mut special_characters = false;
        let mut leading_space = false;
        let mut leading_break = false;
        let mut trailing_space = false;
        let mut trailing_break = false;
        let mut break_space = false;
        let mut space_break = false;
        let mut previous_space = false;
        let mut previous_break = false;

        if value.len() >= 3 && (value.starts_with(b"---") || value.starts_with(b"...")) {
            block_indicators = true;
            flow_indicators = true;
        }
        let mut preceded_by_whitespace = true;
        let mut i = 0;
        while i < value.len() {
            let w = width(value[i]);
            let followed_by_whitespace = i + w >= value.len() || is_blank(value, i + w);
            let c = value[i];
            if i == 0 {
                match c {
                    b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>'
                    | b'\'' | b'"' | b'%' | b'@' | b'`' => {
                        flow_indicators = true;
                        block_indicators = true;
                    }
                    b'?' | b':' => {
                        flow_indicators = true;
                        if followed_by_whitespace {
                            block_indicators = true;
                        }
                    }
                    b'-' if followed_by_whitespace => {
                        flow_indicators = true;
                        block_indicators = true;
                    }
                    _ => {}
                }
            } else {
                match c {
                    b',' | b'?' | b'[' | b']' | b'{' | b'}' => flow_indicators = true,
                    b':' => {
                        flow_indicators = true;
                        if followed_by_whitespace {
                            block_indicators = true;
                        }
                    }
                    b'#' if preceded_by_whitespace => {
                        flow_indicators = true;
                        block_indicators = true;
                    }
                    _ => {}
                }
            }
            if !is_printable(value, i) {
                special_characters = true;
            }
            if is_space(value, i) {
                if i == 0 {
                    leading_space = true;
                }
                if i + w == value.len() {
                    trailing_space = true;
                }
                if previous_break {
                    break_space = true;
                }
                previous_space = true;
                previous_break = false;
            } else if is_break(value, i) {
                line_breaks = true;
                if i == 0 {
                    leading_break = true;
                }
                if i + w == value.len() {
                    trailing_break = true;
                }
                if previous_space {
                    space_break = true;
                }
                previous_space = false;
                previous_break = true;
            } else {
                previous_space = false;
                previous_break = false;
            }
            preceded_by_whitespace = is_blankz(value, i);
            i += w;
        }
        d.multiline = line_breaks;
        d.flow_plain_allowed = true;
        d.block_plain_allowed = true;
        d.single_quoted_allowed = true;
        d.block_allowed = true;
        if leading_space || leading_break || trailing_space || trailing_break {
            d.flow_plain_allowed = false;
            d.block_plain_allowed = false;
        }
        if trailing_space {
            d.block_allowed = false;
        }
        if break_space {
            d.flow_plain_allowed = false;
            d.block_plain_allowed = false;
            d.single_quoted_allowed = false;
        }
        if space_break || special_characters {
            d.flow_plain_allowed = false;
            d.block_plain_allowed = false;
            d.single_quoted_allowed = false;
            d.block_allowed = false;
        }
        if line_breaks {
            d.flow_plain_allowed = false;
            d.block_plain_allowed = false;
        }
        if flow_indicators {
            d.flow_plain_allowed = false;
        }
        if block_indicators {
            d.block_plain_allowed = false;
        }
    }

    fn select_scalar_style(&mut self, value: &[u8], requested: Style) {
        let mut style = requested;
        let d = &self.scalar;
        if self.simple_key_context && d.multiline {
            style = Style::Double;
        }
        if style == Style::Plain {
            if (self.flow_level > 0 && !d.flow_plain_allowed)
                || (self.flow_level == 0 && !d.block_plain_allowed)
            {
                style = Style::Single;
            }
            if value.is_empty() && (self.flow_level > 0 || self.simple_key_context) {
                style = Style::Single;
            }
        }
        if style == Style::Single && !d.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal
            && (!d.block_allowed || self.flow_level > 0 || self.simple_key_context)
        {
            style = Style::Double;
        }
        self.scalar.style = Some(style);
    }

    fn process_scalar(&mut self, value: &[u8]) {
        let allow_breaks = !self.simple_key_context;
        match self.scalar.style.unwrap_or(Style::Plain) {
            Style::Plain => self.write_plain(value, allow_breaks),
            Style::Single => self.write_single(value, allow_breaks),
            Style::Double => self.write_double(value, allow_breaks),
            Style::Literal => self.write_literal(value),
        }
    }

    // --- output primitives ---

    fn put(&mut self, b: u8) {
        self.out.push(b);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push(b'\n');
        self.column = 0;
    }

    /// Copies one character of `v` at `*i`.
    fn write(&mut self, v: &[u8], i: &mut usize) {
        let w = width(v[*i]).min(v.len() - *i);
        self.out.extend_from_slice(&v[*i..*i + w]);
        self.column += 1;
        *i += w;
    }

    fn write_all(&mut self, s: &[u8]) {
        let mut i = 0;
        while i < s.len() {
            self.write(s, &mut i);
        }
    }

    fn write_break(&mut self, v: &[u8], i: &mut usize) {
        if v[*i] == b'\n' {
            self.put_break();
            *i += 1;
        } else {
            self.write(v, i);
            self.column = 0;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(b' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &[u8],
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(b' ');
        }
        self.write_all(indicator);
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn write_plain(&mut self, v: &[u8], allow_breaks: bool) {
        if !self.whitespace {
            self.put(b' ');
        }
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < v.len() {
            if is_space(v, i) {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !is_space(v, i + 1) {
                    self.write_indent();
                    i += width(v[i]);
                } else {
                    self.write(v, &mut i);
                }
                spaces = true;
            } else if is_break(v, i) {
                if !breaks && v[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(v, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(v, &mut i);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single(&mut self, v: &[u8], allow_breaks: bool) {
        self.write_indicator(b"'", true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < v.len() {
            if is_space(v, i) {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i < v.len() - 1
                    && !is_space(v, i + 1)
                {
                    self.write_indent();
                    i += width(v[i]);
                } else {
                    self.write(v, &mut i);
                }
                spaces = true;
            } else if is_break(v, i) {
                if !breaks && v[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(v, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if v[i] == b'\'' {
                    self.put(b'\'');
                }
                self.write(v, &mut i);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator(b"'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, v: &[u8], allow_breaks: bool) {
        let mut spaces = false;
        self.write_indicator(b"\"", true, false, false);
        let mut i = 0;
        while i < v.len() {
            if !is_printable(v, i) || is_bom(v) || is_break(v, i) || v[i] == b'"' || v[i] == b'\\' {
                let w = width(v[i]).min(v.len() - i);
                let ch = std::str::from_utf8(&v[i..i + w])
                    .ok()
                    .and_then(|s| s.chars().next())
                    .map_or(v[i] as u32, |c| c as u32);
                i += w;
                self.put(b'\\');
                match ch {
                    0x00 => self.put(b'0'),
                    0x07 => self.put(b'a'),
                    0x08 => self.put(b'b'),
                    0x09 => self.put(b't'),
                    0x0A => self.put(b'n'),
                    0x0B => self.put(b'v'),
                    0x0C => self.put(b'f'),
                    0x0D => self.put(b'r'),
                    0x1B => self.put(b'e'),
                    0x22 => self.put(b'"'),
                    0x5C => self.put(b'\\'),
                    0x85 => self.put(b'N'),
                    0xA0 => self.put(b'_'),
                    0x2028 => self.put(b'L'),
                    0x2029 => self.put(b'P'),
                    _ => {
                        let digits = if ch <= 0xFF {
                            self.put(b'x');
                            2
                        } else if ch <= 0xFFFF {
                            self.put(b'u');
                            4
                        } else {
                            self.put(b'U');
                            8
                        };
                        for k in (0..digits).rev() {
                            let d = ((ch >> (k * 4)) & 0xF) as u8;
                            self.put(if d < 10 { b'0' + d } else { b'A' + d - 10 });
                        }
                    }
                }
                spaces = false;
            } else if is_space(v, i) {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i < v.len() - 1 {
                    self.write_indent();
                    if is_space(v, i + 1) {
                        self.put(b'\\');
                    }
                    i += width(v[i]);
                } else {
                    self.write(v, &mut i);
                }
                spaces = true;
            } else {
                self.write(v, &mut i);
                spaces = false;
            }
        }
        self.write_indicator(b"\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_block_hints(&mut self, v: &[u8]) {
        if is_space(v, 0) || is_break(v, 0) {
            self.write_indicator(&[b'0' + BEST_INDENT as u8], false, false, false);
        }
        let mut chomp: Option<u8> = None;
        if v.is_empty() {
            chomp = Some(b'-');
        } else {
            let mut i = v.len() - 1;
            while i > 0 && v[i] & 0xC0 == 0x80 {
                i -= 1;
            }
            if !is_break(v, i) {
                chomp = Some(b'-');
            } else if i == 0 {
                chomp = Some(b'+');
            } else {
                i -= 1;
                while i > 0 && v[i] & 0xC0 == 0x80 {
                    i -= 1;
                }
                if is_break(v, i) {
                    chomp = Some(b'+');
                }
            }
        }
        if let Some(c) = chomp {
            self.write_indicator(&[c], false, false, false);
        }
    }

    fn write_literal(&mut self, v: &[u8]) {
        self.write_indicator(b"|", true, false, false);
        self.write_block_hints(v);
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        let mut i = 0;
        while i < v.len() {
            if is_break(v, i) {
                self.write_break(v, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(v, &mut i);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn to_yaml(v: &Value) -> String {
        super::to_yaml(v).unwrap_or_default()
    }

    #[test]
    fn maps_lists_and_scalars() {
        let v = json!({"b": [1, "x", {"c": null, "d": []}], "a": {}, "e": [[1, 2], []], "f": 1.5});
        assert_eq!(
            to_yaml(&v),
            "a: {}\nb:\n- 1\n- x\n- c: null\n  d: []\ne:\n- - 1\n  - 2\n- []\nf: 1.5\n"
        );
        assert_eq!(to_yaml(&json!(null)), "null\n");
        assert_eq!(to_yaml(&json!({})), "{}\n");
        assert_eq!(to_yaml(&json!("hi")), "hi\n");
    }

    #[test]
    fn strings_are_quoted_when_they_would_read_back_otherwise() {
        let v = json!({"a": "yes", "b": "1.0", "c": "0755", "d": "", "e": " x", "f": "a: b", "g": "- x", "h": "#x", "i": "2001-12-14", "j": "1:20", "k": "~", "l": "x\ty", "m": "😀", "n2": "<<"});
        assert_eq!(
            to_yaml(&v),
            "a: \"yes\"\nb: \"1.0\"\nc: \"0755\"\nd: \"\"\ne: ' x'\nf: 'a: b'\ng: '- x'\nh: '#x'\ni: \"2001-12-14\"\nj: \"1:20\"\nk: \"~\"\nl: \"x\\ty\"\nm: \"\\U0001F600\"\nn2: <<\n"
        );
    }

    #[test]
    fn multiline_and_long_strings() {
        assert_eq!(to_yaml(&json!({"a": "x\ny"})), "a: |-\n  x\n  y\n");
        assert_eq!(to_yaml(&json!({"a": "x\ny\n"})), "a: |\n  x\n  y\n");
        assert_eq!(to_yaml(&json!({"a": "x\n\n"})), "a: |+\n  x\n\n");
        assert_eq!(to_yaml(&json!({"a": " x\ny"})), "a: |2-\n   x\n  y\n");
        assert_eq!(to_yaml(&json!({"a": "x \ny"})), "a: \"x \\ny\"\n");
        let long = "word ".repeat(20) + "end";
        assert_eq!(
            to_yaml(&json!({ "k": long })),
            format!(
                "k: {}\n  {}\n",
                "word ".repeat(16).trim_end(),
                "word word word word end"
            )
        );
    }

    #[test]
    fn numbers_as_go_yaml_prints_them() {
        let v = json!({"a": 1.0, "b": 1.5, "c": 1e21, "d": -0.0, "e": 1234567.5, "f": 1e20, "g": 12345678901234567000.0, "h": 0.000001, "i": 7});
        assert_eq!(
            to_yaml(&v),
            "a: 1\nb: 1.5\nc: 1e+21\nd: 0\ne: 1.2345675e+06\nf: 1e+20\ng: 12345678901234567000\nh: 1e-06\ni: 7\n"
        );
    }

    #[test]
    fn keys_in_go_yaml_order() {
        let v = json!({"a10": 1, "a2": 2, "B": 3, "b": 4, "_x": 5, "1": 6});
        assert_eq!(to_yaml(&v), "_x: 5\n\"1\": 6\nB: 3\na2: 2\na10: 1\nb: 4\n");
    }

    #[test]
    fn keys_in_a_non_transitive_order_never_panic() {
        let mut m = crate::Map::new();
        for k in [
            "1000000",
            "1e+06",
            "3.1415927",
            "2001-12-14",
            "1e",
            "12:60",
            "-.",
            "=",
            "+",
            "0x1p3",
        ] {
            for suffix in ["", "a", "1"] {
                m.insert(format!("{k}{suffix}"), json!(1));
            }
        }
        let out = to_yaml(&Value::Object(m));
        assert_eq!(out.lines().count(), 30);
    }

    #[test]
    fn unreadable_characters_make_it_print_nothing() {
        assert_eq!(to_yaml(&json!({"a": "x\u{7f}"})), "");
        assert_eq!(
            to_yaml(&json!({"a": "x \u{85} y\u{85}\u{85}z"})),
            "a: |-\n  x y\n  z\n"
        );
    }

    /// A list nested `n` deep under the key `a` (the map is flow level 1).
    fn nested(n: usize) -> Value {
        nested_over(json!(1), n)
    }

    fn nested_over(mut v: Value, n: usize) -> Value {
        for _ in 0..n {
            v = Value::Array(vec![v]);
        }
        json!({ "a": v })
    }

    /// Whether go-yaml (chartr's port of its reader) reads back encoding/json's text of `v`:
    /// sigs.k8s.io/yaml.Marshal fails exactly where it does not.
    fn reads_back(v: &Value) -> bool {
        crate::yaml::parse(&crate::gojson::to_json(v), "json").is_ok()
    }

    /// Runs `f` with the stack chartr's commands have (deep values recurse deeply).
    fn big_stack(f: impl FnOnce() + Send + 'static) {
        let t = std::thread::Builder::new().stack_size(512 << 20).spawn(f);
        t.expect("thread").join().expect("test thread");
    }

    #[test]
    fn nesting_past_go_yamls_flow_limit_prints_nothing() {
        // Helm v4.1.4: a map holding 9,999 nested lists prints, 10,000 print nothing.
        big_stack(|| {
            for (n, writes) in [(9_999, true), (10_000, false)] {
                let v = nested(n);
                assert_eq!(super::to_yaml(&v).is_some(), writes, "depth {n}");
                assert_eq!(reads_back(&v), writes, "depth {n}");
            }
            // An empty list is a level too: 9,998 lists around `[]` print, 9,999 do not.
            assert!(super::to_yaml(&nested_over(json!([]), 9_998)).is_some());
            assert!(super::to_yaml(&nested_over(json!([]), 9_999)).is_none());
        });
    }

    #[test]
    fn keys_go_yaml_cannot_read_as_simple_keys_print_nothing() {
        // (key, written): 1,022 characters between the JSON quotes at most; `<` is `\u003c`.
        let k = |n: usize| "k".repeat(n);
        let cases = [
            (k(1022), true),
            (k(1023), false),
            (format!("<{}", k(1016)), true),
            (format!("<{}", k(1017)), false),
            (format!("\"{}", k(1020)), true),
            (format!("\"{}", k(1021)), false),
            (format!("\u{1}{}", k(1016)), true),
            (format!("é{}", k(1021)), true),
            ("a\u{85}b".to_string(), false),
            ("a\u{2028}b".to_string(), true),
        ];
        for (key, writes) in cases {
            let mut m = crate::Map::new();
            m.insert(key.clone(), json!("v"));
            let v = Value::Object(m);
            let shown = format!("{:?}", &key[..key.len().min(12)]);
            assert_eq!(super::to_yaml(&v).is_some(), writes, "key {shown}");
            assert_eq!(reads_back(&v), writes, "key {shown} read back");
        }
        // Long values are no keys: no limit.
        assert!(super::to_yaml(&json!({ "a": k(5000) })).is_some());
    }

    #[test]
    fn checked_errors_are_go_yamls() {
        big_stack(|| {
            assert_eq!(
                crate::yaml::to_yaml_checked(&nested(10_000)),
                Err("yaml: exceeded max depth of 10000".to_string())
            );
        });
    }
}
