import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { docFromJson, type RecordOrigin } from '../docs/docFromJson.js';
import type { ScoredDoc } from '../docs/scoredDoc.js';
import { readLineRecords } from './readLineRecords.js';

export type DocFormat = 'jsonl';

export interface LocatedDoc {
  doc: ScoredDoc;
  origin: RecordOrigin;
}

export interface DocRange {
  start: number;
  end: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The documents of one byte range of a file, in file order. */
export async function* readDocs(path: string, format: DocFormat, range: DocRange): AsyncGenerator<LocatedDoc> {
  if (format !== 'jsonl') throw new InputError(`unsupported document format ${String(format)}`, { code: 'BAD_FORMAT' });
  for await (const record of readLineRecords(path, range)) {
    const origin: RecordOrigin = {
      file: path,
      byteOffset: record.offset,
      fallbackId: `${basename(path)}@${record.offset}`,
    };
    let value: unknown;
    try {
      value = JSON.parse(utf8.decode(record.bytes));
    } catch (error) {
      throw new InputError(`${path}: byte ${record.offset}: invalid JSON or UTF-8 (${(error as Error).message})`, {
        file: path,
        byteOffset: record.offset,
        code: 'BAD_RECORD',
      });
    }
    yield { doc: docFromJson(value, origin), origin };
  }
}

export function formatOf(path: string): DocFormat {
  if (/\.jsonl?$/i.test(path)) return 'jsonl';
  throw new InputError(`${path}: cannot tell the document format from the file name (use --format)`, {
    file: path,
    code: 'BAD_FORMAT',
  });
}
