// Generates src/gen from the .proto files with buf and ts-proto. Generated
// code is never committed; `npm run build` recreates it.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
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
