// The set-up every browser test file shares: a server holding the demo organization and one
// headless Chromium, started before the file's tests and closed after them.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startDemoServer } from '../../security/demo-server.js';
import type { TestServer } from '../../support/test-server.js';
import { launchBrowser } from './browser.js';

export interface DemoBrowser {
  server: TestServer;
  browser: Browser;
}

export function withDemoBrowser(options: Parameters<typeof startDemoServer>[0] = {}): DemoBrowser {
  const demo = {} as DemoBrowser;
  beforeAll(async () => {
    demo.server = await startDemoServer(options);
    demo.browser = await launchBrowser();
  });
  afterAll(async () => {
    await demo.browser?.close();
    await demo.server?.close();
  });
  return demo;
}
