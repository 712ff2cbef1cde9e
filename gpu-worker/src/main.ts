#!/usr/bin/env node
import { gpuWorkerCommand } from './server/gpuWorkerCommand.js';

await gpuWorkerCommand(process.argv.slice(2));
