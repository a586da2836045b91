// The FHIR REST API over HTTP against the real server and a real database.
import type { Bundle, CapabilityStatement, OperationOutcome, Patient, ValueSet } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startTestServer, type TestServer } from '../../test/support/test-server.js';
import { getSearchParameterRegistry } from '../fhir/search/search-parameter-registry.js';

let server: TestServer;
/** fetch with the test server's full-access token. */
const authed = (url: string, init: RequestInit = {}): Promise<Response> =>
  fetch(url, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${server.token}` },
  });
let fhir: string;

beforeAll(async () => {
  server = await startTestServer();
  fhir = server.fhir;
});
afterAll(async () => {
  await server.close();
});

const patient = (family: string, extra: Partial<Patient> = {}): Patient => ({
  resourceType: 'Patient',
  name: [{ family }],
  ...extra,
});

async function createPatient(family: string, extra: Partial<Patient> = {}): Promise<Patient & { id: string }> {
  const res = await http<Patient & { id: string }>('POST', `${fhir}/Patient`, patient(family, extra));
  expect(res.status).toBe(201);
  return res.body;
}

describe('metadata', () => {
  it('lists every resource type and the search parameters the server supports', async () => {
    const res = await http<CapabilityStatement>('GET', `${fhir}/metadata`);
    expect(res.status).toBe(200);
    const resources = res.body.rest?.[0]?.resource ?? [];
    expect(resources).toHaveLength(146);
    const pat = resources.find((r) => r.type === 'Patient');
    expect(pat?.searchParam?.map((p) => p.name).sort()).toEqual(
      getSearchParameterRegistry()
        .list('Patient')
        .map((p) => p.code)
        .sort(),
    );
    expect(res.body.rest?.[0]?.operation?.map((o) => o.name)).toContain('export');
    expect(res.body.fhirVersion).toBe('4.0.1');
  });
});

describe('create, read, update, delete', () => {
  it('creates with a server id, Location and ETag', async () => {
    const res = await http<Patient>('POST', `${fhir}/Patient`, patient('Create', { id: 'client-chosen' }));
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.meta?.versionId).toBe('1');
    expect(res.headers.get('etag')).toBe('W/"1"');
    expect(res.headers.get('location')).toBe(`${fhir}/Patient/${res.body.id}/_history/1`);
    expect(res.headers.get('content-type')).toContain('application/fhir+json');
  });

  it('honours Prefer: return=minimal and return=OperationOutcome', async () => {
    const minimal = await http('POST', `${fhir}/Patient`, patient('Minimal'), { prefer: 'return=minimal' });
    expect(minimal.status).toBe(201);
    expect(minimal.text).toBe('');
    expect(minimal.headers.get('location')).toContain('/Patient/');
    const oo = await http<OperationOutcome>('POST', `${fhir}/Patient`, patient('Outcome'), {
      prefer: 'return=OperationOutcome',
    });
    expect(oo.body.resourceType).toBe('OperationOutcome');
  });

  it('reads, versions, and refuses a stale If-Match without changing anything', async () => {
    const p = await createPatient('Version');
    const read = await http<Patient>('GET', `${fhir}/Patient/${p.id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('last-modified')).toBeTruthy();
    const v2 = await http<Patient>(
      'PUT',
      `${fhir}/Patient/${p.id}`,
      { ...p, gender: 'female' },
      { 'if-match': 'W/"1"' },
    );
    expect(v2.status).toBe(200);
    expect(v2.body.meta?.versionId).toBe('2');
    const stale = await http<OperationOutcome>(
      'PUT',
      `${fhir}/Patient/${p.id}`,
      { ...p, gender: 'male' },
      { 'if-match': 'W/"1"' },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.resourceType).toBe('OperationOutcome');
    const after = await http<Patient>('GET', `${fhir}/Patient/${p.id}`);
    expect(after.body.gender).toBe('female');
    expect(after.body.meta?.versionId).toBe('2');
    const v1 = await http<Patient>('GET', `${fhir}/Patient/${p.id}/_history/1`);
    expect(v1.body.gender).toBeUndefined();
  });

  it('creates on update with a client id, and keeps unchanged updates at their version', async () => {
    const created = await http<Patient>('PUT', `${fhir}/Patient/my-own-id`, { ...patient('Own'), id: 'my-own-id' });
    expect(created.status).toBe(201);
    const same = await http<Patient>('PUT', `${fhir}/Patient/my-own-id`, { ...patient('Own'), id: 'my-own-id' });
    expect(same.status).toBe(200);
    expect(same.body.meta?.versionId).toBe('1');
    const mismatch = await http('PUT', `${fhir}/Patient/other-id`, { ...patient('Own'), id: 'my-own-id' });
    expect(mismatch.status).toBe(400);
  });

  it('deletes: the read is 410 Gone and history keeps the resource', async () => {
    const p = await createPatient('Delete');
    expect((await http('DELETE', `${fhir}/Patient/${p.id}`)).status).toBe(204);
    expect((await http('GET', `${fhir}/Patient/${p.id}`)).status).toBe(410);
    const history = await http<Bundle>('GET', `${fhir}/Patient/${p.id}/_history`);
    expect(history.body.type).toBe('history');
    expect(history.body.entry?.map((e) => e.request?.method)).toEqual(['DELETE', 'POST']);
    expect((await http('GET', `${fhir}/Patient/${p.id}/_history/1`)).status).toBe(200);
    expect((await http('GET', `${fhir}/Patient/does-not-exist`)).status).toBe(404);
  });

  it('answers type and system history', async () => {
    const type = await http<Bundle>('GET', `${fhir}/Patient/_history?_count=2`);
    expect(type.body.entry).toHaveLength(2);
    expect(type.body.link?.some((l) => l.relation === 'next')).toBe(true);
    const system = await http<Bundle>('GET', `${fhir}/_history?_count=1`);
    expect(system.body.total).toBeGreaterThan(3);
  });
});

