import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readLineRecords, type RawRecord } from './readLineRecords.js';

const dir = mkdtempSync(join(tmpdir(), 'evalshard-records-'));
let fileCounter = 0;

function writeTemp(content: Buffer): string {
  const path = join(dir, `corpus-${fileCounter++}.jsonl`);
  writeFileSync(path, content);
  return path;
}

async function collect(path: string, start: number, end: number, chunkBytes: number): Promise<RawRecord[]> {
  const records: RawRecord[] = [];
  for await (const record of readLineRecords(path, { start, end, chunkBytes })) records.push(record);
  return records;
}

// The records a plain split of the whole file gives.
function expectedRecords(content: Buffer): Array<{ offset: number; text: string }> {
  const records: Array<{ offset: number; text: string }> = [];
  let offset = 0;
  for (const line of content.toString('latin1').split('\n')) {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text.trim().length > 0) records.push({ offset, text });
    offset += line.length + 1;
  }
  return records;
}

const lineArbitrary = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'b', '{', '}', '"', ' ', '\t', 'é'), maxLength: 40 }),
  fc.constantFrom('', ' ', '\r'),
);

describe('readLineRecords', () => {
  it('reads every record exactly once across any split into byte ranges', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArbitrary, { maxLength: 40 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.integer({ min: 1, max: 64 }),
        async (lines, trailingNewline, rawCuts, chunkBytes) => {
          const content = Buffer.from(lines.join('\n') + (trailingNewline ? '\n' : ''), 'latin1');
          const path = writeTemp(content);
          const cuts = [...new Set([0, ...rawCuts.map((c) => c % (content.length + 1)), content.length])].sort(
            (a, b) => a - b,
          );
          const seen: Array<{ offset: number; text: string }> = [];
          for (let i = 0; i + 1 < cuts.length; i++) {
            for (const record of await collect(path, cuts[i]!, cuts[i + 1]!, chunkBytes)) {
              expect(record.offset).toBeGreaterThanOrEqual(cuts[i]!);
              expect(record.offset).toBeLessThan(cuts[i + 1]!);
              seen.push({ offset: record.offset, text: record.bytes.toString('latin1') });
            }
          }
          expect(seen).toEqual(expectedRecords(content));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names the file when it cannot be opened', async () => {
    await expect(collect(join(dir, 'missing.jsonl'), 0, 10, 16)).rejects.toThrow(/missing\.jsonl: no such file/);
  });

  it('refuses a record longer than the limit, naming its offset', async () => {
    const path = writeTemp(Buffer.from(`{"a":1}\n${'x'.repeat(100)}\n`));
    const read = async () => {
      for await (const _ of readLineRecords(path, { start: 0, end: 200, chunkBytes: 16, maxRecordBytes: 50 })) {
        // drain
      }
    };
    await expect(read()).rejects.toThrow(/byte 8: record longer than 50 bytes/);
  });
});
