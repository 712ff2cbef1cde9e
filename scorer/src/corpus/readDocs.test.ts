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

describe('a range that starts inside a character', () => {
  it.each([
    ['UD sentences', UD_SENTENCES, 'conllu'],
    ['UNER dev', UNER, 'iob'],
  ] as const)('%s: split inside every multibyte character of a stretch, still read once each', async (_name, path, format) => {
    const bytes = readFileSync(path);
    const whole = await docsIn(path, format, 0, bytes.length);
    // Continuation bytes of UTF-8 sequences: a cut there leaves the range's first line undecodable.
    const inside = [...bytes.keys()].filter((i) => (bytes[i]! & 0xc0) === 0x80).slice(0, 40);
    expect(inside.length).toBeGreaterThan(0);
    for (const cut of inside) {
      const pieces = [...(await docsIn(path, format, 0, cut)), ...(await docsIn(path, format, cut, bytes.length))];
      expect(pieces, `cut at byte ${cut}`).toEqual(whole);
    }
  });
});

describe('# newdoc grouping', () => {
  it('is read from the whole first block, however long', async () => {
    // A first sentence of about 40 KB whose # newdoc comes after its first 16 KB, then sentences of two documents.
    const words = Array.from({ length: 2_000 }, (_, i) => `${i + 1}\tword${i}\tO`).join('\n');
    const text = `# sent_id = s1\n${words}\n# newdoc id = d1\n\n1\ta\tB-PER\n\n# newdoc id = d2\n1\tb\tO\n\n1\tc\tO\n`;
    const path = join(dir, 'long-first-block.iob2');
    writeFileSync(path, text);
    const ids = (await docsIn(path, 'iob', 0, statSync(path).size)).map((doc) => doc.split(':')[1]);
    expect(ids).toEqual(['d1', 'd2']);
  });
});
