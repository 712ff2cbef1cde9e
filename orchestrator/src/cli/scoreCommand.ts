import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatOf, InputError, type DocFormat } from '@evalshard/scorer';
import { loadScoreConfig, type ScoreConfig } from '../score/scoreConfig.js';
import { scoreOptionsFor, type ScoreFlags } from '../score/scoreOptions.js';
import { scoreSinglePass } from '../score/scoreSinglePass.js';
import { surveyGold } from '../score/surveyGold.js';
import { describeFailure } from './describeFailure.js';
import { EXIT_BAD_INPUT, EXIT_FAILED } from './runCommand.js';
import { scoreTable } from './scoreTable.js';

export interface ScoreCommandOptions extends ScoreFlags {
  gold: string;
  pred: string;
  format?: DocFormat;
  config?: string;
  json?: string;
}

/** `evalshard score`: scores existing predictions against gold; returns the exit code. */
export async function scoreCommand(options: ScoreCommandOptions): Promise<number> {
  try {
    const config: ScoreConfig = options.config === undefined ? {} : await loadScoreConfig(options.config);
    const gold = resolve(options.gold);
    const predicted = resolve(options.pred);
    const format = options.format ?? config.format ?? formatOf(gold);
    const planStarted = performance.now();
    const survey = await surveyGold(gold, format);
    const scorerOptions = scoreOptionsFor(options, config, survey);
    const planMs = Math.round(performance.now() - planStarted);
    const report = await scoreSinglePass({
      gold,
      predicted,
      format,
      options: scorerOptions,
      runId: `score-${randomBytes(4).toString('hex')}`,
      planMs,
    });
    process.stdout.write(`${scoreTable(report.scores)}\n\n`);
    process.stdout.write(
      `scored ${report.run.docs} documents (${report.run.families.join(', ')}) in ${(report.run.timings.wallMs / 1000).toFixed(1)} s\n`,
    );
    if (options.json !== undefined) {
      await writeFile(resolve(options.json), `${JSON.stringify(report, null, 2)}\n`);
      process.stderr.write(`report written to ${options.json}\n`);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`error: ${describeFailure(error).message}\n`);
    return error instanceof InputError ? EXIT_BAD_INPUT : EXIT_FAILED;
  }
}
