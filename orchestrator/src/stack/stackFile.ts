import { readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ProcessLock } from './processLock.js';

/** Where a running `evalshard up` serves, for the commands that use it. */
export interface StackInfo {
  pid: number;
  stateDir: string;
  startedAt: string;
  temporalAddress: string;
  /** The Temporal Web UI, e.g. http://127.0.0.1:8233. */
  uiUrl: string | null;
  namespace: string;
  taskQueue: string;
  scorerAddress: string;
  workerAddresses: string[];
  /** The stack's bearer token; the file is readable by its owner only. */
  authToken?: string;
}

export function stackFilePath(stateDir: string): string {
  return join(resolve(stateDir), 'stack.json');
}

export function stackLockPath(stateDir: string): string {
  return join(resolve(stateDir), 'stack.lock');
}

export function writeStackInfo(info: StackInfo): void {
  const path = stackFilePath(info.stateDir);
  rmSync(`${path}.draft`, { force: true });
  writeFileSync(`${path}.draft`, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${path}.draft`, path);
}

export function removeStackInfo(stateDir: string): void {
  try {
    unlinkSync(stackFilePath(stateDir));
  } catch {
    // already gone
  }
}

/**
 * The `evalshard up` serving this state directory, if one is alive: its
 * stack file names it and it still holds the directory's lock (a killed one
 * leaves a stale file, which this ignores).
 */
export function readStackInfo(stateDir: string): StackInfo | undefined {
  let info: StackInfo;
  try {
    info = JSON.parse(readFileSync(stackFilePath(stateDir), 'utf8')) as StackInfo;
  } catch {
    return undefined;
  }
  const holder = ProcessLock.holder(stackLockPath(stateDir));
  return holder !== undefined && holder.pid === info.pid ? info : undefined;
}

/** The Web UI page of a workflow. */
export function workflowUiLink(uiUrl: string | null, namespace: string, workflowId: string): string | null {
  if (uiUrl === null) return null;
  return `${uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
