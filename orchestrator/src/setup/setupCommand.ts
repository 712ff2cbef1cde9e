import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { provideTemporalCli, SetupError } from './provideTemporalCli.js';

/**
 * `evalshard setup`: provides what the embedded stack needs ahead of its
 * first run (the Temporal CLI, built once with Go when none is installed), so
 * that a first `evalshard run` starts at once. Returns the exit code.
 */
export async function setupCommand(): Promise<number> {
  try {
    const cli = await provideTemporalCli();
    const { stdout } = await promisify(execFile)(cli, ['--version']);
    process.stdout.write(`Temporal CLI: ${cli} (${stdout.trim()})\nready: evalshard run and evalshard score --shards can start the embedded stack\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`error: ${error instanceof SetupError ? error.message : String(error)}\n`);
    return 1;
  }
}
