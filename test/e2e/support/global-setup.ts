// Before the browser tests: Chromium must be installed (never downloaded by a test), and the web app
// built from the current sources.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM } from './browser.js';

export default function setup(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM}. Install Debian's package: sudo apt-get install -y chromium ` +
        '(the tests never download a browser).',
    );
  execFileSync('node', ['scripts/build-web.mjs'], { stdio: 'inherit' });
}
