import { InputError } from '../errors.js';
import { ScoringExample } from '../families/scoringExample.js';
import type { LocatedDoc } from './readDocs.js';

/**
 * Gold and predicted documents paired by position. When both carry ids they
 * must agree; a count mismatch, an id mismatch or texts that cannot be
 * aligned name the document, its file and byte offset.
 */
export async function* pairDocs(
  gold: AsyncIterable<LocatedDoc>,
  predicted: AsyncIterable<LocatedDoc>,
): AsyncGenerator<ScoringExample> {
  const predictions = predicted[Symbol.asyncIterator]();
  // Closed however the pairing ends, so a reader that stopped early lets go of its file.
  try {
    for await (const g of gold) {
      const next = await predictions.next();
      if (next.done) {
        throw new InputError(
          `${g.origin.file}: byte ${g.origin.byteOffset}: gold document ${g.doc.id} has no prediction (the predictions end early)`,
          { file: g.origin.file, byteOffset: g.origin.byteOffset, code: 'COUNT_MISMATCH' },
        );
      }
      const p = next.value;
      if (hasOwnId(g) && hasOwnId(p) && g.doc.id !== p.doc.id) {
        throw new InputError(
          `${p.origin.file}: byte ${p.origin.byteOffset}: predicted document ${p.doc.id} stands where gold document ` +
            `${g.doc.id} (${g.origin.file}: byte ${g.origin.byteOffset}) expects its prediction`,
          { file: p.origin.file, byteOffset: p.origin.byteOffset, code: 'ID_MISMATCH' },
        );
      }
      const example = new ScoringExample(g.doc, p.doc, { gold: g.origin, predicted: p.origin });
      try {
        void example.alignment;
      } catch (error) {
        throw new InputError(
          `${g.origin.file}: byte ${g.origin.byteOffset} and ${p.origin.file}: byte ${p.origin.byteOffset}: ` +
            `${(error as Error).message}`,
          { file: g.origin.file, byteOffset: g.origin.byteOffset, code: 'TEXT_MISMATCH' },
        );
      }
      yield example;
    }
    const extra = await predictions.next();
    if (!extra.done) {
      const p = extra.value;
      throw new InputError(
        `${p.origin.file}: byte ${p.origin.byteOffset}: predicted document ${p.doc.id} has no gold document (the gold ends early)`,
        { file: p.origin.file, byteOffset: p.origin.byteOffset, code: 'COUNT_MISMATCH' },
      );
    }
  } finally {
    await predictions.return?.();
  }
}

function hasOwnId(located: LocatedDoc): boolean {
  return located.doc.id !== located.origin.fallbackId;
}
