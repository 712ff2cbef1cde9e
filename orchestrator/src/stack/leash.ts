/**
 * `node leash.js COMMAND ARGS…`: runs a program that cannot watch its parent
 * (the Temporal dev server, a Go build) and ends it, with every process it
 * started, when the process that started the leash dies, however it dies
 * (SIGKILL included): the parent's death shows as a new parent pid. Signals
 * to the leash go to the program; the leash exits as the program did.
 */
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  process.stderr.write('usage: node leash.js COMMAND [ARGS…]\n');
  process.exit(2);
}
const parent = process.ppid;
// Its own process group, so that ending it reaches its children too.
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
const signalGroup = (signal: NodeJS.Signals) => {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
};
const end = (signal: NodeJS.Signals) => {
  signalGroup(signal);
  setTimeout(() => signalGroup('SIGKILL'), 3_000).unref();
};
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => end(signal));
const watch = setInterval(() => {
  if (process.ppid !== parent) end('SIGTERM');
}, 250);
child.once('error', (error) => {
  process.stderr.write(`leash: cannot start ${command}: ${error.message}\n`);
  process.exit(127);
});
child.once('exit', (code, signal) => {
  clearInterval(watch);
  if (signal !== null) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
});
