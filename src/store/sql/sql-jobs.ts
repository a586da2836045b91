// Durable jobs in the database (bulk exports, Subscription deliveries and the daily sweeps), with SQL
// that both dialects run. A job is claimed atomically: on PostgreSQL with FOR UPDATE SKIP LOCKED, so that
// servers polling at once each take a different job and none waits for another; on SQLite the single
// writer makes the claim atomic by itself.
import type { Job, JobUpdate } from '../store.js';
import type { Row, SqlExecutor } from './sql-reads.js';

export interface JobExecutor extends SqlExecutor {
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

function parseJson(text: unknown): unknown {
  return typeof text === 'string' ? JSON.parse(text) : undefined;
}

export function toJob(row: Row): Job {
  return {
    id: String(row.id),
    kind: String(row.kind),
    status: String(row.status) as Job['status'],
    payload: parseJson(row.payload),
    result: parseJson(row.result),
    progress: typeof row.progress === 'string' ? row.progress : undefined,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    runAt: Number(row.run_at),
    attempts: Number(row.attempts),
  };
}

export async function enqueueJob(
  db: JobExecutor,
  job: { id: string; kind: string; payload: unknown; runAt?: number },
): Promise<void> {
  const now = Date.now();
  await db.run(
    "INSERT INTO job (id, kind, status, payload, created_at, updated_at, run_at) VALUES (?, ?, 'queued', ?, ?, ?, ?)",
    [job.id, job.kind, JSON.stringify(job.payload ?? null), now, now, job.runAt ?? now],
  );
}

export async function claimJob(
  db: JobExecutor,
  kinds: readonly string[],
  now: number,
  dialect: 'sqlite' | 'postgres',
): Promise<Job | undefined> {
  if (kinds.length === 0) return undefined;
  const lock = dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
  const row = await db.get(
    `UPDATE job SET status = 'running', attempts = attempts + 1, updated_at = ?
     WHERE id = (SELECT id FROM job WHERE status = 'queued' AND run_at <= ? AND kind IN (${kinds.map(() => '?').join(', ')})
                 ORDER BY run_at LIMIT 1${lock})
     RETURNING *`,
    [now, now, ...kinds],
  );
  return row ? toJob(row) : undefined;
}

export async function updateJob(db: JobExecutor, id: string, update: JobUpdate): Promise<void> {
  const sets: string[] = ['updated_at = ?'];
  const params: unknown[] = [Date.now()];
  if (update.status !== undefined) {
    sets.push('status = ?');
    params.push(update.status);
  }
  if (update.result !== undefined) {
    sets.push('result = ?');
    params.push(JSON.stringify(update.result));
  }
  if (update.progress !== undefined) {
    sets.push('progress = ?');
    params.push(update.progress);
  }
  if (update.runAt !== undefined) {
    sets.push('run_at = ?');
    params.push(update.runAt);
  }
  await db.run(`UPDATE job SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
}

export async function getJob(db: JobExecutor, id: string): Promise<Job | undefined> {
  const row = await db.get('SELECT * FROM job WHERE id = ?', [id]);
  return row ? toJob(row) : undefined;
}

export async function deleteJob(db: JobExecutor, id: string): Promise<void> {
  await db.run('DELETE FROM job WHERE id = ?', [id]);
}
