// Generates src/gen from the .proto files with buf and ts-proto. Generated
// code is never committed; `npm run build` recreates it.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const protoDir = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const buf = join(dirname(require.resolve('@bufbuild/buf/package.json')), 'bin', 'buf');
const tsProtoBin = dirname(require.resolve('ts-proto/protoc-gen-ts_proto'));

rmSync(join(protoDir, 'src', 'gen'), { recursive: true, force: true });
execFileSync(buf, ['generate'], {
  cwd: protoDir,
  stdio: 'inherit',
  env: { ...process.env, PATH: `${tsProtoBin}:${process.env.PATH}` },
});

// uint64 fields through src/fastWire.ts: the same bytes and numbers, without BigInt and string round trips.
const generated = join(protoDir, 'src', 'gen', 'evalshard', 'v1');
for (const name of readdirSync(generated).filter((file) => file.endsWith('.ts'))) {
  const path = join(generated, name);
  const text = readFileSync(path, 'utf8');
  const patched = text
    .replaceAll('new BinaryWriter()', 'new FastBinaryWriter()')
    .replaceAll('longToNumber(reader.uint64())', 'readUint64Number(reader)')
    .replace(/^(import \{ BinaryReader, BinaryWriter \} from "@bufbuild\/protobuf\/wire";)$/m, '$1\nimport { FastBinaryWriter, readUint64Number } from "../../../fastWire.js";');
  if (patched.includes('longToNumber(reader.uint64())') || (patched !== text && !patched.includes('fastWire.js'))) {
    throw new Error(`${name}: the generated code no longer has the shape generate.mjs patches`);
  }
  writeFileSync(path, patched);
}
