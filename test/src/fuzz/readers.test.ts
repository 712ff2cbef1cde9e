import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  DEFAULT_MAX_RECORD_BYTES,
  finalizeMetricStates,
  foldTextcat,
  initMetricStates,
  InputError,
  labelIndexOf,
  oversizedRecordError,
  pairDocs,
  parseTextcatRecord,
  readDocs,
  readLineRecords,
  updateMetricStates,
  updateTextcat,
  type DocFormat,
  type ScorerOptions,
} from '@evalshard/scorer';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/corpora.js';
import { DEMO_CORPUS, repoPath } from '../helpers/paths.js';
import { applyMutations, fuzzCases, fuzzSeed, mutations } from './mutations.js';

// Every reader, fed damaged copies of real inputs, must read them, or stop
// with an InputError that says which file and byte: never another exception,
// a hang, or memory that grows with the damage. Gold and prediction are the
// same damaged file half of the time (every score family then sees the
// damage), and a damaged prediction of an intact gold the other half.

const CASES = fuzzCases(10_000);
const MAX_RECORD_BYTES = 64 << 10;
const dir = scratchDir('evalshard-fuzz-');

const JSON_SNIPPETS = [
  '"head": 1000000', '"head": -3', '"head": 1.5', '"start": -1', '"end": 99999', '"id": null', '"tokens": []', '"tokens": {}',
  '1e999', '-0', 'NaN', 'null', '[]', '{}', '"\\ud800"', '"\\u0000"', '[[[[[[[[[[[[[[[[[[[[[[[[', '{"a":{"a":{"a":{"a":',
  '"ents": [{"start": 0, "end": 500, "label": "X"}]', '"sents": [{"start": 5, "end": 2}]', '"morph": "A|B=C=D"',
  '"spans": {"10": [{"start": 3, "end": 1, "label": "Y"}]}', '"cats": {"1": 2, "0": -1}', '"ents_missing": [{"start": 0, "end": 0}]',
  '"dep": ""', '"tag": 5', '"text": ""', '"__proto__": {}', '"constructor": 1',
];
const TEXTCAT_SNIPPETS = ['"cats": {}', '"cats": {"ham": "1"}', '"cats": {"spam": 1e999}', '"text": 5', '"text": null', '"id": {}', ...JSON_SNIPPETS];
const CONLLU_SNIPPETS = ['\t_\t', '1-2\t', '0\t', '\t99\t', '\t-1\t', '3.1\t', '# newdoc id = x\n', '# sent_id = y\n', '\n\n', 'SpaceAfter=No', '\tROOT\t', 'A=B|C', '\t0\troot\t', '2\t'];
const IOB_SNIPPETS = ['B-', 'I-X', 'O O', '\t', 'S-PER', 'E-LOC', 'U-', '# newdoc id = y\n', '\n\n', '1\t', 'x\tB-ORG\tO'];

const DOC_FAMILIES: ScorerOptions = {
  families: ['tokenization', 'sents', 'tag', 'pos', 'morph', 'morph_per_feat', 'deps', 'ents', 'lemma', 'spans:sc'],
};
const CONLLU_FAMILIES: ScorerOptions = { families: ['tokenization', 'sents', 'tag', 'pos', 'morph', 'morph_per_feat', 'lemma', 'deps'] };
const IOB_FAMILIES: ScorerOptions = {
  families: ['seqeval', 'ents', 'tokenization'],
  seqeval: { mode: 'default', scheme: null, zeroDivision: 0 },
};
const TEXTCAT: ScorerOptions = {
  textcat: { labels: ['ham', 'spam'], multiLabel: false, threshold: null, positiveLabel: 'spam', macroSummation: 'compensated' },
  bootstrap: { replicates: 3, seed: 1, confidence: 0.95 },
};

/** Up to `per` consecutive items of `items` at a time, as seeds of mutation. */
function seedsOf(items: string[], per: number, count: number, join: string): string[] {
  return Array.from({ length: count }, (_, i) => items.slice((i * 7) % items.length, ((i * 7) % items.length) + 1 + (i % per)).join(join));
}

const docsOracle = JSON.parse(readFileSync(repoPath('test/fixtures/docs-oracle.json'), 'utf8')) as { cases: Array<{ docs: Array<{ gold: string; pred: string }> }> };
const jsonLines = docsOracle.cases.flatMap((c) => c.docs.flatMap((pair) => [pair.gold, pair.pred]));
const blocks = (path: string, limit: number) => readFileSync(path, 'utf8').slice(0, limit).split(/\n\n/).slice(0, -1).map((block) => `${block}\n`);
const SEEDS: Record<'jsonl' | 'conllu' | 'iob' | 'textcat', string[]> = {
  jsonl: seedsOf(jsonLines, 3, 300, '\n').map((text) => `${text}\n`),
  conllu: seedsOf(blocks(repoPath('test/data/ud-english-ewt/en_ewt-ud-dev.conllu'), 60_000), 3, 200, '\n'),
  iob: seedsOf(blocks(repoPath('test/data/uner-english-ewt/en_ewt-ud-dev.iob2'), 60_000), 3, 200, '\n'),
  textcat: seedsOf(readFileSync(DEMO_CORPUS, 'utf8').split('\n').filter((line) => line.length > 0 && line.length < 2_000), 3, 200, '\n').map((text) => `${text}\n`),
};

