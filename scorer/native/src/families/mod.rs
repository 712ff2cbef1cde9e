//! The ten spaCy families over one document pair, each as its JavaScript
//! counterpart (scorer/src/families) updates its state.

mod deps;
mod spans;
mod tokens;

use crate::align::Alignment;
use crate::doc::{Doc, DEP, MORPH};
use crate::json::{irregular, R};
use crate::prf::Prf;
use crate::text::{code_points, lowered, Interner, NULL};
use deps::deps;
use spans::{ents, spans};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tokens::{morph_per_feat, token_attr, tokenization};

pub enum Family {
    Tokenization,
    Sents,
    Attr(usize),
    MorphPerFeat,
    /// The state beside the slot's counts (`base`): per gold index, and the indices marked missing.
    Deps {
        per_example: bool,
        state: DepsState,
    },
    Ents,
    Spans {
        group: usize,
        allow_overlap: bool,
    },
}

pub struct Slot {
    pub name: String,
    pub family: Family,
    pub state: Prf,
    pub annotated: u64,
}

#[derive(Default)]
pub struct DepsState {
    pub per_index: BTreeMap<u32, (Prf, Prf)>,
    pub missing: BTreeSet<u32>,
}

/// What the families share: interned strings and what is derived from them once.
pub struct Shared<'s> {
    pub strings: &'s mut Interner,
    pub caches: &'s mut Caches,
    pub empty: u32,
}

/// Morph analyses split, and labels lowercased, once per pass.
pub struct Caches {
    underscore: u32,
    features: HashMap<u32, Vec<(u32, u32)>>,
    lowered: HashMap<u32, u32>,
    ignored: [u32; 2],
}

impl Caches {
    pub fn new(strings: &mut Interner) -> Self {
        let underscore = strings.id(b"_");
        let ignored = [strings.id(b"p"), strings.id(b"punct")];
        Caches {
            underscore,
            features: HashMap::new(),
            lowered: HashMap::new(),
            ignored,
        }
    }
}

impl<'s> Shared<'s> {
    /// "Case=Nom|Number=Sing" as (field, feature) ids; a feature not Field=Value is irregular.
    fn features(&mut self, morph: u32) -> R<&[(u32, u32)]> {
        if !self.caches.features.contains_key(&morph) {
            let text = self.strings.get(morph).to_vec();
            let mut parsed = Vec::new();
            for feature in text.split(|&b| b == b'|') {
                let mut parts = feature.split(|&b| b == b'=');
                let field = parts.next().unwrap();
                if parts.count() != 1 {
                    return Err(irregular());
                }
                parsed.push((self.strings.id(field), self.strings.id(feature)));
            }
            self.caches.features.insert(morph, parsed);
        }
        Ok(&self.caches.features[&morph])
    }

    /// A label lowercased (dependency labels); beyond ASCII only where nothing changes.
    fn lower(&mut self, id: u32) -> R<u32> {
        if let Some(&lowered) = self.caches.lowered.get(&id) {
            return Ok(lowered);
        }
        let cps = code_points(self.strings.get(id)).ok_or(irregular())?;
        let lowered_text: String = lowered(&cps).into_iter().filter_map(char::from_u32).collect();
        let lowered = self.strings.id(lowered_text.as_bytes());
        self.caches.lowered.insert(id, lowered);
        Ok(lowered)
    }
}

impl Slot {
    pub fn update(&mut self, gold: &Doc, predicted: &Doc, alignment: &Alignment, shared: &mut Shared) -> R<()> {
        match self.family {
            Family::Tokenization => {
                if !gold.unknown_spaces {
                    self.annotated += 1;
                    tokenization(&mut self.state, gold, predicted, alignment);
                }
            }
            Family::Attr(attribute) => {
                if !gold.tokens.is_empty() && gold.has_attr(attribute) {
                    self.annotated += 1;
                }
                token_attr(&mut self.state, attribute, gold, predicted, alignment)?;
            }
            Family::MorphPerFeat => {
                if !gold.tokens.is_empty() && gold.has_attr(MORPH) {
                    self.annotated += 1;
                }
                morph_per_feat(&mut self.state, gold, predicted, alignment, shared)?;
            }
            Family::Sents => {
                if gold.has_sents() {
                    self.annotated += 1;
                    let predicted_sents = if predicted.has_sents() {
                        Some(predicted.sentences(shared.empty))
                    } else {
                        None
                    };
                    spans(
                        &mut self.state,
                        gold,
                        predicted,
                        &gold.sentences(shared.empty),
                        predicted_sents.as_deref(),
                        false,
                        alignment,
                    )?;
                }
            }
            Family::Spans { group, allow_overlap } => {
                if let Some(gold_spans) = &gold.groups[group] {
                    self.annotated += 1;
                    spans(
                        &mut self.state,
                        gold,
                        predicted,
                        gold_spans,
                        predicted.groups[group].as_deref(),
                        allow_overlap,
                        alignment,
                    )?;
                }
            }
            Family::Ents => {
                if gold.has_ents() {
                    self.annotated += 1;
                    ents(&mut self.state, gold, predicted, alignment);
                }
            }
            Family::Deps {
                per_example,
                ref mut state,
            } => {
                if gold.tokens.iter().any(|t| t.attrs[DEP] != NULL) {
                    self.annotated += 1;
                }
                deps(&mut self.state, state, per_example, gold, predicted, alignment, shared)?;
            }
        }
        Ok(())
    }
}

fn sort_distinct<T: Ord>(list: &mut Vec<T>) {
    list.sort_unstable();
    list.dedup();
}
