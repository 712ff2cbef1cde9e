import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { docFromJsonLine, type RecordOrigin } from '../docs/docFromJson.js';
import type { ScoredDoc } from '../docs/scoredDoc.js';
import { blockDocuments, fileUsesNewdoc } from './blockDocuments.js';
import { conlluDoc } from './conlluDoc.js';
import { iobDoc } from './iobDoc.js';
import { readLineBlocks, type LineBlock } from './readLineBlocks.js';
import { DEFAULT_MAX_RECORD_BYTES, oversizedRecordError, readLineRecords } from './readLineRecords.js';

export type DocFormat = 'jsonl' | 'conllu' | 'iob';

export interface LocatedDoc {
  doc: ScoredDoc;
  origin: RecordOrigin;
}

export interface DocRange {
  /** Byte offset where a document starts. */
  start: number;
  /** Documents starting at or after it belong to the next range. */
  end: number;
  /** Line number of `start`, for messages (1 at the start of the file). */
  startLine?: number;
  /** JSONL: a longer line is a bad record (default DEFAULT_MAX_RECORD_BYTES). */
  maxRecordBytes?: number;
  /**
   * Gold (the default) or a system's predictions. CoNLL-U gold heads must
   * form trees; predicted heads are scored as they are, cycles included,
   * as spaCy's scorer does (UAS and LAS compare heads one by one).
   */
  role?: 'gold' | 'predicted';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The documents of one byte range of a file, in file order. */
export async function* readDocs(path: string, format: DocFormat, range: DocRange): AsyncGenerator<LocatedDoc> {
  if (format === 'conllu' || format === 'iob') {
    const requireTrees = (range.role ?? 'gold') === 'gold';
    const build = format === 'conllu' ? (file: string, sentences: LineBlock[]) => conlluDoc(file, sentences, { requireTrees }) : iobDoc;
    const grouped = await fileUsesNewdoc(path);
    for await (const sentences of blockDocuments(readLineBlocks(path, range.start, range.startLine), range.end, grouped)) {
      const doc = build(path, sentences);
      const byteOffset = sentences[0]!.offset;
      const number = sentences[0]!.lines[0]!.number;
      const line = number > 0 ? number : undefined;
      yield { doc, origin: { file: path, byteOffset, line, fallbackId: `${basename(path)}@${byteOffset}` } };
    }
    return;
  }
  for await (const record of readLineRecords(path, range)) {
    if (record.oversizedBytes !== undefined) throw oversizedRecordError(path, record, range.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
    const origin: RecordOrigin = {
      file: path,
      byteOffset: record.offset,
      fallbackId: `${basename(path)}@${record.offset}`,
    };
    let line: string;
    try {
      line = utf8.decode(record.bytes);
    } catch {
      throw new InputError(`${path}: byte ${record.offset}: not valid UTF-8`, {
        file: path,
        byteOffset: record.offset,
        code: 'BAD_RECORD',
      });
    }
    yield { doc: docFromJsonLine(line, origin), origin };
  }
}

export function formatOf(path: string): DocFormat {
  if (/\.jsonl?$/i.test(path)) return 'jsonl';
  if (/\.conllu?$/i.test(path)) return 'conllu';
  if (/\.(iob2?|bio|conll|ner)$/i.test(path)) return 'iob';
  throw new InputError(`${path}: cannot tell the document format from the file name (use --format)`, {
    file: path,
    code: 'BAD_FORMAT',
  });
}
