//! PRF counts by key, as PrfMap: a key exists once the reference registers
//! it, even while its counts stay zero.

use std::collections::HashMap;

/// A key: its kind (the prefix the JavaScript family writes) and an interned id.
pub type Key = u64;

pub const ACC: Key = 1 << 32;
pub const SPANS: Key = 2 << 32;
pub const ATTR: Key = 3 << 32;
pub const MICRO: Key = 4 << 32;
pub const UNLABELLED: Key = 5 << 32;
pub const LABELLED: Key = 6 << 32;
pub const TOTAL: Key = 7 << 32;
const FIELD: u64 = 8;
const TYPE: u64 = 9;
const DEP: u64 = 10;
const LABEL: u64 = 11;

pub fn field(id: u32) -> Key {
    FIELD << 32 | id as u64
}
pub fn span_type(id: u32) -> Key {
    TYPE << 32 | id as u64
}
pub fn dep(id: u32) -> Key {
    DEP << 32 | id as u64
}
pub fn label(id: u32) -> Key {
    LABEL << 32 | id as u64
}

/// The key as the JavaScript family spells it.
pub fn key_text(key: Key, strings: &crate::text::Interner) -> Vec<u8> {
    let id = key as u32;
    let (prefix, named): (&[u8], bool) = match key >> 32 {
        1 => (b"acc", false),
        2 => (b"spans", false),
        3 => (b"", false),
        4 => (b"\0micro", false),
        5 => (b"u", false),
        6 => (b"l", false),
        7 => (b"\0total", false),
        8 => (b"field:", true),
        9 => (b"type:", true),
        10 => (b"dep:", true),
        _ => (b"", true),
    };
    let mut text = prefix.to_vec();
    if named {
        text.extend_from_slice(strings.get(id));
    }
    text
}

pub type Counts = [i64; 3];

#[derive(Default, Clone)]
pub struct Prf {
    pub entries: Vec<(Key, Counts)>,
    index: Option<HashMap<Key, usize>>,
}

impl Prf {
    pub fn get(&mut self, key: Key) -> &mut Counts {
        let at = match &mut self.index {
            Some(index) => match index.get(&key) {
                Some(&at) => at,
                None => {
                    index.insert(key, self.entries.len());
                    self.entries.push((key, [0; 3]));
                    self.entries.len() - 1
                }
            },
            None => match self.entries.iter().position(|(k, _)| *k == key) {
                Some(at) => at,
                None => {
                    self.entries.push((key, [0; 3]));
                    // Past a few keys, a lookup by hash.
                    if self.entries.len() > 24 {
                        self.index = Some(self.entries.iter().enumerate().map(|(i, (k, _))| (*k, i)).collect());
                    }
                    self.entries.len() - 1
                }
            },
        };
        &mut self.entries[at].1
    }

    pub fn add(&mut self, key: Key, tp: i64, fp: i64, fn_: i64) {
        let counts = self.get(key);
        counts[0] += tp;
        counts[1] += fp;
        counts[2] += fn_;
    }

    pub fn add_all(&mut self, other: &Prf) {
        for (key, counts) in &other.entries {
            self.add(*key, counts[0], counts[1], counts[2]);
        }
    }
}

/// PRFScore.score_set on two sets given as sorted, distinct lists.
pub fn score_set<T: Ord>(counts: &mut Counts, predicted: &[T], gold: &[T]) {
    let tp = intersection(predicted, gold) as i64;
    counts[0] += tp;
    counts[1] += predicted.len() as i64 - tp;
    counts[2] += gold.len() as i64 - tp;
}

pub fn intersection<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}
