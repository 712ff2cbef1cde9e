import type { RunningServer } from './grpcChannel.js';

/**
 * Keeps a service process up until it is told to stop. A supervised process
 * (started by `evalshard run`) ignores the terminal's Ctrl-C, which its
 * supervisor handles in order, and exits when the supervisor dies, so an
 * interrupted run leaves no orphans behind.
 */
export function serveUntilSignalled(server: RunningServer, options: { supervised: boolean }): void {
  const stop = () => void server.stop(2_000).then(() => process.exit(0));
  process.once('SIGTERM', stop);
  if (options.supervised) {
    process.on('SIGINT', () => undefined);
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) stop();
    }, 1_000).unref();
  } else {
    process.once('SIGINT', stop);
  }
}
