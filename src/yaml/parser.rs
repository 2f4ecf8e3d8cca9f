//! The event parser of go-yaml v2.4.3 (parserc.go, a port of libyaml's parser), ported state by
//! state over [`super::scanner`]: the grammar, the empty scalars it inserts, and its error
//! messages and marks are Helm's.

use super::scanner::{ErrorKind, Mark, Result, ScalarStyle, Scanner, SyntaxError, TokenKind};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum EventKind {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias(Vec<u8>),
    Scalar {
        anchor: Option<Vec<u8>>,
        tag: Vec<u8>,
        value: Vec<u8>,
        /// Untagged plain (or tagged `!`): the value is resolved by its text.
        implicit: bool,
        style: ScalarStyle,
    },
    SequenceStart {
        anchor: Option<Vec<u8>>,
    },
    SequenceEnd,
    MappingStart {
        anchor: Option<Vec<u8>>,
    },
    MappingEnd,
}

#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub kind: EventKind,
    pub start: Mark,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

pub(crate) struct Parser<'a> {
    pub(crate) scanner: Scanner<'a>,
    state: State,
    states: Vec<State>,
    marks: Vec<Mark>,
    tag_directives: Vec<(Vec<u8>, Vec<u8>)>,
}

fn parser_error(problem: &str, problem_mark: Mark, context_mark: Mark) -> SyntaxError {
    SyntaxError {
        kind: ErrorKind::Parser,
        problem: problem.to_string(),
        problem_mark,
        context_mark,
    }
}

