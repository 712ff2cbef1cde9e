#!/usr/bin/env node
import { main } from './cli/main.js';

// `evalshard … | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await main(process.argv.slice(2));
// -1: a long-running service was started and keeps the process alive.
if (code >= 0) process.exit(code);
