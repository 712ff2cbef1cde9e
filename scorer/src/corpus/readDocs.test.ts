import { readFileSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDocs, type DocFormat } from './readDocs.js';

const dataPath = (relative: string) => fileURLToPath(new URL(`../../../test/data/${relative}`, import.meta.url));
const UD = dataPath('ud-english-ewt/en_ewt-ud-dev.conllu');
const UNER = dataPath('uner-english-ewt/en_ewt-ud-dev.iob2');
const dir = mkdtempSync(join(tmpdir(), 'evalshard-docs-'));
// The same sentences without # newdoc: every sentence is a document.
const UD_SENTENCES = join(dir, 'sentences.conllu');
const head = readFileSync(UD, 'utf8').slice(0, 200_000);
writeFileSync(UD_SENTENCES, head.slice(0, head.lastIndexOf('\n\n') + 2).replace(/^# newdoc.*\n/gm, ''));

async function docsIn(path: string, format: DocFormat, start: number, end: number): Promise<string[]> {
  const out: string[] = [];
  for await (const { doc, origin } of readDocs(path, format, { start, end })) out.push(`${origin.byteOffset}:${doc.id}:${doc.tokens.length}`);
  return out;
}

describe('CoNLL-U and IOB documents over any split into byte ranges', () => {
  it.each([
    ['UD dev, # newdoc documents', UD, 'conllu'],
    ['UD sentences, no # newdoc', UD_SENTENCES, 'conllu'],
    ['UNER dev, # newdoc documents', UNER, 'iob'],
  ] as const)('%s: every document read exactly once', async (_name, path, format) => {
    const size = statSync(path).size;
    const whole = await docsIn(path, format, 0, size);
    expect(whole.length).toBeGreaterThan(100);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: size }), { maxLength: 6 }), async (rawCuts) => {
        const cuts = [...new Set([0, ...rawCuts, size])].sort((a, b) => a - b);
        const pieces: string[] = [];
        for (let i = 0; i + 1 < cuts.length; i++) pieces.push(...(await docsIn(path, format, cuts[i]!, cuts[i + 1]!)));
        expect(pieces).toEqual(whole);
      }),
      { numRuns: 15 },
    );
  });
});
