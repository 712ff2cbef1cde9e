// A child of bench:scorer: `evalshard score` without --shards, in a fresh process, `passes` times over,
// printing the seconds of each pass: the options from the flags as the command makes them (reading the
// gold first only where they depend on it), the single pass and the files' digests. The first pass is
// what a command pays (its code not yet compiled); the later ones, a process that has already scored.
//   node test/dist/bench/timedScore.js GOLD PRED FORMAT FLAGS_JSON PASSES
// The modules `evalshard score` loads for a single pass (its command module), not the package's whole
// surface: Temporal's client and the embedded stack are loaded by distributed runs only.
import '../../../orchestrator/dist/cli/scoreCommand.js';
import { singlePassScoreOptions, type ScoreFlags } from '../../../orchestrator/dist/score/scoreOptions.js';
import { scoreSinglePass } from '../../../orchestrator/dist/score/scoreSinglePass.js';
import type { DocFormat } from '@evalshard/scorer';

const [gold, predicted, format, flagsJson, passes] = process.argv.slice(2) as [string, string, DocFormat, string, string];
const flags = JSON.parse(flagsJson) as ScoreFlags;
const seconds: number[] = [];
let docs = 0;
let taken: string | undefined;
for (let pass = 0; pass < Number(passes); pass++) {
  const started = performance.now();
  const options = await singlePassScoreOptions(flags, {}, gold, format);
  const report = await scoreSinglePass({ gold, predicted, format, options, runId: `bench-${pass}` });
  docs = report.run.docs;
  taken = report.run.pass;
  seconds.push((performance.now() - started) / 1000);
}
console.log(JSON.stringify({ docs, pass: taken, seconds }));
