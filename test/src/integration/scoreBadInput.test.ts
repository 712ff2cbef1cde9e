import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/corpora.js';
import { CLI, repoPath } from '../helpers/paths.js';

const run = promisify(execFile);
const UNER_DEV = repoPath('test/data/uner-english-ewt/en_ewt-ud-dev.iob2');
const UD_DEV = repoPath('test/data/ud-english-ewt/en_ewt-ud-dev.conllu');
let dir: string;

beforeAll(() => {
  dir = scratchDir();
});

async function score(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, [CLI, 'score', ...args], { timeout: 120_000 });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

const errorLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('error:'));

describe('evalshard score names what is wrong with its input', () => {
  it('an unknown tag scheme', async () => {
    const result = await score(['--gold', UNER_DEV, '--pred', UNER_DEV, '--seqeval-mode', 'strict', '--scheme', 'IOB3']);
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)).toEqual([
      'error: unknown tag scheme "IOB3"; known: IOB1, IOE1, IOB2, IOE2, IOBES, BILOU',
    ]);
  });

  it('a tag the strict scheme does not allow, with document and sentence', async () => {
    const predicted = join(dir, 'bilou.iob2');
    writeFileSync(predicted, readFileSync(UNER_DEV, 'utf8').replace('\tB-LOC\t', '\tU-LOC\t'));
    const result = await score(['--gold', UNER_DEV, '--pred', predicted, '--seqeval-mode', 'strict', '--scheme', 'IOB2']);
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)[0]).toMatch(
      /^error: .*en_ewt-ud-dev\.iob2: line 1 \(byte 0\) and .*bilou\.iob2: line 1 \(byte 0\): seqeval: document answers-20070404104007AAY1Chs_ans, sentence 1 \(predicted\): invalid tag "U-LOC" for scheme IOB2/,
    );
  });

  it('a gold/prediction count mismatch, naming the document', async () => {
    const gold = readFileSync(UD_DEV, 'utf8');
    const cut = gold.lastIndexOf('# newdoc');
    const predicted = join(dir, 'short.conllu');
    writeFileSync(predicted, gold.slice(0, cut));
    const result = await score(['--gold', UD_DEV, '--pred', predicted]);
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)[0]).toMatch(
      new RegExp(`^error: ${UD_DEV.replace(/[.]/g, '\\.')}: byte ${Buffer.byteLength(gold.slice(0, cut))}: gold document \\S+ has no prediction`),
    );
  });

  it('a text mismatch between gold and predicted documents, naming both files and the document', async () => {
    const predicted = join(dir, 'changed.conllu');
    writeFileSync(predicted, readFileSync(UD_DEV, 'utf8').replace('\tstory\tstory\t', '\tstore\tstory\t'));
    const result = await score(['--gold', UD_DEV, '--pred', predicted]);
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)[0]).toMatch(
      /^error: .*en_ewt-ud-dev\.conllu: byte 0 and .*changed\.conllu: byte 0: document weblog-blogspot\.com_nominations_20041117172713_ENG_20041117_172713: the gold and predicted documents have different texts/,
    );
  });

  it('malformed CoNLL-U, naming file, line and document', async () => {
    const lines = readFileSync(UD_DEV, 'utf8').split('\n');
    lines[6] = lines[6]!.split('\t').slice(0, 9).join('\t');
    const predicted = join(dir, 'malformed.conllu');
    writeFileSync(predicted, lines.join('\n'));
    const result = await score(['--gold', UD_DEV, '--pred', predicted]);
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)).toEqual([
      `error: ${predicted}: line 7 (byte ${Buffer.byteLength(lines.slice(0, 6).join('\n')) + 1}): document weblog-blogspot.com_nominations_20041117172713_ENG_20041117_172713: expected 10 tab-separated fields, found 9`,
    ]);
  });
});