describe('conditional interactions', () => {
  it('conditional create returns the existing match', async () => {
    const body = patient('Conditional', { identifier: [{ system: 'urn:test', value: 'c1' }] });
    const first = await http<Patient>('POST', `${fhir}/Patient`, body, { 'if-none-exist': 'identifier=urn:test|c1' });
    expect(first.status).toBe(201);
    const second = await http<Patient>('POST', `${fhir}/Patient`, body, { 'if-none-exist': 'identifier=urn:test|c1' });
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    await createPatient('Conditional', { identifier: [{ system: 'urn:test', value: 'c2' }] });
    await createPatient('Conditional', { identifier: [{ system: 'urn:test', value: 'c2' }] });
    const many = await http('POST', `${fhir}/Patient`, body, { 'if-none-exist': 'identifier=urn:test|c2' });
    expect(many.status).toBe(412);
  });

  it('conditional update updates the one match or creates', async () => {
    const body = patient('CondUpdate', { identifier: [{ system: 'urn:test', value: 'u1' }] });
    const created = await http<Patient>('PUT', `${fhir}/Patient?identifier=urn:test|u1`, body);
    expect(created.status).toBe(201);
    const updated = await http<Patient>('PUT', `${fhir}/Patient?identifier=urn:test|u1`, { ...body, gender: 'other' });
    expect(updated.status).toBe(200);
    expect(updated.body.id).toBe(created.body.id);
    expect(updated.body.meta?.versionId).toBe('2');
  });

  it('conditional delete removes the match', async () => {
    await createPatient('CondDelete', { identifier: [{ system: 'urn:test', value: 'd1' }] });
    expect((await http('DELETE', `${fhir}/Patient?identifier=urn:test|d1`)).status).toBe(204);
    const search = await http<Bundle>('GET', `${fhir}/Patient?identifier=urn:test|d1`);
    expect(search.body.entry).toEqual([]);
  });
});

