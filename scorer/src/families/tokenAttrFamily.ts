import type { TokenAttribute } from '../docs/scoredDoc.js';
import { hasAnnotation } from '../docs/scoredDoc.js';
import { pyIsSpace } from '../docs/pythonText.js';
import { PrfMap, totalOf } from '../prf/prfMap.js';
import { fscoreOf } from '../prf/prfScore.js';
import { scoreSet, tupleKey } from '../prf/scoreSet.js';
import type { ScoreFamily } from './scoreFamily.js';

const COUNTS = '';

/**
 * Scorer.score_token_attr (`tag_acc`, `pos_acc`, `morph_acc`, `lemma_acc`):
 * the F-score of (gold index, value) pairs. Gold tokens without a value are
 * missing; predicted tokens count only when aligned one-to-one to a gold
 * token that is not missing.
 */
export function tokenAttrFamily(attribute: Exclude<TokenAttribute, 'dep'>): ScoreFamily<PrfMap> {
  return {
    name: attribute,
    init: () => new PrfMap(),
    annotates: (example) => example.gold.tokens.length > 0 && hasAnnotation(example.gold, attribute),
    update(state, example) {
      const { gold, predicted } = example;
      const goldPairs = new Set<string>();
      const missing = new Set<number>();
      gold.tokens.forEach((token, i) => {
        const value = token[attribute];
        if (value !== null) goldPairs.add(tupleKey(i, value));
        else missing.add(i);
      });
      const predictedPairs = new Set<string>();
      const x2y = example.alignment.x2y;
      predicted.tokens.forEach((token, i) => {
        if (pyIsSpace(token.text) || x2y[i]!.length !== 1) return;
        const goldIndex = x2y[i]![0]!;
        if (!missing.has(goldIndex)) predictedPairs.add(tupleKey(goldIndex, token[attribute]));
      });
      scoreSet(state.get(COUNTS), predictedPairs, goldPairs);
    },
    merge: (left, right) => left.addAll(right),
    finalize(state) {
      const counts = state.get(COUNTS);
      return { [`${attribute}_acc`]: totalOf(counts) === 0 ? null : fscoreOf(counts) };
    },
    encode: (state) => ({ counts: state.toEntries() }),
    decode: (message) => PrfMap.fromEntries(message.counts),
  };
}
