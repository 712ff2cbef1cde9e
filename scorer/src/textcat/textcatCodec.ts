import {
  MacroSummation,
  type TextcatConfig,
  type TextcatState as TextcatStateMessage,
} from '@evalshard/proto';
import { InputError } from '../errors.js';
import { RocAucAccumulator } from './rocAucAccumulator.js';
import { validateTextcatOptions, type TextcatOptions } from './textcatOptions.js';
import type { TextcatState } from './textcatState.js';

export function encodeTextcatState(state: TextcatState): TextcatStateMessage {
  return {
    counts: state.counts.map(({ tp, fp, fn }) => ({ tp, fp, fn })),
    auc: state.auc.map((auc) => auc.toState()),
  };
}

export function decodeTextcatState(message: TextcatStateMessage, options: TextcatOptions): TextcatState {
  const labelCount = options.labels.length;
  if (message.counts.length !== labelCount || message.auc.length !== labelCount) {
    throw new InputError(
      `textcat state has ${message.counts.length} labels, the run's scorer has ${labelCount}`,
      { code: 'STATE_MISMATCH' },
    );
  }
  return {
    counts: message.counts.map(({ tp, fp, fn }) => ({ tp, fp, fn })),
    auc: message.auc.map((auc) => RocAucAccumulator.fromState(auc)),
  };
}

export function encodeTextcatOptions(options: TextcatOptions): TextcatConfig {
  return {
    labels: [...options.labels],
    multiLabel: options.multiLabel,
    threshold: options.threshold ?? undefined,
    positiveLabel: options.positiveLabel ?? '',
    macroSummation:
      options.macroSummation === 'plain' ? MacroSummation.MACRO_SUMMATION_PLAIN : MacroSummation.MACRO_SUMMATION_COMPENSATED,
  };
}

export function decodeTextcatOptions(config: TextcatConfig): TextcatOptions {
  return validateTextcatOptions({
    labels: [...config.labels],
    multiLabel: config.multiLabel,
    threshold: config.threshold ?? null,
    positiveLabel: config.positiveLabel === '' ? null : config.positiveLabel,
    macroSummation: config.macroSummation === MacroSummation.MACRO_SUMMATION_PLAIN ? 'plain' : 'compensated',
  });
}
