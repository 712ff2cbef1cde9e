//! Strings as the reference sees them: code points (Python's unit), its
//! whitespace, and interned values so that families compare integers.

use std::collections::HashMap;

/// Every code point for which CPython's str.isspace() is true.
pub fn is_space(c: u32) -> bool {
    matches!(c, 0x09..=0x0d | 0x1c..=0x20 | 0x85 | 0xa0 | 0x1680 | 0x2000..=0x200a | 0x2028 | 0x2029 | 0x202f | 0x205f | 0x3000)
}

/// str.isspace(): non-empty and all whitespace.
pub fn all_space(cps: &[u32]) -> bool {
    !cps.is_empty() && cps.iter().all(|&c| is_space(c))
}

mod lowercase {
    include!(concat!(env!("OUT_DIR"), "/lowercase.rs"));
}

/// The Unicode version of the JavaScript lowercasing the pass reproduces.
pub const UNICODE: &str = lowercase::UNICODE;

/// GREEK CAPITAL LETTER SIGMA lowercases by its context (final sigma).
pub const SIGMA: u32 = 0x3a3;

/// toLowerCase of one code point out of context (U+03A3 becomes σ), appended.
#[inline]
pub fn push_lower(c: u32, out: &mut Vec<u32>) {
    if c < 0x80 {
        out.push(if (0x41..=0x5a).contains(&c) { c + 32 } else { c });
        return;
    }
    match lowercase::LOWER.binary_search_by_key(&c, |&(k, _)| k) {
        Ok(at) => out.extend_from_slice(lowercase::LOWER[at].1),
        Err(_) => out.push(c),
    }
}

/// toLowerCase of a text: Σ is ς where a cased letter precedes it and none
/// follows it, case-ignorable characters between them passed over (Unicode's
/// Final_Sigma).
pub fn lowered(text: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(text.len());
    for (i, &c) in text.iter().enumerate() {
        if c == SIGMA {
            let before = cased_next(text[..i].iter().rev());
            let after = cased_next(text[i + 1..].iter());
            out.push(if before && !after { 0x3c2 } else { 0x3c3 });
        } else {
            push_lower(c, &mut out);
        }
    }
    out
}

fn cased_next<'a>(mut chars: impl Iterator<Item = &'a u32>) -> bool {
    chars
        .find(|&&c| !in_ranges(c, lowercase::CASE_IGNORABLE))
        .is_some_and(|&c| in_ranges(c, lowercase::CASED))
}

fn in_ranges(c: u32, ranges: &[(u32, u32)]) -> bool {
    ranges
        .binary_search_by(|&(a, b)| {
            if b < c {
                std::cmp::Ordering::Less
            } else if a > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

pub fn code_points(bytes: &[u8]) -> Option<Vec<u32>> {
    Some(std::str::from_utf8(bytes).ok()?.chars().map(|c| c as u32).collect())
}

pub const NULL: u32 = u32::MAX;

/// Values by id: each distinct string once for the whole pass. Past `limit`
/// distinct values (a corpus with an open vocabulary of lemmas, say) the pass
/// gives up rather than grow: `full()`.
pub struct Interner {
    ids: HashMap<Vec<u8>, u32>,
    pub values: Vec<Vec<u8>>,
    pub limit: usize,
}

/// The default limit: about a million values, some tens of megabytes.
pub const MAX_STRINGS: usize = 1 << 20;

impl Default for Interner {
    fn default() -> Self {
        Interner {
            ids: HashMap::new(),
            values: Vec::new(),
            limit: MAX_STRINGS,
        }
    }
}

impl Interner {
    pub fn id(&mut self, value: &[u8]) -> u32 {
        if let Some(&id) = self.ids.get(value) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(value.to_vec());
        self.ids.insert(value.to_vec(), id);
        id
    }

    pub fn get(&self, id: u32) -> &[u8] {
        &self.values[id as usize]
    }

    pub fn full(&self) -> bool {
        self.values.len() > self.limit
    }
}
