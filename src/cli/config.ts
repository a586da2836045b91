// Settings from the environment, with the defaults the README documents.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_DATABASE, isPostgresUrl } from '../store/open-store.js';

export interface Config {
  readonly database: string;
  readonly port: number;
  readonly host: string;
  readonly baseUrl: string | undefined;
  readonly exportRoot: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const database = env.CARELOOP_DB || env.DATABASE_URL || DEFAULT_DATABASE;
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not '${env.PORT}'`);
  const dataDir = isPostgresUrl(database) ? resolve('./data') : dirname(resolve(database));
  return {
    database,
    port,
    host: env.HOST || '127.0.0.1',
    baseUrl: env.CARELOOP_BASE_URL || undefined,
    exportRoot: env.CARELOOP_EXPORT_DIR ? resolve(env.CARELOOP_EXPORT_DIR) : resolve(dataDir, 'exports'),
  };
}

export function careloopVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** A database URL safe to print: any password removed. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
