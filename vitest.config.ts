import { defineConfig } from 'vitest/config';

// The Temporal native bridge misbehaves in worker threads: every test file
// runs in a forked process. Unit tests sit next to the code; integration
// tests under test/ share one Temporal dev server started in global setup.
export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{proto,scorer,gpu-worker,orchestrator}/src/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/src/**/*.test.ts'],
          exclude: ['test/src/faults/**', 'test/src/fuzz/**'],
          globalSetup: ['test/src/globalSetup.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
          // The machine has two cores; integration runs start many processes.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // Mutation fuzzing of the readers, the spec loader and the partial decoder; npm run fuzz for long runs.
          name: 'fuzz',
          include: ['test/src/fuzz/**/*.test.ts'],
          testTimeout: 900_000,
        },
      },
      {
        extends: true,
        test: {
          // npm run test:faults: a cluster of its own, faults injected one run at a time.
          name: 'faults',
          include: ['test/src/faults/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
