// Tests that disturb shared services (they stop the machine's PostgreSQL): one at a time, after the
// rest of the suite.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/serial/**/*.serial.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    passWithNoTests: false,
  },
});
