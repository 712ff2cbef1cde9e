/** A chunk of a tag sequence: its type and first and last token. */
export interface Chunk {
  type: string;
  start: number;
  end: number;
}

/**
 * seqeval's default (conlleval) chunking, `get_entities` with suffix=False:
 * an I- or E- after O, E, S or another type starts a chunk; a chunk ends
 * after E or S, before B, S or O, or where the type changes. Anything, even
 * a malformed tag, is read as prefix letter plus type.
 */
export function conllChunks(tags: readonly string[]): Chunk[] {
  let previousTag = 'O';
  let previousType = '';
  let begin = 0;
  const chunks: Chunk[] = [];
  // The sentence as seqeval sees it, with an O after it.
  for (let i = 0; i <= tags.length; i++) {
    const [tag, type] = i < tags.length ? parsedTag(tags[i]!) : OUTSIDE;
    if (endOfChunk(previousTag, tag, previousType, type)) chunks.push({ type: previousType, start: begin, end: i - 1 });
    if (startOfChunk(previousTag, tag, previousType, type)) begin = i;
    previousTag = tag;
    previousType = type;
  }
  return chunks;
}

const OUTSIDE: readonly [string, string] = ['O', '_'];
// A corpus has few distinct tags; reading each once spares three strings per token.
const parsedTags = new Map<string, readonly [string, string]>();

// The prefix letter and the type: what follows the first dash after the letter, "_" when empty.
function parsedTag(chunk: string): readonly [string, string] {
  let parsed = parsedTags.get(chunk);
  if (parsed === undefined) {
    const rest = chunk.slice(1);
    const dash = rest.indexOf('-');
    parsed = [chunk.slice(0, 1) || chunk, (dash < 0 ? rest : rest.slice(dash + 1)) || '_'];
    if (parsedTags.size >= 65_536) parsedTags.clear();
    parsedTags.set(chunk, parsed);
  }
  return parsed;
}

function endOfChunk(previousTag: string, tag: string, previousType: string, type: string): boolean {
  let end = false;
  if (previousTag === 'E' || previousTag === 'S') end = true;
  if (previousTag === 'B' && (tag === 'B' || tag === 'S' || tag === 'O')) end = true;
  if (previousTag === 'I' && (tag === 'B' || tag === 'S' || tag === 'O')) end = true;
  if (previousTag !== 'O' && previousTag !== '.' && previousType !== type) end = true;
  return end;
}

function startOfChunk(previousTag: string, tag: string, previousType: string, type: string): boolean {
  let start = false;
  if (tag === 'B' || tag === 'S') start = true;
  if (previousTag === 'E' && (tag === 'E' || tag === 'I')) start = true;
  if (previousTag === 'S' && (tag === 'E' || tag === 'I')) start = true;
  if (previousTag === 'O' && (tag === 'E' || tag === 'I')) start = true;
  if (tag !== 'O' && tag !== '.' && previousType !== type) start = true;
  return start;
}
