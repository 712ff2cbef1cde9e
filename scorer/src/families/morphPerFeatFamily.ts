import { InputError } from '../errors.js';
import { hasAnnotation } from '../docs/scoredDoc.js';
import { pyIsSpace } from '../docs/pythonText.js';
import { PrfMap, totalOf } from '../prf/prfMap.js';
import { foldEncodedCounts } from '../prf/prfWire.js';
import { addPrfCounts, emptyPrfCounts, fscoreOf, precisionOf, recallOf, type PrfCounts } from '../prf/prfScore.js';
import type { ScoreFamily } from './scoreFamily.js';

const MICRO = '\u0000micro';
const FIELD = 'field:';
const EMPTY_MORPH = '_';

/**
 * Scorer.score_token_attr_per_feat for `morph`: features compared per field
 * (the text before "="), whole feature strings as values. A field is
 * registered, and reported, once it occurs in gold or prediction.
 */
export function morphPerFeatFamily(): ScoreFamily<PrfMap> {
  return {
    name: 'morph_per_feat',
    init: () => new PrfMap(),
    annotates: (example) => example.gold.tokens.length > 0 && hasAnnotation(example.gold, 'morph'),
    update(state, example) {
      const { gold, predicted } = example;
      // The reference's per-field sets of (gold index, feature), counted without building them.
      const perField = new Map<string, PrfCounts>();
      const fieldCounts = (field: string) => {
        let counts = perField.get(field);
        if (counts === undefined) {
          state.get(FIELD + field);
          counts = emptyPrfCounts();
          perField.set(field, counts);
        }
        return counts;
      };
      const goldFeatures: Array<string[] | null> = [];
      for (const token of gold.tokens) {
        if (token.morph === null || token.morph === EMPTY_MORPH) {
          goldFeatures.push(null);
          continue;
        }
        const distinct: string[] = [];
        for (const [field, feature] of features(token.morph, gold.id)) {
          const counts = fieldCounts(field);
          if (distinct.includes(feature)) continue;
          distinct.push(feature);
          counts.fn++;
        }
        goldFeatures.push(distinct);
      }
      // Predicted tokens aligned to one gold token come in gold order: a repeated pair is within a run.
      const x2y = example.alignment.x2y;
      const runFeatures: string[] = [];
      let runIndex = -1;
      predicted.tokens.forEach((token, i) => {
        if (x2y[i]!.length !== 1 || pyIsSpace(token.text)) return;
        const goldIndex = x2y[i]![0]!;
        const expected = goldFeatures[goldIndex]!;
        if (expected === null || token.morph === null || token.morph === EMPTY_MORPH) return;
        if (goldIndex !== runIndex) {
          if (goldIndex < runIndex) throw new Error('token alignment out of order');
          runIndex = goldIndex;
          runFeatures.length = 0;
        }
        for (const [field, feature] of features(token.morph, predicted.id)) {
          const counts = fieldCounts(field);
          if (runFeatures.includes(feature)) continue;
          runFeatures.push(feature);
          if (expected.includes(feature)) {
            counts.tp++;
            counts.fn--;
          } else {
            counts.fp++;
          }
        }
      });
      const micro = state.get(MICRO);
      for (const [field, counts] of perField) {
        addPrfCounts(micro, counts);
        addPrfCounts(state.get(FIELD + field), counts);
      }
    },
    merge: (left, right) => left.addAll(right),
    foldEncodedField: foldEncodedCounts,
    finalize(state) {
      const micro = state.get(MICRO);
      if (totalOf(micro) === 0) {
        return { morph_micro_p: null, morph_micro_r: null, morph_micro_f: null, morph_per_feat: null };
      }
      return {
        morph_micro_p: precisionOf(micro),
        morph_micro_r: recallOf(micro),
        morph_micro_f: fscoreOf(micro),
        morph_per_feat: state.labelScores(FIELD),
      };
    },
    encode: (state) => ({ counts: state.toEntries() }),
    decode: (message) => PrfMap.fromEntries(message.counts),
  };
}

// "Case=Nom|Number=Sing" → [["Case", "Case=Nom"], ["Number", "Number=Sing"]]; a corpus repeats a few
// hundred analyses, each split once.
const parsedFeatures = new Map<string, ReadonlyArray<readonly [string, string]>>();

function features(morph: string, docId: string): ReadonlyArray<readonly [string, string]> {
  const known = parsedFeatures.get(morph);
  if (known !== undefined) return known;
  const parsed = morph.split('|').map((feature): readonly [string, string] => {
    const parts = feature.split('=');
    if (parts.length !== 2) {
      throw new InputError(`document ${docId}: morph feature "${feature}" is not Field=Value`, { code: 'BAD_MORPH' });
    }
    return [parts[0]!, feature];
  });
  if (parsedFeatures.size >= 65_536) parsedFeatures.clear();
  parsedFeatures.set(morph, parsed);
  return parsed;
}
