// `careloop serve`: opens the database (running migrations), seeds the demo organization into an
// empty database (unless CARELOOP_DEMO=0), starts the job runner and the HTTP server, and stops
// cleanly on SIGINT/SIGTERM. A server that cannot start says why and exits with status 1; it never
// waits without end (CARELOOP_STARTUP_TIMEOUT bounds the start, whatever holds it up).

import { loadSecretKey } from '../../access/auth/secret-key.js';
import { createClinicClock } from '../../care/calendar/clinic-clock.js';
import { assembleApp } from '../../server/assemble-app.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { careloopVersion, readConfig, redactDatabaseUrl } from '../config.js';
import { seedDemoIfEmpty } from '../demo/seed-demo.js';

function fail(message: string): never {
  console.error(`Careloop could not start: ${message}`);
  process.exit(1);
}

export async function serve(): Promise<void> {
  let phase = 'reading the configuration';
  let config: ReturnType<typeof readConfig>;
  try {
    config = readConfig();
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const watchdog = setTimeout(
    () =>
      fail(
        `still ${phase} after ${config.startupTimeoutSeconds} s (CARELOOP_STARTUP_TIMEOUT); is the database reachable, or is another server holding it?`,
      ),
    config.startupTimeoutSeconds * 1000,
  );
  let store: Store | undefined;
  try {
    phase = `opening the database ${redactDatabaseUrl(config.database)}`;
    store = await openStore(config.database);
    phase = 'installing content';
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
      reminderHour: config.reminderHour,
      clock: createClinicClock(config.timeZone),
      auditAnchorFile: config.auditAnchorFile,
      ...(config.mllpPort ? { mllp: { port: config.mllpPort, host: config.host } } : {}),
      ...(config.feedOrganization ? { feedOrganization: config.feedOrganization } : {}),
      // Failures are logged by request id, without health data (src/server/http/error-handler.ts).
      logger: true,
    });
    if (config.demo) {
      phase = 'seeding the demo organization';
      const opened = store;
      // Servers starting together on an empty database: one seeds, the others then find it seeded.
      const seeded = await opened.exclusive('install-content', () =>
        seedDemoIfEmpty(opened, app.repository, app.clock),
      );
      if (seeded)
        console.log(`Seeded the demo organization: ${seeded} (sign-in names and passwords are in the README)`);
    }
    phase = `listening on ${config.host}:${config.port}`;
    const address = await app.server.listen({ port: config.port, host: config.host });
    clearTimeout(watchdog);
    const shown = address.replace('127.0.0.1', 'localhost');
    console.log(`Careloop ${careloopVersion()} listening on ${shown} (FHIR base ${shown}/fhir)`);
    console.log(`Database: ${redactDatabaseUrl(config.database)}`);
    if (app.mllp)
      console.log(`HL7 v2 ADT feed (MLLP) on ${config.host}:${app.mllp.port} (CARELOOP_MLLP_PORT; 0 turns it off)`);
    const running = store;
    const stop = async (): Promise<void> => {
      await app.close();
      await running.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  } catch (err) {
    // Messages of our own errors name what failed without data; a driver's may be long: first line.
    const message = err instanceof Error ? (err.message.split('\n')[0] ?? err.name) : String(err);
    fail(`${phase}: ${message}`);
  }
}
