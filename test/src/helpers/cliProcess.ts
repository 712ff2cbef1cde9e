import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { CLI } from './paths.js';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  finished: Promise<Finished>;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves once stderr matches, with the milliseconds since the start; rejects after `timeoutMs`. */
  waitForStderr(pattern: RegExp, timeoutMs: number): Promise<number>;
}

/** `evalshard ARGS…` as a separate process, as a user starts it. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = process.env): RunningCli {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of [...waiters]) waiter();
  });
  const finished = new Promise<Finished>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    child,
    finished,
    stderr: () => stderr,
    waitForStderr: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(stderr)) return;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve(performance.now() - started);
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          reject(new Error(`no ${pattern} on stderr within ${timeoutMs} ms; it said:\n${stderr}`));
        }, timeoutMs);
        waiters.push(check);
        check();
      }),
  };
}

/** Runs `evalshard ARGS…` to the end. */
export function cli(args: string[], env?: NodeJS.ProcessEnv): Promise<Finished> {
  return startCli(args, env).finished;
}

/** Partials the scorer has stored so far (0 before its table exists). */
export function storedPartials(databasePath: string): number {
  if (!existsSync(databasePath)) return 0;
  try {
    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM partials').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A process as /proc shows it: its start time tells it from a later one with the same pid. */
export interface ProcessIdentity {
  pid: number;
  startTicks: string;
  command: string;
}

function identityOf(pid: number): (ProcessIdentity & { ppid: number }) | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return { pid, ppid: Number(fields[1]), startTicks: fields[19]!, command };
  } catch {
    return undefined;
  }
}

/** Every process below `pid`, at this moment. */
export function descendantsOf(pid: number): ProcessIdentity[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => identityOf(Number(name)))
    .filter((entry) => entry !== undefined);
  const found: ProcessIdentity[] = [];
  const parents = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const entry of all) {
      if (parents.has(entry.ppid) && !parents.has(entry.pid)) {
        parents.add(entry.pid);
        found.push({ pid: entry.pid, startTicks: entry.startTicks, command: entry.command });
        grew = true;
      }
    }
  }
  return found;
}

/** Those of `processes` still running (the same process, not a reused pid). */
export function stillAlive(processes: ProcessIdentity[]): ProcessIdentity[] {
  return processes.filter((entry) => {
    const now = identityOf(entry.pid);
    return now !== undefined && now.startTicks === entry.startTicks && !isZombie(entry.pid);
  });
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
