// End-to-end tests: the real server with the demo data, driven through Debian's Chromium by
// playwright-core. One file at a time (a browser is heavy on two cores).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/support/global-setup.ts'],
    fileParallelism: false,
    // No test binds the HL7 v2 feed's default port (CARELOOP_MLLP_PORT, 2575): a server that needs
    // it takes a free one.
    env: { CARELOOP_MLLP_PORT: '0' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
