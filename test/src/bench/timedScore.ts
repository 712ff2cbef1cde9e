// A child of bench:scorer: scores a pair of files in a fresh process, as `evalshard score` does without
// --shards, `passes` times over, and prints the seconds of each pass. The first pass is what a command
// pays (its code not yet compiled); the later ones, a process that has already scored that much.
//   node test/dist/bench/timedScore.js GOLD PRED FORMAT OPTIONS_JSON PASSES
import { statSync } from 'node:fs';
import { finalizeMetricStates, initMetricStates, pairDocs, readDocs, updateMetricStates, type DocFormat, type ScorerOptions } from '@evalshard/scorer';

const [gold, predicted, format, optionsJson, passes] = process.argv.slice(2) as [string, string, DocFormat, string, string];
const options = JSON.parse(optionsJson) as ScorerOptions;
const seconds: number[] = [];
let docs = 0;
for (let pass = 0; pass < Number(passes); pass++) {
  const started = performance.now();
  const states = initMetricStates(options);
  docs = 0;
  const examples = pairDocs(
    readDocs(gold, format, { start: 0, end: statSync(gold).size }),
    readDocs(predicted, format, { start: 0, end: statSync(predicted).size, role: 'predicted' }),
  );
  for await (const example of examples) {
    updateMetricStates(states, example);
    docs++;
  }
  finalizeMetricStates(states);
  seconds.push((performance.now() - started) / 1000);
}
console.log(JSON.stringify({ docs, seconds }));
