#!/usr/bin/env node
import '../orchestrator/dist/cli.js';
