import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadSpec, resolveSpec } from '@evalshard/orchestrator';
import { InputError } from '@evalshard/scorer';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/corpora.js';
import { repoPath } from '../helpers/paths.js';
import { applyMutations, fuzzCases, fuzzSeed, mutations } from './mutations.js';

// The spec loader, fed damaged copies of the example specs and specs of any
// shape: it resolves them, or throws an InputError that names the spec file
// and, for a value the schema refuses, the field. Never another exception.

const CASES = fuzzCases(10_000);
const dir = scratchDir('evalshard-fuzz-spec-');
const examples = repoPath('examples');
// The examples with their relative paths made absolute, so that the copies resolve from anywhere.
const SEEDS = readdirSync(examples)
  .filter((name) => name.endsWith('.yaml'))
  .map((name) =>
    readFileSync(join(examples, name), 'utf8').replace(/^(model|corpus): (?!\/)(.+)$/gm, (_, key: string, path: string) => `${key}: ${join(examples, path)}`),
  );
const SNIPPETS = [
  ': ', '- ', '[', ']', '{', '}', '"', "'", '\n  ', '\t', '#', '&a', '*a', '!!binary', '~', 'null', '-1', '0', '1e999', '.nan', '999999999999999999999',
  '\nshards: 0', '\nworkers: -2', '\nshardSize: 1PiB', '\ntimeouts: {heartbeat: 0s}', '\nretry: {maximumAttempts: 1000}', '\nonBadRecord: maybe',
  '\ntask: nonsense', '\nlabels: []', '\nlabels: [a, a]', '\nbatch: {maxDocs: 0}', '\nunknownKey: 1', '\nscorer: {threshold: 2}', '\ncorpus: /nonexistent/*.jsonl',
  '\nmodel: /etc', '\ntokens: {annotation: ents, scheme: NOPE}', '\nbootstrap: {replicates: 0}', '\nmaxRecordBytes: -5', '<<: *a',
];

function expectLocated(error: unknown, file: string | null): string {
  if (!(error instanceof InputError)) throw error;
  // The spec is named in the message; error.file is the spec, or the file the spec names that is wrong.
  if (file !== null) expect(error.message.startsWith(file) || error.file === file, error.message).toBe(true);
  expect(error.message.length).toBeGreaterThan(0);
  return error.code;
}

describe('the spec loader, fuzzed', () => {
  it(`loads ${CASES.toLocaleString('en-US')} damaged example specs, or says what is wrong and where`, async () => {
    const seed = fuzzSeed();
    const path = join(dir, 'spec.yaml');
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.nat(SEEDS.length - 1), mutations(SNIPPETS), async (which, edits) => {
        writeFileSync(path, applyMutations(Buffer.from(SEEDS[which]!), edits));
        let code = 'loaded';
        try {
          await loadSpec(path);
        } catch (error) {
          code = expectLocated(error, path);
          if ((error as InputError).message.includes('is not') && (error as InputError).field === undefined && !/YAML|read/.test((error as InputError).message)) {
            // A schema complaint names its field.
            expect((error as InputError).field, (error as InputError).message).toBeDefined();
          }
        }
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }),
      { numRuns: CASES, seed, endOnFailure: true },
    );
    console.log(`fuzz spec files: ${CASES} cases, seed ${seed} (EVALSHARD_FUZZ_SEED=${seed} repeats them): ${[...codes].map(([code, n]) => `${code} ${n}`).join(', ')}`);
  });

  it(`resolves ${CASES.toLocaleString('en-US')} specs of any shape, or names the field it refuses`, async () => {
    const seed = fuzzSeed();
    const keys = ['model', 'corpus', 'task', 'labels', 'scorer', 'shards', 'shardSize', 'workers', 'batch', 'timeouts', 'retry', 'tokens', 'runtime', 'onBadRecord', 'bootstrap', 'extra'];
    const base = { model: join(examples, 'spamassassin/model'), corpus: join(examples, 'spamassassin/test.jsonl'), task: 'textcat' };
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }), fc.boolean(), async (changes, keepBase) => {
        let code = 'resolved';
        try {
          await resolveSpec(keepBase ? { ...base, ...changes } : changes, { specPath: null, baseDir: dir });
        } catch (error) {
          code = expectLocated(error, null);
          if (code === 'BAD_SPEC') expect((error as InputError).field, (error as InputError).message).toBeTypeOf('string');
        }
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }),
      { numRuns: CASES, seed, endOnFailure: true },
    );
    console.log(`fuzz spec values: ${CASES} cases, seed ${seed} (EVALSHARD_FUZZ_SEED=${seed} repeats them): ${[...codes].map(([code, n]) => `${code} ${n}`).join(', ')}`);
  });
});
