//! spaCy's get_words_and_spaces, as docFromJson's spacesFor checks it.

use crate::doc::Token;
use crate::json::{irregular, R};
use crate::text::is_space;

/// spaCy's get_words_and_spaces: which tokens a trailing space follows.
pub fn spaces_for(cps: &[u32], tokens: &mut [Token]) -> R<()> {
    let joined = tokens
        .iter()
        .flat_map(|t| cps[t.start as usize..t.end as usize].iter())
        .filter(|&&c| !is_space(c));
    if !joined.eq(cps.iter().filter(|&&c| !is_space(c))) {
        return Err(irregular());
    }
    let word = |t: &Token| &cps[t.start as usize..t.end as usize];
    // What the tokens must be, in order: a word's own range, or a gap's.
    let mut rebuilt: Vec<(u32, u32)> = Vec::with_capacity(tokens.len());
    let mut spaces: Vec<bool> = Vec::with_capacity(tokens.len());
    let mut position = 0usize;
    for t in tokens.iter().filter(|t| !t.all_space) {
        let w = word(t);
        let start = find(cps, w, position).ok_or(irregular())?;
        if start > position {
            rebuilt.push((position as u32, start as u32));
            spaces.push(false);
            position = start;
        }
        rebuilt.push((t.start, t.end));
        spaces.push(false);
        position += w.len();
        if position < cps.len() && cps[position] == 0x20 {
            *spaces.last_mut().unwrap() = true;
            position += 1;
        }
    }
    if position < cps.len() {
        rebuilt.push((position as u32, cps.len() as u32));
        spaces.push(false);
    }
    if rebuilt.len() != tokens.len() {
        return Err(irregular());
    }
    for (t, (s, e)) in tokens.iter_mut().zip(rebuilt.iter()) {
        if cps[*s as usize..*e as usize] != cps[t.start as usize..t.end as usize] {
            return Err(irregular());
        }
    }
    for (t, space) in tokens.iter_mut().zip(spaces) {
        t.space = space;
    }
    Ok(())
}

fn find(haystack: &[u32], needle: &[u32], from: usize) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    (from..=haystack.len() - needle.len()).find(|&p| haystack[p..p + needle.len()] == *needle)
}
