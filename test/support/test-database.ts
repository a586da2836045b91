// A fresh, empty database for one test file. CARELOOP_TEST_DB picks the kind: unset or `sqlite` for
// an embedded database in a temporary folder, `postgres` (or a postgres:// URL of a server to create
// databases on) for a new PostgreSQL database, dropped afterwards. `.ci/run` runs the suite both ways.
import { join } from 'node:path';
import pg from 'pg';
import { makeTempDir } from './temp-dir.js';

export const DEFAULT_PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly url: string;
  readonly kind: 'sqlite' | 'postgres';
  drop(): Promise<void>;
}

export function testDatabaseKind(): 'sqlite' | 'postgres' {
  const v = process.env.CARELOOP_TEST_DB ?? 'sqlite';
  return v === 'sqlite' ? 'sqlite' : 'postgres';
}

function adminUrl(): string {
  const v = process.env.CARELOOP_TEST_DB ?? '';
  return v.startsWith('postgres') && v.includes('://') ? v : DEFAULT_PG_ADMIN_URL;
}

export async function createPostgresDatabase(): Promise<TestDatabase> {
  const admin = adminUrl();
  const name = `careloop_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: admin });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${admin.replace(/:[^:@/]*@/, ':***@')} (${(err as Error).message}); start it or set CARELOOP_TEST_DB`,
    );
  }
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'postgres',
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function createTestDatabase(kind: 'sqlite' | 'postgres' = testDatabaseKind()): Promise<TestDatabase> {
  if (kind === 'postgres') return createPostgresDatabase();
  const dir = makeTempDir();
  return { url: join(dir.path, 'test.db'), kind: 'sqlite', drop: async () => dir.remove() };
}
