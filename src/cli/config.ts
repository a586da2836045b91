// Settings from the environment, with the defaults the README documents.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../care/calendar/clinic-clock.js';
import { DEFAULT_REMINDER_HOUR } from '../jobs/task-reminders/task-reminders-job.js';
import { DEFAULT_API_RATE_LIMIT } from '../server/http/api-rate-limit.js';
import { DEFAULT_DATABASE, isPostgresUrl } from '../store/open-store.js';

export interface Config {
  readonly database: string;
  readonly port: number;
  readonly host: string;
  readonly baseUrl: string | undefined;
  /** CARELOOP_PUBLIC_URL: where users reach Careloop (https: cookies are Secure). */
  readonly publicUrl: string | undefined;
  readonly exportRoot: string;
  /** CARELOOP_SECRET: the server's secret key material (else the key file). */
  readonly secret: string | undefined;
  /** Where the secret key is kept when CARELOOP_SECRET is not set. */
  readonly keyFile: string | undefined;
  /** The audit log's checkpoint file (CARELOOP_AUDIT_ANCHOR). */
  readonly auditAnchorFile: string | undefined;
  /** Minutes without a request after which a signed-in session ends. */
  readonly idleMinutes: number;
  readonly corsOrigins: readonly string[];
  readonly authRateLimit: number;
  /** API requests per user or client per minute (0: no limit). */
  readonly apiRateLimit: number;
  /** The HL7 v2 MLLP listener's port (CARELOOP_MLLP_PORT, default 2575; 0 turns it off). */
  readonly mllpPort: number;
  /**
   * The organization that manages the patients hospital feeds and documents register
   * (CARELOOP_FEED_ORGANIZATION, `Organization/{id}`): its coordinators' panel holds them.
   */
  readonly feedOrganization: string | undefined;
  /** Seed the demo organization into an empty database. */
  readonly demo: boolean;
  /** Days after which an active care plan not reviewed raises a review task. */
  readonly planReviewDays: number;
  /** Hour of the clinic's day (0-23) of the daily worklist and appointment reminders. */
  readonly reminderHour: number;
  /** The clinic's IANA time zone (CARELOOP_TIMEZONE): today, due dates, the TCM clock, daily jobs. */
  readonly timeZone: string;
  /** Seconds `careloop serve` may take to start listening before it gives up with status 1. */
  readonly startupTimeoutSeconds: number;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not '${raw}'`);
  return n;
}

function nonNegative(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number (0 turns it off), not '${raw}'`);
  return n;
}

function publicUrlOf(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`CARELOOP_PUBLIC_URL must be a URL such as https://care.example.org, not '${raw}'`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`CARELOOP_PUBLIC_URL must be an http or https URL, not '${raw}'`);
  return url.toString().replace(/\/$/, '');
}

function feedOrganizationOf(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!/^Organization\/[A-Za-z0-9\-.]{1,64}$/.test(raw))
    throw new Error(`CARELOOP_FEED_ORGANIZATION must be a reference such as Organization/clinic, not '${raw}'`);
  return raw;
}

function timeZoneOf(raw: string | undefined): string {
  if (raw === undefined || raw === '') return DEFAULT_TIME_ZONE;
  if (!isTimeZone(raw))
    throw new Error(`CARELOOP_TIMEZONE must be an IANA time zone such as America/Chicago, not '${raw}'`);
  return raw;
}

function hourOfDay(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 23) throw new Error(`${name} must be an hour from 0 to 23, not '${raw}'`);
  return n;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const database = env.CARELOOP_DB || env.DATABASE_URL || DEFAULT_DATABASE;
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not '${env.PORT}'`);
  const publicUrl = publicUrlOf(env.CARELOOP_PUBLIC_URL);
  const dataDir = isPostgresUrl(database) ? resolve('./data') : dirname(resolve(database));
  return {
    database,
    port,
    host: env.HOST || '127.0.0.1',
    baseUrl: env.CARELOOP_BASE_URL || (publicUrl ? `${publicUrl}/fhir` : undefined),
    publicUrl,
    exportRoot: env.CARELOOP_EXPORT_DIR ? resolve(env.CARELOOP_EXPORT_DIR) : resolve(dataDir, 'exports'),
    secret: env.CARELOOP_SECRET || undefined,
    keyFile: keyFileFor(database, env),
    auditAnchorFile: anchorFileFor(database, env),
    idleMinutes: positive(env, 'CARELOOP_IDLE_MINUTES', 15),
    corsOrigins: (env.CARELOOP_CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    authRateLimit: positive(env, 'CARELOOP_AUTH_RATE_LIMIT', 30),
    apiRateLimit: nonNegative(env, 'CARELOOP_API_RATE_LIMIT', DEFAULT_API_RATE_LIMIT),
    mllpPort: nonNegative(env, 'CARELOOP_MLLP_PORT', 2575),
    feedOrganization: feedOrganizationOf(env.CARELOOP_FEED_ORGANIZATION),
    demo: env.CARELOOP_DEMO !== '0' && env.CARELOOP_DEMO !== 'false',
    planReviewDays: positive(env, 'CARELOOP_PLAN_REVIEW_DAYS', 90),
    reminderHour: hourOfDay(env, 'CARELOOP_REMINDER_HOUR', DEFAULT_REMINDER_HOUR),
    timeZone: timeZoneOf(env.CARELOOP_TIMEZONE),
    startupTimeoutSeconds: positive(env, 'CARELOOP_STARTUP_TIMEOUT', 300),
  };
}

/** The key file: CARELOOP_KEY_FILE, else beside the embedded database, else ./data/careloop.key. */
export function keyFileFor(database: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CARELOOP_KEY_FILE) return resolve(env.CARELOOP_KEY_FILE);
  if (isPostgresUrl(database)) return resolve('./data/careloop.key');
  const path = database.startsWith('sqlite:') ? database.slice('sqlite:'.length) : database;
  return path === ':memory:' ? undefined : `${resolve(path)}.key`;
}

/** The audit checkpoint file: CARELOOP_AUDIT_ANCHOR, else beside the embedded database, else ./data. */
export function anchorFileFor(database: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CARELOOP_AUDIT_ANCHOR) return resolve(env.CARELOOP_AUDIT_ANCHOR);
  if (isPostgresUrl(database)) return resolve('./data/careloop.audit-anchor');
  const path = database.startsWith('sqlite:') ? database.slice('sqlite:'.length) : database;
  return path === ':memory:' ? undefined : `${resolve(path)}.audit-anchor`;
}

export function careloopVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** A database URL safe to print: any password removed. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
