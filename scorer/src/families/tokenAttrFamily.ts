import type { TokenAttribute } from '../docs/scoredDoc.js';
import { hasAnnotation } from '../docs/scoredDoc.js';
import { pyIsSpace } from '../docs/pythonText.js';
import { PrfMap, totalOf } from '../prf/prfMap.js';
import { foldEncodedCounts } from '../prf/prfWire.js';
import { fscoreOf } from '../prf/prfScore.js';
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
      const goldTokens = example.gold.tokens;
      let goldCount = 0;
      for (const token of goldTokens) if (token[attribute] !== null) goldCount++;
      // The reference's set of (gold index, value) pairs, counted without building it: predicted
      // tokens aligned to one gold token come in gold order, so a repeated pair is within a run.
      const x2y = example.alignment.x2y;
      const predictedTokens = example.predicted.tokens;
      const runValues: Array<string | null> = [];
      let runIndex = -1;
      let predictedCount = 0;
      let tp = 0;
      for (let i = 0; i < predictedTokens.length; i++) {
        const aligned = x2y[i]!;
        if (aligned.length !== 1) continue;
        const token = predictedTokens[i]!;
        const goldIndex = aligned[0]!;
        const goldValue = goldTokens[goldIndex]![attribute];
        if (goldValue === null || pyIsSpace(token.text)) continue;
        if (goldIndex !== runIndex) {
          if (goldIndex < runIndex) throw new Error('token alignment out of order');
          runIndex = goldIndex;
          runValues.length = 0;
        }
        const value = token[attribute];
        if (runValues.includes(value)) continue;
        runValues.push(value);
        predictedCount++;
        if (value === goldValue) tp++;
      }
      const counts = state.get(COUNTS);
      counts.tp += tp;
      counts.fp += predictedCount - tp;
      counts.fn += goldCount - tp;
    },
    merge: (left, right) => left.addAll(right),
    foldEncodedField: foldEncodedCounts,
    finalize(state) {
      const counts = state.get(COUNTS);
      return { [`${attribute}_acc`]: totalOf(counts) === 0 ? null : fscoreOf(counts) };
    },
    encode: (state) => ({ counts: state.toEntries() }),
    decode: (message) => PrfMap.fromEntries(message.counts),
  };
}
