import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

export interface SupervisedProcessOptions {
  name: string;
  command: string;
  /** Arguments for a start on `port` (0 on the first start: the service picks one). */
  args: (port: number) => string[];
  logFile: string;
  /** Start it again when it dies without being asked to. */
  restart: boolean;
  maxRestarts?: number;
  startTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** False for programs that print no ready line: start() resolves once spawned. */
  readyLine?: boolean;
  onRestart?: (name: string, restarts: number, exit: string) => void;
  onExit?: (name: string, exit: string) => void;
}

const STOP_GRACE_MS = 5_000;
const RESTART_DELAY_MS = 250;

// Whatever is still running when this process exits goes with it, with
// whatever it started (each child leads its own process group).
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal);
  }
}

/**
 * A service process that prints `{"event":"listening","port":N}` when ready.
 * Restarts it on the same port when it dies, so clients only see a short
 * outage; logs go to a file.
 */
export class SupervisedProcess {
  private child: ChildProcess | undefined;
  private lastExit: string | undefined;
  private stopping = false;
  private boundPort = 0;
  private restartCount = 0;
  private readonly log: WriteStream;

  constructor(private readonly options: SupervisedProcessOptions) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    this.log = createWriteStream(options.logFile, { flags: 'a' });
  }

  get port(): number {
    return this.boundPort;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get name(): string {
    return this.options.name;
  }

  /** How it ended, while it is not running (nor about to be restarted); undefined while it runs. */
  get down(): string | undefined {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null ? undefined : this.lastExit;
  }

  get logFile(): string {
    return this.options.logFile;
  }

  get restarts(): number {
    return this.restartCount;
  }

  async start(): Promise<number> {
    this.boundPort = await this.spawnOnce(this.boundPort);
    return this.boundPort;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  private spawnOnce(port: number): Promise<number> {
    const { options } = this;
    return new Promise((resolve, reject) => {
      const child = spawn(options.command, options.args(port), {
        env: options.env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group: a Ctrl-C at the terminal reaches only the
        // supervisor, which stops the services in order.
        detached: true,
      });
      this.child = child;
      live.add(child);
      let ready = options.readyLine === false;
      if (ready) resolve(port);
      let stderrTail = '';
      const timer = setTimeout(() => {
        if (!ready) {
          child.kill('SIGKILL');
          reject(new Error(`${options.name} did not report ready within ${options.startTimeoutMs ?? 60_000} ms`));
        }
      }, options.startTimeoutMs ?? 60_000);
      child.stderr!.on('data', (chunk: Buffer) => {
        this.log.write(chunk);
        stderrTail = (stderrTail + chunk.toString()).slice(-2_000);
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        this.log.write(`${line}\n`);
        if (ready) return;
        try {
          const message = JSON.parse(line) as { event?: string; port?: number };
          if (message.event === 'listening' && typeof message.port === 'number') {
            ready = true;
            clearTimeout(timer);
            resolve(message.port);
          }
        } catch {
          // not the ready line
        }
      });
      child.once('exit', (code, signal) => {
        live.delete(child);
        clearTimeout(timer);
        const how = signal === null ? `exit code ${code}` : `signal ${signal}`;
        this.lastExit = `ended with ${how}`;
        this.log.write(`[supervisor] ${options.name} ended with ${how}\n`);
        options.onExit?.(options.name, how);
        if (!ready) {
          reject(new Error(`${options.name} ended with ${how} before it was ready: ${stderrTail.trim()}`));
          return;
        }
        if (this.stopping || !options.restart) return;
        if (this.restartCount >= (options.maxRestarts ?? 20)) {
          this.log.write(`[supervisor] ${options.name}: restart limit reached\n`);
          return;
        }
        this.restartCount += 1;
        options.onRestart?.(options.name, this.restartCount, how);
        setTimeout(() => {
          if (this.stopping) return;
          this.spawnOnce(this.boundPort).catch((error: unknown) =>
            this.log.write(`[supervisor] ${options.name} failed to restart: ${String(error)}\n`),
          );
        }, RESTART_DELAY_MS);
      });
    });
  }
}
