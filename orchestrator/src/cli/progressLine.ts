import type { ProgressSnapshot } from '../client/runEvaluation.js';

const BAR_WIDTH = 24;

/**
 * One line of progress: a bar over the corpus bytes, documents, documents
 * per second and an ETA from the byte rate (planning reads no records, so
 * bytes are the only total known up front).
 */
export class ProgressLine {
  /** When evaluation began: rates leave out starting the stack and planning. */
  private evaluatingSince: number | undefined;
  private lastPrinted = 0;
  private lastLength = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly interactive = stream.isTTY === true,
  ) {}

  update(snapshot: ProgressSnapshot): void {
    const now = performance.now();
    if (snapshot.phase !== 'planning') this.evaluatingSince ??= now;
    // Without a terminal, a line every few seconds is enough for a log.
    if (!this.interactive && now - this.lastPrinted < 5_000 && snapshot.phase === 'evaluating') return;
    this.lastPrinted = now;
    const line = render(snapshot, (now - (this.evaluatingSince ?? now)) / 1000);
    if (this.interactive) {
      this.stream.write(`\r${line}${' '.repeat(Math.max(0, this.lastLength - line.length))}`);
      this.lastLength = line.length;
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  /** The last line, with the run's final counts. */
  finish(snapshot: ProgressSnapshot): void {
    this.lastPrinted = 0;
    this.update(snapshot);
    this.done();
  }

  /** A message of its own line; the progress line is drawn again below it. */
  note(text: string): void {
    if (this.interactive && this.lastLength > 0) this.stream.write(`\r${' '.repeat(this.lastLength)}\r`);
    this.stream.write(`${text}\n`);
    this.lastLength = 0;
    this.lastPrinted = 0;
  }

  done(): void {
    if (this.interactive && this.lastLength > 0) this.stream.write('\n');
    this.lastLength = 0;
  }
}

export function render(snapshot: ProgressSnapshot, elapsedSeconds: number): string {
  if (snapshot.phase === 'planning') return 'planning: fingerprinting the corpus and checking the model…';
  const fraction = snapshot.totalBytes > 0 ? Math.min(1, snapshot.bytes / snapshot.totalBytes) : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const rate = elapsedSeconds > 0 ? snapshot.docs / elapsedSeconds : 0;
  const eta = fraction > 0 && fraction < 1 ? (elapsedSeconds / fraction) * (1 - fraction) : 0;
  const phase = snapshot.phase === 'finalizing' ? ' finalizing' : '';
  return (
    `${bar} ${(fraction * 100).toFixed(0).padStart(3)}%  shards ${snapshot.shardsDone}/${snapshot.shardCount}  ` +
    `${snapshot.docs.toLocaleString('en-US')} docs  ${rate.toFixed(0)} docs/s  ETA ${formatSeconds(eta)}${phase}`
  );
}

export function formatSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  return `${minutes}:${String(whole % 60).padStart(2, '0')}`;
}
