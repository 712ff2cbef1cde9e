import { fileURLToPath } from 'node:url';

export const repoPath = (relative: string): string => fileURLToPath(new URL(`../../../${relative}`, import.meta.url));
export const DEMO_SPEC = repoPath('examples/spamassassin.yaml');
export const DEMO_MODEL = repoPath('examples/spamassassin/model');
export const DEMO_CORPUS = repoPath('examples/spamassassin/test.jsonl');
export const CLI = repoPath('bin/evalshard.js');
