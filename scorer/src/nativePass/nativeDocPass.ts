import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FamilyState, MetricStates as MetricStatesMessage } from '@evalshard/proto';
import { createFamilies } from '../families/createFamilies.js';
import { decodeMetricStates, type MetricStates } from '../metricStates.js';
import type { ScorerOptions } from '../scorerOptions.js';

/** The families the native pass scores; any other in a run leaves it to the document pass. */
const NATIVE_FAMILIES = new Set(['tokenization', 'sents', 'tag', 'pos', 'morph', 'lemma', 'morph_per_feat', 'ents']);

export interface NativeDocPass {
  states: MetricStates;
  docs: number;
}

/**
 * Where `npm run build` puts the native pass (scorer/native), or
 * EVALSHARD_DOCPASS; `EVALSHARD_DOCPASS=off` turns it off.
 */
export function nativeDocPassBinary(): string | undefined {
  const configured = process.env.EVALSHARD_DOCPASS;
  if (configured === 'off') return undefined;
  const path = configured ?? fileURLToPath(new URL('../../native/target/release/evalshard-docpass', import.meta.url));
  return existsSync(path) ? path : undefined;
}

/**
 * spaCy's families over a gold and a predicted JSONL file in a native
 * process (scorer/native): records parsed and scored without building a
 * JavaScript object per token. It takes the plain case only — every record
 * one docFromJson accepts in its plain forms, documents that pair and align
 * — and gives null anywhere else (and where it is not built, or the run asks
 * for a family, a bootstrap or an option it lacks), so that documentPass
 * scores the files or says what is wrong and where. On the plain case both
 * give the same states.
 */
export async function nativeDocPass(
  gold: string,
  predicted: string,
  options: ScorerOptions,
  onProgress?: (docs: number, bytes: number) => void,
): Promise<NativeDocPass | null> {
  const binary = nativeDocPassBinary();
  const args = binary === undefined ? undefined : familyArguments(options);
  if (binary === undefined || args === undefined) return null;
  const child = spawn(binary, [`--unicode=${process.versions.unicode}`, gold, predicted, basename(gold), basename(predicted), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The child ends with its parent, however the parent ends.
  const stop = () => child.kill('SIGKILL');
  process.once('exit', stop);
  let result: string | undefined;
  let pending = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (data: string) => {
    const lines = (pending + data).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith('progress ')) {
        const [, docs, bytes] = line.split(' ');
        onProgress?.(Number(docs), Number(bytes));
      } else {
        result = line;
      }
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (data: string) => (stderr += data));
  const ended = await new Promise<string | number>((resolve) => {
    child.on('error', (error) => resolve(`did not start: ${error.message}`));
    child.on('close', (exitCode, signal) => resolve(exitCode ?? `killed by ${signal}`));
  });
  process.removeListener('exit', stop);
  if (ended === 0 && result?.startsWith('states ')) return statesOf(result.slice('states '.length), options);
  if (ended !== 3) {
    // Not a case it leaves to JavaScript: a fault of the native pass. The document pass still scores the files.
    const how = typeof ended === 'number' ? `exit ${ended}` : ended;
    process.stderr.write(`evalshard: the native document pass failed (${how}${stderr === '' ? '' : `: ${stderr.trim()}`}); scoring in JavaScript\n`);
  }
  return null;
}

// The native pass's arguments for a run's families, in report order (deps and span groups with their
// options); undefined where it lacks one.
function familyArguments(options: ScorerOptions): string[] | undefined {
  if (options.bootstrap !== undefined || options.textcat !== undefined) return undefined;
  const args: string[] = [];
  for (const family of createFamilies(options)) {
    if (family.name.startsWith('spans:')) {
      const key = family.name.slice('spans:'.length);
      const allowOverlap = options.spanGroups?.find((group) => group.key === key)?.allowOverlap ?? true;
      args.push(`spans=${allowOverlap ? 1 : 0}:${key}`);
    } else if (family.name === 'deps') {
      args.push(`deps=${options.depsMissingIndices ?? 'reference'}`);
    } else if (NATIVE_FAMILIES.has(family.name)) {
      args.push(family.name);
    } else {
      return undefined;
    }
  }
  return args;
}

interface NativeStates {
  docs: number;
  families: Array<Pick<FamilyState, 'family' | 'annotatedDocs'> & Partial<Pick<FamilyState, 'counts' | 'deps'>>>;
}

function statesOf(json: string, options: ScorerOptions): NativeDocPass {
  const native = JSON.parse(json) as NativeStates;
  const message: MetricStatesMessage = {
    families: native.families.map((family) => ({ counts: [], labels: [], deps: undefined, textcat: undefined, ...family })),
    replicates: [],
  };
  return { states: decodeMetricStates(message, options), docs: native.docs };
}
