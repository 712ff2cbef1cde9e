import { readFileSync } from 'node:fs';
import type { TlsFiles } from './grpcChannel.js';

export interface TlsPaths {
  ca?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
}

/** Reads PEM files named on a command line; undefined when none are named. */
export function readTlsFiles(paths: TlsPaths): TlsFiles | undefined {
  if (paths.ca === undefined && paths.cert === undefined && paths.key === undefined) return undefined;
  return {
    ca: paths.ca === undefined ? undefined : readFileSync(paths.ca),
    cert: paths.cert === undefined ? undefined : readFileSync(paths.cert),
    key: paths.key === undefined ? undefined : readFileSync(paths.key),
  };
}
