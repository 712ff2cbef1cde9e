import { readDocs, type DocFormat, type LocatedDoc } from '@evalshard/scorer';
import { stat } from 'node:fs/promises';

export interface GoldSurvey {
  docs: number;
  /** Span group keys in order of first appearance. */
  spanKeys: string[];
  /** Category labels in order of first appearance. */
  catLabels: string[];
  /** The documents carry entity tags as written (IOB files): seqeval applies. */
  tagged: boolean;
}

/**
 * What the gold annotates, read once before scoring: which span groups exist
 * and which category labels, so the default families and the label order are
 * known before any shard runs.
 */
export async function surveyGold(
  path: string,
  format: DocFormat,
  onDocument?: (located: LocatedDoc) => void,
): Promise<GoldSurvey> {
  const { size } = await stat(path);
  const spanKeys = new Set<string>();
  const catLabels: string[] = [];
  const seenLabels = new Set<string>();
  let docs = 0;
  for await (const located of readDocs(path, format, { start: 0, end: size })) {
    const { doc } = located;
    onDocument?.(located);
    docs += 1;
    for (const key of doc.spans.keys()) spanKeys.add(key);
    for (const [label] of doc.cats) {
      if (!seenLabels.has(label)) {
        seenLabels.add(label);
        catLabels.push(label);
      }
    }
  }
  return { docs, spanKeys: [...spanKeys], catLabels, tagged: format === 'iob' };
}
