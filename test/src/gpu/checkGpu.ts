// npm run check:gpu — on a host with an NVIDIA GPU and onnxruntime-node's
// CUDA binaries, runs the exactness checks with the CUDA execution provider:
// logits the same bytes in any batch composition, a dynamically quantized
// copy detected and run one document per call, and full-stack runs of the
// three transformer bundles at 1, 7 and 64 shards with 1 and 2 workers equal
// to one pass. Says plainly when there is no GPU to check.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelBundle } from '@evalshard/gpu-worker';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function gpus(): string[] {
  try {
    return execFileSync('nvidia-smi', ['-L'], { encoding: 'utf8' }).split('\n').filter((line) => line.startsWith('GPU'));
  } catch (error) {
    console.log(`check:gpu — NOT CHECKED: no NVIDIA GPU here (nvidia-smi: ${(error as Error).message.split('\n')[0]}).`);
    console.log('  The CUDA checks need a GPU host; on CPU, npm test runs the same checks with the CPU execution provider.');
    process.exit(0);
  }
}

const found = gpus();
if (found.length === 0) {
  console.log('check:gpu — NOT CHECKED: nvidia-smi lists no GPU.');
  process.exit(0);
}
console.log(`check:gpu — ${found.join('; ')}`);
try {
  const bundle = await loadModelBundle(join(root, 'examples/transformers/pos/model'), { executionProviders: ['cuda'], intraOpThreads: 1 });
  await bundle.release();
} catch (error) {
  console.log(`check:gpu — FAILED: onnxruntime-node cannot use CUDA here: ${(error as Error).message}`);
  console.log('  Install onnxruntime-node with its CUDA binaries (see infra/cluster/README.md), then run this again.');
  process.exit(1);
}
const run = spawnSync(
  'npx',
  [
    'vitest', 'run', '--project', 'integration',
    'test/src/integration/batchInvariance.test.ts', 'test/src/integration/transformerBundles.test.ts',
    '-t', 'exact mode|quantized|full stack',
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, EVALSHARD_EXECUTION_PROVIDERS: 'cuda' } },
);
console.log(run.status === 0 ? 'check:gpu — PASSED with the CUDA execution provider' : 'check:gpu — FAILED (see above)');
process.exit(run.status ?? 1);
