import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import {
  distributedReport,
  installQuietRuntime,
  resolveSpec,
  runEvaluation,
  runSinglePass,
  startLocalServices,
  workflowIdFor,
  type EvaluationReport,
  type LocalServices,
  type ProgressSnapshot,
  type ResolvedSpec,
} from '@evalshard/orchestrator';
import { scratchDir } from './corpora.js';
import { repoPath } from './paths.js';

export interface TestStack {
  services: LocalServices;
  client: Client;
  taskQueue: string;
  temporalAddress: string;
  stop(): Promise<void>;
}

/**
 * The execution providers the tests run models with: CPU, unless
 * `npm run check:gpu` asks for CUDA (EVALSHARD_EXECUTION_PROVIDERS=cuda,cpu).
 */
export function testExecutionProviders(): string[] {
  const listed = process.env.EVALSHARD_EXECUTION_PROVIDERS;
  return listed ? listed.split(',').map((name) => name.trim()).filter(Boolean) : ['cpu'];
}

/** Real scorer and GPU worker processes and a Temporal worker, on the shared dev server. */
export async function startTestStack(workers = 2): Promise<TestStack> {
  installQuietRuntime({ logFile: join(scratchDir('evalshard-logs-'), 'temporal-worker.log') });
  const temporalAddress = inject('temporalAddress');
  const taskQueue = `test-${randomUUID()}`;
  const services = await startLocalServices({
    stateDir: scratchDir('evalshard-stack-'),
    workers,
    executionProviders: testExecutionProviders(),
    intraOpThreads: 1,
    temporalAddress,
    namespace: 'default',
    taskQueue,
  });
  const connection = await Connection.connect({ address: temporalAddress });
  return {
    services,
    client: new Client({ connection }),
    taskQueue,
    temporalAddress,
    stop: async () => {
      await services.stop();
      await connection.close();
    },
  };
}

/** The demo spec with changes, as `evalshard run` would resolve it. */
export function demoSpec(changes: Record<string, unknown> = {}): Promise<ResolvedSpec> {
  return resolveSpec(
    {
      model: 'spamassassin/model',
      corpus: 'spamassassin/test.jsonl',
      task: 'textcat',
      labels: ['ham', 'spam'],
      scorer: { positiveLabel: 'spam' },
      workers: 2,
      ...changes,
    },
    { specPath: null, baseDir: repoPath('examples') },
  );
}

export async function distributedRun(
  stack: TestStack,
  spec: ResolvedSpec,
  options: { runId?: string; shardsPerChild?: number; onProgress?: (snapshot: ProgressSnapshot) => void } = {},
): Promise<EvaluationReport> {
  const runId = options.runId ?? `test-${randomUUID()}`;
  const started = performance.now();
  const result = await runEvaluation({
    client: stack.client,
    taskQueue: stack.taskQueue,
    runId,
    spec,
    shardsPerChild: options.shardsPerChild,
    onProgress: options.onProgress,
    pollMs: 100,
  });
  return distributedReport(result, spec, workflowIdFor(runId), new Date(), Math.round(performance.now() - started));
}

export function singlePass(spec: ResolvedSpec): Promise<EvaluationReport> {
  return runSinglePass(spec, `single-${randomUUID()}`);
}
