import { ByteLines, type FillResult } from '../corpus/byteLines.js';
import { initMetricStates, type MetricStates } from '../metricStates.js';
import type { PrfMap } from '../prf/prfMap.js';
import type { ScorerOptions } from '../scorerOptions.js';
import { IobScan } from './iobScan.js';
import { TagIds } from './tagIds.js';

export interface IobSeqevalPass {
  states: MetricStates;
  docs: number;
  /** The files' sha256 (hex), taken as they were read. */
  digests: { gold: string; predicted: string };
}

/**
 * seqeval (default mode, the only family, no bootstrap) over a gold and a
 * predicted IOB file, on their bytes (iobScan.wat): tags become ids by
 * their bytes, words are compared byte for byte, no line becomes a string.
 *
 * It takes the plain case only: both files valid UTF-8 and alike line for
 * line but for their tags — blank lines where blank lines are, the same
 * comments, the same words — every non-blank line holding a tab and not
 * opening with a byte order mark, every tag valid. Anywhere else it
 * gives null and the caller's document pass scores the files, or says what
 * is wrong and where; on the plain case both give the same states.
 */
export async function iobSeqevalPass(
  goldPath: string,
  predictedPath: string,
  options: ScorerOptions,
  onProgress?: (docs: number, bytes: number) => void,
): Promise<IobSeqevalPass | null> {
  const states = initMetricStates(options);
  const slot = states.slots[0];
  if (states.slots.length !== 1 || slot?.family.name !== 'seqeval' || states.replicates.length > 0) return null;
  if ((options.seqeval?.mode ?? 'default') !== 'default') return null;
  const gold = await ByteLines.open(goldPath);
  const predicted = await ByteLines.open(predictedPath);
  try {
    if (gold === undefined || predicted === undefined) return null;
    const tags = new TagIds();
    const scan = new IobScan(tags);
    for (;;) {
      if (gold.position >= gold.complete && !readable(await gold.fill())) return null;
      if (predicted.position >= predicted.complete && !readable(await predicted.fill())) return null;
      const goldEnded = gold.position >= gold.complete;
      const predictedEnded = predicted.position >= predicted.complete;
      if (goldEnded || predictedEnded) {
        if (goldEnded !== predictedEnded) return null;
        break;
      }
      if (!scan.scan(gold, predicted)) return null;
      onProgress?.(scan.docs(), gold.offset + gold.position);
    }
    const docs = scan.finish();
    const state = slot.state as PrfMap;
    for (const { type, fn, fp, tp } of scan.counts()) state.counts.set(tags.typeNames[type]!, { tp, fp, fn });
    slot.annotatedDocs = docs;
    return { states, docs, digests: { gold: gold.sha256(), predicted: predicted.sha256() } };
  } finally {
    await Promise.all([gold?.close(), predicted?.close()]);
  }
}

const readable = (result: FillResult) => result === 'lines' || result === 'end';
