// Bundles the workflow code once at build time; workers load the bundle
// instead of running webpack at every start.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const workflowsPath = fileURLToPath(new URL('../dist/workflows/index.js', import.meta.url));
const bundlePath = fileURLToPath(new URL('../dist/workflow-bundle.js', import.meta.url));
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error };
const { code } = await bundleWorkflowCode({ workflowsPath, logger: quiet });
await writeFile(bundlePath, code);
console.log(`workflow bundle: ${bundlePath} (${(code.length / 1e6).toFixed(1)} MB)`);
