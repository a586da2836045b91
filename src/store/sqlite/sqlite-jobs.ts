// Durable jobs in the embedded database (bulk exports now; reminders and due-task sweeps later).
import type { Job, JobUpdate } from '../store.js';
import type { Row, SqliteConnection } from './sqlite-database.js';

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

export function enqueueJob(
  conn: SqliteConnection,
  job: { id: string; kind: string; payload: unknown; runAt?: number },
): void {
  const now = Date.now();
  conn
    .prepare(
      "INSERT INTO job (id, kind, status, payload, created_at, updated_at, run_at) VALUES (?, ?, 'queued', ?, ?, ?, ?)",
    )
    .run(job.id, job.kind, JSON.stringify(job.payload ?? null), now, now, job.runAt ?? now);
}

export function claimJob(conn: SqliteConnection, kinds: readonly string[], now: number): Job | undefined {
  if (kinds.length === 0) return undefined;
  const row = conn
    .prepare(
      `UPDATE job SET status = 'running', attempts = attempts + 1, updated_at = ?
       WHERE id = (SELECT id FROM job WHERE status = 'queued' AND run_at <= ? AND kind IN (${kinds.map(() => '?').join(', ')}) ORDER BY run_at LIMIT 1)
       RETURNING *`,
    )
    .get(now, now, ...kinds);
  return row ? toJob(row) : undefined;
}

export function updateJob(conn: SqliteConnection, id: string, update: JobUpdate): void {
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
  conn.prepare(`UPDATE job SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
}

export function getJob(conn: SqliteConnection, id: string): Job | undefined {
  const row = conn.prepare('SELECT * FROM job WHERE id = ?').get(id);
  return row ? toJob(row) : undefined;
}

export function deleteJob(conn: SqliteConnection, id: string): void {
  conn.prepare('DELETE FROM job WHERE id = ?').run(id);
}
