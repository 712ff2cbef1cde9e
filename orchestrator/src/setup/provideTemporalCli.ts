import { spawn } from 'node:child_process';
import { accessSync, constants, createWriteStream, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { LEASH_PATH } from '../stack/leashPath.js';
import { describeHolder, ProcessLock } from '../stack/processLock.js';
import { LiveStatus } from './liveStatus.js';

/** The release `go install` builds: later ones carry `replace` directives that break it. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;
const USUALLY = 'usually 3–8 minutes';
const TAIL_LINES = 25;

/** The Temporal CLI could not be provided; the message says why and what to do. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}

/** Where evalshard keeps tools it builds: $EVALSHARD_TOOLS_DIR, else the user's cache. */
export function toolsDir(): string {
  return process.env.EVALSHARD_TOOLS_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'evalshard');
}

/**
 * The Temporal CLI's path: $EVALSHARD_TEMPORAL_CLI, `temporal` on PATH, the
 * copy built before, or the pinned release built now with Go, once per
 * machine: one build at a time (a lock file), the others wait for it; the
 * build says what it does, how long it usually takes, and shows that it is
 * alive.
 */
export async function provideTemporalCli(out: NodeJS.WritableStream = process.stderr): Promise<string> {
  const configured = process.env.EVALSHARD_TEMPORAL_CLI;
  if (configured) {
    if (isExecutable(configured)) return configured;
    throw new SetupError(`EVALSHARD_TEMPORAL_CLI=${configured} is not an executable file`);
  }
  const onPath = findOnPath('temporal');
  if (onPath !== undefined) return onPath;
  const dir = join(toolsDir(), `temporal-cli-${TEMPORAL_CLI_VERSION}`);
  const binary = join(dir, 'temporal');
  if (isExecutable(binary)) return binary;

  const lockPath = `${dir}.lock`;
  const waiting = new LiveStatus(out);
  try {
    for (;;) {
      const lock = ProcessLock.tryAcquire(lockPath, `building the Temporal CLI ${TEMPORAL_CLI_VERSION}`);
      if (lock instanceof ProcessLock) {
        waiting.stop();
        try {
          // It may have been built while this process waited.
          if (!isExecutable(binary)) await build(dir, binary, out);
        } finally {
          lock.release();
        }
        return binary;
      }
      waiting.show(
        (elapsed) =>
          `waiting for another evalshard (${describeHolder(lock)}) to finish building the Temporal CLI ` +
          `${TEMPORAL_CLI_VERSION} (${USUALLY}): ${elapsed}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (isExecutable(binary)) return binary;
    }
  } finally {
    waiting.stop();
  }
}

async function build(dir: string, binary: string, out: NodeJS.WritableStream): Promise<void> {
  const go = findOnPath('go');
  if (go === undefined) {
    throw new SetupError(
      `no Temporal CLI found and no Go toolchain to build one.\n` +
        `  Install Go (Debian: apt-get install golang-go) and run: npx evalshard setup\n` +
        `  or put a Temporal CLI on PATH, or set EVALSHARD_TEMPORAL_CLI to its path.`,
    );
  }
  const logPath = `${dir}.build.log`;
  // Built into a folder of its own and moved into place once complete: a
  // killed build never leaves a half-written binary where it would be used.
  const staging = `${dir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  out.write(
    `building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go, once for this machine (${USUALLY}; log: ${logPath})\n`,
  );
  const status = new LiveStatus(out);
  let modules = 0;
  let packages = 0;
  status.show((elapsed) => `  building the Temporal CLI: ${elapsed}, ${modules} modules fetched, ${packages} packages compiled`);
  const log = createWriteStream(logPath);
  const code = await new Promise<number | string>((resolve) => {
    // On a leash: a killed evalshard leaves no build running.
    const child = spawn(process.execPath, [LEASH_PATH, go, 'install', '-v', MODULE], {
      env: { ...process.env, GOBIN: staging, GOFLAGS: `${process.env.GOFLAGS ?? ''} -mod=mod`.trim() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const count = (chunk: Buffer) => {
      log.write(chunk);
      for (const line of chunk.toString().split('\n')) {
        if (line.startsWith('go: downloading ')) modules += 1;
        else if (/^[\w.-]+(\/[\w.@+-]+)+$/.test(line.trim())) packages += 1;
      }
    };
    child.stdout.on('data', count);
    child.stderr.on('data', count);
    // Whatever ends this process ends the build too.
    const stop = () => child.kill('SIGTERM');
    process.once('exit', stop);
    child.once('error', (error) => resolve(error.message));
    child.once('close', (exitCode, signal) => {
      process.off('exit', stop);
      resolve(signal ?? exitCode ?? 1);
    });
  });
  await new Promise<void>((resolve) => log.end(resolve));
  const elapsed = status.elapsed();
  status.stop();
  const built = join(staging, 'temporal');
  if (code !== 0 || !isExecutable(built)) {
    rmSync(staging, { recursive: true, force: true });
    const tail = readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-TAIL_LINES).map((line) => `  | ${line}`).join('\n');
    throw new SetupError(
      `building the Temporal CLI ${TEMPORAL_CLI_VERSION} failed (go install ended with ${code} after ${elapsed}).\n` +
        `The last lines of Go's output (all of it in ${logPath}):\n${tail}\n` +
        `What to do: check that Go can reach its module proxy (GOPROXY, network) and has disk space, then run\n` +
        `  npx evalshard setup\n` +
        `or install a Temporal CLI yourself and put it on PATH or in EVALSHARD_TEMPORAL_CLI.`,
    );
  }
  mkdirSync(dir, { recursive: true });
  renameSync(built, binary);
  rmSync(staging, { recursive: true, force: true });
  out.write(`built the Temporal CLI ${TEMPORAL_CLI_VERSION} in ${elapsed}: ${binary}\n`);
}

function findOnPath(name: string): string | undefined {
  for (const entry of (process.env.PATH ?? '').split(delimiter)) {
    if (entry === '') continue;
    const candidate = join(entry, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
