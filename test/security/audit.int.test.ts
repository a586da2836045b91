// The audit log: every kind of access is recorded as an AuditEvent; it is append-only and
// tamper-evident; and if it cannot be written, nothing is disclosed.
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/access/audit/verify-audit-log.js';
import { runRawSql } from '../support/raw-sql.js';
import { bearer, http, type TestServer } from '../support/test-server.js';
import { HAROLD, login, OLIVER, startDemoServer, tokenOf } from './demo-server.js';

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

describe('tamper evidence', () => {
  it('careloop audit verify passes an intact log, and finds an altered entry and a removed one', async () => {
    await http('GET', `${server.fhir}/Patient/${HAROLD}`);
    const intact = await verifyAuditLog(server.store.audit);
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
    await runRawSql(server.databaseUrl, [
      `UPDATE audit_log SET record = replace(record, '"username":"pcp"', '"username":"admin"') WHERE seq = 3`,
    ]);
    const altered = await verifyAuditLog(server.store.audit);
    expect(altered).toMatchObject({ ok: false, seq: 3 });
    expect(altered.ok ? '' : altered.problem).toMatch(/altered/);
    await runRawSql(server.databaseUrl, ['DELETE FROM audit_log WHERE seq = 3']);
    const removed = await verifyAuditLog(server.store.audit);
    expect(removed).toMatchObject({ ok: false, seq: 3 });
    expect(removed.ok ? '' : removed.problem).toMatch(/missing/);
  });
});

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
