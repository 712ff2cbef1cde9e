import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { documentPass } from '../documentPass.js';
import type { ScorerOptions } from '../scorerOptions.js';
import { expectSameAsDocuments, jsonLines, nativePassFiles } from '../testing/nativePassCheck.js';
import { oracleFixturePaths } from '../testing/oracleFixtures.js';
import { nativeDocPass, nativeDocPassBinary } from './nativeDocPass.js';

// What a JSONL file can hold around its records, and what the native pass
// must leave to the document pass: it scores the first as the document pass
// does and gives null for the second.

const fixture = JSON.parse(readFileSync(oracleFixturePaths('docs-oracle.json')[0]!, 'utf8')) as {
  cases: Array<{ docs: Array<{ gold: string; pred: string }>; error?: string }>;
};
const pairs = fixture.cases.filter((c) => c.error === undefined).flatMap((c) => c.docs);
const golds = pairs.map((pair) => pair.gold);
const predictions = pairs.map((pair) => pair.pred);
const FAMILIES: ScorerOptions = { families: ['tokenization', 'sents', 'tag', 'pos', 'morph', 'morph_per_feat', 'deps', 'ents', 'lemma', 'spans:sc'] };
const writeFiles = nativePassFiles();

// The oracle's records name themselves ("id": "d0").
const withoutId = (record: string) => record.replace(/, "id": "[^"]*"/, '');

/** Both files with each record edited alike. */
const edited = (edit: (record: string, i: number) => string) => writeFiles(jsonLines(golds.map(edit)), jsonLines(predictions.map(edit)));

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('the native pass reads JSONL as the document pass does', () => {
  it('CRLF line ends, blank and whitespace-only lines, byte order marks on records, no final newline', async () => {
    const layout = (records: string[]) => records.map((record, i) => (i % 5 === 0 ? `\ufeff${record}` : record)).join('\r\n \t\r\n\n');
    await expectSameAsDocuments(writeFiles(layout(golds), layout(predictions)), FAMILIES);
  });

  it('keys it does not read (repeated, nested, of every type), escapes in keys and values, spaces between tokens', async () => {
    const files = edited((record) =>
      record
        .replace('{', '{ "extra" : {"a": [1, -2.5e3, true, false, null, {"b": "\\u00e9\\n\\"x\\""}]}, "x": 1, "x": [], \t')
        .replace('"text":', '"te\\u0078t":')
        .replaceAll('"label": "', '"label": "\\/\\u00c9')
        .replaceAll('}, {', '} ,\t{'),
    );
    await expectSameAsDocuments(files, FAMILIES);
  });

  it('ids: the same on both sides, or on one side only', async () => {
    const withId = (record: string, id: string) => withoutId(record).replace('{', `{"id": "${id}", `);
    await expectSameAsDocuments(edited((record, i) => withId(record, `doc ${i}`)), FAMILIES);
    await expectSameAsDocuments(writeFiles(jsonLines(golds.map((record, i) => withId(record, String(i)))), jsonLines(predictions.map(withoutId))), FAMILIES);
  });

  it('gold documents whose whitespace is unknown (has_unknown_spaces), and values of that key that are not true', async () => {
    const mark = (record: string, i: number) => record.replace('{', `{"has_unknown_spaces": ${['true', 'false', '"true"', '1', 'null', '{"a": true}'][i % 6]}, `);
    await expectSameAsDocuments(writeFiles(jsonLines(golds.map(mark)), jsonLines(predictions)), FAMILIES);
  });

  it('empty files, and files of blank lines', async () => {
    await expectSameAsDocuments(writeFiles('', ''), FAMILIES);
    await expectSameAsDocuments(writeFiles('\n \n\t\r\n', '\n'), FAMILIES);
  });

  it('reports progress on long files: documents and gold bytes, ascending', async () => {
    const record = '{"text": "a b", "tokens": [{"start": 0, "end": 1, "tag": "X"}, {"start": 2, "end": 3, "tag": "Y"}]}';
    const files = writeFiles(jsonLines(Array(45_000).fill(record)), jsonLines(Array(45_000).fill(record)));
    const seen: Array<[number, number]> = [];
    const native = await nativeDocPass(files.gold, files.predicted, { families: ['tag'] }, (docs, bytes) => seen.push([docs, bytes]));
    expect(native?.docs).toBe(45_000);
    expect(seen.map(([docs]) => docs)).toEqual([20_000, 40_000]);
    expect(seen[1]![1]).toBeGreaterThan(seen[0]![1]);
  });
});

