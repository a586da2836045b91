// End-to-end tests: the real server with the demo data, driven through Debian's Chromium by
// playwright-core. One file at a time (a browser is heavy on two cores).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
