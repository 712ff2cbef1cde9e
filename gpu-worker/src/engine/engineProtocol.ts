import type { DescribeModelResponse, EvaluateShardEvent, EvaluateShardRequest, ScoreShardRequest } from '@evalshard/proto';
import { InputError, type InputErrorDetails } from '@evalshard/scorer';
import type { RuntimeOptions } from '../bundle/modelBundle.js';

/** What the evaluation thread starts with (its workerData). */
export interface EngineInit {
  workerId: string;
  runtime: RuntimeOptions;
  maxLoadedModels: number;
  simulateMsPerDoc?: number;
}

/** Main thread → evaluation thread. */
export type EngineRequest =
  | { type: 'evaluate'; id: number; request: EvaluateShardRequest }
  | { type: 'score'; id: number; request: ScoreShardRequest }
  | { type: 'describe'; id: number; modelPath: string }
  | { type: 'cancel'; id: number; reason: string }
  | { type: 'close' };

/** Evaluation thread → main thread. */
export type EngineReply =
  | { type: 'event'; id: number; event: EvaluateShardEvent }
  | { type: 'done'; id: number; model?: DescribeModelResponse }
  | { type: 'failed'; id: number; error: ErrorRecord }
  | { type: 'models'; dirs: string[] }
  | { type: 'closed' };

/**
 * An error as it crosses threads: structured cloning keeps an Error's message
 * but not an InputError's file, byte offset, field and code, which callers
 * act on.
 */
export interface ErrorRecord {
  message: string;
  input?: Omit<InputErrorDetails, 'cause'>;
}

export function errorRecord(error: unknown): ErrorRecord {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof InputError)) return { message };
  return { message, input: { field: error.field, file: error.file, byteOffset: error.byteOffset, code: error.code, stage: error.stage } };
}

export function errorFromRecord(record: ErrorRecord): Error {
  return record.input === undefined ? new Error(record.message) : new InputError(record.message, record.input);
}
