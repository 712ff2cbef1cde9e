import { createWriteStream, mkdirSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { stringifyJson, type DocFormat, type LocatedDoc, type ScoredDoc } from '@evalshard/scorer';

/** A shard's predictions file: `shard-000007.conllu` (the corpus's format; JSONL for text classification). */
export function predictionFileName(shardIndex: number, format: DocFormat): string {
  return `shard-${String(shardIndex).padStart(6, '0')}.${format === 'iob' ? 'iob2' : format}`;
}

/**
 * Writes predicted documents as they are finished, in corpus order and in a
 * form `evalshard score` reads against the gold corpus: JSONL in spaCy's
 * to_json shape (or `{"id", "text", "cats"}` for text classification),
 * CoNLL-U with the predicted UPOS or XPOS column, IOB with the predicted
 * tags as the model wrote them, sentences and document ids as in the gold.
 * The file appears under its name only once complete: a shard that fails or
 * is retried never leaves half a file behind.
 */
export class PredictionWriter {
  private readonly stream: WriteStream;
  private readonly partial: string;
  private readonly final: string;

  constructor(
    dir: string,
    name: string,
    private readonly format: DocFormat,
  ) {
    mkdirSync(dir, { recursive: true });
    this.partial = join(dir, `${name}.partial-${process.pid}`);
    this.stream = createWriteStream(this.partial);
    this.final = join(dir, name);
  }

  /** One text-classification document: its id, text and category scores in label order. */
  async writeCats(id: string, text: string, cats: ReadonlyArray<readonly [string, number]>): Promise<void> {
    await this.write(`${stringifyJson({ id, text, cats: new Map(cats) })}\n`);
  }

  /**
   * One token-classification document. `tags` are the model's labels as
   * written (IOB files keep them for seqeval); `grouped`: the gold groups
   * sentences into documents with `# newdoc`.
   */
  async writeTokens(located: LocatedDoc, predicted: ScoredDoc, tags: ReadonlyArray<string | null>, grouped: boolean): Promise<void> {
    if (this.format === 'jsonl') {
      await this.write(`${stringifyJson(toJson(predicted))}\n`);
      return;
    }
    const named = located.doc.id !== located.origin.fallbackId;
    const lines: string[] = [];
    sentencesOf(predicted).forEach(([start, end], s) => {
      if (named && s === 0) lines.push(grouped ? `# newdoc id = ${located.doc.id}` : `# sent_id = ${located.doc.id}`);
      for (let t = start; t < end; t++) {
        const token = predicted.tokens[t]!;
        const n = t - start + 1;
        if (this.format === 'iob') {
          lines.push(`${n}\t${token.text}\t${tags[t] ?? 'O'}`);
        } else {
          const misc = token.space ? '_' : 'SpaceAfter=No';
          lines.push([n, token.text, '_', token.pos ?? '_', token.tag ?? '_', '_', '_', '_', '_', misc].join('\t'));
        }
      }
      lines.push('');
    });
    await this.write(`${lines.join('\n')}\n`);
  }

  /** Moves the finished file under its name. */
  async close(): Promise<string> {
    await new Promise<void>((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
    renameSync(this.partial, this.final);
    return this.final;
  }

  /** Drops a shard's unfinished file. */
  abort(): void {
    this.stream.destroy();
    rmSync(this.partial, { force: true });
  }

  private async write(text: string): Promise<void> {
    if (!this.stream.write(text)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }
}

// Sentence spans by the tokens' sentence starts (one sentence when none is marked).
function sentencesOf(doc: ScoredDoc): Array<[number, number]> {
  const starts = doc.tokens.flatMap((token, i) => (i === 0 || token.sentStart === 1 ? [i] : []));
  return starts.map((start, k) => [start, starts[k + 1] ?? doc.tokens.length]);
}

// spaCy's Doc.to_json shape: character offsets in code points, as docFromJson reads them.
function toJson(doc: ScoredDoc): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: doc.id,
    text: doc.text,
    tokens: doc.tokens.map((token, i) => ({
      id: i,
      start: token.idx,
      end: token.idx + token.length,
      // All tokens or none carry an attribute; "" is a missing value.
      ...(doc.tokens.every((t) => t.tag === null) ? {} : { tag: token.tag ?? '' }),
      ...(doc.tokens.every((t) => t.pos === null) ? {} : { pos: token.pos ?? '' }),
    })),
  };
  if (doc.tokens.some((token) => token.entIob !== 0)) {
    json.ents = doc.ents.map((ent) => ({
      start: doc.tokens[ent.start]!.idx,
      end: doc.tokens[ent.end - 1]!.idx + doc.tokens[ent.end - 1]!.length,
      label: ent.label,
    }));
  }
  if (doc.hasUnknownSpaces) json.has_unknown_spaces = true;
  return json;
}