impl<'a> Parser<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Parser {
            scanner: Scanner::new(input),
            state: State::StreamStart,
            states: Vec::new(),
            marks: Vec::new(),
            tag_directives: Vec::new(),
        }
    }

    fn fail(&mut self, e: SyntaxError) -> SyntaxError {
        self.scanner.error = Some(e.clone());
        e
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    /// The next event; None once the stream has ended (go-yaml's `yaml_NO_EVENT`).
    pub(crate) fn next(&mut self) -> Result<Option<Event>> {
        if let Some(e) = &self.scanner.error {
            return Err(e.clone());
        }
        if self.scanner.stream_end_produced() || self.state == State::End {
            return Ok(None);
        }
        let r = self.state_machine();
        if let Err(e) = &r {
            self.scanner.error = Some(e.clone());
        }
        r.map(Some)
    }

    fn state_machine(&mut self) -> Result<Event> {
        match self.state {
            State::StreamStart => self.parse_stream_start(),
            State::ImplicitDocumentStart => self.parse_document_start(true),
            State::DocumentStart => self.parse_document_start(false),
            State::DocumentContent => self.parse_document_content(),
            State::DocumentEnd => self.parse_document_end(),
            State::BlockNode => self.parse_node(true, false),
            State::BlockSequenceFirstEntry => self.parse_block_sequence_entry(true),
            State::BlockSequenceEntry => self.parse_block_sequence_entry(false),
            State::IndentlessSequenceEntry => self.parse_indentless_sequence_entry(),
            State::BlockMappingFirstKey => self.parse_block_mapping_key(true),
            State::BlockMappingKey => self.parse_block_mapping_key(false),
            State::BlockMappingValue => self.parse_block_mapping_value(),
            State::FlowSequenceFirstEntry => self.parse_flow_sequence_entry(true),
            State::FlowSequenceEntry => self.parse_flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => self.parse_flow_sequence_entry_mapping_key(),
            State::FlowSequenceEntryMappingValue => self.parse_flow_sequence_entry_mapping_value(),
            State::FlowSequenceEntryMappingEnd => self.parse_flow_sequence_entry_mapping_end(),
            State::FlowMappingFirstKey => self.parse_flow_mapping_key(true),
            State::FlowMappingKey => self.parse_flow_mapping_key(false),
            State::FlowMappingValue => self.parse_flow_mapping_value(false),
            State::FlowMappingEmptyValue => self.parse_flow_mapping_value(true),
            State::End => Err(parser_error(
                "invalid parser state",
                self.scanner.mark,
                self.scanner.mark,
            )),
        }
    }

    fn peek(&mut self) -> Result<(TokenKind, Mark, Mark)> {
        let t = self.scanner.peek()?;
        Ok((t.kind.clone(), t.start, t.end))
    }

    fn skip(&mut self) {
        self.scanner.skip_token();
    }

    fn ev(kind: EventKind, start: Mark) -> Event {
        Event { kind, start }
    }

    fn empty_scalar(mark: Mark) -> Event {
        Self::ev(
            EventKind::Scalar {
                anchor: None,
                tag: Vec::new(),
                value: Vec::new(),
                implicit: true,
                style: ScalarStyle::Plain,
            },
            mark,
        )
    }

    fn parse_stream_start(&mut self) -> Result<Event> {
        let (kind, start, _) = self.peek()?;
        if kind != TokenKind::StreamStart {
            return Err(parser_error(
                "did not find expected <stream-start>",
                start,
                Mark::default(),
            ));
        }
        self.state = State::ImplicitDocumentStart;
        self.skip();
        Ok(Self::ev(EventKind::StreamStart, start))
    }

    fn parse_document_start(&mut self, implicit: bool) -> Result<Event> {
        let (mut kind, mut start, _) = self.peek()?;
        if !implicit {
            while kind == TokenKind::DocumentEnd {
                self.skip();
                (kind, start, _) = self.peek()?;
            }
        }
        let is_directive = matches!(
            kind,
            TokenKind::VersionDirective(..) | TokenKind::TagDirective(..)
        );
        if implicit
            && !is_directive
            && kind != TokenKind::DocumentStart
            && kind != TokenKind::StreamEnd
        {
            self.process_directives()?;
            self.states.push(State::DocumentEnd);
            self.state = State::BlockNode;
            Ok(Self::ev(EventKind::DocumentStart, start))
        } else if kind != TokenKind::StreamEnd {
            let doc_start = start;
            self.process_directives()?;
            let (kind, start, _) = self.peek()?;
            if kind != TokenKind::DocumentStart {
                return Err(parser_error(
                    "did not find expected <document start>",
                    start,
                    Mark::default(),
                ));
            }
            self.states.push(State::DocumentEnd);
            self.state = State::DocumentContent;
            self.skip();
            Ok(Self::ev(EventKind::DocumentStart, doc_start))
        } else {
            self.state = State::End;
            self.skip();
            Ok(Self::ev(EventKind::StreamEnd, start))
        }
    }

    fn parse_document_content(&mut self) -> Result<Event> {
        let (kind, start, _) = self.peek()?;
        if matches!(
            kind,
            TokenKind::VersionDirective(..)
                | TokenKind::TagDirective(..)
                | TokenKind::DocumentStart
                | TokenKind::DocumentEnd
                | TokenKind::StreamEnd
        ) {
            self.pop_state();
            return Ok(Self::empty_scalar(start));
        }
        self.parse_node(true, false)
    }

    fn parse_document_end(&mut self) -> Result<Event> {
        let (kind, start, _) = self.peek()?;
        if kind == TokenKind::DocumentEnd {
            self.skip();
        }
        self.tag_directives.clear();
        self.state = State::DocumentStart;
        Ok(Self::ev(EventKind::DocumentEnd, start))
    }

    fn parse_node(&mut self, block: bool, indentless_sequence: bool) -> Result<Event> {
        let (mut kind, mut start_tok, _) = self.peek()?;
        if let TokenKind::Alias(name) = kind {
            self.pop_state();
            self.skip();
            return Ok(Self::ev(EventKind::Alias(name), start_tok));
        }
        let start_mark = start_tok;
        let mut anchor: Option<Vec<u8>> = None;
        let mut tag_token: Option<(Vec<u8>, Vec<u8>)> = None;
        let mut tag_mark = Mark::default();
        if let TokenKind::Anchor(a) = &kind {
            anchor = Some(a.clone());
            self.skip();
            (kind, start_tok, _) = self.peek()?;
            if let TokenKind::Tag(h, s) = &kind {
                tag_token = Some((h.clone(), s.clone()));
                tag_mark = start_tok;
                self.skip();
                (kind, start_tok, _) = self.peek()?;
            }
        } else if let TokenKind::Tag(h, s) = &kind {
            tag_token = Some((h.clone(), s.clone()));
            tag_mark = start_tok;
            self.skip();
            (kind, start_tok, _) = self.peek()?;
            if let TokenKind::Anchor(a) = &kind {
                anchor = Some(a.clone());
                self.skip();
                (kind, start_tok, _) = self.peek()?;
            }
        }
        let mut tag: Vec<u8> = Vec::new();
        if let Some((handle, suffix)) = tag_token {
            if handle.is_empty() {
                tag = suffix;
            } else {
                match self.tag_directives.iter().find(|(h, _)| *h == handle) {
                    Some((_, prefix)) => {
                        tag = prefix.clone();
                        tag.extend_from_slice(&suffix);
                    }
                    None => {
                        return Err(parser_error(
                            "found undefined tag handle",
                            tag_mark,
                            start_mark,
                        ))
                    }
                }
                if tag.is_empty() {
                    return Err(parser_error(
                        "found undefined tag handle",
                        tag_mark,
                        start_mark,
                    ));
                }
            }
        }
        if indentless_sequence && kind == TokenKind::BlockEntry {
            self.state = State::IndentlessSequenceEntry;
            return Ok(Self::ev(EventKind::SequenceStart { anchor }, start_mark));
        }
        if let TokenKind::Scalar(value, style) = kind {
            let implicit = (tag.is_empty() && style == ScalarStyle::Plain) || tag == b"!";
            self.pop_state();
            self.skip();
            return Ok(Self::ev(
                EventKind::Scalar {
                    anchor,
                    tag,
                    value,
                    implicit,
                    style,
                },
                start_mark,
            ));
        }
        match kind {
            TokenKind::FlowSequenceStart => {
                self.state = State::FlowSequenceFirstEntry;
                return Ok(Self::ev(EventKind::SequenceStart { anchor }, start_mark));
            }
            TokenKind::FlowMappingStart => {
                self.state = State::FlowMappingFirstKey;
                return Ok(Self::ev(EventKind::MappingStart { anchor }, start_mark));
            }
            TokenKind::BlockSequenceStart if block => {
                self.state = State::BlockSequenceFirstEntry;
                return Ok(Self::ev(EventKind::SequenceStart { anchor }, start_mark));
            }
            TokenKind::BlockMappingStart if block => {
                self.state = State::BlockMappingFirstKey;
                return Ok(Self::ev(EventKind::MappingStart { anchor }, start_mark));
            }
            _ => {}
        }
        if anchor.is_some() || !tag.is_empty() {
            self.pop_state();
            let implicit = tag.is_empty();
            return Ok(Self::ev(
                EventKind::Scalar {
                    anchor,
                    tag,
                    value: Vec::new(),
                    implicit,
                    style: ScalarStyle::Plain,
                },
                start_mark,
            ));
        }
        Err(parser_error(
            "did not find expected node content",
            start_tok,
            start_mark,
        ))
    }

    fn parse_block_sequence_entry(&mut self, first: bool) -> Result<Event> {
        if first {
            let (_, start, _) = self.peek()?;
            self.marks.push(start);
            self.skip();
        }
        let (kind, start, end) = self.peek()?;
        if kind == TokenKind::BlockEntry {
            let mark = end;
            self.skip();
            let (kind, _, _) = self.peek()?;
            if kind != TokenKind::BlockEntry && kind != TokenKind::BlockEnd {
                self.states.push(State::BlockSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::BlockSequenceEntry;
            return Ok(Self::empty_scalar(mark));
        }
        if kind == TokenKind::BlockEnd {
            self.pop_state();
            self.marks.pop();
            self.skip();
            return Ok(Self::ev(EventKind::SequenceEnd, start));
        }
        let context_mark = self.marks.pop().unwrap_or_default();
        Err(parser_error(
            "did not find expected '-' indicator",
            start,
            context_mark,
        ))
    }

    fn parse_indentless_sequence_entry(&mut self) -> Result<Event> {
        let (kind, start, end) = self.peek()?;
        if kind == TokenKind::BlockEntry {
            let mark = end;
            self.skip();
            let (kind, _, _) = self.peek()?;
            if !matches!(
                kind,
                TokenKind::BlockEntry | TokenKind::Key | TokenKind::Value | TokenKind::BlockEnd
            ) {
                self.states.push(State::IndentlessSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::IndentlessSequenceEntry;
            return Ok(Self::empty_scalar(mark));
        }
        self.pop_state();
        Ok(Self::ev(EventKind::SequenceEnd, start))
    }

    fn parse_block_mapping_key(&mut self, first: bool) -> Result<Event> {
        if first {
            let (_, start, _) = self.peek()?;
            self.marks.push(start);
            self.skip();
        }
        let (kind, start, end) = self.peek()?;
        if kind == TokenKind::Key {
            let mark = end;
            self.skip();
            let (kind, _, _) = self.peek()?;
            if !matches!(
                kind,
                TokenKind::Key | TokenKind::Value | TokenKind::BlockEnd
            ) {
                self.states.push(State::BlockMappingValue);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingValue;
            return Ok(Self::empty_scalar(mark));
        } else if kind == TokenKind::BlockEnd {
            self.pop_state();
            self.marks.pop();
            self.skip();
            return Ok(Self::ev(EventKind::MappingEnd, start));
        }
        let context_mark = self.marks.pop().unwrap_or_default();
        Err(parser_error(
            "did not find expected key",
            start,
            context_mark,
        ))
    }

    fn parse_block_mapping_value(&mut self) -> Result<Event> {
        let (kind, start, end) = self.peek()?;
        if kind == TokenKind::Value {
            let mark = end;
            self.skip();
            let (kind, _, _) = self.peek()?;
            if !matches!(
                kind,
                TokenKind::Key | TokenKind::Value | TokenKind::BlockEnd
            ) {
                self.states.push(State::BlockMappingKey);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingKey;
            return Ok(Self::empty_scalar(mark));
        }
        self.state = State::BlockMappingKey;
        Ok(Self::empty_scalar(start))
    }

    fn parse_flow_sequence_entry(&mut self, first: bool) -> Result<Event> {
        if first {
            let (_, start, _) = self.peek()?;
            self.marks.push(start);
            self.skip();
        }
        let (mut kind, mut start, _) = self.peek()?;
        if kind != TokenKind::FlowSequenceEnd {
            if !first {
                if kind == TokenKind::FlowEntry {
                    self.skip();
                    (kind, start, _) = self.peek()?;
                } else {
                    let context_mark = self.marks.pop().unwrap_or_default();
                    return Err(parser_error(
                        "did not find expected ',' or ']'",
                        start,
                        context_mark,
                    ));
                }
            }
            if kind == TokenKind::Key {
                self.state = State::FlowSequenceEntryMappingKey;
                self.skip();
                return Ok(Self::ev(EventKind::MappingStart { anchor: None }, start));
            } else if kind != TokenKind::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntry);
                return self.parse_node(false, false);
            }
        }
        self.pop_state();
        self.marks.pop();
        self.skip();
        Ok(Self::ev(EventKind::SequenceEnd, start))
    }

    fn parse_flow_sequence_entry_mapping_key(&mut self) -> Result<Event> {
        let (kind, _, end) = self.peek()?;
        if !matches!(
            kind,
            TokenKind::Value | TokenKind::FlowEntry | TokenKind::FlowSequenceEnd
        ) {
            self.states.push(State::FlowSequenceEntryMappingValue);
            return self.parse_node(false, false);
        }
        let mark = end;
        self.skip();
        self.state = State::FlowSequenceEntryMappingValue;
        Ok(Self::empty_scalar(mark))
    }

    fn parse_flow_sequence_entry_mapping_value(&mut self) -> Result<Event> {
        let (kind, start, _) = self.peek()?;
        if kind == TokenKind::Value {
            self.skip();
            let (kind, _, _) = self.peek()?;
            if kind != TokenKind::FlowEntry && kind != TokenKind::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntryMappingEnd);
                return self.parse_node(false, false);
            }
        }
        self.state = State::FlowSequenceEntryMappingEnd;
        // go-yaml uses the token peeked first (the `:`), not the one after it.
        Ok(Self::empty_scalar(start))
    }

    fn parse_flow_sequence_entry_mapping_end(&mut self) -> Result<Event> {
        let (_, start, _) = self.peek()?;
        self.state = State::FlowSequenceEntry;
        Ok(Self::ev(EventKind::MappingEnd, start))
    }

    fn parse_flow_mapping_key(&mut self, first: bool) -> Result<Event> {
        if first {
            let (_, start, _) = self.peek()?;
            self.marks.push(start);
            self.skip();
        }
        let (mut kind, mut start, _) = self.peek()?;
        if kind != TokenKind::FlowMappingEnd {
            if !first {
                if kind == TokenKind::FlowEntry {
                    self.skip();
                    (kind, start, _) = self.peek()?;
                } else {
                    let context_mark = self.marks.pop().unwrap_or_default();
                    return Err(parser_error(
                        "did not find expected ',' or '}'",
                        start,
                        context_mark,
                    ));
                }
            }
            if kind == TokenKind::Key {
                self.skip();
                let (kind, start, _) = self.peek()?;
                if !matches!(
                    kind,
                    TokenKind::Value | TokenKind::FlowEntry | TokenKind::FlowMappingEnd
                ) {
                    self.states.push(State::FlowMappingValue);
                    return self.parse_node(false, false);
                }
                self.state = State::FlowMappingValue;
                return Ok(Self::empty_scalar(start));
            } else if kind != TokenKind::FlowMappingEnd {
                self.states.push(State::FlowMappingEmptyValue);
                return self.parse_node(false, false);
            }
        }
        self.pop_state();
        self.marks.pop();
        self.skip();
        Ok(Self::ev(EventKind::MappingEnd, start))
    }

    fn parse_flow_mapping_value(&mut self, empty: bool) -> Result<Event> {
        let (kind, start, _) = self.peek()?;
        if empty {
            self.state = State::FlowMappingKey;
            return Ok(Self::empty_scalar(start));
        }
        if kind == TokenKind::Value {
            self.skip();
            let (kind, start, _) = self.peek()?;
            if kind != TokenKind::FlowEntry && kind != TokenKind::FlowMappingEnd {
                self.states.push(State::FlowMappingKey);
                return self.parse_node(false, false);
            }
            self.state = State::FlowMappingKey;
            return Ok(Self::empty_scalar(start));
        }
        self.state = State::FlowMappingKey;
        Ok(Self::empty_scalar(start))
    }

    fn process_directives(&mut self) -> Result<()> {
        let mut have_version = false;
        loop {
            let (kind, start, _) = self.peek()?;
            match kind {
                TokenKind::VersionDirective(major, minor) => {
                    if have_version {
                        return Err(self.fail(parser_error(
                            "found duplicate %YAML directive",
                            start,
                            Mark::default(),
                        )));
                    }
                    if major != 1 || minor != 1 {
                        return Err(self.fail(parser_error(
                            "found incompatible YAML document",
                            start,
                            Mark::default(),
                        )));
                    }
                    have_version = true;
                }
                TokenKind::TagDirective(handle, prefix) => {
                    if self.tag_directives.iter().any(|(h, _)| *h == handle) {
                        return Err(self.fail(parser_error(
                            "found duplicate %TAG directive",
                            start,
                            Mark::default(),
                        )));
                    }
                    self.tag_directives.push((handle, prefix));
                }
                _ => break,
            }
            self.skip();
        }
        for (h, p) in [(&b"!"[..], &b"!"[..]), (b"!!", b"tag:yaml.org,2002:")] {
            if !self.tag_directives.iter().any(|(x, _)| x == h) {
                self.tag_directives.push((h.to_vec(), p.to_vec()));
            }
        }
        Ok(())
    }
}
