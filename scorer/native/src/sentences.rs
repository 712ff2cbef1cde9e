//! Sentence starts from dependency trees, as setSentenceStarts.ts.

use crate::doc::{Token, DEP};
use crate::text::NULL;

const MAX_EDGE_PASSES: usize = 10;

/// spaCy's set_children_from_heads: sentence starts from the trees.
pub fn set_sentence_starts(tokens: &mut [Token]) {
    let n = tokens.len();
    let mut left: Vec<u32> = (0..n as u32).collect();
    let mut right: Vec<u32> = (0..n as u32).collect();
    let mut pass = 0;
    loop {
        let consistent = propagate_edges(tokens, &mut left, &mut right);
        if consistent || pass > MAX_EDGE_PASSES {
            break;
        }
        pass += 1;
    }
    for token in tokens.iter_mut() {
        token.sent_start = -1;
    }
    for i in 0..n {
        if tokens[i].head as usize == i && tokens[i].attrs[DEP] != NULL {
            let l = left[i] as usize;
            tokens[l].sent_start = 1;
        }
    }
}

fn propagate_edges(tokens: &[Token], left: &mut [u32], right: &mut [u32]) -> bool {
    let n = tokens.len();
    for i in 0..n {
        let head = tokens[i].head as usize;
        if left[i] < left[head] {
            left[head] = left[i];
        }
        if right[i] > right[head] {
            right[head] = right[i];
        }
    }
    for i in (0..n).rev() {
        let head = tokens[i].head as usize;
        if right[i] > right[head] {
            right[head] = right[i];
        }
        if left[i] < left[head] {
            left[head] = left[i];
        }
    }
    let mut starts = vec![false; n];
    for i in 0..n {
        if tokens[i].head as usize == i {
            starts[left[i] as usize] = true;
        }
    }
    let mut current_start = 0usize;
    for i in 0..n {
        // (n > 0: only documents with dependencies get here.)
        if (i > 0 && starts[i]) || i == n - 1 {
            let current_end = i;
            for token in &tokens[current_start..current_end] {
                let head = token.head as usize;
                if head < current_start || head > current_end {
                    return false;
                }
            }
            current_start = i;
        }
    }
    true
}
