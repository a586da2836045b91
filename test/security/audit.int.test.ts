// The audit log: every kind of access is recorded as an AuditEvent; it is append-only and
// tamper-evident; and if it cannot be written, nothing is disclosed.
import { execFile } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointAuditLog, parseAnchors, readAnchorFile } from '../../src/access/audit/audit-anchor.js';
import { verifyAuditLog } from '../../src/access/audit/verify-audit-log.js';
import { runRawSql } from '../support/raw-sql.js';
import { appTokenOf } from '../support/smart-app-token.js';
import { TEST_SECRET } from '../support/test-auth.js';
import { bearer, http, type TestServer } from '../support/test-server.js';
import { HAROLD, login, OLIVER, startDemoServer, tokenOf } from './demo-server.js';

const run = promisify(execFile);
let server: TestServer;
beforeAll(async () => {
  server = await startDemoServer();
});
afterAll(async () => {
  await server.close();
});

async function auditEvents(query: string): Promise<AuditEvent[]> {
  const admin = await tokenOf(server, 'admin');
  const res = await http<Bundle<AuditEvent>>('GET', `${server.fhir}/AuditEvent?${query}`, undefined, bearer(admin));
  expect(res.status).toBe(200);
  return (res.body.entry ?? []).map((e) => e.resource as AuditEvent);
}

describe('audit events', () => {
  it('record sign-in, failed sign-in, sign-out, read, search, write, delete, export and break-glass', async () => {
    await login(server, 'pcp', 'wrong-password-here');
    const pcp = bearer(await tokenOf(server, 'pcp'));
    await http('GET', `${server.fhir}/Patient/${HAROLD}`, undefined, pcp);
    await http('GET', `${server.fhir}/Condition?patient=Patient/${HAROLD}`, undefined, pcp);
    const created = await http<{ id: string }>(
      'POST',
      `${server.fhir}/Observation`,
      {
        resourceType: 'Observation',
        status: 'final',
        code: { text: 'Weight' },
        subject: { reference: `Patient/${HAROLD}` },
      },
      pcp,
    );
    await http('DELETE', `${server.fhir}/Observation/${created.body.id}`, undefined, pcp);
    await http(
      'POST',
      `${server.url}/auth/break-glass`,
      { patient: `Patient/${OLIVER}`, reason: 'Emergency department visit' },
      pcp,
    );
    await http('GET', `${server.fhir}/$export`, undefined, { prefer: 'respond-async' });
    await http('POST', `${server.url}/auth/logout`, undefined, pcp);

    const events = await auditEvents('_count=100');
    const describe = (e: AuditEvent) =>
      `${e.type?.code}/${e.subtype?.map((s) => s.code).join(',') ?? ''}/${e.action}/${e.outcome}/${e.agent[0]?.who?.display ?? ''}`;
    const seen = events.map(describe);
    expect(seen).toContain('110114/110122/E/4/pcp');
    expect(seen).toContain('110114/110122/E/0/pcp');
    expect(seen).toContain('110114/110123/E/0/pcp');
    expect(seen).toContain('rest/read/R/0/pcp');
    expect(seen).toContain('rest/search-type/E/0/pcp');
    expect(seen).toContain('rest/create/C/0/pcp');
    expect(seen).toContain('rest/delete/D/0/pcp');
    expect(seen).toContain('110106//E/0/test-system');
    const glass = events.find((e) => e.purposeOfEvent?.[0]?.coding?.[0]?.code === 'ETREAT');
    expect(glass?.entity?.[0]?.what?.reference).toBe(`Patient/${OLIVER}`);
    const read = events.find((e) => describe(e) === 'rest/read/R/0/pcp');
    expect(read?.agent[0]?.network?.address).toBe('127.0.0.1');
    expect(read?.agent[0]?.who?.reference).toBe('Practitioner/demo-pcp');
    expect(read?.entity?.some((x) => x.what?.reference === `Patient/${HAROLD}`)).toBe(true);
    expect(Date.now() - Date.parse(read?.recorded ?? '')).toBeLessThan(60_000);
  });

  it('are valid FHIR AuditEvents', async () => {
    const events = await auditEvents('_count=20');
    const { validateResource } = await import('../../src/fhir/validate/validate-resource.js');
    for (const e of events) expect(validateResource(e)).toEqual([]);
  });
});

