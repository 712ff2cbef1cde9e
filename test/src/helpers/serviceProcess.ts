import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CLI } from './paths.js';

export interface ServiceProcess {
  child: ChildProcess;
  /** The line that matched `ready`. */
  line: string;
  /** The port a service announced in its "listening" line. */
  port: number;
  /** Every stderr line so far. */
  stderr: string[];
}

const started: ChildProcess[] = [];

/** Starts `evalshard ARGS…` and resolves once a line of its output matches `ready`. */
export function startService(args: string[], ready: RegExp = /"listening"/, env: NodeJS.ProcessEnv = process.env): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  started.push(child);
  const stderr: string[] = [];
  return new Promise((resolve, reject) => {
    const onLine = (line: string) => {
      if (!ready.test(line)) return;
      const port = line.startsWith('{') ? ((JSON.parse(line) as { port?: number }).port ?? 0) : 0;
      resolve({ child, line, port, stderr });
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', (line) => {
      stderr.push(line);
      onLine(line);
    });
    child.once('exit', (code) => reject(new Error(`evalshard ${args[0]} exited with ${code} before it was ready: ${stderr.join('\n')}`)));
  });
}

/** Stops every service these tests started. */
export function stopServices(): void {
  for (const child of started.splice(0)) child.kill('SIGTERM');
}

/** Resident memory of a process, from /proc. */
export function residentBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}
