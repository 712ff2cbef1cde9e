import { hasAnnotation } from '../docs/scoredDoc.js';
import { PrfMap } from '../prf/prfMap.js';
import { foldEncodedCounts } from '../prf/prfWire.js';
import { addPrfCounts, emptyPrfCounts, fscoreOf, precisionOf, recallOf } from '../prf/prfScore.js';
import { tupleKey } from '../prf/scoreSet.js';
import type { ScoreFamily } from './scoreFamily.js';

/**
 * spaCy's get_ner_prf (`ents_p/r/f`, `ents_per_type`): documents whose gold
 * has no entity annotation are skipped; a predicted entity counts only if it
 * maps onto gold tokens that all have known annotation; it is a true positive
 * when the gold has the same (label, start, end), else a false positive;
 * unmatched gold entities are false negatives.
 */
export function entsFamily(): ScoreFamily<PrfMap> {
  return {
    name: 'ents',
    init: () => new PrfMap(),
    annotates: (example) => hasAnnotation(example.gold, 'ENT_IOB'),
    update(state, example) {
      const { gold, predicted } = example;
      if (!hasAnnotation(gold, 'ENT_IOB')) return;
      const golds = new Set(gold.ents.map((ent) => tupleKey(ent.label, ent.start, ent.end)));
      const labelOf = new Map(gold.ents.map((ent) => [tupleKey(ent.label, ent.start, ent.end), ent.label]));
      const alignment = example.alignment;
      for (const ent of predicted.ents) {
        const counts = state.get(ent.label);
        const indices = alignment.x2yRange(ent.start, ent.end);
        if (indices.length === 0) continue;
        const first = indices[0]!;
        const last = indices[indices.length - 1]!;
        let known = true;
        for (let t = first; t <= last; t++) if (gold.tokens[t]!.entIob === 0) known = false;
        if (!known) continue;
        const key = tupleKey(ent.label, first, last + 1);
        if (golds.has(key)) {
          counts.tp += 1;
          golds.delete(key);
        } else {
          counts.fp += 1;
        }
      }
      for (const key of golds) state.get(labelOf.get(key)!).fn += 1;
    },
    merge: (left, right) => left.addAll(right),
    foldEncodedField: foldEncodedCounts,
    finalize(state) {
      const totals = emptyPrfCounts();
      for (const counts of state.counts.values()) addPrfCounts(totals, counts);
      if (totals.tp + totals.fp + totals.fn === 0) {
        return { ents_p: null, ents_r: null, ents_f: null, ents_per_type: null };
      }
      return {
        ents_p: precisionOf(totals),
        ents_r: recallOf(totals),
        ents_f: fscoreOf(totals),
        ents_per_type: state.labelScores(),
      };
    },
    encode: (state) => ({ counts: state.toEntries() }),
    decode: (message) => PrfMap.fromEntries(message.counts),
  };
}
