import { PrfMap, totalOf } from '../prf/prfMap.js';
import { foldEncodedCounts } from '../prf/prfWire.js';
import { fscoreOf, precisionOf, recallOf } from '../prf/prfScore.js';
import { scoreSet, tupleKey } from '../prf/scoreSet.js';
import { pyIsSpace } from '../docs/pythonText.js';
import type { ScoreFamily } from './scoreFamily.js';

const ACC = 'acc';
const SPANS = 'spans';

/**
 * Scorer.score_tokenization: `token_acc` is the precision of "each predicted
 * token aligns to exactly one gold token"; `token_p/r/f` compare the
 * character spans of the non-whitespace tokens.
 */
export function tokenizationFamily(): ScoreFamily<PrfMap> {
  return {
    name: 'tokenization',
    init: () => new PrfMap(),
    annotates: (example) => !example.gold.hasUnknownSpaces,
    update(state, example) {
      const { gold, predicted } = example;
      if (gold.hasUnknownSpaces) return;
      const alignment = example.alignment;
      const goldSpans = new Set<string>();
      for (const token of gold.tokens) {
        if (!pyIsSpace(token.text)) goldSpans.add(tupleKey(token.idx, token.idx + token.length));
      }
      const predictedSpans = new Set<string>();
      const acc = state.get(ACC);
      predicted.tokens.forEach((token, i) => {
        if (pyIsSpace(token.text)) return;
        predictedSpans.add(tupleKey(token.idx, token.idx + token.length));
        if (alignment.x2y[i]!.length !== 1) acc.fp += 1;
        else acc.tp += 1;
      });
      scoreSet(state.get(SPANS), predictedSpans, goldSpans);
    },
    merge: (left, right) => left.addAll(right),
    foldEncodedField: foldEncodedCounts,
    finalize(state) {
      const acc = state.get(ACC);
      const spans = state.get(SPANS);
      if (totalOf(acc) === 0) return { token_acc: null, token_p: null, token_r: null, token_f: null };
      return { token_acc: precisionOf(acc), token_p: precisionOf(spans), token_r: recallOf(spans), token_f: fscoreOf(spans) };
    },
    encode: (state) => ({ counts: state.toEntries() }),
    decode: (message) => PrfMap.fromEntries(message.counts),
  };
}
