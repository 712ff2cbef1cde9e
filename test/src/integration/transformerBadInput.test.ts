import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { describeFailure, loadSpec, type ResolvedSpec } from '@evalshard/orchestrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cliProcess.js';
import { scratchDir } from '../helpers/corpora.js';
import { repoPath } from '../helpers/paths.js';
import { distributedRun, startTestStack, type TestStack } from '../helpers/testStack.js';
import { activityAttempts } from '../helpers/workflowHistory.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack(2);
});
afterAll(async () => {
  await stack?.stop();
});

const NER = repoPath('examples/transformers/ner/model');

/** The NER spec with changes, or the spam spec when `textcat`. */
async function spec(changes: Partial<ResolvedSpec>, textcat = false): Promise<ResolvedSpec> {
  const base = await loadSpec(repoPath(textcat ? 'examples/spam-bert.yaml' : 'examples/uner-ner.yaml'));
  return { ...base, ...changes };
}

/** A copy of the NER bundle with one file replaced. */
function brokenNer(file: string, content: string): string {
  const dir = join(scratchDir(), 'bundle');
  cpSync(NER, dir, { recursive: true });
  writeFileSync(join(dir, file), content);
  return dir;
}

// Each fails while planning: one planRun attempt, no shard scheduled, and the message names the file and the mismatch.
async function expectPlanFailure(resolved: ResolvedSpec, message: RegExp): Promise<void> {
  const runId = `bad-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const failure = await distributedRun(stack, resolved, { runId }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  const described = describeFailure(failure);
  expect(described.message).toMatch(message);
  expect(described.planning).toBe(true);
  const attempts = await activityAttempts(stack.client, runId);
  // Planned once and never retried, nothing fanned out; the history recorded the start and the failure.
  expect(attempts.scheduled).toEqual({ recordRun: 2, planRun: 1 });
  expect(attempts.maxAttempt).toBe(1);
}

describe('a transformer run with bad input fails before fan-out, naming the file and the mismatch', () => {
  it('a token classifier given to task textcat', async () => {
    await expectPlanFailure(
      await spec({ model: NER }, true),
      /ner\/model\/model\.onnx: its logits are \[batch, sequence, labels\] \(a token classifier\); task textcat needs a text classifier/,
    );
  });

  it('a text classifier given to task token-classification', async () => {
    await expectPlanFailure(
      await spec({ model: repoPath('examples/transformers/spam/model') }),
      /spam\/model\/model\.onnx: its logits are \[batch, labels\] \(a text classifier\); task token-classification needs a token classifier/,
    );
  });

  it('a label count that disagrees with id2label', async () => {
    const config = { id2label: { 0: 'O', 1: 'B-PER', 2: 'I-PER' }, label2id: { O: 0, 'B-PER': 1, 'I-PER': 2 } };
    await expectPlanFailure(
      await spec({ model: brokenNer('config.json', JSON.stringify(config)) }),
      /bundle\/model\.onnx: output logits has 7 labels but config\.json's id2label names 3/,
    );
  });

  it('a tokenizer file that does not load', async () => {
    await expectPlanFailure(await spec({ model: brokenNer('tokenizer.json', '{"version": "1.0", "model": 42}') }), /bundle\/tokenizer\.json: /);
  });

  it('model labels the tag scheme cannot read', async () => {
    const base = await spec({});
    await expectPlanFailure(
      { ...base, tokens: { ...base.tokens!, scheme: 'plain' } },
      /ner\/model\/config\.json: label "B-LOC" does not fit scheme plain .* set the spec's tokens\.scheme/,
    );
  });

  it('a corpus the task cannot read', async () => {
    await expectPlanFailure(
      await spec({ corpus: [repoPath('test/data/ud-english-ewt/en_ewt-ud-dev.conllu')] }, true),
      /en_ewt-ud-dev\.conllu: task textcat reads JSONL records .* this file is a token corpus/,
    );
  });

  it('exits 2 from the command line, distributed or in one process, and names an unknown scheme in the spec', async () => {
    const dir = scratchDir();
    const specFile = join(dir, 'spec.yaml');
    writeFileSync(
      specFile,
      `model: ${repoPath('examples/transformers/spam/model')}\ncorpus: ${repoPath('test/data/uner-english-ewt/en_ewt-ud-dev.iob2')}\n` +
        `task: token-classification\ntokens: { annotation: ents }\n`,
    );
    for (const mode of [['--single-pass'], ['--state-dir', join(dir, 'state')]]) {
      const result = await cli(['run', specFile, '--no-progress', ...mode]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/spam\/model\/model\.onnx: its logits are \[batch, labels\] \(a text classifier\); task token-classification needs a token classifier/);
      expect(result.stderr).not.toMatch(/Resume with/);
    }
    writeFileSync(specFile, `model: ${NER}\ncorpus: ${repoPath('test/data/uner-english-ewt/en_ewt-ud-dev.iob2')}\ntask: token-classification\ntokens: { annotation: ents, scheme: IOB3 }\n`);
    const unknown = await cli(['run', specFile, '--single-pass']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/field "tokens\.scheme": Invalid option: expected one of "IOB2"\|"BILOU"\|"IOBES"\|"plain"/);
  });
});