describe('every access is attributed', () => {
  it('a read through a SMART app names the user and the app, and the patient sees both', async () => {
    const pcpApp = bearer(await appTokenOf(server, 'pcp'));
    expect((await http('GET', `${server.fhir}/Patient/${HAROLD}`, undefined, pcpApp)).status).toBe(200);
    const events = await auditEvents(`patient=Patient/${HAROLD}&_count=20&_sort=-date`);
    const read = events.find((e) => e.action === 'R' && e.agent.some((a) => a.who?.display === 'Access test app'));
    expect(read?.agent.map((a) => [a.who?.display, a.requestor])).toEqual([
      ['pcp', true],
      ['Access test app', false],
    ]);
    const { validateResource } = await import('../../src/fhir/validate/validate-resource.js');
    expect(validateResource(read as AuditEvent)).toEqual([]);
    // Harold's own access log (as the portal reads it) shows the app too.
    const harold = bearer(await tokenOf(server, 'patient'));
    const own = await http<Bundle<AuditEvent>>(
      'GET',
      `${server.fhir}/AuditEvent?patient=Patient/${HAROLD}&_count=50`,
      undefined,
      harold,
    );
    expect(JSON.stringify(own.body)).toContain('Access test app');
  });

  it('history reads name the patients whose data they returned', async () => {
    const pcp = bearer(await tokenOf(server, 'pcp'));
    const marker = `history-${Date.now()}`;
    await http(
      'GET',
      `${server.fhir}/Patient/${HAROLD}/_history?_count=5&x=${marker}`.replace(
        '&x=',
        '&_since=2000-01-01T00:00:00Z&x=',
      ),
      undefined,
      pcp,
    );
    for (const path of [`Patient/${HAROLD}/_history`, 'Condition/_history?_count=50', '_history?_count=50']) {
      const res = await http('GET', `${server.fhir}/${path}`, undefined, pcp);
      expect(res.status, path).toBe(200);
    }
    const events = await auditEvents(`patient=Patient/${HAROLD}&_count=100&_sort=-date`);
    const histories = events.filter((e) => JSON.stringify(e.entity ?? []).includes('_history'));
    expect(histories.length).toBeGreaterThanOrEqual(3);
  });

  it('the careloop command records what it did: users, clients, the MFA policy, tokens, exports', async () => {
    const cli = (args: string[]) => runCli(args, server.databaseUrl);
    expect(
      (await cli(['user', 'add', '--username', 'auditor', '--password', 'a-long-enough-password', '--role', 'admin']))
        .code,
    ).toBe(0);
    expect((await cli(['client', 'add', '--name', 'Feed'])).code).toBe(0);
    expect((await cli(['mfa', 'require', 'admin'])).code).toBe(0);
    expect((await cli(['mfa', 'require', ''])).code).toBe(0);
    expect((await cli(['token', '--user', 'auditor'])).code).toBe(0);
    const exportDir = join(tmpdir(), `careloop-export-${process.pid}-${Date.now()}`);
    expect((await cli(['export', exportDir, '--type', 'Patient'])).code).toBe(0);
    rmSync(exportDir, { recursive: true, force: true });
    const events = await auditEvents('type=cli&_count=50&_sort=date');
    const described = events.map((e) => `${e.entity?.map((x) => x.name).join(' ')} | ${e.outcomeDesc ?? ''}`);
    for (const expected of [
      /careloop user add --username auditor .*user auditor \(admin\) created/,
      /careloop client add --name Feed .*backend client .* created/,
      /careloop mfa require admin/,
      /careloop token --user auditor .*access token minted/,
      /careloop export .*exported \d+ resources/,
    ]) {
      expect(
        described.some((d) => expected.test(d)),
        String(expected),
      ).toBe(true);
    }
    // No secret in the log: the password given on the command line is not recorded.
    expect(JSON.stringify(events)).not.toContain('a-long-enough-password');
    // The export disclosed every record: it is in each patient's accounting.
    const harold = bearer(await tokenOf(server, 'patient'));
    const accounting = await http<Bundle<AuditEvent>>('GET', `${server.fhir}/AuditEvent?_count=200`, undefined, harold);
    expect(JSON.stringify(accounting.body)).toMatch(/cli:/);
  });
});