describe('the native pass leaves to the document pass', () => {
  const refused: Array<[string, () => { gold: string; predicted: string }]> = [
    ['ids that differ', () => writeFiles(jsonLines(golds.map((r, i) => withoutId(r).replace('{', `{"id": "g${i}", `))), jsonLines(predictions.map((r, i) => withoutId(r).replace('{', `{"id": "p${i}", `))))],
    ['an id repeated', () => edited((record) => record.replace('{', '{"id": "x", '))],
    ['fewer predictions', () => writeFiles(jsonLines(golds), jsonLines(predictions.slice(1)))],
    ['more predictions', () => writeFiles(jsonLines(golds), jsonLines([...predictions, predictions[0]!]))],
    ['invalid JSON', () => writeFiles(jsonLines([...golds, '{"text": "a",}']), jsonLines([...predictions, '{"text": "a"}']))],
    ['a record that is not an object', () => writeFiles(jsonLines([...golds, '[1]']), jsonLines([...predictions, '[1]']))],
    ['a head written 1.0', () => edited((record) => record.replace(/"head": (\d+)/, '"head": $1.0'))],
    ['an index written with an exponent', () => edited((record) => record.replace(/"start": (\d+)/, '"start": $1e0'))],
    ['a repeated "text"', () => edited((record) => record.replace('{', '{"text": "", '))],
    ['a repeated token key', () => edited((record) => record.replace('"start": 0,', '"start": 0, "start": 0,'))],
    ['a category score of 1e999', () => edited((record) => record.replace('{', '{"cats": {"a": 1e999}, '))],
    ['a lone surrogate escaped', () => edited((record) => record.replace('"text": "', '"text": "\\ud800'))],
    ['bytes that are not UTF-8', () => writeFiles(Buffer.concat([Buffer.from(jsonLines(golds)), Buffer.from([0x7b, 0xff, 0x7d, 0x0a])]), Buffer.from(jsonLines([...predictions, '{}'])))],
    ['texts that differ beyond case and whitespace', () => writeFiles(jsonLines(['{"text": "ab", "tokens": [{"start": 0, "end": 2}]}']), jsonLines(['{"text": "ac", "tokens": [{"start": 0, "end": 2}]}']))],
    ['a part of speech that is not a universal tag', () => edited((record) => record.replace(/"pos": "[A-Z]+"/, '"pos": "NOUNS"'))],
    ['ents_missing over an entity', () => {
      const record = '{"text": "ab c", "tokens": [{"start": 0, "end": 2}, {"start": 3, "end": 4}], "ents": [{"start": 0, "end": 2, "label": "X"}], "ents_missing": [{"start": 0, "end": 2}]}';
      return writeFiles(jsonLines([...golds, record]), jsonLines([...predictions, record]));
    }],
    ['a morph feature that is not Field=Value', () => edited((record) => record.replace(/"morph": "[^"]+"/g, '"morph": "A=B=C"'))],
    ['a record over 16 MiB', () => writeFiles(jsonLines([...golds, `{"text": "${'a'.repeat(16 << 20)}"}`]), jsonLines([...predictions, '{"text": "a"}']))],
  ];
  it.each(refused)('%s', async (_name, files) => {
    const { gold, predicted } = files();
    expect(await nativeDocPass(gold, predicted, FAMILIES)).toBeNull();
  });

  it('records as long as readLineRecords refuses: a carriage return counts, a blank line counts', async () => {
    const limit = 16 << 20;
    const record = `{"text": "${'a'.repeat(limit - '{"text": ""}'.length)}"}`;
    expect(record.length).toBe(limit);
    const longRecords = [`${record}\r`, ' '.repeat(limit + 1)];
    for (const long of longRecords) {
      const files = writeFiles(`${jsonLines(golds)}${long}\n`, jsonLines(predictions));
      expect(await nativeDocPass(files.gold, files.predicted, FAMILIES)).toBeNull();
      await expect(documentPass(files.gold, files.predicted, 'jsonl', FAMILIES)).rejects.toThrow(/longer than maxRecordBytes/);
    }
    // At the limit, without the carriage return, both read it.
    await expectSameAsDocuments(writeFiles(jsonLines([...golds, record]), jsonLines([...predictions, '{"text": "a"}'])), { families: ['tag'] });
  });

  it('a file it cannot open', async () => {
    const { gold } = writeFiles(jsonLines(golds), '');
    expect(await nativeDocPass(gold, `${gold}.missing`, FAMILIES)).toBeNull();
    await expect(documentPass(gold, `${gold}.missing`, 'jsonl', FAMILIES)).rejects.toThrow(/no such file/);
  });

  it('families, options and bootstraps it does not have', async () => {
    const files = writeFiles(jsonLines(golds), jsonLines(predictions));
    expect(await nativeDocPass(files.gold, files.predicted, { families: ['seqeval'] })).toBeNull();
    expect(await nativeDocPass(files.gold, files.predicted, { ...FAMILIES, bootstrap: { replicates: 2, seed: 1, confidence: 0.95 } })).toBeNull();
  });

  it('everything, when EVALSHARD_DOCPASS=off', async () => {
    vi.stubEnv('EVALSHARD_DOCPASS', 'off');
    const files = writeFiles(jsonLines(golds), jsonLines(predictions));
    expect(nativeDocPassBinary()).toBeUndefined();
    expect(await nativeDocPass(files.gold, files.predicted, FAMILIES)).toBeNull();
  });

  it('everything, saying so, when the native pass fails', async () => {
    vi.stubEnv('EVALSHARD_DOCPASS', '/bin/false');
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const files = writeFiles(jsonLines(golds), jsonLines(predictions));
    expect(await nativeDocPass(files.gold, files.predicted, FAMILIES)).toBeNull();
    expect(String(write.mock.calls[0]?.[0])).toMatch(/native document pass failed \(exit 1\); scoring in JavaScript/);
  });

  it('everything, saying so, when the native pass cannot start', async () => {
    const files = writeFiles(jsonLines(golds), jsonLines(predictions));
    // A file that is there but not executable.
    vi.stubEnv('EVALSHARD_DOCPASS', files.gold);
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await nativeDocPass(files.gold, files.predicted, FAMILIES)).toBeNull();
    expect(String(write.mock.calls[0]?.[0])).toMatch(/native document pass failed \(did not start: .*EACCES/);
  });

  it('files with more distinct values than it keeps (its limit lowered here from about a million)', () => {
    const files = writeFiles(jsonLines(golds), jsonLines(predictions));
    const run = (limit: number) =>
      spawnSync(nativeDocPassBinary()!, [`--unicode=${process.versions.unicode}`, `--max-strings=${limit}`, files.gold, files.predicted, 'g', 'p', 'tag', 'lemma'], { encoding: 'utf8' });
    expect(run(10).status).toBe(3);
    expect(run(10).stdout).toMatch(/^irregular more than 10 distinct values/);
    expect(run(100_000).status).toBe(0);
  });

  it('files to lowercase with another Unicode version than the one it was built with', () => {
    const files = writeFiles(jsonLines(golds), jsonLines(predictions));
    const run = spawnSync(nativeDocPassBinary()!, ['--unicode=1.1', files.gold, files.predicted, 'g', 'p', 'tag'], { encoding: 'utf8' });
    expect(run.status).toBe(3);
    expect(run.stdout).toMatch(/^irregular built with Unicode [\d.]+'s lowercasing, asked for 1\.1/);
  });
});
