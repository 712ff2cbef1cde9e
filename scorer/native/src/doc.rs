//! One JSONL record as a document, read as docFromJson reads it (spaCy's
//! Doc.from_json). Whatever docFromJson would refuse, and the forms this
//! reader does not take, are `Irregular`.

use crate::json::{irregular, R};
use crate::record::{parse_record, RawDoc, RawSpan};
use crate::sentences::set_sentence_starts;
use crate::spaces::spaces_for;
use crate::text::{all_space, code_points, Interner, NULL};

pub const TAG: usize = 0;
pub const POS: usize = 1;
pub const MORPH: usize = 2;
pub const LEMMA: usize = 3;
pub const DEP: usize = 4;
const POS_TAGS: [&[u8]; 20] = [
    b"ADJ", b"ADP", b"ADV", b"AUX", b"CCONJ", b"CONJ", b"DET", b"EOL", b"INTJ", b"NOUN", b"NUM", b"PART", b"PRON", b"PROPN", b"PUNCT",
    b"SCONJ", b"SPACE", b"SYM", b"VERB", b"X",
];

#[derive(Clone)]
pub struct Token {
    /// Code point offsets in the text.
    pub start: u32,
    pub end: u32,
    pub space: bool,
    /// tag, pos, morph, lemma, dep: interned ids, NULL where missing.
    pub attrs: [u32; 5],
    pub head: u32,
    /// 1 starts a sentence, -1 does not, 0 unknown.
    pub sent_start: i8,
    /// 0 missing, 1 inside, 2 outside, 3 begins an entity.
    pub ent_iob: u8,
    pub all_space: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
    pub label: u32,
}

pub struct Doc {
    pub cps: Vec<u32>,
    pub tokens: Vec<Token>,
    pub ents: Vec<Span>,
    /// The requested span groups, by position in the run's keys; None where absent.
    pub groups: Vec<Option<Vec<Span>>>,
    pub unknown_spaces: bool,
    pub id: Option<Vec<u8>>,
}

impl Doc {
    pub fn word(&self, t: usize) -> &[u32] {
        let token = &self.tokens[t];
        &self.cps[token.start as usize..token.end as usize]
    }

    /// Doc.has_annotation for an attribute.
    pub fn has_attr(&self, attribute: usize) -> bool {
        self.tokens.is_empty() || self.tokens.iter().any(|t| t.attrs[attribute] != NULL)
    }

    pub fn has_ents(&self) -> bool {
        self.tokens.is_empty() || self.tokens.iter().any(|t| t.ent_iob != 0)
    }

    pub fn has_sents(&self) -> bool {
        self.tokens.len() <= 1 || self.tokens.iter().skip(1).any(|t| t.sent_start != 0)
    }

    /// Doc.sents.
    pub fn sentences(&self, empty_label: u32) -> Vec<Span> {
        let mut out = Vec::new();
        let mut start = 0u32;
        for (i, token) in self.tokens.iter().enumerate().skip(1) {
            if token.sent_start == 1 {
                out.push(Span {
                    start,
                    end: i as u32,
                    label: empty_label,
                });
                start = i as u32;
            }
        }
        if (start as usize) != self.tokens.len() {
            out.push(Span {
                start,
                end: self.tokens.len() as u32,
                label: empty_label,
            });
        }
        out
    }
}

pub struct Context<'k> {
    pub strings: Interner,
    pub span_keys: &'k [Vec<u8>],
    pos_ids: Vec<u32>,
    pub empty: u32,
}

impl<'k> Context<'k> {
    pub fn new(span_keys: &'k [Vec<u8>]) -> Self {
        let mut strings = Interner::default();
        let empty = strings.id(b"");
        let pos_ids = POS_TAGS.iter().map(|tag| strings.id(tag)).collect();
        Context {
            strings,
            span_keys,
            pos_ids,
            empty,
        }
    }
}

