import { readFileSync } from 'node:fs';
import { isNewdoc } from '../corpus/blockDocuments.js';
import { isTag } from '../corpus/iobDoc.js';
import type { TagIds } from './tagIds.js';

// Node has WebAssembly; TypeScript declares it only in its DOM libraries. What this file uses of it:
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmGlobal {
  readonly value: number;
}
type WasmModule = object;
const WebAssembly = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => WasmModule;
      Instance: new (module: WasmModule, imports: Record<string, Record<string, (...args: number[]) => number>>) => { exports: unknown };
    };
  }
).WebAssembly;

interface IobScanExports {
  memory: WasmMemory;
  PROPS: WasmGlobal;
  COUNTS: WasmGlobal;
  BUFFERS: WasmGlobal;
  MAX_TAGS: WasmGlobal;
  MAX_TYPES: WasmGlobal;
  start(outsideType: number): void;
  scan(gold: number, goldEnd: number, predicted: number, predictedEnd: number): number;
  goldAt(): number;
  predictedAt(): number;
  endBlock(): void;
  docs(): number;
}

// Assembled from iobScan.wat by the build (scripts/buildWasm.mjs) into dist/seqeval/, which is two
// folders below the package root from src/seqeval/ too; compiled once per process.
let compiled: WasmModule | undefined;
function iobScanModule(): WasmModule {
  compiled ??= new WebAssembly.Module(readFileSync(new URL('../../dist/seqeval/iobScan.wasm', import.meta.url)));
  return compiled;
}

const PAGE = 65_536;

/**
 * One pass's instance of iobScan.wat: it holds the lines the host copies in,
 * the tag table and the counts. Tags it has not seen are read here, once
 * each, into `tags`.
 */
export class IobScan {
  private readonly wasm: IobScanExports;
  private bytes: Buffer;

  constructor(private readonly tags: TagIds) {
    const instance = new WebAssembly.Instance(iobScanModule(), {
      host: { newTag: (at: number, length: number) => this.newTag(at, length), isNewdoc: (at: number, end: number) => this.isNewdoc(at, end) },
    });
    this.wasm = instance.exports as unknown as IobScanExports;
    this.bytes = Buffer.from(this.wasm.memory.buffer);
    this.wasm.start(tags.outsideType);
  }

  /**
   * Scans the complete lines of both buffers from their positions, and
   * moves the positions past the pairs it took: false at the first pair
   * outside the plain case.
   */
  scan(gold: LineBuffer, predicted: LineBuffer): boolean {
    const goldLength = gold.complete - gold.position;
    const predictedLength = predicted.complete - predicted.position;
    const goldStart = this.wasm.BUFFERS.value;
    const predictedStart = goldStart + goldLength;
    const needed = predictedStart + predictedLength + 8; // $byteOrderMark may look past a short last line
    if (needed > this.bytes.length) {
      this.wasm.memory.grow(Math.ceil((needed - this.bytes.length) / PAGE));
      this.bytes = Buffer.from(this.wasm.memory.buffer);
    }
    gold.buffer.copy(this.bytes, goldStart, gold.position, gold.complete);
    predicted.buffer.copy(this.bytes, predictedStart, predicted.position, predicted.complete);
    const outside = this.wasm.scan(goldStart, predictedStart, predictedStart, predictedStart + predictedLength);
    gold.position += this.wasm.goldAt() - goldStart;
    predicted.position += this.wasm.predictedAt() - predictedStart;
    return outside === 0;
  }

  /** The documents of the sentences closed so far. */
  docs(): number {
    return this.wasm.docs();
  }

  /** Closes the last sentence; the documents read. */
  finish(): number {
    this.wasm.endBlock();
    return this.wasm.docs();
  }

  /** fn, fp and tp of each type id that has any. */
  counts(): Array<{ type: number; fn: number; fp: number; tp: number }> {
    const counts = new Float64Array(this.wasm.memory.buffer, this.wasm.COUNTS.value, this.tags.typeNames.length * 3);
    const found = [];
    for (let type = 0; type < this.tags.typeNames.length; type++) {
      const [fn, fp, tp] = [counts[type * 3]!, counts[type * 3 + 1]!, counts[type * 3 + 2]!];
      if (fn !== 0 || fp !== 0 || tp !== 0) found.push({ type, fn, fp, tp });
    }
    return found;
  }

  // A tag's id, its prefix letter and type written where the scanner looks them up; -1 when the bytes
  // are not an IOB tag, -2 past the scanner's tables.
  private newTag(at: number, length: number): number {
    const tag = this.bytes.toString('utf8', at, at + length);
    if (!isTag(tag)) return -1;
    const id = this.tags.idOf(tag);
    const type = this.tags.types[id]!;
    if (id >= (this.wasm.MAX_TAGS.value) || type >= (this.wasm.MAX_TYPES.value)) return -2;
    const props = (this.wasm.PROPS.value) + id * 8;
    this.bytes.writeInt32LE(this.tags.prefixes[id]!, props);
    this.bytes.writeInt32LE(type, props + 4);
    return id;
  }

  // 1 for a comment line that starts a document (# newdoc), else 0.
  private isNewdoc(at: number, end: number): number {
    return isNewdoc({ text: this.bytes.toString('utf8', at, end) }) ? 1 : 0;
  }
}

/** What IobScan reads of a ByteLines: complete lines in buffer[position, complete). */
export interface LineBuffer {
  buffer: Buffer;
  position: number;
  complete: number;
}
