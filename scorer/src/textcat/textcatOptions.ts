import { InputError } from '../errors.js';
import type { PythonSummation } from '../summation/pythonSum.js';

/** spaCy's `Scorer.score_cats` options, in its meaning. */
export interface TextcatOptions {
  /** The component's label order: argmax ties and macro sums follow it. */
  labels: readonly string[];
  multiLabel: boolean;
  /** null: the reference default (0.5 multi-label; exclusive always uses 0.0). */
  threshold: number | null;
  /** Reported as `cats_score` for an exclusive two-label task. */
  positiveLabel: string | null;
  /** The Python version whose `sum()` the macro scores reproduce. */
  macroSummation: PythonSummation;
}

export function validateTextcatOptions(options: TextcatOptions, fieldPrefix = 'scorer'): TextcatOptions {
  if (options.labels.length === 0) {
    throw new InputError('text classification needs at least one label', { field: `${fieldPrefix}.labels` });
  }
  const seen = new Set<string>();
  for (const label of options.labels) {
    if (seen.has(label)) {
      throw new InputError(`label "${label}" is listed twice`, { field: `${fieldPrefix}.labels` });
    }
    seen.add(label);
  }
  if (options.positiveLabel !== null && options.positiveLabel !== '' && !seen.has(options.positiveLabel)) {
    throw new InputError(
      `positive label "${options.positiveLabel}" is not one of the labels (${options.labels.join(', ')})`,
      { field: `${fieldPrefix}.positiveLabel` },
    );
  }
  if (options.threshold !== null && !Number.isFinite(options.threshold)) {
    throw new InputError('threshold must be a finite number', { field: `${fieldPrefix}.threshold` });
  }
  return options;
}

/** The threshold spaCy actually applies. */
export function effectiveThreshold(options: TextcatOptions): number {
  if (!options.multiLabel) return 0.0;
  return options.threshold ?? 0.5;
}
