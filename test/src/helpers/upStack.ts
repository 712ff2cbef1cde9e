import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startCli, waitFor, type RunningCli } from './cliProcess.js';
import { DEMO_CORPUS, DEMO_MODEL, repoPath } from './paths.js';

export interface UpStack {
  stateDir: string;
  process: RunningCli;
  info: { pid: number; temporalAddress: string; scorerAddress: string; uiUrl: string | null; taskQueue: string };
  client: Client;
  /** `evalshard ARGS… --state-dir <this stack>`. */
  args(...args: string[]): string[];
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** `evalshard up` as a user starts it, once its stack file says it serves. */
export async function startUp(stateDir: string, workers = 2): Promise<UpStack> {
  const stackFile = join(stateDir, 'stack.json');
  const before = existsSync(stackFile) ? readFileSync(stackFile, 'utf8') : '';
  const up = startCli(['up', '--state-dir', stateDir, '--workers', String(workers)]);
  await waitFor(
    () => existsSync(stackFile) && readFileSync(stackFile, 'utf8') !== before && JSON.parse(readFileSync(stackFile, 'utf8')).pid === up.child.pid,
    180_000,
    `evalshard up in ${stateDir}; it said:\n${up.stderr()}`,
  );
  const info = JSON.parse(readFileSync(stackFile, 'utf8')) as UpStack['info'];
  const connection = await Connection.connect({ address: info.temporalAddress });
  return {
    stateDir,
    process: up,
    info,
    client: new Client({ connection }),
    args: (...args) => [...args, '--state-dir', stateDir],
    async stop(signal = 'SIGINT') {
      await connection.close().catch(() => undefined);
      if (up.child.exitCode === null && up.child.signalCode === null) up.child.kill(signal);
      await up.finished;
    },
  };
}

/** `count` records of the demo corpus, every `step`-th (the corpus lists ham before spam), in a file of their own. */
export function demoSample(dir: string, count: number, step = 10): string {
  const lines = readFileSync(DEMO_CORPUS, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const path = join(dir, `demo-${count}-${step}.jsonl`);
  writeFileSync(path, lines.filter((_, i) => i % step === step - 1).slice(0, count).join('\n') + '\n');
  return path;
}

/** A run that takes a while here (the BERT spam classifier, six times the demo corpus, one shard at a time). */
export function longRunArgs(dir: string): string[] {
  const corpus = join(dir, 'long.jsonl');
  writeFileSync(corpus, readFileSync(DEMO_CORPUS, 'utf8').repeat(6));
  return ['run', repoPath('examples/spam-bert.yaml'), '--corpus', corpus, '--shards', '24', '--workers', '1'];
}

/** A textcat spec over `corpus` for `model` (a bundle, a folder of bundles or a glob). */
export function textcatSpec(dir: string, name: string, model: string, corpus: string, extra = ''): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    `model: ${model}\ncorpus: ${corpus}\ntask: textcat\nlabels: [ham, spam]\nscorer: { positiveLabel: spam }\n` +
      `workers: 2\ntimeouts: { heartbeat: 5s }\nretry: { initialInterval: 200ms }\n${extra}`,
  );
  return path;
}

/**
 * Another checkpoint of the demo model (seeded noise on its weights), put
 * into `folder` as a bundle appears there: written aside, renamed into place.
 */
export function addCheckpoint(folder: string, name: string, seed: number | null, mtime?: Date, scale = 0.5): string {
  mkdirSync(folder, { recursive: true });
  const aside = join(folder, `.${name}.partial`);
  if (seed === null) cpSync(DEMO_MODEL, aside, { recursive: true });
  else execFileSync('python3', [repoPath('test/oracle/perturb_model.py'), '--bundle', DEMO_MODEL, '--out', aside, '--seed', String(seed), '--scale', String(scale)]);
  if (mtime !== undefined) for (const file of ['model.onnx', 'config.json', 'tokenizer.json']) utimesSync(join(aside, file), mtime, mtime);
  const path = join(folder, name);
  renameSync(aside, path);
  return path;
}

