import { defineConfig } from 'vitest/config';

// Two projects in one run: `unit` (the pure layers and the web app's own logic, no database and no
// server: `npm run test:unit`, well under a minute) and `integration` (tests that need a database
// or start the server: *.int.test.ts and test/). Tests that stop shared services run alone
// afterwards (vitest.serial.config.ts); browser tests have their own config (vitest.e2e.config.ts).
export default defineConfig({
  test: {
    pool: 'forks',
    // No test binds the HL7 v2 feed's default port (CARELOOP_MLLP_PORT, 2575): a server that needs
    // it takes a free one.
    env: { CARELOOP_MLLP_PORT: '0' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'web/src/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['src/**/*.int.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/serial/**', 'test/e2e/**', '**/node_modules/**'],
        },
      },
    ],
  },
});
