// Runs SQL on a test database behind Careloop's back: what someone with access to the database
// itself could do (tests of tamper evidence and of failing storage). On SQLite the audit database
// is attached as `audit`, as the server attaches it.
import pg from 'pg';
import { openSqliteConnection } from '../../src/store/sqlite/sqlite-database.js';

export async function runRawSql(databaseUrl: string, statements: readonly string[]): Promise<void> {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      for (const sql of statements) await client.query(sql);
    } finally {
      await client.end();
    }
    return;
  }
  const db = openSqliteConnection(databaseUrl);
  try {
    for (const sql of statements) db.exec(sql);
  } finally {
    db.close();
  }
}
