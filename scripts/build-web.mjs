// Builds the web app (web/ -> web/dist) when its sources are newer than the last build, so that
// `npm start` serves an up-to-date app without a separate step. `--force` always builds.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const web = fileURLToPath(new URL('../web', import.meta.url));
const built = join(web, 'dist', 'index.html');

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let latest = s.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'dist' || name === 'node_modules') continue;
    latest = Math.max(latest, newest(join(path, name)));
  }
  return latest;
}

const force = process.argv.includes('--force');
const lockfile = fileURLToPath(new URL('../package-lock.json', import.meta.url));
const stale =
  force || !existsSync(built) || Math.max(newest(web), statSync(lockfile).mtimeMs) > statSync(built).mtimeMs;
if (stale) {
  process.stdout.write('Building the web app (web/ -> web/dist)...\n');
  // Always the production build, whatever NODE_ENV the caller runs under (the test runner sets
  // "test", which would otherwise give React's development build).
  process.env.NODE_ENV = 'production';
  await build({ configFile: join(web, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
}
