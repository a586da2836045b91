// Access control, written as attacks. Each test asserts the exact status and that no record of a
// patient outside the attacker's reach appears anywhere in the body. Run twice: with Careloop's own
// sign-in tokens (access-control.int.test.ts) and with tokens each user gave a SMART app
// (access-control-app-tokens.int.test.ts): an app never reaches more than its user.
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appTokenOf } from '../support/smart-app-token.js';
import { bearer, http, type TestServer } from '../support/test-server.js';
import {
  ARTHUR,
  GLORIA,
  HAROLD,
  NADIA,
  OLIVER,
  patientsIn,
  ROSA,
  startDemoServer,
  tokenOf,
  WALTER,
} from './demo-server.js';

/** Where the tokens come from: Careloop's sign-in, or a SMART app the user allowed (standalone launch). */
export type TokenSource = 'careloop' | 'app';

export function describeAccessControl(source: TokenSource): void {
  let server: TestServer;
  let fhir: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    server = await startDemoServer();
    fhir = server.fhir;
    for (const user of ['admin', 'coordinator', 'pcp', 'pharmacist', 'patient', 'caregiver']) {
      tokens[user] = source === 'app' ? await appTokenOf(server, user) : await tokenOf(server, user);
    }
    // A message in Harold's record that also names Rosa (as recipient): an _include along it must
    // not bring Rosa's record to Harold.
    await server.repository.update('Communication', 'harold-to-rosa', {
      resourceType: 'Communication',
      id: 'harold-to-rosa',
      status: 'completed',
      subject: { reference: `Patient/${HAROLD}` },
      recipient: [{ reference: `Patient/${ROSA}` }],
      payload: [{ contentString: 'Thank you for the soup' }],
    });
  });
  afterAll(async () => {
    await server.close();
  });

  const as = (user: string) => bearer(tokens[user] as string);
  const get = (user: string, path: string) => http<Bundle & Resource>('GET', `${fhir}/${path}`, undefined, as(user));
  const ids = (bundle: Bundle): string[] =>
    (bundle.entry ?? []).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`);

  /** Asserts the body mentions no patient but the allowed ones. */
  function onlyPatients(text: string, allowed: readonly string[]): void {
    expect(patientsIn(text).filter((p) => !allowed.includes(p))).toEqual([]);
  }

  describe('a patient', () => {
    it('cannot read another patient by id: 404, nothing disclosed', async () => {
      const res = await get('patient', `Patient/${ROSA}`);
      expect(res.status).toBe(404);
      onlyPatients(res.text, []);
      expect(res.text).not.toContain('Delgado');
      const condition = await get('patient', `Condition/${ROSA}-condition-1`);
      expect(condition.status).toBe(404);
      expect(condition.text).not.toContain('Chronic obstructive');
    });

    it('reads their own record', async () => {
      const res = await get('patient', `Patient/${HAROLD}`);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(HAROLD);
    });

    it('cannot find another patient by search, counts or sort', async () => {
      const byRef = await get('patient', `Condition?patient=Patient/${ROSA}`);
      expect(byRef.status).toBe(200);
      expect(byRef.body.entry ?? []).toEqual([]);
      const all = await get('patient', 'Patient?_sort=-birthdate&_total=accurate');
      expect(all.status).toBe(200);
      expect(ids(all.body)).toEqual([`Patient/${HAROLD}`]);
      expect(all.body.total).toBe(1);
      const count = await get('patient', 'Condition?_summary=count');
      expect(count.status).toBe(200);
      expect(count.body.total).toBe(5);
      onlyPatients(all.text + byRef.text + count.text, [HAROLD]);
    });

    it('cannot pull another patient in through _include, _revinclude or _include=*', async () => {
      for (const path of [
        'Communication?_include=Communication:recipient',
        'Communication?_include=*',
        'Patient?_revinclude=Communication:recipient',
        'MedicationRequest?_include=MedicationRequest:subject&_count=50',
      ]) {
        const res = await get('patient', path);
        expect(res.status, path).toBe(200);
        onlyPatients(res.text, [HAROLD]);
        expect(ids(res.body)).not.toContain(`Patient/${ROSA}`);
      }
    });

    it('learns nothing through chained parameters or _has', async () => {
      const chained = await get('patient', 'Condition?subject:Patient.family=Delgado');
      expect(chained.status).toBe(200);
      expect(chained.body.entry ?? []).toEqual([]);
      const reverse = await get('patient', 'Patient?_has:Condition:patient:code=13645005');
      expect(reverse.status).toBe(200);
      expect(reverse.body.entry ?? []).toEqual([]);
      const ownChf = await get('patient', 'Patient?_has:Condition:patient:code=42343007');
      expect(ids(ownChf.body)).toEqual([`Patient/${HAROLD}`]);
      onlyPatients(chained.text + reverse.text + ownChf.text, [HAROLD]);
    });

    it('cannot read another patient through history', async () => {
      const instance = await get('patient', `Patient/${ROSA}/_history`);
      expect(instance.status).toBe(404);
      const version = await get('patient', `Patient/${ROSA}/_history/1`);
      expect(version.status).toBe(404);
      const type = await get('patient', 'Condition/_history?_count=100');
      expect(type.status).toBe(200);
      const system = await get('patient', '_history?_count=1000');
      expect(system.status).toBe(200);
      onlyPatients(instance.text + version.text, []);
      onlyPatients(type.text + system.text, [HAROLD]);
    });

    it('cannot run $everything on another patient; their own leaks nobody else', async () => {
      const other = await get('patient', `Patient/${ROSA}/$everything`);
      expect(other.status).toBe(404);
      onlyPatients(other.text, []);
      const own = await get('patient', `Patient/${HAROLD}/$everything`);
      expect(own.status).toBe(200);
      expect(ids(own.body)).toContain(`Patient/${HAROLD}`);
      expect(ids(own.body)).not.toContain(`Patient/${ROSA}`);
      const compartment = await get('patient', `Patient/${ROSA}/Condition`);
      expect(compartment.status).toBe(404);
    });

    it('has a transaction with one forbidden entry refused whole', async () => {
      const before = await get('patient', 'Observation?_summary=count');
      const res = await http(
        'POST',
        fhir,
        {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            {
              resource: {
                resourceType: 'Observation',
                status: 'final',
                code: { text: 'Home weight' },
                subject: { reference: `Patient/${HAROLD}` },
              },
              request: { method: 'POST', url: 'Observation' },
            },
            {
              resource: {
                resourceType: 'Observation',
                status: 'final',
                code: { text: 'Planted' },
                subject: { reference: `Patient/${ROSA}` },
              },
              request: { method: 'POST', url: 'Observation' },
            },
          ],
        },
        as('patient'),
      );
      expect(res.status).toBe(403);
      onlyPatients(res.text, [ROSA]);
      const after = await get('patient', 'Observation?_summary=count');
      expect(after.body.total).toBe(before.body.total);
      const sys = await http<Bundle>('GET', `${fhir}/Observation?code:text=Planted&_summary=count`);
      expect(sys.body.total).toBe(0);
    });

    it('gets a 404 for another patient read inside a batch', async () => {
      const res = await http<Bundle>(
        'POST',
        fhir,
        { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: `Patient/${ROSA}` } }] },
        as('patient'),
      );
      expect(res.status).toBe(200);
      expect(res.body.entry?.[0]?.response?.status).toMatch(/^404/);
      expect(res.text).not.toContain('Delgado');
    });

    it('cannot write into another record, move a resource out of their own, or touch labels and ownership', async () => {
      const foreign = await http(
        'POST',
        `${fhir}/Observation`,
        {
          resourceType: 'Observation',
          status: 'final',
          code: { text: 'x' },
          subject: { reference: `Patient/${ROSA}` },
        },
        as('patient'),
      );
      expect(foreign.status).toBe(403);
      const mine = await http<Resource>(
        'POST',
        `${fhir}/Observation`,
        {
          resourceType: 'Observation',
          status: 'final',
          code: { text: 'Blood pressure at home' },
          subject: { reference: `Patient/${HAROLD}` },
          performer: [{ reference: `Patient/${HAROLD}` }],
        },
        as('patient'),
      );
      expect(mine.status).toBe(201);
      const moved = await http(
        'PUT',
        `${fhir}/Observation/${mine.body.id}`,
        { ...mine.body, subject: { reference: `Patient/${ROSA}` } },
        as('patient'),
      );
      expect(moved.status).toBe(403);
      const labelled = await http(
        'PUT',
        `${fhir}/Observation/${mine.body.id}`,
        {
          ...mine.body,
          meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N' }] },
        },
        as('patient'),
      );
      expect(labelled.status).toBe(403);
      const own = await get('patient', `Patient/${HAROLD}`);
      const reassigned = await http(
        'PUT',
        `${fhir}/Patient/${HAROLD}`,
        { ...own.body, managingOrganization: { reference: 'Organization/demo-other-practice' } },
        as('patient'),
      );
      expect(reassigned.status).toBe(403);
      const phone = await http(
        'PUT',
        `${fhir}/Patient/${HAROLD}`,
        { ...own.body, telecom: [{ system: 'phone', value: '555-0142', use: 'mobile' }] },
        as('patient'),
      );
      expect(phone.status).toBe(200);
      const otherPut = await http(
        'PUT',
        `${fhir}/Patient/${ROSA}`,
        { resourceType: 'Patient', id: ROSA },
        as('patient'),
      );
      expect(otherPut.status).toBe(403);
      const otherDelete = await http('DELETE', `${fhir}/Condition/${ROSA}-condition-1`, undefined, as('patient'));
      expect(otherDelete.status).toBe(403);
      const otherPatch = await http(
        'PATCH',
        `${fhir}/Patient/${ROSA}`,
        [{ op: 'replace', path: '/gender', value: 'male' }],
        { ...as('patient'), 'content-type': 'application/json-patch+json' },
      );
      expect(otherPatch.status).toBe(404);
      for (const r of [foreign, moved, labelled, reassigned, otherPut, otherDelete, otherPatch])
        expect(r.text).not.toContain('Delgado');
    });

    it('reads only the resource types the portal shows, and cannot export', async () => {
      expect((await get('patient', 'Flag')).status).toBe(403);
      expect((await get('patient', 'Provenance')).status).toBe(403);
      const exportKick = await http('GET', `${fhir}/$export`, undefined, { ...as('patient'), prefer: 'respond-async' });
      expect(exportKick.status).toBe(403);
    });

    it('cannot borrow an identity from request headers', async () => {
      const res = await http<Bundle>('GET', `${fhir}/Patient`, undefined, {
        ...as('patient'),
        'x-forwarded-user': 'admin',
        'x-user-id': 'coordinator',
        'x-patient-id': ROSA,
        'x-role': 'system',
      });
      expect(ids(res.body)).toEqual([`Patient/${HAROLD}`]);
    });
  });

  describe('a caregiver', () => {
    // With Careloop's sign-in, both patients they are proxy for; an app is given one of them
    // (they chose Harold at its launch: SMART's patient context is one patient).
    const theirs = source === 'app' ? [HAROLD] : [HAROLD, ROSA];
    it('sees the patients they are proxy for and nobody else', async () => {
      const res = await get('caregiver', 'Patient?_count=50');
      expect(res.status).toBe(200);
      expect(ids(res.body).sort()).toEqual(theirs.map((p) => `Patient/${p}`));
      const walter = await get('caregiver', `Patient/${WALTER}`);
      expect(walter.status).toBe(404);
      const meds = await get('caregiver', 'MedicationRequest?_count=100');
      onlyPatients(meds.text, theirs);
    });
  });

  describe('clinicians', () => {
    it('see only the patients of their care teams: a pharmacist outside Gloria Mensah’s team gets 404', async () => {
      const patients = await get('pharmacist', 'Patient?_count=50');
      expect(ids(patients.body).sort()).toEqual([`Patient/${HAROLD}`, `Patient/${ROSA}`, `Patient/${WALTER}`]);
      const gloria = await get('pharmacist', `Patient/${GLORIA}`);
      expect(gloria.status).toBe(404);
      const search = await get('pharmacist', `MedicationRequest?patient=Patient/${GLORIA}`);
      expect(search.body.entry ?? []).toEqual([]);
      const chained = await get('pharmacist', 'MedicationRequest?subject:Patient.family=Mensah');
      expect(chained.body.entry ?? []).toEqual([]);
      onlyPatients(gloria.text + search.text + chained.text, []);
      const write = await http(
        'POST',
        `${fhir}/Observation`,
        {
          resourceType: 'Observation',
          status: 'final',
          code: { text: 'x' },
          subject: { reference: `Patient/${GLORIA}` },
        },
        as('pharmacist'),
      );
      expect(write.status).toBe(403);
    });

    it('a coordinator sees the organization’s panel, not another practice’s patients', async () => {
      const res = await get('coordinator', 'Patient?_count=50');
      expect(ids(res.body)).toContain(`Patient/${NADIA}`);
      expect(ids(res.body)).not.toContain(`Patient/${OLIVER}`);
      expect((await get('coordinator', `Patient/${OLIVER}`)).status).toBe(404);
    });

    it('sensitive data is shown only where the role and the patient’s consent allow', async () => {
      const psy = `Condition/${GLORIA}-condition-1`;
      expect((await get('pcp', psy)).status).toBe(200);
      expect((await get('coordinator', psy)).status).toBe(404);
      const eth = `Condition/${ARTHUR}-condition-1`;
      expect((await get('pcp', eth)).status).toBe(404);
      const count = await get('coordinator', `Condition?patient=Patient/${GLORIA}&_summary=count`);
      expect(count.body.total).toBe(2);
      const search = await get('pcp', `Condition?patient=Patient/${ARTHUR}`);
      expect(search.text).not.toContain('Alcohol');
    });

    it('break the glass: a reason opens the record for a limited time, flagged in the audit log', async () => {
      expect((await get('pharmacist', `Patient/${OLIVER}`)).status).toBe(404);
      const noReason = await http(
        'POST',
        `${server.url}/auth/break-glass`,
        { patient: `Patient/${OLIVER}`, reason: '' },
        as('pharmacist'),
      );
      expect(noReason.status).toBe(400);
      const grant = await http<{ expires: string }>(
        'POST',
        `${server.url}/auth/break-glass`,
        { patient: `Patient/${OLIVER}`, reason: 'Unresponsive in clinic, reviewing medications' },
        as('pharmacist'),
      );
      expect(grant.status).toBe(201);
      const minutes = (Date.parse(grant.body.expires) - Date.now()) / 60_000;
      expect(minutes).toBeGreaterThan(55);
      expect(minutes).toBeLessThanOrEqual(60);
      const read = await get('pharmacist', `Patient/${OLIVER}`);
      expect(read.status).toBe(200);
      const audit = await get('admin', `AuditEvent?patient=Patient/${OLIVER}`);
      const flagged = (audit.body.entry ?? []).filter((e) => JSON.stringify(e.resource).includes('ETREAT'));
      expect(flagged.length).toBeGreaterThanOrEqual(2);
      const patientCannot = await http(
        'POST',
        `${server.url}/auth/break-glass`,
        { patient: `Patient/${ROSA}`, reason: 'I would like to look please' },
        as('patient'),
      );
      expect(patientCannot.status).toBe(403);
    });

    it('an administrator runs the directory but sees no clinical records', async () => {
      const res = await get('admin', 'Patient');
      expect(res.status).toBe(200);
      expect(res.body.entry ?? []).toEqual([]);
      expect((await get('admin', `Patient/${HAROLD}`)).status).toBe(404);
      const org = await get('admin', 'Organization');
      expect((org.body.entry ?? []).length).toBeGreaterThan(0);
    });
  });

  describe('scopes', () => {
    it('a token limited to patient/Observation.rs reads observations only', async () => {
      const login = await http<{ access_token: string; scope: string }>(
        'POST',
        `${server.url}/auth/login`,
        { username: 'patient', password: 'careloop-demo-pass', scope: 'patient/Observation.rs launch/patient' },
        { authorization: '' },
      );
      expect(login.status).toBe(200);
      expect(login.body.scope).toBe('patient/Observation.rs launch/patient');
      const token = bearer(login.body.access_token);
      expect((await http('GET', `${fhir}/Observation`, undefined, token)).status).toBe(200);
      expect((await http('GET', `${fhir}/Condition`, undefined, token)).status).toBe(403);
      expect((await http('GET', `${fhir}/Patient/${HAROLD}`, undefined, token)).status).toBe(403);
      const write = await http(
        'POST',
        `${fhir}/Observation`,
        {
          resourceType: 'Observation',
          status: 'final',
          code: { text: 'x' },
          subject: { reference: `Patient/${HAROLD}` },
        },
        token,
      );
      expect(write.status).toBe(403);
      const included = await http<Bundle>('GET', `${fhir}/Observation?_include=Observation:subject`, undefined, token);
      expect(ids(included.body).filter((i) => i.startsWith('Patient/'))).toEqual([]);
    });

    it('a patient cannot obtain user or system scopes', async () => {
      const login = await http<{ scope: string }>(
        'POST',
        `${server.url}/auth/login`,
        { username: 'patient', password: 'careloop-demo-pass', scope: 'user/*.cruds system/*.cruds' },
        { authorization: '' },
      );
      expect(login.body.scope).toBe('');
    });
  });

  describe('the audit log', () => {
    it('records reads and searches with the query, and a patient sees who accessed their record', async () => {
      await get('pcp', `Condition?patient=Patient/${HAROLD}&code=42343007`);
      const accounting = await get('patient', 'AuditEvent?_count=200');
      expect(accounting.status).toBe(200);
      const events = (accounting.body.entry ?? []).map(
        (e) => e.resource as unknown as { agent: { who?: { display?: string } }[]; entity?: { query?: string }[] },
      );
      const byPcp = events.filter((e) => e.agent[0]?.who?.display === 'pcp');
      expect(byPcp.length).toBeGreaterThan(0);
      // The patient's accounting shows who, when and how, not the query (it may name others)...
      expect(accounting.text).not.toContain('code=42343007');
      onlyPatients(accounting.text, [HAROLD]);
      // ...which the administrator's view of the log keeps.
      const full = await get('admin', `AuditEvent?patient=Patient/${HAROLD}&_count=200`);
      const queries = (full.body.entry ?? [])
        .flatMap((e) => (e.resource as unknown as { entity?: { query?: string }[] }).entity ?? [])
        .flatMap((x) => (x.query ? [Buffer.from(x.query, 'base64').toString()] : []));
      expect(queries.some((q) => q.includes('code=42343007'))).toBe(true);
      const other = await get('patient', `AuditEvent?patient=Patient/${ROSA}`);
      expect(other.status).toBe(403);
      expect((await get('coordinator', 'AuditEvent')).status).toBe(403);
      const write = await http('POST', `${fhir}/AuditEvent`, { resourceType: 'AuditEvent' }, as('admin'));
      expect(write.status).toBe(405);
    });
  });
}
