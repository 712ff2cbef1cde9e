import { InputError } from '../errors.js';
import type { ScoreFamily } from '../families/scoreFamily.js';
import { compareCodePoints } from '../json/orderedJson.js';
import { PrfMap } from '../prf/prfMap.js';
import { foldEncodedCounts } from '../prf/prfWire.js';
import { numpyPairwiseSum } from '../summation/numpyPairwiseSum.js';
import { conllChunkIds, countChunkIds } from './conllChunks.js';
import { TagIds } from './tagIds.js';
import { strictChunks, type TagScheme } from './strictChunks.js';

export interface SeqevalOptions {
  /** default: conlleval chunking; strict: well-formed entities of `scheme` only. */
  mode: 'default' | 'strict';
  scheme: TagScheme | null;
  /** The value of a score whose denominator is zero (seqeval's zero_division). */
  zeroDivision: 0 | 1;
}

/**
 * seqeval 1.2.2's classification report over the documents' tag sequences:
 * per type true positives, predicted and true counts (tp, fp = predicted −
 * tp, fn = true − tp). Sentences are scored apart, as seqeval joins them with
 * an O, so the counts add across documents and shards.
 */
export function seqevalFamily(options: SeqevalOptions): ScoreFamily<PrfMap> {
  if (options.mode === 'strict' && options.scheme === null) {
    throw new InputError('seqeval strict mode needs a scheme (IOB1, IOE1, IOB2, IOE2, IOBES or BILOU)', {
      field: 'seqeval.scheme',
      code: 'BAD_SCORER',
    });
  }
  // Per family: tags read once, scratch reused across sentences.
  const tags = new TagIds();
  const ids: number[] = [];
  const goldChunks: number[] = [];
  const predictedChunks: number[] = [];
  return {
    name: 'seqeval',
    init: () => new PrfMap(),
    annotates: (example) => example.gold.tagSequences !== null,
    update(state, example) {
      const gold = example.gold.tagSequences;
      if (gold === null) return;
      const id = example.gold.id;
      // A prediction without entity annotation predicts none.
      const predicted = example.predicted.tagSequences ?? gold.map((tags) => tags.map(() => 'O'));
      if (predicted.length !== gold.length) {
        throw new InputError(
          `document ${id}: seqeval needs as many predicted tag sequences as gold ones (${predicted.length} vs ${gold.length})`,
          { code: 'TAG_COUNT_MISMATCH' },
        );
      }
      for (let s = 0; s < gold.length; s++) {
        const goldTags = gold[s]!;
        const predictedTags = predicted[s]!;
        if (predictedTags.length !== goldTags.length) {
          throw new InputError(
            `document ${id}, sentence ${s + 1}: ${goldTags.length} gold tags but ${predictedTags.length} predicted`,
            { code: 'TAG_COUNT_MISMATCH' },
          );
        }
        const chunks = (sequence: string[], side: string, out: number[]): number[] => {
          out.length = 0;
          if (options.mode === 'strict') {
            for (const chunk of strictChunks(sequence, options.scheme!, () => `document ${id}, sentence ${s + 1} (${side})`)) {
              out.push(tags.typeId(chunk.type), chunk.start, chunk.end);
            }
            return out;
          }
          tags.bound();
          for (let i = 0; i < sequence.length; i++) ids[i] = tags.idOf(sequence[i]!);
          conllChunkIds(ids, sequence.length, tags, out);
          return out;
        };
        countChunkIds((type) => state.get(tags.typeNames[type]!), chunks(goldTags, 'gold', goldChunks), chunks(predictedTags, 'predicted', predictedChunks));
      }
    },
    merge: (left, right) => left.addAll(right),
    foldEncodedField: foldEncodedCounts,
    finalize: (state) => seqevalScores(state, options.zeroDivision),
    encode: (state) => ({ counts: state.toEntries() }),
    decode: (message) => PrfMap.fromEntries(message.counts),
  };
}

/** precision_recall_fscore_support with numpy's operation order, for each average. */
function seqevalScores(state: PrfMap, zeroDivision: 0 | 1): Record<string, unknown> {
  const types = [...state.counts.keys()].sort(compareCodePoints);
  const tp = types.map((type) => state.counts.get(type)!.tp);
  const predicted = types.map((type, i) => tp[i]! + state.counts.get(type)!.fp);
  const truth = types.map((type, i) => tp[i]! + state.counts.get(type)!.fn);
  const precision = divide(tp, predicted, zeroDivision);
  const recall = divide(tp, truth, zeroDivision);
  const f = fscores(precision, recall);
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const microP = divide([sum(tp)], [sum(predicted)], zeroDivision);
  const microR = divide([sum(tp)], [sum(truth)], zeroDivision);
  const support = sum(truth);
  const mean = (values: number[]) => numpyPairwiseSum(values) / values.length;
  let weighted: [number, number, number];
  if (support === 0) {
    const value = sum(predicted) === 0 ? zeroDivision : 0.0;
    weighted = [value, zeroDivision, value];
  } else {
    const weightTotal = numpyPairwiseSum(truth);
    const average = (values: number[]) => numpyPairwiseSum(values.map((value, i) => value * truth[i]!)) / weightTotal;
    weighted = [average(precision), average(recall), average(f)];
  }
  const perType = new Map(types.map((type, i) => [type, { p: precision[i], r: recall[i], f: f[i], support: truth[i] }]));
  return {
    seqeval_p: microP[0],
    seqeval_r: microR[0],
    seqeval_f: fscores(microP, microR)[0],
    seqeval_macro_p: mean(precision),
    seqeval_macro_r: mean(recall),
    seqeval_macro_f: mean(f),
    seqeval_weighted_p: weighted[0],
    seqeval_weighted_r: weighted[1],
    seqeval_weighted_f: weighted[2],
    seqeval_support: support,
    seqeval_per_type: perType,
  };
}

// _prf_divide: a zero denominator gives the zero_division value.
function divide(numerators: number[], denominators: number[], zeroDivision: number): number[] {
  return numerators.map((numerator, i) => (denominators[i] === 0 ? zeroDivision : numerator / denominators[i]!));
}

// f = (1 + β²)·p·r / (β²·p + r), β = 1, a zero denominator replaced by 1.
function fscores(precision: number[], recall: number[]): number[] {
  return precision.map((p, i) => {
    const r = recall[i]!;
    const denominator = 1 * p + r;
    return (2 * p * r) / (denominator === 0 ? 1 : denominator);
  });
}
