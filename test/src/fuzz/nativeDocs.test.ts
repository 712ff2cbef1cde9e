import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { MetricStates as MetricStatesMessage } from '@evalshard/proto';
import { documentPass, encodeMetricStates, nativeDocPass, type MetricStates, type ScorerOptions } from '@evalshard/scorer';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/corpora.js';
import { repoPath } from '../helpers/paths.js';
import { applyMutations, fuzzCases, fuzzSeed, mutations } from './mutations.js';

// The native JSONL document pass must give what the document pass gives, or
// give null and leave the files to it: damaged copies of the docs oracle's
// records, against an intact or differently damaged prediction, or the same
// damaged file on both sides. Damage it must refuse (a record docFromJson
// refuses, documents that no longer pair) and damage it must read alike
// (changed values, spaces, escapes, keys it does not read) both occur.

const CASES = fuzzCases(3_000);
const FAMILIES: ScorerOptions = {
  families: ['tokenization', 'sents', 'tag', 'pos', 'morph', 'morph_per_feat', 'deps', 'ents', 'lemma', 'spans:sc', 'spans:10'],
  spanGroups: [{ key: '10', allowOverlap: false }],
};
const SNIPPETS = [
  '"head": 1', '"head": 1.0', '"head": -1', '"start": 0', '"end": 3', '"id": "x"', '"id": 1', '"tokens": []', '1e2', '-0', 'null', '[]', '{}',
  '"\\u0041"', '"\\ud83c\\udf89"', '"\\u03a3"', 'Σ', 'ΣΑ', 'İ', 'ß', '"\\n"', ' ', '\t', '\r', '\n', '\ufeff', ',', ':', '"', '\\',
  '"ents": [{"start": 0, "end": 1, "label": "X"}]', '"sents": [{"start": 0, "end": 1}]', '"morph": "A=B|A=B"', '"pos": "NOUN"', '"pos": "NOUNS"',
  '"spans": {"10": [{"start": 0, "end": 1, "label": "Y"}]}', '"cats": {"1": 2, "0": true}', '"ents_missing": [{"start": 0, "end": 1}]',
  '"dep": ""', '"dep": "PUNCT"', '"tag": 5', '"has_unknown_spaces": true', '"extra": [1, {"a": -2.5e-3}]', '"label": null',
];
const dir = scratchDir('evalshard-fuzz-native-');

const fixture = JSON.parse(readFileSync(repoPath('test/fixtures/docs-oracle.json'), 'utf8')) as { cases: Array<{ docs: Array<{ gold: string; pred: string }>; error?: string }> };
const pairs = fixture.cases.filter((c) => c.error === undefined).flatMap((c) => c.docs);
const seeds = Array.from({ length: 150 }, (_, i) => pairs.slice((i * 7) % pairs.length, ((i * 7) % pairs.length) + 1 + (i % 4)));

// Edits of values that keep each record JSON: a leaf replaced, a member deleted, an item repeated.
const VALUES: unknown[] = [0, 1, 2, 5, -1, 1.5, '', 'X', 'x', 'Σ', 'ΣΑ', 'İ', 'B-X', null, true, 'Case=Nom|Case=Nom', 'ROOT', 'punct', 'NOUN', ' '];
const valueEdit = fc.record({ path: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), kind: fc.constantFrom('replace', 'delete', 'repeat'), value: fc.constantFrom(...VALUES) });

function editValues(records: string[], edits: Array<{ path: number[]; kind: string; value: unknown }>): Buffer {
  const values = records.map((record) => JSON.parse(record) as unknown);
  for (const { path, kind, value } of edits) {
    let parent: unknown = values;
    let key: string | number = path[0]! % values.length;
    for (const step of path.slice(1)) {
      const child: unknown = (parent as Record<string | number, unknown>)[key];
      if (child === null || typeof child !== 'object') break;
      const keys: Array<string | number> = Array.isArray(child) ? child.map((_, i) => i) : Object.keys(child);
      if (keys.length === 0) break;
      parent = child;
      key = keys[step % keys.length]!;
    }
    const container = parent as Record<string | number, unknown>;
    // Mostly a value of the same type, so that many edited records stay ones docFromJson reads.
    const old = container[key];
    if (kind === 'replace') container[key] = typeof old === 'number' && typeof value === 'number' ? Math.max(0, old + Math.trunc(value)) : value;
    else if (kind === 'delete' && !Array.isArray(container)) delete container[key];
    else if (Array.isArray(container)) container.splice(Number(key), 0, container[Number(key)]);
  }
  return Buffer.from(values.map((value) => `${JSON.stringify(value)}\n`).join(''));
}

const encoded = (states: MetricStates) => Buffer.from(MetricStatesMessage.encode(encodeMetricStates(states)).finish()).toString('base64');

describe('the native JSONL document pass, fuzzed', () => {
  it(`gives the document pass's states on ${CASES.toLocaleString('en-US')} damaged inputs, or leaves them to it`, async () => {
    const seed = fuzzSeed();
    const gold = join(dir, 'gold.jsonl');
    const predicted = join(dir, 'pred.jsonl');
    const outcomes = { native: 0, left: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.nat(seeds.length - 1),
        mutations(SNIPPETS),
        mutations(SNIPPETS),
        fc.array(valueEdit, { minLength: 1, maxLength: 4 }),
        fc.array(valueEdit, { maxLength: 4 }),
        fc.constantFrom('bytes', 'values'),
        fc.constantFrom('same file', 'intact prediction', 'both damaged'),
        async (which, goldEdits, predictedEdits, goldValueEdits, predictedValueEdits, damage, sides) => {
          const records = seeds[which]!;
          const goldRecords = records.map((pair) => pair.gold);
          const predictedRecords = records.map((pair) => pair.pred);
          const predictedText = Buffer.from(predictedRecords.map((record) => `${record}\n`).join(''));
          const damaged = damage === 'bytes' ? applyMutations(Buffer.from(goldRecords.map((record) => `${record}\n`).join('')), goldEdits) : editValues(goldRecords, goldValueEdits);
          const damagedPrediction = damage === 'bytes' ? applyMutations(predictedText, predictedEdits) : editValues(predictedRecords, predictedValueEdits);
          writeFileSync(gold, damaged);
          writeFileSync(predicted, sides === 'same file' ? damaged : sides === 'intact prediction' ? predictedText : damagedPrediction);
          const native = await nativeDocPass(gold, predicted, FAMILIES);
          if (native === null) {
            outcomes.left++;
            return;
          }
          outcomes.native++;
          const documents = await documentPass(gold, predicted, 'jsonl', FAMILIES);
          expect(native.docs).toBe(documents.docs);
          expect(encoded(native.states)).toBe(encoded(documents.states));
        },
      ),
      { numRuns: CASES, seed, endOnFailure: true },
    );
    console.log(`fuzz native JSONL pass: ${CASES} cases, seed ${seed} (EVALSHARD_FUZZ_SEED=${seed} repeats them): scored natively ${outcomes.native}, left to the document pass ${outcomes.left}`);
    // Damage that leaves records readable (a changed value, added spaces, the same damage on both sides) is scored.
    expect(outcomes.native).toBeGreaterThan(CASES / 20);
    // About 10 ms a case here (two files written, a native process, the document pass where it scored).
  }, Math.max(900_000, CASES * 25));
});