describe('the audit report', () => {
  it('filters by time range, user, action and outcome, and sorts by each column', async () => {
    await login(server, 'pharmacist', 'not-the-password-at-all');
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const inRange = await auditEvents(`date=ge${from}&date=le${to}&_count=200`);
    expect(inRange.length).toBeGreaterThan(0);
    expect(inRange.every((e) => e.recorded >= from && e.recorded <= to)).toBe(true);
    expect(await auditEvents('date=le2000-01-01&_count=5')).toEqual([]);
    const pcp = await auditEvents('agent-name=pcp&_count=200');
    expect(pcp.length).toBeGreaterThan(0);
    expect(pcp.every((e) => e.agent[0]?.who?.display === 'pcp')).toBe(true);
    const refused = await auditEvents('outcome=4&_count=200');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => e.outcome === '4')).toBe(true);
    const reads = await auditEvents('action=R&_count=50');
    expect(reads.every((e) => e.action === 'R')).toBe(true);
    const sorted = async (sort: string, value: (e: AuditEvent) => string) => {
      const events = await auditEvents(`_sort=${sort}&_count=500`);
      const values = events.map(value);
      const expected = [...values].sort((a, b) => (sort.startsWith('-') ? b.localeCompare(a) : a.localeCompare(b)));
      expect(values, sort).toEqual(expected);
    };
    await sorted('date', (e) => e.recorded);
    await sorted('-date', (e) => e.recorded);
    await sorted('user', (e) => e.agent[0]?.who?.display ?? '');
    await sorted('-action', (e) => e.action ?? '');
    await sorted('outcome', (e) => e.outcome ?? '');
    const byPatient = await auditEvents('_sort=patient&_count=500');
    expect(byPatient.length).toBeGreaterThan(0);
    const admin = bearer(await tokenOf(server, 'admin'));
    const bad = await http('GET', `${server.fhir}/AuditEvent?_sort=colour`, undefined, admin);
    expect(bad.status).toBe(400);
  });
});

describe('tamper evidence', () => {
  const verify = async () =>
    verifyAuditLog(
      server.store.audit,
      server.access.auditKey,
      readAnchorFile(server.access.auditKey, server.auditAnchorFile),
    );

  it('careloop audit verify passes an intact log, and finds an altered entry, a recomputed chain, a removed one and a cut end', async () => {
    await http('GET', `${server.fhir}/Patient/${HAROLD}`);
    const intact = await verify();
    expect(intact.ok).toBe(true);
    const postgres = /^postgres/.test(server.databaseUrl);
    // The database refuses changes to the log...
    await expect(runRawSql(server.databaseUrl, ["UPDATE audit_log SET record = '{}' WHERE seq = 2"])).rejects.toThrow(
      /append-only/,
    );
    // ...but an administrator of the database could remove the guard; the chain shows it.
    await runRawSql(
      server.databaseUrl,
      postgres
        ? ['ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change']
        : ['DROP TRIGGER audit_log_no_update', 'DROP TRIGGER audit_log_no_delete'],
    );
    // Checkpoint the head, as the server does every second, before the attacks.
    const anchor = await checkpointAuditLog(server.store.audit, server.access.auditKey, server.auditAnchorFile);
    expect(anchor?.seq).toBeGreaterThan(5);
    await runRawSql(server.databaseUrl, [
      `UPDATE audit_log SET record = replace(record, '"username":"pcp"', '"username":"admin"') WHERE seq = 3`,
    ]);
    const altered = await verify();
    expect(altered).toMatchObject({ ok: false, seq: 3 });
    expect(altered.ok ? '' : altered.problem).toMatch(/altered/);

    // An attacker who knows the chain's construction recomputes every hash after the edit: without
    // the key (kept outside the database) the recomputed chain does not verify.
    const rows = await allEntries();
    let prev = rows.find((r) => r.seq === 2)?.hash ?? '';
    const rewrite: string[] = [];
    for (const r of rows.filter((x) => x.seq >= 3)) {
      const hash = createHash('sha256').update(`${prev}\n${r.seq}\n${r.recorded}\n${r.record}`).digest('hex');
      const guess = createHmac('sha256', 'careloop')
        .update(`${prev}\n${r.seq}\n${r.recorded}\n${r.record}`)
        .digest('hex');
      rewrite.push(
        `UPDATE audit_log SET prev_hash = '${prev}', hash = '${r.seq === 3 ? guess : hash}' WHERE seq = ${r.seq}`,
      );
      prev = r.seq === 3 ? guess : hash;
    }
    await runRawSql(server.databaseUrl, rewrite);
    const recomputed = await verify();
    expect(recomputed).toMatchObject({ ok: false, seq: 3 });

    await runRawSql(server.databaseUrl, ['DELETE FROM audit_log WHERE seq = 3']);
    const removed = await verify();
    expect(removed).toMatchObject({ ok: false, seq: 3 });
    expect(removed.ok ? '' : removed.problem).toMatch(/missing/);
  });

  it('finds entries removed from the end of the log by their checkpoint, also through the command', async () => {
    const other = await startDemoServer();
    try {
      await http('GET', `${other.fhir}/Patient/${HAROLD}`);
      const key = other.access.auditKey;
      const anchor = await checkpointAuditLog(other.store.audit, key, other.auditAnchorFile);
      expect(anchor).toBeDefined();
      const postgres = /^postgres/.test(other.databaseUrl);
      const seq = anchor?.seq ?? 0;
      expect((await verifyAuditLog(other.store.audit, key, readAnchorFile(key, other.auditAnchorFile))).ok).toBe(true);
      await runRawSql(other.databaseUrl, [
        ...(postgres
          ? ['ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change']
          : ['DROP TRIGGER audit_log_no_delete']),
        `DELETE FROM audit_patient WHERE seq >= ${seq - 1}`,
        `DELETE FROM audit_log WHERE seq >= ${seq - 1}`,
      ]);
      // Without the anchor the shortened log is a valid chain; with it, the cut shows.
      expect((await verifyAuditLog(other.store.audit, key)).ok).toBe(true);
      const cut = await verifyAuditLog(other.store.audit, key, readAnchorFile(key, other.auditAnchorFile));
      expect(cut).toMatchObject({ ok: false });
      expect(cut.ok ? '' : cut.problem).toMatch(/removed/);
      // A forged checkpoint line (no key) is not trusted.
      expect(parseAnchors(key, `${seq} ${'0'.repeat(64)} 2026-01-01T00:00:00.000Z ${'f'.repeat(64)}`)[0]?.ok).toBe(
        false,
      );
      const command = await runCli(['audit', 'verify', '--anchor', other.auditAnchorFile], other.databaseUrl);
      expect(command.code).toBe(1);
      expect(command.output).toMatch(/TAMPERED: entries .* were removed/);
    } finally {
      await other.close();
    }
  });
});

