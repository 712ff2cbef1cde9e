import { InputError } from '../errors.js';
import { hasAnnotation } from '../docs/scoredDoc.js';
import { pyIsSpace } from '../docs/pythonText.js';
import { PrfMap, totalOf } from '../prf/prfMap.js';
import { fscoreOf, precisionOf, recallOf } from '../prf/prfScore.js';
import { scoreSet, tupleKey } from '../prf/scoreSet.js';
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
      const goldPerField = new Map<string, Set<string>>();
      const missing = new Set<number>();
      gold.tokens.forEach((token, i) => {
        if (token.morph === null || token.morph === EMPTY_MORPH) {
          missing.add(i);
          return;
        }
        for (const [field, feature] of features(token.morph, gold.id)) {
          state.get(FIELD + field);
          setFor(goldPerField, field).add(tupleKey(i, feature));
        }
      });
      const predictedPerField = new Map<string, Set<string>>();
      const x2y = example.alignment.x2y;
      predicted.tokens.forEach((token, i) => {
        if (pyIsSpace(token.text) || x2y[i]!.length !== 1) return;
        const goldIndex = x2y[i]![0]!;
        if (missing.has(goldIndex) || token.morph === null || token.morph === EMPTY_MORPH) return;
        for (const [field, feature] of features(token.morph, predicted.id)) {
          state.get(FIELD + field);
          setFor(predictedPerField, field).add(tupleKey(goldIndex, feature));
        }
      });
      const micro = state.get(MICRO);
      for (const key of state.counts.keys()) {
        if (!key.startsWith(FIELD)) continue;
        const field = key.slice(FIELD.length);
        const predictedSet = predictedPerField.get(field) ?? new Set<string>();
        const goldSet = goldPerField.get(field) ?? new Set<string>();
        scoreSet(micro, predictedSet, goldSet);
        scoreSet(state.get(key), predictedSet, goldSet);
      }
    },
    merge: (left, right) => left.addAll(right),
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

// "Case=Nom|Number=Sing" → [["Case", "Case=Nom"], ["Number", "Number=Sing"]]
function features(morph: string, docId: string): Array<[string, string]> {
  return morph.split('|').map((feature) => {
    const parts = feature.split('=');
    if (parts.length !== 2) {
      throw new InputError(`document ${docId}: morph feature "${feature}" is not Field=Value`, { code: 'BAD_MORPH' });
    }
    return [parts[0]!, feature];
  });
}

function setFor(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}
