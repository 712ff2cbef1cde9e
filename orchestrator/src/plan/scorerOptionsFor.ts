import { InputError, validateTextcatOptions, type ScorerOptions } from '@evalshard/scorer';
import type { ResolvedSpec } from '../spec/resolvedSpec.js';

/**
 * The scoring semantics of a run: the spec's choices, with the model's label
 * order and problem type filling what the spec leaves out.
 */
export function scorerOptionsFor(
  spec: ResolvedSpec,
  model: { labels: string[]; problemType: string; classifierKind: string },
): ScorerOptions {
  if (model.classifierKind !== 'sequence') {
    throw new InputError(
      `${spec.model}/model.onnx: its logits are [batch, sequence, labels] (a token classifier); task ${spec.task} needs a text classifier`,
      { field: 'task', code: 'MODEL_MISMATCH' },
    );
  }
  const labels = spec.labels ?? model.labels;
  const unknown = labels.filter((label) => !model.labels.includes(label));
  if (unknown.length > 0) {
    throw new InputError(
      `labels ${unknown.map((l) => `"${l}"`).join(', ')} are not among the model's labels (${model.labels.join(', ')})`,
      { field: 'labels', code: 'BAD_SPEC' },
    );
  }
  return {
    textcat: validateTextcatOptions({
      labels,
      multiLabel: spec.scorer.multiLabel ?? model.problemType === 'multi_label_classification',
      threshold: spec.scorer.threshold,
      positiveLabel: spec.scorer.positiveLabel,
      macroSummation: spec.scorer.macroSummation,
    }),
  };
}