async function allEntries(): Promise<{ seq: number; recorded: number; record: string; hash: string }[]> {
  const out: { seq: number; recorded: number; record: string; hash: string }[] = [];
  for await (const e of server.store.audit.scan()) {
    out.push({ seq: e.seq, recorded: e.entry.recorded, record: JSON.stringify(e.entry), hash: e.hash });
  }
  return out;
}

/** `careloop <args>` on the test database, with the test servers' secret. */
async function runCli(args: string[], database: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/careloop.mjs', ...args], {
      env: { ...process.env, CARELOOP_DB: database, CARELOOP_SECRET: TEST_SECRET },
    });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe('failing closed', () => {
  it('answers with an error and no data when the audit entry cannot be written', async () => {
    const other = await startDemoServer();
    try {
      const postgres = /^postgres/.test(other.databaseUrl);
      await runRawSql(
        other.databaseUrl,
        postgres
          ? [
              "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$",
              'CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit()',
            ]
          : [
              "CREATE TRIGGER audit.refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END",
            ],
      );
      const read = await http('GET', `${other.fhir}/Patient/${HAROLD}`);
      expect(read.status).toBe(500);
      expect(read.text).not.toContain('Brennan');
      expect(read.headers.get('etag')).toBeNull();
      const search = await http('GET', `${other.fhir}/Patient?name=Brennan`);
      expect(search.status).toBe(500);
      expect(search.text).not.toContain('555-0101');
      // A write and its audit entry commit together: with no entry, no write.
      const write = await http('POST', `${other.fhir}/Observation`, {
        resourceType: 'Observation',
        status: 'final',
        code: { text: 'Unaudited' },
        subject: { reference: `Patient/${HAROLD}` },
      });
      expect(write.status).toBe(500);
      const count = await other.store.count({
        resourceType: 'Observation',
        filters: [],
        sort: [],
        count: 0,
        offset: 0,
        snapshot: undefined,
        total: 'accurate',
        summary: undefined,
        elements: undefined,
        include: [],
        revinclude: [],
      });
      const stored = await other.store.search({
        resourceType: 'Observation',
        filters: [],
        sort: [],
        count: 1000,
        offset: 0,
        snapshot: undefined,
        total: 'none',
        summary: undefined,
        elements: undefined,
        include: [],
        revinclude: [],
      });
      expect(count).toBeGreaterThan(0);
      expect(stored.matches.some((m) => m.json?.includes('Unaudited'))).toBe(false);
      const signIn = await login(other, 'patient');
      expect(signIn.status).toBe(500);
      expect(signIn.text).not.toContain('access_token');
    } finally {
      await other.close();
    }
  });
});
