import type { CatsEntries } from '@evalshard/scorer';
import type { ProblemType } from '../bundle/modelBundle.js';

/**
 * Category scores of one document from its logits row, in id2label order:
 * softmax for exclusive classes, sigmoid for multi-label. Computed in float64
 * with a fixed operation order, so the same logits give the same scores on
 * every worker.
 */
export function categoryScores(logits: Float32Array, labels: readonly string[], problemType: ProblemType): CatsEntries {
  if (problemType === 'multi_label_classification') {
    return labels.map((label, i) => [label, 1 / (1 + Math.exp(-logits[i]!))] as const);
  }
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < labels.length; i++) max = Math.max(max, logits[i]!);
  const exps = new Float64Array(labels.length);
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    exps[i] = Math.exp(logits[i]! - max);
    total += exps[i]!;
  }
  return labels.map((label, i) => [label, exps[i]! / total] as const);
}
