#!/usr/bin/env node
import { scorerCommand } from './service/scorerCommand.js';

await scorerCommand(process.argv.slice(2));
