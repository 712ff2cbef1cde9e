import { connectControl, type ControlOptions } from '../control/connectControl.js';
import { controlFailure } from '../control/controlFailure.js';
import { table } from '../runs/runsCommand.js';
import { comparableRun } from './comparableRun.js';
import { compareRuns, type RunComparison } from './compareRuns.js';

/** `evalshard compare RUN_A RUN_B`: B against A, key by key, with a paired bootstrap where the runs allow it. */
export async function compareCommand(a: string, b: string, options: ControlOptions & { keys?: string[]; json: boolean }): Promise<number> {
  const control = connectControl(options);
  try {
    const scorer = control.scorer();
    const runA = await comparableRun(scorer, a);
    const runB = await comparableRun(scorer, b);
    const comparison = compareRuns(runA, runB, { keys: options.keys });
    process.stdout.write(options.json ? `${JSON.stringify(comparison, null, 2)}\n` : formatComparison(comparison));
    return 0;
  } catch (error) {
    return controlFailure(error);
  } finally {
    await control.close();
  }
}

export function formatComparison(comparison: RunComparison): string {
  const number = (value: number | null) => (value === null ? 'null' : String(Number(value.toPrecision(6))));
  const signed = (value: number | null) => (value === null ? 'null' : `${value >= 0 ? '+' : ''}${number(value)}`);
  const percent = Math.round(comparison.confidence * 100);
  const rows = comparison.keys.map((key) => [
    key.key,
    number(key.a),
    number(key.b),
    signed(key.difference),
    key.interval === null ? '-' : `[${signed(key.interval[0])}, ${signed(key.interval[1])}]`,
    key.pValue === null ? '-' : number(key.pValue),
  ]);
  const head = `B = ${comparison.b} against A = ${comparison.a}: ` +
    (comparison.paired
      ? `paired bootstrap over ${comparison.keys[0]?.replicates ?? 0} replicates`
      : `no paired bootstrap (${comparison.reason})`);
  return `${head}\n${table(['KEY', 'A', 'B', 'B − A', `${percent} % INTERVAL`, 'P'], rows)}`;
}
