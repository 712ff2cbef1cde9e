//! spaCy's get_alignments (training/align.pyx), as alignTokens.ts walks it:
//! predicted tokens onto gold tokens.

use crate::doc::Doc;
use crate::json::{irregular, R};
use crate::text::{is_space, lowered as lower_text};

/// For each predicted token, the gold tokens it covers, ascending.
pub struct Alignment {
    starts: Vec<u32>,
    flat: Vec<u32>,
}

impl Alignment {
    #[inline]
    pub fn x2y(&self, i: usize) -> &[u32] {
        &self.flat[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    /// The aligned indices of predicted tokens [start, end), in order.
    pub fn range(&self, start: u32, end: u32) -> &[u32] {
        let end = (end as usize).min(self.starts.len() - 1);
        let start = (start as usize).min(end);
        &self.flat[self.starts[start] as usize..self.starts[end] as usize]
    }
}

pub fn align(predicted: &Doc, gold: &Doc) -> R<Alignment> {
    let n = predicted.tokens.len();
    if n == gold.tokens.len() && (0..n).all(|i| predicted.word(i) == gold.word(i)) {
        return Ok(Alignment {
            starts: (0..=n as u32).collect(),
            flat: (0..n as u32).collect(),
        });
    }
    let (str_a, token_a) = lowered(predicted);
    let (str_b, token_b) = lowered(gold);
    if str_a.len() != token_a.len() || str_b.len() != token_b.len() {
        return Err(irregular());
    }
    if !str_a.iter().filter(|&&c| !is_space(c)).eq(str_b.iter().filter(|&&c| !is_space(c))) {
        // TEXT_MISMATCH: JavaScript names the documents.
        return Err(irregular());
    }
    let mut a2b: Vec<Vec<u32>> = Vec::with_capacity(n);
    let (mut char_a, mut char_b) = (0usize, 0usize);
    let mut previous_a = u32::MAX;
    while char_a < str_a.len() && char_b < str_b.len() {
        let ta = token_a[char_a];
        let tb = token_b[char_b];
        if previous_a != ta {
            a2b.push(Vec::new());
        }
        if predicted.word(ta as usize) == gold.word(tb as usize)
            && (char_a == 0 || token_a[char_a - 1] < ta)
            && (char_b == 0 || token_b[char_b - 1] < tb)
        {
            a2b.last_mut().unwrap().push(tb);
            char_a += predicted.word(ta as usize).len();
            char_b += gold.word(tb as usize).len();
        } else if str_a[char_a] == str_b[char_b] {
            a2b.last_mut().unwrap().push(tb);
            char_a += 1;
            char_b += 1;
        } else if is_space(str_a[char_a]) {
            char_a += 1;
        } else if is_space(str_b[char_b]) {
            char_b += 1;
        } else {
            return Err(irregular());
        }
        previous_a = ta;
    }
    let mut rest: Vec<u32> = token_a[char_a..].to_vec();
    rest.dedup();
    for _ in 0..rest.len() {
        a2b.push(Vec::new());
    }
    let mut starts = Vec::with_capacity(a2b.len() + 1);
    let mut flat = Vec::new();
    starts.push(0);
    for mut set in a2b {
        set.sort_unstable();
        set.dedup();
        flat.extend_from_slice(&set);
        starts.push(flat.len() as u32);
    }
    // Every predicted token has its entry (tokens are never empty); anything else is not the plain case.
    if starts.len() != n + 1 {
        return Err(irregular());
    }
    Ok(Alignment { starts, flat })
}

fn lowered(doc: &Doc) -> (Vec<u32>, Vec<u32>) {
    let mut token = Vec::new();
    // The joined text lowercased as one (final sigma looks across tokens); each token's share is
    // the length of the token lowercased alone, which only final sigma could tell apart, and
    // it maps one code point to one either way.
    let mut joined = Vec::new();
    for t in 0..doc.tokens.len() {
        let before = joined.len();
        joined.extend_from_slice(doc.word(t));
        let length = lower_text(&joined[before..]).len();
        token.resize(token.len() + length, t as u32);
    }
    (lower_text(&joined), token)
}
