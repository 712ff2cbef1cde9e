const TTY_REFRESH_MS = 1_000;
const LOG_REFRESH_MS = 30_000;

/**
 * A status line for a slow step, with the time it has taken so far: redrawn
 * in place every second on a terminal, repeated every 30 s in a log, so a
 * reader can always tell it is alive.
 */
export class LiveStatus {
  private timer: NodeJS.Timeout | undefined;
  private started = 0;
  private text: (elapsed: string) => string = () => '';
  private drawn = false;

  constructor(private readonly out: NodeJS.WritableStream) {}

  /** Starts showing the line (first call) or changes what it says. */
  show(text: (elapsed: string) => string): void {
    this.text = text;
    if (this.timer !== undefined) return;
    this.started = Date.now();
    this.draw();
    this.timer = setInterval(() => this.draw(), this.isTty() ? TTY_REFRESH_MS : LOG_REFRESH_MS);
    this.timer.unref();
  }

  elapsed(): string {
    return formatElapsed(Date.now() - this.started);
  }

  stop(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.drawn && this.isTty()) this.out.write('\n');
  }

  private draw(): void {
    const line = this.text(this.elapsed());
    this.out.write(this.isTty() ? `\r\x1b[2K${line}` : `${line}\n`);
    this.drawn = true;
  }

  private isTty(): boolean {
    return (this.out as NodeJS.WriteStream).isTTY === true;
  }
}

/** 75000 → "1m15s" */
export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}