/// One record (a line without its terminator) as a document.
pub fn read_doc(line: &[u8], ctx: &mut Context) -> R<Doc> {
    let RawDoc {
        id,
        text,
        tokens: raw_tokens,
        sents,
        ents,
        missing,
        groups,
        unknown_spaces,
    } = parse_record(line, ctx.span_keys)?;
    let cps = code_points(&text).ok_or(irregular())?;
    let length = cps.len() as u64;
    let had_tokens = raw_tokens.is_some();
    let raw_tokens = raw_tokens.unwrap_or_default();
    let n = raw_tokens.len();
    for token in &raw_tokens {
        if token.start >= token.end || token.end > length {
            return Err(irregular());
        }
    }
    // spaCy requires every token or none to carry each attribute.
    for a in 0..5 {
        let present = raw_tokens.iter().filter(|t| t.attrs[a].is_some()).count();
        if present != 0 && present != n {
            return Err(irregular());
        }
    }
    let heads = raw_tokens.iter().filter(|t| t.head.is_some()).count();
    if heads != 0 && heads != n {
        return Err(irregular());
    }
    if n > 0 && raw_tokens[0].head.is_some() && raw_tokens[0].attrs[DEP].is_none() {
        return Err(irregular());
    }
    let mut tokens: Vec<Token> = Vec::with_capacity(n);
    for (i, raw) in raw_tokens.iter().enumerate() {
        let mut attrs = [NULL; 5];
        for a in 0..5 {
            if let Some(value) = &raw.attrs[a] {
                if !value.is_empty() {
                    attrs[a] = ctx.strings.id(value);
                }
            }
        }
        if attrs[POS] != NULL && !ctx.pos_ids.contains(&attrs[POS]) {
            return Err(irregular());
        }
        let head = match raw.head {
            Some(h) if h >= n as u64 => return Err(irregular()),
            Some(h) => h as u32,
            None => i as u32,
        };
        let (start, end) = (raw.start as u32, raw.end as u32);
        tokens.push(Token {
            start,
            end,
            space: false,
            attrs,
            head,
            sent_start: 0,
            ent_iob: 0,
            all_space: all_space(&cps[start as usize..end as usize]),
        });
    }
    if had_tokens {
        spaces_for(&cps, &mut tokens)?;
    }
    let mut doc = Doc {
        cps,
        tokens,
        ents: Vec::new(),
        groups: vec![None; ctx.span_keys.len()],
        unknown_spaces,
        id,
    };
    let mut bounds = Bounds::default();
    if doc.tokens.iter().any(|t| t.attrs[DEP] != NULL) {
        set_sentence_starts(&mut doc.tokens);
    } else if let Some(sents) = sents {
        for sentence in &sents {
            let span = bounds.span(&doc, sentence, ctx.empty)?;
            doc.tokens[span.start as usize].sent_start = 1;
            for t in span.start + 1..span.end {
                doc.tokens[t as usize].sent_start = -1;
            }
        }
    }
    if let Some(ents) = ents {
        for token in doc.tokens.iter_mut() {
            token.ent_iob = 2;
        }
        for ent in &ents {
            let label = ctx.strings.id(&ent.label);
            let span = bounds.span(&doc, ent, label)?;
            for t in span.start..span.end {
                let token = &mut doc.tokens[t as usize];
                if token.ent_iob != 2 {
                    return Err(irregular());
                }
                token.ent_iob = if t == span.start { 3 } else { 1 };
            }
            doc.ents.push(span);
        }
        doc.ents.sort_by_key(|span| span.start);
    }
    if let Some(missing) = missing {
        for m in &missing {
            let span = bounds.span(&doc, m, ctx.empty)?;
            for t in span.start..span.end {
                let token = &mut doc.tokens[t as usize];
                if token.ent_iob == 1 || token.ent_iob == 3 {
                    return Err(irregular());
                }
                token.ent_iob = 0;
            }
        }
    }
    for (key, raw) in groups {
        let mut spans = Vec::with_capacity(raw.len());
        for span in &raw {
            let label = ctx.strings.id(&span.label);
            spans.push(bounds.span(&doc, span, label)?);
        }
        if let Some(k) = key {
            doc.groups[k] = Some(spans);
        }
    }
    Ok(doc)
}

/// The first token starting, and the first ending, at each character.
#[derive(Default)]
struct Bounds {
    starts: Vec<u32>,
    ends: Vec<u32>,
}

impl Bounds {
    fn span(&mut self, doc: &Doc, raw: &RawSpan, label: u32) -> R<Span> {
        if self.starts.is_empty() {
            self.starts = vec![NULL; doc.cps.len() + 1];
            self.ends = vec![NULL; doc.cps.len() + 1];
            for (t, token) in doc.tokens.iter().enumerate().rev() {
                self.starts[token.start as usize] = t as u32;
                self.ends[token.end as usize] = t as u32;
            }
        }
        let first = *self.starts.get(raw.start as usize).ok_or(irregular())?;
        let last = *self.ends.get(raw.end as usize).ok_or(irregular())?;
        if first == NULL || last == NULL || last < first {
            return Err(irregular());
        }
        Ok(Span {
            start: first,
            end: last + 1,
            label,
        })
    }
}
