import { fileURLToPath } from 'node:url';

/** The leash script (see leash.ts), to run as `node LEASH_PATH COMMAND ARGS…`. */
export const LEASH_PATH = fileURLToPath(new URL('./leash.js', import.meta.url));
