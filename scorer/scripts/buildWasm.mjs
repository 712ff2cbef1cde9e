// Assembles the scorer's WebAssembly (src/**/*.wat) into dist/, beside the compiled TypeScript:
// generated code is built, never committed.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = await wabt();
const sources = readdirSync(join(root, 'src'), { recursive: true }).filter((name) => String(name).endsWith('.wat'));
for (const name of sources) {
  const source = join(root, 'src', String(name));
  const module = tools.parseWat(source, readFileSync(source, 'utf8'), { bulk_memory: true, mutable_globals: true });
  try {
    module.validate();
    const target = join(root, 'dist', String(name).replace(/\.wat$/, '.wasm'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, module.toBinary({}).buffer);
    console.log(`assembled ${relative(root, source)} -> ${relative(root, target)}`);
  } finally {
    module.destroy();
  }
}
