import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { readDocs } from './readDocs.js';

const dir = mkdtempSync(join(tmpdir(), 'conllu-'));

function sentence(heads: string[]): string {
  return heads.map((head, i) => `${i + 1}\tw${i + 1}\tw\tNOUN\tNN\t_\t${head}\t${head === '0' ? 'root' : 'dep'}\t_\t_`).join('\n');
}

async function read(text: string, role: 'gold' | 'predicted' = 'gold'): Promise<number | InputError> {
  const path = join(dir, `${Math.random()}.conllu`);
  writeFileSync(path, text);
  try {
    let docs = 0;
    for await (const _ of readDocs(path, 'conllu', { start: 0, end: Buffer.byteLength(text), role })) docs++;
    return docs;
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
}

describe('CoNLL-U gold heads that are not a tree', () => {
  it('refuses a cycle, naming the words, the line and the byte (spaCy would drop the sentence boundaries)', async () => {
    const first = `# sent_id = ok\n${sentence(['0', '1'])}\n\n`;
    const error = await read(`${first}# sent_id = bad\n${sentence(['0', '3', '4', '2'])}\n\n`);
    expect(error).toBeInstanceOf(InputError);
    const { message, code, byteOffset } = error as InputError;
    expect(code).toBe('BAD_CONLLU');
    expect(message).toMatch(/line 7 \(byte \d+\): document bad: HEADs form a cycle \(2 → 3 → 4 → 2\)/);
    expect(byteOffset).toBe(Buffer.byteLength(`${first}# sent_id = bad\n${sentence(['0'])}\n`));
  });

  it('refuses a word that is its own head, and a head outside the sentence', async () => {
    expect(((await read(`${sentence(['0', '2'])}\n\n`)) as InputError).message).toMatch(/HEAD 2 is the word itself/);
    expect(((await read(`${sentence(['0', '5'])}\n\n`)) as InputError).message).toMatch(/HEAD 5 is not a word of the sentence/);
  });

  it('scores a system\'s predicted heads as they are, cycles included, as spaCy does', async () => {
    expect(await read(`${sentence(['0', '3', '4', '2'])}\n\n${sentence(['0', '2'])}\n\n`, 'predicted')).toBe(2);
  });

  it('reads trees, several roots and missing heads', async () => {
    expect(await read(`${sentence(['0', '1', '2'])}\n\n${sentence(['0', '0'])}\n\n${sentence(['_', '_'])}\n\n`)).toBe(3);
  });
});