async function scoreDocs(gold: string, pred: string, format: DocFormat, options: ScorerOptions): Promise<void> {
  const states = initMetricStates(options);
  const range = (path: string) => ({ start: 0, end: statSync(path).size, maxRecordBytes: MAX_RECORD_BYTES });
  for await (const example of pairDocs(readDocs(gold, format, range(gold)), readDocs(pred, format, range(pred)))) {
    updateMetricStates(states, example);
  }
  finalizeMetricStates(states);
}

// As a GPU worker reads a text-classification corpus (its gold categories stand in for the model's scores).
async function scoreTextcat(path: string): Promise<void> {
  const states = initMetricStates(TEXTCAT);
  const labelIndex = labelIndexOf(TEXTCAT.textcat!);
  for await (const record of readLineRecords(path, { start: 0, end: statSync(path).size, maxRecordBytes: MAX_RECORD_BYTES })) {
    if (record.oversizedBytes !== undefined) throw oversizedRecordError(path, record, DEFAULT_MAX_RECORD_BYTES);
    const parsed = parseTextcatRecord(record.bytes, path, record.offset);
    foldTextcat(states, parsed.id ?? String(record.offset), (state) => updateTextcat(state, TEXTCAT.textcat!, labelIndex, parsed.cats, parsed.cats));
  }
  finalizeMetricStates(states);
}

/** Undefined when the input was read; else the InputError, which must say where. */
async function located(run: () => Promise<void>): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expect(error.file, error.message).toBeTypeOf('string');
    expect(error.byteOffset, error.message).toBeTypeOf('number');
    return error.code;
  }
}

describe.each([
  ['textcat JSONL', 'textcat', TEXTCAT_SNIPPETS],
  ['spaCy JSONL', 'jsonl', JSON_SNIPPETS],
  ['CoNLL-U', 'conllu', CONLLU_SNIPPETS],
  ['IOB', 'iob', IOB_SNIPPETS],
] as const)('the %s reader, fuzzed', (name, kind, snippets) => {
  it(`reads ${CASES.toLocaleString('en-US')} damaged inputs, or says which file and byte is wrong`, async () => {
    const seed = fuzzSeed();
    const seeds = SEEDS[kind];
    const intact = join(dir, `${kind}-intact`);
    const damaged = join(dir, `${kind}-damaged`);
    const codes = new Map<string, number>();
    const heapBefore = process.memoryUsage().heapUsed;
    await fc.assert(
      fc.asyncProperty(fc.nat(seeds.length - 1), mutations(snippets), fc.boolean(), async (which, edits, sameFile) => {
        const original = Buffer.from(seeds[which]!);
        writeFileSync(damaged, applyMutations(original, edits));
        let code: string | undefined;
        if (kind === 'textcat') {
          code = await located(() => scoreTextcat(damaged));
        } else {
          const options = kind === 'jsonl' ? DOC_FAMILIES : kind === 'conllu' ? CONLLU_FAMILIES : IOB_FAMILIES;
          writeFileSync(intact, original);
          code = await located(() => (sameFile ? scoreDocs(damaged, damaged, kind, options) : scoreDocs(intact, damaged, kind, options)));
        }
        codes.set(code ?? 'read', (codes.get(code ?? 'read') ?? 0) + 1);
      }),
      { numRuns: CASES, seed, endOnFailure: true },
    );
    const grown = process.memoryUsage().heapUsed - heapBefore;
    console.log(`fuzz ${name}: ${CASES} cases, seed ${seed} (EVALSHARD_FUZZ_SEED=${seed} repeats them): ${[...codes].map(([code, n]) => `${code} ${n}`).join(', ')}`);
    expect(grown).toBeLessThan(512 * 2 ** 20);
  });
});

// Well-formed records built the way the formats describe, with every field's
// value now and then out of range or of another type.
const anyJson = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 1_000 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown) },
  // Keys Object.prototype also has: String() of {"toString": null} throws.
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('toString', 'valueOf', 'constructor', '__proto__', 'hasOwnProperty'), fc.jsonValue({ maxDepth: 1 }), { minKeys: 1, maxKeys: 2 }) },
);
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 40, arbitrary }, { weight: 1, arbitrary: anyJson });
const label = fc.oneof(fc.constantFrom('ham', 'spam', 'PER', 'LOC', '0', '1', '10', '__proto__', 'ROOT', 'punct'), fc.string({ maxLength: 4 }));
const score = fc.oneof(fc.double({ min: -2, max: 2 }), fc.constantFrom(0, 1, 0.5, true, false), fc.double());
const cats = fc.dictionary(label, sometimes(score), { maxKeys: 4 });

