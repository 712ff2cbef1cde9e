// A child of bench:scorer: the least a fresh Node process can do with the benchmark's files, timed as
// timedScore times a pass: read both, split them into lines, and JSON.parse each line (jsonl) or split
// it at tabs (iob). No scoring: what no scorer that reads records or lines as strings can go below on a first pass
// (the IOB seqeval pass reads bytes in WebAssembly, and does).
//   node test/dist/bench/readFloor.js GOLD PRED FORMAT
import { readFile } from 'node:fs/promises';

const [gold, predicted, format] = process.argv.slice(2) as [string, string, 'jsonl' | 'iob'];
const started = performance.now();
let fields = 0;
for (const path of [gold, predicted]) {
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    if (line === '') continue;
    if (format === 'jsonl') fields += Object.keys(JSON.parse(line) as object).length;
    else fields += line.split('\t').length;
  }
}
console.log(JSON.stringify({ fields, seconds: (performance.now() - started) / 1000 }));
