//! One JSONL record's fields, read as JSON.parse and docFromJson read them:
//! the values the families need, everything else checked and passed over.

use crate::json::{irregular, Reader, R};
use std::borrow::Cow;

pub struct RawToken<'a> {
    pub start: u64,
    pub end: u64,
    pub attrs: [Option<Cow<'a, [u8]>>; 5],
    pub head: Option<u64>,
}

pub struct RawSpan<'a> {
    pub start: u64,
    pub end: u64,
    pub label: Cow<'a, [u8]>,
}

fn raw_spans<'a>(r: &mut Reader<'a>, labelled: bool) -> R<Vec<RawSpan<'a>>> {
    let mut spans = Vec::new();
    r.array(|r| {
        let (mut start, mut end, mut label) = (None, None, None);
        r.object(|r, key| {
            match &*key {
                b"start" if start.is_none() => start = Some(r.index()?),
                b"end" if end.is_none() => end = Some(r.index()?),
                b"label" if labelled && label.is_none() => label = Some(if r.is_null() { Cow::Borrowed(&b""[..]) } else { r.string()? }),
                b"start" | b"end" => return Err(irregular()),
                b"label" if labelled => return Err(irregular()),
                _ => r.skip()?,
            }
            Ok(())
        })?;
        spans.push(RawSpan {
            start: start.ok_or(irregular())?,
            end: end.ok_or(irregular())?,
            label: label.unwrap_or(Cow::Borrowed(b"")),
        });
        Ok(())
    })?;
    Ok(spans)
}

/// A record's fields; the span groups with the index of the run's key they stand for.
pub struct RawDoc<'a> {
    pub id: Option<Vec<u8>>,
    pub text: Cow<'a, [u8]>,
    pub tokens: Option<Vec<RawToken<'a>>>,
    pub sents: Option<Vec<RawSpan<'a>>>,
    pub ents: Option<Vec<RawSpan<'a>>>,
    pub missing: Option<Vec<RawSpan<'a>>>,
    pub groups: Vec<(Option<usize>, Vec<RawSpan<'a>>)>,
    pub unknown_spaces: bool,
}

/// One record (a line without its terminator).
pub fn parse_record<'a>(line: &'a [u8], span_keys: &[Vec<u8>]) -> R<RawDoc<'a>> {
    // TextDecoder drops a leading byte order mark from each record it decodes.
    let line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
    let mut r = Reader::new(line);
    if r.peek() != Some(b'{') {
        return Err(irregular());
    }
    let mut seen = 0u32;
    let mut once = |bit: u32| -> R<()> {
        if seen & bit != 0 {
            return Err(irregular());
        }
        seen |= bit;
        Ok(())
    };
    let mut id = None;
    let mut text: Option<Cow<[u8]>> = None;
    let mut raw_tokens: Option<Vec<RawToken>> = None;
    let mut sents = None;
    let mut ents = None;
    let mut missing = None;
    // Every group is checked as docFromJson checks it; the run's keys are kept.
    let mut groups: Vec<(Option<usize>, Vec<RawSpan>)> = Vec::new();
    let mut unknown_spaces = false;
    r.object(|r, key| {
        match &*key {
            b"id" => {
                once(1)?;
                id = Some(r.string()?.into_owned());
            }
            b"text" => {
                once(2)?;
                text = Some(r.string()?);
            }
            b"tokens" => {
                once(4)?;
                let mut tokens = Vec::new();
                r.array(|r| {
                    let mut token = RawToken {
                        start: u64::MAX,
                        end: u64::MAX,
                        attrs: [None, None, None, None, None],
                        head: None,
                    };
                    let mut keys = 0u32;
                    r.object(|r, key| {
                        let bit = match &*key {
                            b"start" => 1,
                            b"end" => 2,
                            b"tag" => 4,
                            b"pos" => 8,
                            b"morph" => 16,
                            b"lemma" => 32,
                            b"dep" => 64,
                            b"head" => 128,
                            _ => return r.skip(),
                        };
                        if keys & bit != 0 {
                            return Err(irregular());
                        }
                        keys |= bit;
                        match bit {
                            1 => token.start = r.index()?,
                            2 => token.end = r.index()?,
                            128 => token.head = Some(r.index()?),
                            _ => token.attrs[bit.trailing_zeros() as usize - 2] = Some(r.string()?),
                        }
                        Ok(())
                    })?;
                    if keys & 3 != 3 {
                        return Err(irregular());
                    }
                    tokens.push(token);
                    Ok(())
                })?;
                raw_tokens = Some(tokens);
            }
            b"sents" => {
                once(8)?;
                sents = Some(raw_spans(r, false)?);
            }
            b"ents" => {
                once(16)?;
                ents = Some(raw_spans(r, true)?);
            }
            b"ents_missing" => {
                once(32)?;
                missing = Some(raw_spans(r, false)?);
            }
            b"spans" => {
                once(64)?;
                let mut keys: Vec<Cow<[u8]>> = Vec::new();
                r.object(|r, key| {
                    if keys.contains(&key) {
                        return Err(irregular());
                    }
                    let group = raw_spans(r, true)?;
                    groups.push((span_keys.iter().position(|k| **k == *key), group));
                    keys.push(key);
                    Ok(())
                })?;
            }
            b"cats" => {
                once(128)?;
                let mut keys: Vec<Cow<[u8]>> = Vec::new();
                r.object(|r, key| {
                    if keys.contains(&key) {
                        return Err(irregular());
                    }
                    keys.push(key);
                    match r.peek() {
                        Some(b't') | Some(b'f') => r.boolean_or_null().map(|_| ()),
                        _ => r.number().map(|_| ()),
                    }
                })?;
            }
            b"has_unknown_spaces" => {
                once(256)?;
                unknown_spaces = r.peek() == Some(b't');
                r.skip()?;
            }
            _ => r.skip()?,
        }
        Ok(())
    })?;
    r.end()?;
    Ok(RawDoc {
        id,
        text: text.ok_or(irregular())?,
        tokens: raw_tokens,
        sents,
        ents,
        missing,
        groups,
        unknown_spaces,
    })
}
