#!/usr/bin/env node
import { main } from './cli/main.js';

const code = await main(process.argv.slice(2));
// -1: a long-running service was started and keeps the process alive.
if (code >= 0) process.exit(code);
