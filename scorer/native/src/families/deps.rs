//! Scorer.score_deps.

use super::{DepsState, Shared};
use crate::align::Alignment;
use crate::doc::{Doc, DEP};
use crate::json::R;
use crate::prf::{self, Prf};
use crate::text::NULL;
use std::collections::{BTreeMap, BTreeSet};

struct Predicted {
    tuples: Vec<(u32, u32)>,
    unaligned: i64,
}

/// Scorer.score_deps, split by gold index as depsFamily.ts keeps it.
pub fn deps(
    base: &mut Prf,
    state: &mut DepsState,
    per_example: bool,
    gold: &Doc,
    predicted: &Doc,
    alignment: &Alignment,
    shared: &mut Shared,
) -> R<()> {
    let mut missing: BTreeSet<u32> = BTreeSet::new();
    let mut gold_by_index: BTreeMap<u32, (u32, u32)> = BTreeMap::new();
    for (i, token) in gold.tokens.iter().enumerate() {
        let dep = token.attrs[DEP];
        if dep == NULL {
            missing.insert(i as u32);
            continue;
        }
        let dep = shared.lower(dep)?;
        if !shared.caches.ignored.contains(&dep) {
            gold_by_index.insert(i as u32, (token.head, dep));
        }
    }
    let mut contribution = Prf::default();
    let mut predicted_by_index: BTreeMap<u32, Predicted> = BTreeMap::new();
    for (j, token) in predicted.tokens.iter().enumerate() {
        if token.all_space {
            continue;
        }
        let aligned = alignment.x2y(j);
        let dep = if token.attrs[DEP] == NULL {
            shared.empty
        } else {
            shared.lower(token.attrs[DEP])?
        };
        if shared.caches.ignored.contains(&dep) {
            continue;
        }
        let head_alignment = alignment.x2y(token.head as usize);
        let gold_head = if head_alignment.len() == 1 { Some(head_alignment[0]) } else { None };
        if aligned.len() != 1 {
            contribution.add(prf::UNLABELLED, 0, 1, 0);
            contribution.add(prf::LABELLED, 0, 1, 0);
            continue;
        }
        let entry = predicted_by_index.entry(aligned[0]).or_insert(Predicted {
            tuples: Vec::new(),
            unaligned: 0,
        });
        match gold_head {
            None => entry.unaligned += 1,
            Some(head) => entry.tuples.push((head, dep)),
        }
    }
    base.add_all(&contribution);
    let indices: BTreeSet<u32> = gold_by_index.keys().chain(predicted_by_index.keys()).copied().collect();
    for index in indices {
        let gold_tuple = gold_by_index.get(&index).copied();
        let if_present = index_counts(gold_tuple, predicted_by_index.get(&index));
        let if_missing = index_counts(gold_tuple, None);
        if per_example {
            base.add_all(if missing.contains(&index) { &if_missing } else { &if_present });
            continue;
        }
        let missing_already = missing.contains(&index) || state.missing.contains(&index);
        let slot = state.per_index.entry(index).or_default();
        slot.0.add_all(if missing_already { &if_missing } else { &if_present });
        slot.1.add_all(&if_missing);
    }
    if !per_example {
        state.missing.extend(missing);
    }
    Ok(())
}

fn index_counts(gold: Option<(u32, u32)>, predicted: Option<&Predicted>) -> Prf {
    let mut counts = Prf::default();
    counts.get(prf::LABELLED);
    counts.get(prf::UNLABELLED);
    let mut distinct: Vec<(u32, u32)> = Vec::new();
    let mut heads: Vec<u32> = Vec::new();
    if let Some(predicted) = predicted {
        for &tuple in &predicted.tuples {
            if !distinct.contains(&tuple) {
                distinct.push(tuple);
            }
            if !heads.contains(&tuple.0) {
                heads.push(tuple.0);
            }
        }
    }
    let gold_count = gold.is_some() as i64;
    let set = |counts: &mut Prf, key, predicted: usize, gold: i64, matched: bool| {
        let tp = matched as i64;
        counts.add(key, tp, predicted as i64 - tp, gold - tp);
    };
    set(
        &mut counts,
        prf::LABELLED,
        distinct.len(),
        gold_count,
        gold.is_some_and(|g| distinct.contains(&g)),
    );
    set(
        &mut counts,
        prf::UNLABELLED,
        heads.len(),
        gold_count,
        gold.is_some_and(|g| heads.contains(&g.0)),
    );
    let unaligned = predicted.map_or(0, |p| p.unaligned);
    counts.add(prf::LABELLED, 0, unaligned, 0);
    counts.add(prf::UNLABELLED, 0, unaligned, 0);
    let mut labels: Vec<u32> = gold.map(|g| vec![g.1]).unwrap_or_default();
    for tuple in &distinct {
        if !labels.contains(&tuple.1) {
            labels.push(tuple.1);
        }
    }
    for label in labels {
        let predicted_for_label = distinct.iter().filter(|t| t.1 == label).count();
        let gold_for_label = gold.is_some_and(|g| g.1 == label);
        let matched = gold_for_label && distinct.iter().any(|t| t.1 == label && t.0 == gold.unwrap().0);
        set(&mut counts, prf::dep(label), predicted_for_label, gold_for_label as i64, matched);
    }
    counts
}
