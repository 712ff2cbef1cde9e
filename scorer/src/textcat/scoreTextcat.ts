import { plainSum, pythonSum } from '../summation/pythonSum.js';
import { precisionOf, prfScoresOf, recallOf, fscoreOf, type PrfCounts, type PrfScores } from '../prf/prfScore.js';
import type { TextcatOptions } from './textcatOptions.js';
import type { TextcatState } from './textcatState.js';

/** The record of `Scorer.score_cats(..., "cats")`, keys in its order. */
export interface TextcatScores {
  cats_score: number | null;
  cats_score_desc: string | null;
  cats_micro_p: number;
  cats_micro_r: number;
  cats_micro_f: number;
  cats_macro_p: number;
  cats_macro_r: number;
  cats_macro_f: number;
  cats_macro_auc: number;
  cats_f_per_type: Map<string, PrfScores>;
  cats_auc_per_type: Map<string, number | null>;
}

export function scoreTextcat(state: TextcatState, options: TextcatOptions): TextcatScores {
  const micro: PrfCounts = { tp: 0, fp: 0, fn: 0 };
  for (const counts of state.counts) {
    micro.tp += counts.tp;
    micro.fn += counts.fn;
    micro.fp += counts.fp;
  }
  const labelCount = options.labels.length + 1e-100;
  const macroP = pythonSum(state.counts.map(precisionOf), options.macroSummation) / labelCount;
  const macroR = pythonSum(state.counts.map(recallOf), options.macroSummation) / labelCount;
  const macroF = pythonSum(state.counts.map(fscoreOf), options.macroSummation) / labelCount;
  const aucs = state.auc.map((auc) => auc.score());
  // The per-label AUCs are numpy floats, which take CPython's generic (plain)
  // addition path whatever the Python version.
  const macroAuc = plainSum(aucs.map((auc) => auc ?? 0.0)) / labelCount;

  const scores: TextcatScores = {
    cats_score: null,
    cats_score_desc: null,
    cats_micro_p: precisionOf(micro),
    cats_micro_r: recallOf(micro),
    cats_micro_f: fscoreOf(micro),
    cats_macro_p: macroP,
    cats_macro_r: macroR,
    cats_macro_f: macroF,
    cats_macro_auc: macroAuc,
    // In label order, as the reference's dicts are.
    cats_f_per_type: new Map(options.labels.map((label, i) => [label, prfScoresOf(state.counts[i]!)])),
    cats_auc_per_type: new Map(options.labels.map((label, i) => [label, aucs[i]!])),
  };
  const positiveLabel = options.positiveLabel;
  if (options.labels.length === 2 && !options.multiLabel && positiveLabel) {
    scores.cats_score = scores.cats_f_per_type.get(positiveLabel)!.f;
    scores.cats_score_desc = `F (${positiveLabel})`;
  } else if (!options.multiLabel) {
    scores.cats_score = macroF;
    scores.cats_score_desc = 'macro F';
  } else {
    scores.cats_score = macroAuc;
    scores.cats_score_desc = 'macro AUC';
  }
  return scores;
}
