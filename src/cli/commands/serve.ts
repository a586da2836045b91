// `careloop serve`: opens the database (running migrations), seeds the demo organization into an
// empty database (unless CARELOOP_DEMO=0), starts the job runner and the HTTP server, and stops
// cleanly on SIGINT/SIGTERM.

import { loadSecretKey } from '../../access/auth/secret-key.js';
import { assembleApp } from '../../server/assemble-app.js';
import { openStore } from '../../store/open-store.js';
import { careloopVersion, readConfig, redactDatabaseUrl } from '../config.js';
import { seedDemoIfEmpty } from '../demo/seed-demo.js';

export async function serve(): Promise<void> {
  const config = readConfig();
  const store = await openStore(config.database);
  const app = await assembleApp(store, {
    secretKey: loadSecretKey({ secret: config.secret, keyFile: config.keyFile }),
    exportRoot: config.exportRoot,
    version: careloopVersion(),
    baseUrl: config.baseUrl,
    authSettings: { idleMs: config.idleMinutes * 60_000 },
    corsOrigins: config.corsOrigins,
    authRateLimit: config.authRateLimit,
    apiRateLimit: config.apiRateLimit,
    secureCookies: config.publicUrl?.startsWith('https:') === true,
    planReviewDays: config.planReviewDays,
    reminderHourUtc: config.reminderHourUtc,
  });
  if (config.demo) {
    const seeded = await seedDemoIfEmpty(store, app.repository, () => Date.now());
    if (seeded) console.log(`Seeded the demo organization: ${seeded} (sign-in names and passwords are in the README)`);
  }
  const address = await app.server.listen({ port: config.port, host: config.host });
  const shown = address.replace('127.0.0.1', 'localhost');
  console.log(`Careloop ${careloopVersion()} listening on ${shown} (FHIR base ${shown}/fhir)`);
  console.log(`Database: ${redactDatabaseUrl(config.database)}`);
  const stop = async (): Promise<void> => {
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
