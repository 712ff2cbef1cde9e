import { stat } from 'node:fs/promises';
import { glob } from 'tinyglobby';

// Wildcards evalshard reads in a model or corpus path: *, **, ?, [...] and {a,b}.
const WILDCARD = /[*?[{]/;

/**
 * The paths a model or corpus path names: itself where it exists (even with
 * characters a glob would read: "models (v2)"), else, where it holds a
 * wildcard, what the glob matches; else itself, for the caller to report as
 * missing. Parentheses are literal: read as extglob groups they made
 * "/w(rk/corpus.jsonl" a pattern with no fixed folder, a crawl of the whole
 * filesystem that ran out of memory. So did an unclosed brace: a pattern
 * with one matches nothing.
 */
export async function expandPathPattern(path: string, kind: 'files' | 'directories'): Promise<{ pattern: boolean; paths: string[] }> {
  if (!WILDCARD.test(path) || (await stat(path).catch(() => undefined)) !== undefined) return { pattern: false, paths: [path] };
  // An unclosed { or [ matches nothing; handed to the glob it also lost the pattern its fixed folder.
  if (!balanced(path)) return { pattern: true, paths: [] };
  const matches = await glob(path.replace(/[()]/g, '\\$&'), { absolute: true, onlyFiles: kind === 'files', onlyDirectories: kind === 'directories' });
  return { pattern: true, paths: matches.map((match) => match.replace(/\/+$/, '')) };
}

// Every { closed by a } and every [ by a ], in order.
function balanced(path: string): boolean {
  const open: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const char = path[i]!;
    if (char === '\\') i += 1;
    else if (char === '{' || char === '[') open.push(char === '{' ? '}' : ']');
    else if ((char === '}' || char === ']') && open.pop() !== char) return false;
  }
  return open.length === 0;
}
