import { statSync } from 'node:fs';
import { pairDocs } from './corpus/pairDocs.js';
import { readDocs, type DocFormat } from './corpus/readDocs.js';
import { initMetricStates, updateMetricStates, type MetricStates } from './metricStates.js';
import type { ScorerOptions } from './scorerOptions.js';

/**
 * A gold and a predicted file scored document by document, in one pass, as
 * a worker scores a shard: the single process's reference, and what the
 * byte passes are held to.
 */
export async function documentPass(
  gold: string,
  predicted: string,
  format: DocFormat,
  options: ScorerOptions,
  onProgress?: (docs: number) => void,
): Promise<{ states: MetricStates; docs: number }> {
  const states = initMetricStates(options);
  let docs = 0;
  const golds = readDocs(gold, format, { start: 0, end: statSync(gold).size });
  const predictions = readDocs(predicted, format, { start: 0, end: statSync(predicted).size, role: 'predicted' });
  for await (const example of pairDocs(golds, predictions)) {
    updateMetricStates(states, example);
    docs += 1;
    if (docs % 1000 === 0) onProgress?.(docs);
  }
  return { states, docs };
}
