import { writeFileSync, readFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { MetricStates as M } from '@evalshard/proto';
import { documentPass, encodeMetricStates, EncodedStatesMerge } from '@evalshard/scorer';
const fx = JSON.parse(readFileSync('test/fixtures/docs-oracle.json', 'utf8'));
const pairs = fx.cases.flatMap((c) => c.docs);
const dir = mkdtempSync('/tmp/mp-');
const sets = { all: ['tokenization', 'sents', 'tag', 'pos', 'morph', 'morph_per_feat', 'deps', 'ents', 'lemma', 'spans:sc'], deps: ['deps'], rest: ['tokenization', 'sents', 'tag', 'pos', 'morph', 'morph_per_feat', 'ents', 'lemma', 'spans:sc'] };
const parts = {};
for (const [name, families] of Object.entries(sets)) {
  parts[name] = [];
  for (let k = 0; k < 200; k++) {
    const sp = pairs.slice((k * 3) % pairs.length, ((k * 3) % pairs.length) + 3);
    writeFileSync(join(dir, 'g'), sp.map((p) => p.gold).join('\n')); writeFileSync(join(dir, 'p'), sp.map((p) => p.pred).join('\n'));
    const { states } = await documentPass(join(dir, 'g'), join(dir, 'p'), 'jsonl', { families });
    parts[name].push(M.encode(encodeMetricStates(states)).finish());
  }
}
for (let r = 0; r < 3; r++) {
  const out = [];
  for (const [name, families] of Object.entries(sets)) {
    const t = performance.now();
    const m = new EncodedStatesMerge({ families });
    for (let i = 0; i < 100000; i++) m.push(parts[name][i % 200]);
    m.result();
    out.push(`${name} ${((performance.now() - t) / 100).toFixed(2)} µs`);
  }
  console.log(out.join('  '));
}
