import { InputError } from '../errors.js';
import type { Chunk } from './conllChunks.js';

export type TagScheme = 'IOB1' | 'IOE1' | 'IOB2' | 'IOE2' | 'IOBES' | 'BILOU';
export const TAG_SCHEMES: readonly TagScheme[] = ['IOB1', 'IOE1', 'IOB2', 'IOE2', 'IOBES', 'BILOU'];

type Prefix = 'I' | 'O' | 'B' | 'E' | 'S' | 'U' | 'L';
type Condition = 'same' | 'diff' | 'any';
type Pattern = readonly [previous: Prefix[] | 'any', current: Prefix[] | 'any', condition: Condition];

interface SchemeRules {
  allowed: Prefix[];
  start: Pattern[];
  inside: Pattern[];
  end: Pattern[];
}

// seqeval.scheme, pattern for pattern.
const RULES: Record<TagScheme, SchemeRules> = {
  IOB1: {
    allowed: ['I', 'O', 'B'],
    start: [[['O'], ['I'], 'any'], [['I'], ['I'], 'diff'], [['B'], ['I'], 'any'], [['I'], ['B'], 'same'], [['B'], ['B'], 'same']],
    inside: [[['B'], ['I'], 'same'], [['I'], ['I'], 'same']],
    end: [
      [['I'], ['I'], 'diff'], [['I'], ['O'], 'any'], [['I'], ['B'], 'any'], [['B'], ['O'], 'any'], [['B'], ['I'], 'diff'],
      [['B'], ['B'], 'same'],
    ],
  },
  IOE1: {
    allowed: ['I', 'O', 'E'],
    start: [[['O'], ['I'], 'any'], [['I'], ['I'], 'diff'], [['E'], ['I'], 'any'], [['E'], ['E'], 'same']],
    inside: [[['I'], ['I'], 'same'], [['I'], ['E'], 'same']],
    end: [[['I'], ['I'], 'diff'], [['I'], ['O'], 'any'], [['I'], ['E'], 'diff'], [['E'], ['I'], 'same'], [['E'], ['E'], 'same']],
  },
  IOB2: {
    allowed: ['I', 'O', 'B'],
    start: [['any', ['B'], 'any']],
    inside: [[['B'], ['I'], 'same'], [['I'], ['I'], 'same']],
    end: [
      [['I'], ['O'], 'any'], [['I'], ['I'], 'diff'], [['I'], ['B'], 'any'], [['B'], ['O'], 'any'], [['B'], ['I'], 'diff'],
      [['B'], ['B'], 'any'],
    ],
  },
  IOE2: {
    allowed: ['I', 'O', 'E'],
    start: [
      [['O'], ['I'], 'any'], [['O'], ['E'], 'any'], [['E'], ['I'], 'any'], [['E'], ['E'], 'any'], [['I'], ['I'], 'diff'],
      [['I'], ['E'], 'diff'],
    ],
    inside: [[['I'], ['E'], 'same'], [['I'], ['I'], 'same']],
    end: [[['E'], 'any', 'any']],
  },
  IOBES: {
    allowed: ['I', 'O', 'B', 'E', 'S'],
    start: [['any', ['B'], 'any'], ['any', ['S'], 'any']],
    inside: [[['B'], ['I'], 'same'], [['B'], ['E'], 'same'], [['I'], ['I'], 'same'], [['I'], ['E'], 'same']],
    end: [[['S'], 'any', 'any'], [['E'], 'any', 'any']],
  },
  BILOU: {
    allowed: ['B', 'I', 'L', 'O', 'U'],
    start: [['any', ['B'], 'any'], ['any', ['U'], 'any']],
    inside: [[['B'], ['I'], 'same'], [['B'], ['L'], 'same'], [['I'], ['I'], 'same'], [['I'], ['L'], 'same']],
    end: [[['U'], 'any', 'any'], [['L'], 'any', 'any']],
  },
};

const PREFIXES = new Set<string>(['I', 'O', 'B', 'E', 'S', 'U', 'L']);

interface SchemeToken {
  text: string;
  prefix: Prefix;
  type: string;
}

/**
 * seqeval's strict mode (`Entities` with an explicit scheme): only entities
 * well formed under the scheme count; a tag whose prefix the scheme does not
 * allow is an error, as in seqeval.
 */
export function strictChunks(tags: readonly string[], scheme: TagScheme, where: () => string): Chunk[] {
  const rules = RULES[scheme];
  const tokens = [...tags, 'O'].map((text) => parseToken(text, where));
  const chunks: Chunk[] = [];
  let previous = tokens[tokens.length - 1]!; // the outside token
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (!rules.allowed.includes(token.prefix)) {
      throw new InputError(
        `${where()}: invalid tag "${token.text}" for scheme ${scheme}; allowed prefixes are ${rules.allowed.join(', ')}`,
        { code: 'BAD_TAG' },
      );
    }
    if (matches(rules.start, previous, token)) {
      let end = tokens.length - 2;
      let inner = token;
      for (let k = i + 1; k < tokens.length; k++) {
        if (matches(rules.inside, inner, tokens[k]!)) inner = tokens[k]!;
        else {
          end = k;
          break;
        }
      }
      if (matches(rules.end, tokens[end - 1]!, tokens[end]!)) chunks.push({ type: token.type, start: i, end });
      i = end;
    } else {
      i += 1;
    }
    previous = tokens[i - 1]!;
  }
  return chunks;
}

function parseToken(text: string, where: () => string): SchemeToken {
  const prefix = text.slice(0, 1);
  if (!PREFIXES.has(prefix)) {
    throw new InputError(`${where()}: tag "${text}" has no IOB prefix (I, O, B, E, S, U, L)`, { code: 'BAD_TAG' });
  }
  return { text, prefix: prefix as Prefix, type: trimDashes(text.slice(1)) || '_' };
}

// str.strip('-')
function trimDashes(text: string): string {
  return text.replace(/^-+|-+$/g, '');
}

function matches(patterns: Pattern[], previous: SchemeToken, current: SchemeToken): boolean {
  return patterns.some(([previousPrefixes, currentPrefixes, condition]) => {
    const previousOk = previousPrefixes === 'any' || previousPrefixes.includes(previous.prefix);
    const currentOk = currentPrefixes === 'any' || currentPrefixes.includes(current.prefix);
    if (!previousOk || !currentOk) return false;
    if (condition === 'any') return true;
    return condition === 'same' ? previous.type === current.type : previous.type !== current.type;
  });
}
