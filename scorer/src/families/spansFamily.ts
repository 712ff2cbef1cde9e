import type { ScoredDoc, TokenSpan } from '../docs/scoredDoc.js';
import { hasAnnotation, sentencesOf, spanText } from '../docs/scoredDoc.js';
import { pyStrip } from '../docs/pythonText.js';
import { PrfMap, totalOf } from '../prf/prfMap.js';
import { foldEncodedCounts } from '../prf/prfWire.js';
import { emptyPrfCounts, fscoreOf, precisionOf, recallOf, type PrfCounts } from '../prf/prfScore.js';
import { scoreSet, tupleKey } from '../prf/scoreSet.js';
import type { ScoreFamily } from './scoreFamily.js';
import type { ScoringExample } from './scoringExample.js';

const TOTAL = '\u0000total';
const TYPE = 'type:';

export interface SpansFamilyOptions {
  /** Name in reports: `spans_<key>` or `sents`. */
  attr: string;
  getter: (doc: ScoredDoc) => TokenSpan[];
  hasAnnotation: (doc: ScoredDoc) => boolean;
  allowOverlap: boolean;
  /** Report `<attr>_per_type` (spancat does; sentences drop it). */
  perType: boolean;
}

/**
 * Scorer.score_spans: gold spans as (label, start, end - 1) in gold tokens;
 * predicted spans mapped onto gold tokens and kept only when their texts
 * match; labels are registered per document from gold and prediction.
 */
export function spansFamily(options: SpansFamilyOptions): ScoreFamily<PrfMap> {
  const name = options.attr === 'sents' ? 'sents' : `spans:${options.attr.slice('spans_'.length)}`;
  return {
    name,
    init: () => new PrfMap(),
    annotates: (example) => options.hasAnnotation(example.gold),
    update(state, example) {
      const { gold, predicted } = example;
      if (!options.hasAnnotation(gold)) return;
      const predictedAnnotated = options.hasAnnotation(predicted);
      const goldSpans = options.getter(gold);
      const predictedSpans = predictedAnnotated ? options.getter(predicted) : [];
      const labels = new Set<string>(goldSpans.map((span) => span.label));
      for (const span of predictedSpans) labels.add(span.label);
      for (const label of labels) state.get(TYPE + label);

      const goldKeys = new Set<string>();
      const goldPerType = new Map<string, Set<string>>([...labels].map((label) => [label, new Set<string>()]));
      for (const span of goldSpans) {
        const key = tupleKey(span.label, span.start, span.end - 1);
        goldKeys.add(key);
        goldPerType.get(span.label)!.add(key);
      }
      const predictedKeys = new Set<string>();
      const predictedPerType = new Map<string, Set<string>>([...labels].map((label) => [label, new Set<string>()]));
      if (predictedAnnotated) {
        for (const span of alignedSpans(example, predictedSpans, options.allowOverlap)) {
          const key = tupleKey(span.label, span.start, span.end - 1);
          predictedKeys.add(key);
          predictedPerType.get(span.label)!.add(key);
        }
      }
      for (const label of labels) {
        scoreSet(state.get(TYPE + label), predictedPerType.get(label)!, goldPerType.get(label)!);
      }
      scoreSet(state.get(TOTAL), predictedKeys, goldKeys);
    },
    merge: (left, right) => left.addAll(right),
    foldEncodedField: foldEncodedCounts,
    finalize(state) {
      const total: PrfCounts = state.counts.get(TOTAL) ?? emptyPrfCounts();
      const record: Record<string, unknown> = {
        [`${options.attr}_p`]: null,
        [`${options.attr}_r`]: null,
        [`${options.attr}_f`]: null,
      };
      if (options.perType) record[`${options.attr}_per_type`] = null;
      if (totalOf(total) > 0) {
        record[`${options.attr}_p`] = precisionOf(total);
        record[`${options.attr}_r`] = recallOf(total);
        record[`${options.attr}_f`] = fscoreOf(total);
        if (options.perType) {
          record[`${options.attr}_per_type`] = state.labelScores(TYPE);
        }
      }
      return record;
    },
    encode: (state) => ({ counts: state.toEntries() }),
    decode: (message) => PrfMap.fromEntries(message.counts),
  };
}

export function spanGroupFamily(key: string, allowOverlap: boolean): ScoreFamily<PrfMap> {
  return spansFamily({
    attr: `spans_${key}`,
    getter: (doc) => doc.spans.get(key) ?? [],
    hasAnnotation: (doc) => doc.spans.has(key),
    allowOverlap,
    perType: true,
  });
}

export function sentsFamily(): ScoreFamily<PrfMap> {
  return spansFamily({
    attr: 'sents',
    getter: sentencesOf,
    hasAnnotation: (doc) => hasAnnotation(doc, 'SENT_START'),
    allowOverlap: false,
    perType: false,
  });
}

/**
 * Example.get_aligned_spans_x2y: each predicted span onto the gold tokens its
 * tokens align to; kept when the two texts agree once lowercased, stripped
 * and rid of spaces; without overlap, gold tokens already used are skipped.
 */
function alignedSpans(example: ScoringExample, spans: TokenSpan[], allowOverlap: boolean): TokenSpan[] {
  const seen = new Set<number>();
  const output: TokenSpan[] = [];
  const alignment = example.alignment;
  for (const span of spans) {
    let indices = alignment.x2yRange(span.start, span.end);
    if (!allowOverlap) indices = indices.filter((index) => !seen.has(index));
    if (indices.length === 0) continue;
    const aligned = { start: indices[0]!, end: indices[indices.length - 1]! + 1, label: span.label };
    const target = normalizedText(spanText(example.predicted, span));
    if (normalizedText(spanText(example.gold, aligned)) === target) {
      output.push(aligned);
      for (const index of indices) seen.add(index);
    }
  }
  return output;
}

function normalizedText(text: string): string {
  return pyStrip(text.toLowerCase()).replaceAll(' ', '');
}
