import { InputError } from '../errors.js';
import { effectiveThreshold, type TextcatOptions } from './textcatOptions.js';
import type { TextcatState } from './textcatState.js';

/** A document's categories in the order the document lists them. */
export type CatsEntries = ReadonlyArray<readonly [label: string, value: number]>;

/**
 * One example of `Scorer.score_cats`. `labelIndex` maps each configured label
 * to its position; entries for other labels are ignored, as the reference
 * filters them out.
 */
export function updateTextcat(
  state: TextcatState,
  options: TextcatOptions,
  labelIndex: ReadonlyMap<string, number>,
  gold: CatsEntries,
  predicted: CatsEntries,
): void {
  const goldCats = filterToLabels(gold, labelIndex);
  const predictedCats = filterToLabels(predicted, labelIndex);

  options.labels.forEach((label, i) => {
    const predictedScore = predictedCats.get(label) ?? 0.0;
    let goldScore = goldCats.get(label);
    // Exclusive classes: a missing or zero gold value is a negative.
    if (!goldScore && !options.multiLabel) goldScore = 0.0;
    if (goldScore !== undefined) state.auc[i]!.add(predictedScore, goldScore);
  });

  if (options.multiLabel) {
    const threshold = effectiveThreshold(options);
    options.labels.forEach((label, i) => {
      const goldScore = goldCats.get(label);
      if (goldScore === undefined) return;
      const predictedScore = predictedCats.get(label) ?? 0.0;
      const counts = state.counts[i]!;
      if (predictedScore >= threshold && goldScore > 0) counts.tp += 1;
      else if (predictedScore >= threshold && goldScore === 0) counts.fp += 1;
      else if (predictedScore < threshold && goldScore > 0) counts.fn += 1;
    });
    return;
  }

  if (predictedCats.size > 0 && goldCats.size > 0) {
    const predictedLabel = firstArgmax(predictedCats);
    const goldLabel = firstArgmax(goldCats);
    if (predictedLabel === goldLabel) {
      state.counts[labelIndex.get(predictedLabel)!]!.tp += 1;
    } else {
      state.counts[labelIndex.get(goldLabel)!]!.fn += 1;
      state.counts[labelIndex.get(predictedLabel)!]!.fp += 1;
    }
  } else if (goldCats.size > 0) {
    // spaCy 3.8 iterates the gold dict's keys here instead of its items and
    // raises; no number exists to reproduce.
    throw new InputError(
      'a document has gold categories but no predicted ones; spaCy 3.8 raises on this case too',
      { code: 'TEXTCAT_NO_PREDICTION' },
    );
  } else if (predictedCats.size > 0) {
    state.counts[labelIndex.get(firstArgmax(predictedCats))!]!.fp += 1;
  }
}

export function labelIndexOf(options: TextcatOptions): ReadonlyMap<string, number> {
  return new Map(options.labels.map((label, i) => [label, i]));
}

// The dict comprehension of the reference: document order, later duplicates
// overwrite the value but keep the first position.
function filterToLabels(entries: CatsEntries, labelIndex: ReadonlyMap<string, number>): Map<string, number> {
  const filtered = new Map<string, number>();
  for (const [label, value] of entries) {
    if (labelIndex.has(label)) filtered.set(label, value);
  }
  return filtered;
}

// Python's max(): the first of equal maxima wins.
function firstArgmax(cats: ReadonlyMap<string, number>): string {
  let bestLabel = '';
  let bestValue = Number.NEGATIVE_INFINITY;
  let first = true;
  for (const [label, value] of cats) {
    if (first || value > bestValue) {
      bestLabel = label;
      bestValue = value;
      first = false;
    }
  }
  return bestLabel;
}
