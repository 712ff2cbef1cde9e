// Builds the native JSONL document pass (native/, Rust, no dependencies) with cargo:
// `evalshard score` runs it for spaCy's families over JSONL files and falls back to its
// JavaScript document pass where it is not built. Generated code is built, never committed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = join(root, 'native', 'Cargo.toml');
// rustup puts cargo in ~/.cargo/bin, which a non-login shell may not have on PATH.
const candidates = [process.env.CARGO, 'cargo', join(homedir(), '.cargo', 'bin', 'cargo')].filter(Boolean);
const cargo = candidates.find((candidate) => {
  try {
    execFileSync(candidate, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
if (cargo === undefined) {
  console.log('native document pass: cargo not found, not built; `evalshard score` scores JSONL in JavaScript (install Rust with rustup, then npm run build)');
  process.exit(0);
}
const binary = join(root, 'native', 'target', 'release', 'evalshard-docpass');
console.log(`native document pass: cargo build --release (scorer/native${existsSync(binary) ? '' : '; a first build takes some seconds'})`);
// No dependencies to fetch: --offline. The lowercase table comes from this Node.js (build.rs).
const result = spawnSync(cargo, ['build', '--release', '--offline', '--quiet', '--manifest-path', manifest], {
  stdio: 'inherit',
  env: { ...process.env, NODE: process.execPath },
});
if (result.status !== 0) {
  console.error('native document pass: cargo build failed (above)');
  process.exit(1);
}
console.log('native document pass: scorer/native/target/release/evalshard-docpass');
