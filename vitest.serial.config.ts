// Tests that disturb shared services (they stop the machine's PostgreSQL): one at a time, after the
// rest of the suite.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/serial/**/*.serial.test.ts'],
    fileParallelism: false,
    // No test binds the HL7 v2 feed's default port (CARELOOP_MLLP_PORT, 2575): a server that needs
    // it takes a free one.
    env: { CARELOOP_MLLP_PORT: '0' },
    testTimeout: 120_000,
    hookTimeout: 60_000,
    passWithNoTests: false,
  },
});