describe('patch', () => {
  it('applies a JSON Patch under versioning and validation', async () => {
    const p = await createPatient('Patchy');
    const ok = await http<Patient>(
      'PATCH',
      `${fhir}/Patient/${p.id}`,
      [{ op: 'add', path: '/gender', value: 'female' }],
      {
        'content-type': 'application/json-patch+json',
        'if-match': 'W/"1"',
      },
    );
    expect(ok.status).toBe(200);
    expect(ok.body.gender).toBe('female');
    expect(ok.body.meta?.versionId).toBe('2');
    const invalid = await http<OperationOutcome>(
      'PATCH',
      `${fhir}/Patient/${p.id}`,
      [{ op: 'add', path: '/gender', value: 'robot' }],
      {
        'content-type': 'application/json-patch+json',
      },
    );
    expect(invalid.status).toBe(400);
    const stale = await http('PATCH', `${fhir}/Patient/${p.id}`, [{ op: 'remove', path: '/gender' }], {
      'content-type': 'application/json-patch+json',
      'if-match': 'W/"1"',
    });
    expect(stale.status).toBe(412);
    const failedTest = await http(
      'PATCH',
      `${fhir}/Patient/${p.id}`,
      [{ op: 'test', path: '/gender', value: 'male' }],
      {
        'content-type': 'application/json-patch+json',
      },
    );
    expect(failedTest.status).toBe(422);
  });

  it('applies a FHIRPath Patch', async () => {
    const p = await createPatient('FhirPathPatch', { birthDate: '1970-01-01' });
    const res = await http<Patient>('PATCH', `${fhir}/Patient/${p.id}`, {
      resourceType: 'Parameters',
      parameter: [
        {
          name: 'operation',
          part: [
            { name: 'type', valueCode: 'replace' },
            { name: 'path', valueString: 'Patient.birthDate' },
            { name: 'value', valueDate: '1971-02-03' },
          ],
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.birthDate).toBe('1971-02-03');
  });
});

describe('validation', () => {
  it.each<[string, string, unknown, number, string]>([
    ['invalid JSON', 'Patient', '{"resourceType": "Patient",', 400, 'Invalid JSON'],
    ['unknown element', 'Patient', { resourceType: 'Patient', nickname: 'x' }, 400, "Unknown element 'nickname'"],
    ['wrong type', 'Patient', { resourceType: 'Patient', active: 'yes' }, 400, 'Expected a boolean'],
    ['bad cardinality', 'Patient', { resourceType: 'Patient', gender: ['male', 'female'] }, 400, 'single value'],
    [
      'missing required',
      'Observation',
      { resourceType: 'Observation', code: { text: 'x' } },
      400,
      'Missing required element Observation.status',
    ],
    [
      'malformed date',
      'Patient',
      { resourceType: 'Patient', birthDate: '1970-13-01' },
      400,
      "Invalid date '1970-13-01'",
    ],
    ['malformed id', 'Patient', { resourceType: 'Patient', id: 'bad id!' }, 400, "Invalid id 'bad id!'"],
    ['type mismatch with URL', 'Patient', { resourceType: 'Observation' }, 400, 'the URL says Patient'],
    ['unknown resource type', 'Patientx', { resourceType: 'Patientx' }, 404, "Unknown resource type 'Patientx'"],
  ])(
    '%s is a %i OperationOutcome naming the problem and stores nothing',
    async (_name, type, body, status, message) => {
      const before = await server.store.countByType();
      const res = await http<OperationOutcome>('POST', `${fhir}/${type}`, body);
      expect(res.status).toBe(status);
      expect(res.body.resourceType).toBe('OperationOutcome');
      expect(JSON.stringify(res.body)).toContain(message);
      expect(res.text).not.toMatch(/at \w+ \(|node_modules|SELECT/);
      expect(await server.store.countByType()).toEqual(before);
    },
  );

  it('refuses other content types with 415', async () => {
    const res = await http('POST', `${fhir}/Patient`, '<Patient/>', { 'content-type': 'application/fhir+xml' });
    expect(res.status).toBe(415);
  });
});

describe('search', () => {
  beforeAll(async () => {
    for (let i = 0; i < 5; i++)
      await createPatient('Pager', { gender: i % 2 ? 'male' : 'female', birthDate: `199${i}-01-01` });
  });

  it('searches by GET and by POST _search', async () => {
    const get = await http<Bundle>('GET', `${fhir}/Patient?family=pager&gender=female`);
    expect(get.body.type).toBe('searchset');
    expect(get.body.entry).toHaveLength(3);
    const post = await authed(`${fhir}/Patient/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'family=pager&gender=male',
    });
    expect(((await post.json()) as Bundle).entry).toHaveLength(2);
  });

  it('pages with next and previous links', async () => {
    const first = await http<Bundle>('GET', `${fhir}/Patient?family=pager&_count=2&_sort=birthdate`);
    const next = first.body.link?.find((l) => l.relation === 'next')?.url as string;
    expect(next).toBeTruthy();
    const second = await http<Bundle>('GET', next);
    const third = await http<Bundle>('GET', second.body.link?.find((l) => l.relation === 'next')?.url as string);
    const dates = [first, second, third].flatMap((b) => b.body.entry?.map((e) => (e.resource as Patient).birthDate));
    expect(dates).toEqual(['1990-01-01', '1991-01-01', '1992-01-01', '1993-01-01', '1994-01-01']);
    expect(third.body.link?.some((l) => l.relation === 'next')).toBe(false);
    expect(second.body.link?.some((l) => l.relation === 'previous')).toBe(true);
  });

  it('rejects an unknown parameter unless handling is lenient', async () => {
    const strict = await http<OperationOutcome>('GET', `${fhir}/Patient?nickname=x`);
    expect(strict.status).toBe(400);
    expect(strict.body.issue?.[0]?.diagnostics).toContain("'nickname'");
    const lenient = await http<Bundle>('GET', `${fhir}/Patient?nickname=x&family=pager`, undefined, {
      prefer: 'handling=lenient',
    });
    expect(lenient.status).toBe(200);
    expect(lenient.body.entry?.filter((e) => e.search?.mode === 'match')).toHaveLength(5);
    expect(lenient.body.entry?.some((e) => e.search?.mode === 'outcome')).toBe(true);
    expect(lenient.body.link?.[0]?.url).not.toContain('nickname');
  });

  it('counts and trims', async () => {
    const count = await http<Bundle>('GET', `${fhir}/Patient?family=pager&_summary=count`);
    expect(count.body.total).toBe(5);
    expect(count.body.entry).toEqual([]);
    const elements = await http<Bundle>('GET', `${fhir}/Patient?family=pager&_elements=gender&_count=1`);
    const r = elements.body.entry?.[0]?.resource as Patient;
    expect(r.name).toBeUndefined();
    expect(r.gender).toBeDefined();
    expect(r.meta?.tag?.[0]?.code).toBe('SUBSETTED');
  });
});

describe('bundles', () => {
  it('runs a transaction with urn:uuid references', async () => {
    const res = await http<Bundle>('POST', fhir, {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:11111111-1111-4111-8111-111111111111',
          resource: patient('InTxn'),
          request: { method: 'POST', url: 'Patient' },
        },
        {
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { text: 'x' },
            subject: { reference: 'urn:uuid:11111111-1111-4111-8111-111111111111' },
          },
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('transaction-response');
    const patientId = res.body.entry?.[0]?.response?.location?.split('/')[1];
    const observation = res.body.entry?.[1]?.resource as { subject: { reference: string } };
    expect(observation.subject.reference).toBe(`Patient/${patientId}`);
  });

  it('rolls back a whole transaction when one entry fails', async () => {
    const before = await server.store.countByType();
    const res = await http<OperationOutcome>('POST', fhir, {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: patient('RolledBack'), request: { method: 'POST', url: 'Patient' } },
        {
          resource: { resourceType: 'Patient', id: 'x', gender: 'robot' },
          request: { method: 'PUT', url: 'Patient/x' },
        },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.issue?.[0]?.diagnostics).toContain('Entry 1');
    expect(await server.store.countByType()).toEqual(before);
  });

  it('runs a batch entry by entry', async () => {
    const res = await http<Bundle>('POST', fhir, {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: patient('InBatch'), request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'Patient', gender: 'robot' }, request: { method: 'POST', url: 'Patient' } },
        { request: { method: 'GET', url: 'Patient?family=inbatch' } },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.entry?.map((e) => e.response?.status.slice(0, 3))).toEqual(['201', '400', '200']);
    const searchset = res.body.entry?.[2]?.resource as Bundle;
    expect(searchset.entry).toHaveLength(1);
  });
});

describe('operations', () => {
  it('Patient/$everything returns the compartment', async () => {
    const p = await createPatient('Everything');
    await http('POST', `${fhir}/Observation`, {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      subject: { reference: `Patient/${p.id}` },
    });
    const res = await http<Bundle>('GET', `${fhir}/Patient/${p.id}/$everything`);
    expect(res.status).toBe(200);
    expect(res.body.entry?.map((e) => e.resource?.resourceType).sort()).toEqual(['Observation', 'Patient']);
  });

  it('ValueSet/$expand and CodeSystem/$lookup', async () => {
    const vs = await http<ValueSet>(
      'GET',
      `${fhir}/ValueSet/$expand?url=http://hl7.org/fhir/ValueSet/administrative-gender&filter=fem`,
    );
    expect(vs.body.expansion?.contains?.map((c) => c.code)).toEqual(['female']);
    const counted = await http<ValueSet>(
      'GET',
      `${fhir}/ValueSet/$expand?url=http://careloop.org/fhir/ValueSet/task-type&count=2`,
    );
    expect(counted.body.expansion?.contains).toHaveLength(2);
    const lookup = await http(
      'GET',
      `${fhir}/CodeSystem/$lookup?system=http://careloop.org/fhir/CodeSystem/task-type&code=safety-assessment`,
    );
    expect(JSON.stringify(lookup.body)).toContain('Same-day safety assessment');
    expect(
      (await http('GET', `${fhir}/CodeSystem/$lookup?system=http://careloop.org/fhir/CodeSystem/task-type&code=nope`))
        .status,
    ).toBe(404);
  });

  it('expands a value set stored on the server', async () => {
    await http('POST', `${fhir}/CodeSystem`, {
      resourceType: 'CodeSystem',
      url: 'http://example.org/cs/colors',
      status: 'active',
      content: 'complete',
      concept: [
        { code: 'r', display: 'Red' },
        { code: 'g', display: 'Green' },
      ],
    });
    await http('POST', `${fhir}/ValueSet`, {
      resourceType: 'ValueSet',
      url: 'http://example.org/vs/colors',
      status: 'active',
      compose: { include: [{ system: 'http://example.org/cs/colors' }] },
    });
    const vs = await http<ValueSet>('GET', `${fhir}/ValueSet/$expand?url=http://example.org/vs/colors&filter=gr`);
    expect(vs.body.expansion?.contains?.map((c) => c.display)).toEqual(['Green']);
  });
});

describe('bulk export', () => {
  const poll = async (url: string): Promise<Response> => {
    for (let i = 0; i < 100; i++) {
      const res = await authed(url);
      if (res.status !== 202) return res;
      expect(res.headers.get('x-progress')).toBeTruthy();
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('export did not finish');
  };

  it('requires Prefer: respond-async', async () => {
    expect((await http('GET', `${fhir}/$export`)).status).toBe(400);
  });

  it('exports the system as NDJSON through kick-off, status and files', async () => {
    const kick = await authed(`${fhir}/$export?_type=Patient,Observation&_outputFormat=application/fhir%2Bndjson`, {
      headers: { prefer: 'respond-async' },
    });
    expect(kick.status).toBe(202);
    const status = kick.headers.get('content-location') as string;
    const done = await poll(status);
    expect(done.status).toBe(200);
    const manifest = (await done.json()) as { output: { type: string; url: string; count: number }[] };
    expect(manifest.output.map((o) => o.type).sort()).toEqual(['Observation', 'Patient']);
    const patients = manifest.output.find((o) => o.type === 'Patient') as { url: string; count: number };
    const file = await authed(patients.url);
    expect(file.headers.get('content-type')).toContain('application/fhir+ndjson');
    const lines = (await file.text()).trim().split('\n');
    expect(lines).toHaveLength(patients.count);
    expect(JSON.parse(lines[0] as string).resourceType).toBe('Patient');
  });

  it('exports a patient-level and group-level selection, and cancels', async () => {
    const p = await createPatient('Grouped');
    const group = await http<{ id: string }>('POST', `${fhir}/Group`, {
      resourceType: 'Group',
      type: 'person',
      actual: true,
      member: [{ entity: { reference: `Patient/${p.id}` } }],
    });
    const kick = await authed(`${fhir}/Group/${group.body.id}/$export`, { headers: { prefer: 'respond-async' } });
    const manifest = (await (await poll(kick.headers.get('content-location') as string)).json()) as {
      output: { type: string; count: number }[];
    };
    // The Group names the patient, so it is in the patient's compartment too.
    expect(manifest.output).toEqual([
      expect.objectContaining({ type: 'Group', count: 1 }),
      expect.objectContaining({ type: 'Patient', count: 1 }),
    ]);
    const patientKick = await authed(`${fhir}/Patient/$export?_type=Practitioner`, {
      headers: { prefer: 'respond-async' },
    });
    const patientManifest = (await (await poll(patientKick.headers.get('content-location') as string)).json()) as {
      output: unknown[];
    };
    expect(patientManifest.output).toEqual([]);
    const third = await authed(`${fhir}/$export`, { headers: { prefer: 'respond-async' } });
    const url = third.headers.get('content-location') as string;
    expect((await authed(url, { method: 'DELETE' })).status).toBe(202);
    expect((await authed(url)).status).toBe(404);
  });
});
