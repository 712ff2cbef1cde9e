//! Scorer.score_spans (sentences, span groups) and get_ner_prf (entities).

use super::sort_distinct;
use crate::align::Alignment;
use crate::doc::{Doc, Span};
use crate::json::R;
use crate::prf::{self, Prf};
use crate::text::{is_space, lowered};

/// Scorer.score_spans: keys (label, start, end - 1) in gold tokens.
pub fn spans(
    state: &mut Prf,
    gold: &Doc,
    predicted: &Doc,
    gold_spans: &[Span],
    predicted_spans: Option<&[Span]>,
    allow_overlap: bool,
    alignment: &Alignment,
) -> R<()> {
    let mut labels: Vec<u32> = Vec::new();
    for span in gold_spans.iter().chain(predicted_spans.unwrap_or(&[]).iter()) {
        if !labels.contains(&span.label) {
            labels.push(span.label);
        }
    }
    let mut gold_keys: Vec<(u32, u32, u32)> = gold_spans.iter().map(|s| (s.label, s.start, s.end)).collect();
    let mut predicted_keys: Vec<(u32, u32, u32)> = Vec::new();
    if let Some(predicted_spans) = predicted_spans {
        let mut seen = vec![false; gold.tokens.len()];
        for span in predicted_spans {
            let mut indices: Vec<u32> = alignment.range(span.start, span.end).to_vec();
            if !allow_overlap {
                indices.retain(|&i| !seen[i as usize]);
            }
            if indices.is_empty() {
                continue;
            }
            let aligned = Span {
                start: indices[0],
                end: indices[indices.len() - 1] + 1,
                label: span.label,
            };
            if same_normalized_text(predicted, span, gold, &aligned)? {
                predicted_keys.push((aligned.label, aligned.start, aligned.end));
                for &i in &indices {
                    seen[i as usize] = true;
                }
            }
        }
    }
    sort_distinct(&mut gold_keys);
    sort_distinct(&mut predicted_keys);
    prf::score_set(state.get(prf::TOTAL), &predicted_keys, &gold_keys);
    // Per type: the same sets split by label, each a run of the sorted keys.
    let of_label = |keys: &[(u32, u32, u32)], label: u32| {
        let start = keys.partition_point(|k| k.0 < label);
        let end = keys.partition_point(|k| k.0 <= label);
        keys[start..end].to_vec()
    };
    for label in labels {
        prf::score_set(
            state.get(prf::span_type(label)),
            &of_label(&predicted_keys, label),
            &of_label(&gold_keys, label),
        );
    }
    Ok(())
}

/// Span.text: tokens with the spaces between them, not the last one's.
fn span_text(doc: &Doc, span: &Span) -> Vec<u32> {
    let mut text = Vec::new();
    for t in span.start..span.end {
        text.extend_from_slice(doc.word(t as usize));
        if t + 1 < span.end && doc.tokens[t as usize].space {
            text.push(0x20);
        }
    }
    text
}

/// pyStrip(text.toLowerCase()).replaceAll(' ', '') of both texts, compared (texts alike need no lowercasing).
fn same_normalized_text(a_doc: &Doc, a: &Span, b_doc: &Doc, b: &Span) -> R<bool> {
    let a = span_text(a_doc, a);
    let b = span_text(b_doc, b);
    Ok(a == b || stripped(lowered(&a)) == stripped(lowered(&b)))
}

fn stripped(text: Vec<u32>) -> Vec<u32> {
    let start = text.iter().position(|&c| !is_space(c)).unwrap_or(text.len());
    let end = text.iter().rposition(|&c| !is_space(c)).map_or(start, |e| e + 1);
    text[start..end].iter().copied().filter(|&c| c != 0x20).collect()
}

/// get_ner_prf.
pub fn ents(state: &mut Prf, gold: &Doc, predicted: &Doc, alignment: &Alignment) {
    let mut golds: Vec<(u32, i64, i64)> = gold.ents.iter().map(|e| (e.label, e.start as i64, e.end as i64)).collect();
    for ent in &predicted.ents {
        state.get(prf::label(ent.label));
        let indices = alignment.range(ent.start, ent.end);
        if indices.is_empty() {
            continue;
        }
        let first = indices[0] as i64;
        let last = indices[indices.len() - 1] as i64;
        if (first..=last).any(|t| gold.tokens[t as usize].ent_iob == 0) {
            continue;
        }
        let key = (ent.label, first, last + 1);
        if let Some(at) = golds.iter().position(|g| *g == key) {
            state.add(prf::label(ent.label), 1, 0, 0);
            golds.remove(at);
        } else {
            state.add(prf::label(ent.label), 0, 1, 0);
        }
    }
    for (label, _, _) in golds {
        state.add(prf::label(label), 0, 0, 1);
    }
}
