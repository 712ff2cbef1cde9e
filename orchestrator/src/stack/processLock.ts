import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Who holds a lock: a live process, named so that a user can find it. */
export interface LockHolder {
  pid: number;
  /** The process's start time in clock ticks since boot (Linux), so a reused pid is not mistaken for it. */
  startTicks: string | null;
  acquiredAt: string;
  /** What the holder is doing, in words (the command line, the run). */
  purpose: string;
}

/**
 * A lock file held by this process: created exclusively, removed when
 * released or when the process exits; one whose holder died (even by
 * SIGKILL) is taken over.
 */
export class ProcessLock {
  private released = false;
  private readonly onExit = () => this.release();

  private constructor(readonly path: string) {
    process.once('exit', this.onExit);
  }

  /** Takes the lock, or tells who holds it. */
  static tryAcquire(path: string, purpose: string): ProcessLock | LockHolder {
    mkdirSync(dirname(path), { recursive: true });
    const holder: LockHolder = { pid: process.pid, startTicks: startTicksOf(process.pid), acquiredAt: new Date().toISOString(), purpose };
    // Written aside and linked into place, so the lock never exists half-written.
    const draft = `${path}.${process.pid}.draft`;
    writeFileSync(draft, `${JSON.stringify(holder)}\n`);
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          linkSync(draft, path);
          return new ProcessLock(path);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const current = readHolder(path);
        if (current !== undefined && isAlive(current)) return current;
        // The holder died without releasing it: move its file aside (atomically) and try again.
        const aside = `${path}.stale-${process.pid}`;
        try {
          renameSync(path, aside);
          const moved = readHolder(aside);
          // Another process took it over in between: give its lock back.
          if (moved !== undefined && isAlive(moved)) linkSync(aside, path);
          unlinkSync(aside);
        } catch (error) {
          if (!['ENOENT', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
        }
      }
    } finally {
      unlinkSync(draft);
    }
    throw new Error(`cannot take the lock ${path}`);
  }

  /** The live holder of a lock, if any. */
  static holder(path: string): LockHolder | undefined {
    const current = readHolder(path);
    return current !== undefined && isAlive(current) ? current : undefined;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    process.off('exit', this.onExit);
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}

/** "pid 1234, since 10:02:11: <purpose>" */
export function describeHolder(holder: LockHolder): string {
  const since = holder.acquiredAt.replace(/^.*T/, '').replace(/\..*$/, '');
  return `pid ${holder.pid}, since ${since} UTC: ${holder.purpose}`;
}

function readHolder(path: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch {
    // Missing, or half-written by a holder that died while writing it.
    return undefined;
  }
}

function isAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const ticks = startTicksOf(holder.pid);
  return holder.startTicks === null || ticks === null || ticks === holder.startTicks;
}

// Field 22 of /proc/<pid>/stat; the command name before it may hold spaces and parentheses.
function startTicksOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
