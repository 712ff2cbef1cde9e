import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadModelBundle, type ModelBundle, type RuntimeOptions } from './modelBundle.js';

interface CacheEntry {
  signature: string;
  bundle: Promise<ModelBundle>;
}

/**
 * Opened bundles by folder, at most `capacity` at once (least recently used
 * goes first). A bundle whose files changed on disk is opened again.
 */
export class ModelCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(
    private readonly runtime: RuntimeOptions,
    private readonly capacity = 1,
    /** Told the opened folders whenever they change (the evaluation thread tells the main thread's health check). */
    private readonly onChange: (dirs: string[]) => void = () => undefined,
  ) {}

  async get(dir: string): Promise<ModelBundle> {
    const signature = await filesSignature(dir);
    const cached = this.entries.get(dir);
    if (cached !== undefined && cached.signature === signature) {
      this.entries.delete(dir);
      this.entries.set(dir, cached);
      return cached.bundle;
    }
    if (cached !== undefined) this.evict(dir, cached);
    const bundle = loadModelBundle(dir, this.runtime);
    const entry = { signature, bundle };
    this.entries.set(dir, entry);
    bundle.catch(() => {
      if (this.entries.get(dir) !== entry) return;
      this.entries.delete(dir);
      this.onChange(this.loadedDirs());
    });
    while (this.entries.size > this.capacity) {
      const [oldestDir, oldest] = this.entries.entries().next().value as [string, CacheEntry];
      this.evict(oldestDir, oldest);
    }
    this.onChange(this.loadedDirs());
    return bundle;
  }

  loadedDirs(): string[] {
    return [...this.entries.keys()];
  }

  async close(): Promise<void> {
    for (const [dir, entry] of [...this.entries]) this.evict(dir, entry);
    this.onChange(this.loadedDirs());
  }

  private evict(dir: string, entry: CacheEntry): void {
    this.entries.delete(dir);
    entry.bundle.then((bundle) => bundle.release()).catch(() => undefined);
  }
}

async function filesSignature(dir: string): Promise<string> {
  const parts = await Promise.all(
    ['model.onnx', 'config.json', 'tokenizer.json'].map((name) =>
      stat(join(dir, name)).then(
        (info) => `${name}:${info.size}:${info.mtimeMs}`,
        () => `${name}:missing`,
      ),
    ),
  );
  return parts.join('|');
}