const textcatRecord = fc.record({ text: sometimes(fc.string({ maxLength: 40 })), cats: sometimes(cats), id: sometimes(fc.string({ maxLength: 6 })) }, { requiredKeys: ['text', 'cats'] });

const spacyDoc = fc
  .array(fc.stringMatching(/^[^\s]{1,6}$/), { minLength: 0, maxLength: 8 })
  .chain((words) => {
    const starts: number[] = [];
    let offset = 0;
    for (const word of words) {
      starts.push(offset);
      offset += [...word].length + 1;
    }
    const n = words.length;
    const ends = words.map((word, i) => starts[i]! + [...word].length);
    // Mostly where spaCy allows them (on tokens, heads inside the document), now and then anywhere.
    const index = fc.oneof({ weight: 20, arbitrary: fc.nat(Math.max(0, n - 1)) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: n + 1 }) });
    const boundary = fc.integer({ min: -1, max: offset + 1 });
    const onTokens = (points: number[]) => (points.length === 0 ? boundary : fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...points) }, { weight: 1, arbitrary: boundary }));
    const tokenRange = n === 0 ? fc.constant([0, 0]) : fc.tuple(fc.nat(n - 1), fc.nat(n - 1)).map(([i, j]) => [starts[Math.min(i, j)]!, ends[Math.max(i, j)]!]);
    const range = fc.oneof({ weight: 20, arbitrary: tokenRange }, { weight: 1, arbitrary: fc.tuple(onTokens(starts), onTokens(ends)) });
    const span = fc.tuple(range, sometimes(label)).map(([[start, end], spanLabel]) => ({ start, end, label: spanLabel, kb_id: '' }));
    const token = (i: number) =>
      fc.record(
        {
          id: sometimes(fc.constant(i)),
          start: sometimes(fc.constant(starts[i]!)),
          end: sometimes(fc.constant(starts[i]! + [...words[i]!].length)),
          tag: sometimes(fc.oneof(label, fc.constant(''))),
          pos: sometimes(fc.constantFrom('NOUN', 'VERB', 'X', '')),
          morph: sometimes(fc.constantFrom('', '_', 'Number=Sing', 'Case=Nom|Number=Plur', 'A=B=C', 'A|B')),
          lemma: sometimes(fc.string({ maxLength: 4 })),
          head: sometimes(index),
          dep: sometimes(fc.constantFrom('ROOT', 'nsubj', 'p', 'punct', '', 'dep')),
        },
      );
    // spaCy wants each attribute on every token or on none.
    const attributes = fc.subarray(['tag', 'pos', 'morph', 'lemma', 'head+dep']).map((kept) => kept.flatMap((key) => key.split('+')));
    const tokens = fc
      .tuple(attributes, fc.tuple(...words.map((_, i) => token(i))))
      .map(([kept, all]) => all.map((t) => Object.fromEntries(Object.entries(t).filter(([key]) => ['id', 'start', 'end', ...kept].includes(key)))));
    return fc.record(
      {
        text: sometimes(fc.constant(words.map((word) => `${word} `).join(''))),
        tokens: sometimes(tokens),
        ents: sometimes(fc.array(span, { maxLength: 2 })),
        sents: sometimes(fc.array(range.map(([start, end]) => ({ start, end })), { maxLength: 2 })),
        spans: sometimes(fc.dictionary(fc.constantFrom('sc', '10', 'x'), fc.array(span, { maxLength: 2 }), { maxKeys: 2 })),
        cats: sometimes(cats),
        ents_missing: sometimes(fc.array(span, { maxLength: 1 })),
        id: sometimes(fc.string({ maxLength: 4 })),
      },
      { requiredKeys: ['text', 'tokens'] },
    );
  });

describe.each([
  ['textcat JSONL', 'textcat', textcatRecord],
  ['spaCy JSONL', 'jsonl', spacyDoc],
] as const)('the %s reader, given well-formed records with odd values', (name, kind, record) => {
  it(`reads ${CASES.toLocaleString('en-US')} of them, or says which file and byte is wrong`, async () => {
    const seed = fuzzSeed();
    const path = join(dir, `${kind}-shapes`);
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(record as fc.Arbitrary<unknown>, { minLength: 1, maxLength: 3 }), async (records) => {
        writeFileSync(path, records.map((r) => JSON.stringify(r)).join('\n').concat('\n'));
        const code = await located(() => (kind === 'textcat' ? scoreTextcat(path) : scoreDocs(path, path, 'jsonl', DOC_FAMILIES)));
        codes.set(code ?? 'read', (codes.get(code ?? 'read') ?? 0) + 1);
      }),
      { numRuns: CASES, seed, endOnFailure: true },
    );
    console.log(`fuzz ${name} records: ${CASES} cases, seed ${seed} (EVALSHARD_FUZZ_SEED=${seed} repeats them): ${[...codes].map(([code, n]) => `${code} ${n}`).join(', ')}`);
  });
});
