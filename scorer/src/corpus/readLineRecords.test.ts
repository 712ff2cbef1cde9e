import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oversizedRecordError, readLineRecords, type RawRecord } from './readLineRecords.js';

const dir = mkdtempSync(join(tmpdir(), 'evalshard-records-'));
let fileCounter = 0;

function writeTemp(content: Buffer): string {
  const path = join(dir, `corpus-${fileCounter++}.jsonl`);
  writeFileSync(path, content);
  return path;
}

async function collect(path: string, start: number, end: number, chunkBytes: number, maxRecordBytes?: number): Promise<RawRecord[]> {
  const records: RawRecord[] = [];
  for await (const record of readLineRecords(path, { start, end, chunkBytes, maxRecordBytes })) records.push(record);
  return records;
}

interface Seen {
  offset: number;
  text: string;
  oversized?: number;
}

// The records a plain split of the whole file gives; a line longer than the limit is reported by its length.
function expectedRecords(content: Buffer, maxRecordBytes = Infinity): Seen[] {
  const records: Seen[] = [];
  let offset = 0;
  for (const line of content.toString('latin1').split('\n')) {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (line.length > maxRecordBytes) records.push({ offset, text: '', oversized: line.length });
    else if (text.trim().length > 0) records.push({ offset, text });
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
        fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
        async (lines, trailingNewline, rawCuts, chunkBytes, maxRecordBytes) => {
          const content = Buffer.from(lines.join('\n') + (trailingNewline ? '\n' : ''), 'latin1');
          const path = writeTemp(content);
          const cuts = [...new Set([0, ...rawCuts.map((c) => c % (content.length + 1)), content.length])].sort(
            (a, b) => a - b,
          );
          const seen: Seen[] = [];
          for (let i = 0; i + 1 < cuts.length; i++) {
            for (const record of await collect(path, cuts[i]!, cuts[i + 1]!, chunkBytes, maxRecordBytes)) {
              expect(record.offset).toBeGreaterThanOrEqual(cuts[i]!);
              expect(record.offset).toBeLessThan(cuts[i + 1]!);
              const text = record.bytes.toString('latin1');
              seen.push(record.oversizedBytes === undefined ? { offset: record.offset, text } : { offset: record.offset, text, oversized: record.oversizedBytes });
            }
          }
          expect(seen).toEqual(expectedRecords(content, maxRecordBytes));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names the file when it cannot be opened', async () => {
    await expect(collect(join(dir, 'missing.jsonl'), 0, 10, 16)).rejects.toThrow(/missing\.jsonl: no such file/);
  });

  it('reads past a record longer than the limit without holding it, and goes on with the next', async () => {
    const path = writeTemp(Buffer.from(`{"a":1}\n${'x'.repeat(100)}\n{"b":2}\n`));
    const records = await collect(path, 0, 200, 16, 50);
    expect(records.map((record) => [record.offset, record.bytes.toString(), record.oversizedBytes])).toEqual([
      [0, '{"a":1}', undefined],
      [8, '', 100],
      [109, '{"b":2}', undefined],
    ]);
    expect(oversizedRecordError(path, records[1]!, 50).message).toBe(
      `${path}: byte 8: record of 100 bytes is longer than maxRecordBytes (50); raise maxRecordBytes in the spec, or skip such records with onBadRecord: skip`,
    );
  });

  it('reads a long last record whole from a range much shorter than it, with the default buffer', async () => {
    // A short range gets a buffer its own size: its last record may run on far past it.
    const long = `{"text": "${'é'.repeat(60_000)}"}`;
    const content = Buffer.from(`{"a": 1}\n${long}\n{"b": 2}\n`);
    const path = writeTemp(content);
    const records: RawRecord[] = [];
    for await (const record of readLineRecords(path, { start: 0, end: 12 })) records.push(record);
    expect(records.map((record) => [record.offset, record.bytes.toString()])).toEqual([
      [0, '{"a": 1}'],
      [9, long],
    ]);
    const rest: RawRecord[] = [];
    for await (const record of readLineRecords(path, { start: 12, end: content.length })) rest.push(record);
    expect(rest.map((record) => record.bytes.toString())).toEqual(['{"b": 2}']);
  });
});
