//! Scorer.score_tokenization, score_token_attr and score_token_attr_per_feat (morph).

use super::{sort_distinct, Shared};
use crate::align::Alignment;
use crate::doc::{Doc, MORPH};
use crate::json::{irregular, R};
use crate::prf::{self, Prf};
use crate::text::NULL;

pub fn tokenization(state: &mut Prf, gold: &Doc, predicted: &Doc, alignment: &Alignment) {
    let mut gold_spans: Vec<(u32, u32)> = gold.tokens.iter().filter(|t| !t.all_space).map(|t| (t.start, t.end)).collect();
    let mut predicted_spans = Vec::with_capacity(predicted.tokens.len());
    let (mut tp, mut fp) = (0, 0);
    for (i, token) in predicted.tokens.iter().enumerate() {
        if token.all_space {
            continue;
        }
        predicted_spans.push((token.start, token.end));
        if alignment.x2y(i).len() != 1 {
            fp += 1
        } else {
            tp += 1
        }
    }
    state.add(prf::ACC, tp, fp, 0);
    sort_distinct(&mut gold_spans);
    sort_distinct(&mut predicted_spans);
    prf::score_set(state.get(prf::SPANS), &predicted_spans, &gold_spans);
}

pub fn token_attr(state: &mut Prf, attribute: usize, gold: &Doc, predicted: &Doc, alignment: &Alignment) -> R<()> {
    let gold_count = gold.tokens.iter().filter(|t| t.attrs[attribute] != NULL).count() as i64;
    let mut run_values: Vec<u32> = Vec::new();
    let mut run_index: i64 = -1;
    let (mut predicted_count, mut tp) = (0i64, 0i64);
    for (i, token) in predicted.tokens.iter().enumerate() {
        let aligned = alignment.x2y(i);
        if aligned.len() != 1 {
            continue;
        }
        let gold_index = aligned[0] as i64;
        let gold_value = gold.tokens[aligned[0] as usize].attrs[attribute];
        if gold_value == NULL || token.all_space {
            continue;
        }
        if gold_index != run_index {
            if gold_index < run_index {
                return Err(irregular());
            }
            run_index = gold_index;
            run_values.clear();
        }
        let value = token.attrs[attribute];
        if run_values.contains(&value) {
            continue;
        }
        run_values.push(value);
        predicted_count += 1;
        if value == gold_value {
            tp += 1;
        }
    }
    state.add(prf::ATTR, tp, predicted_count - tp, gold_count - tp);
    Ok(())
}

pub fn morph_per_feat(state: &mut Prf, gold: &Doc, predicted: &Doc, alignment: &Alignment, shared: &mut Shared) -> R<()> {
    let mut per_field: Vec<(u32, [i64; 3])> = Vec::new();
    let field_at = |per_field: &mut Vec<(u32, [i64; 3])>, state: &mut Prf, field: u32| -> usize {
        match per_field.iter().position(|(f, _)| *f == field) {
            Some(at) => at,
            None => {
                state.get(prf::field(field));
                per_field.push((field, [0; 3]));
                per_field.len() - 1
            }
        }
    };
    let mut gold_features: Vec<Option<Vec<u32>>> = Vec::with_capacity(gold.tokens.len());
    for token in &gold.tokens {
        let morph = token.attrs[MORPH];
        if morph == NULL || morph == shared.caches.underscore {
            gold_features.push(None);
            continue;
        }
        let mut distinct: Vec<u32> = Vec::new();
        for &(field, feature) in shared.features(morph)? {
            let at = field_at(&mut per_field, state, field);
            if distinct.contains(&feature) {
                continue;
            }
            distinct.push(feature);
            per_field[at].1[2] += 1;
        }
        gold_features.push(Some(distinct));
    }
    let mut run_features: Vec<u32> = Vec::new();
    let mut run_index: i64 = -1;
    for (i, token) in predicted.tokens.iter().enumerate() {
        let aligned = alignment.x2y(i);
        if aligned.len() != 1 || token.all_space {
            continue;
        }
        let gold_index = aligned[0] as i64;
        let Some(expected) = &gold_features[aligned[0] as usize] else {
            continue;
        };
        let morph = token.attrs[MORPH];
        if morph == NULL || morph == shared.caches.underscore {
            continue;
        }
        if gold_index != run_index {
            if gold_index < run_index {
                return Err(irregular());
            }
            run_index = gold_index;
            run_features.clear();
        }
        for &(field, feature) in shared.features(morph)? {
            let at = field_at(&mut per_field, state, field);
            if run_features.contains(&feature) {
                continue;
            }
            run_features.push(feature);
            let counts = &mut per_field[at].1;
            if expected.contains(&feature) {
                counts[0] += 1;
                counts[2] -= 1;
            } else {
                counts[1] += 1;
            }
        }
    }
    state.get(prf::MICRO);
    for (field, counts) in per_field {
        state.add(prf::MICRO, counts[0], counts[1], counts[2]);
        state.add(prf::field(field), counts[0], counts[1], counts[2]);
    }
    Ok(())
}
