// Sensitive records stay closed (42 CFR Part 2, psychotherapy and other labels), written as the
// attacks that opened them: staff and caregivers granting themselves consent, an administrator's
// subscription to Part 2 data, records of types outside the compartment definition, a patient
// rewriting what a clinician recorded. Emergency access opens them, flagged with its reason.
import { createServer, type Server } from 'node:http';
import type { Bundle, Consent, Provenance, Resource, Subscription } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, http, type TestServer } from '../support/test-server.js';
import { ARTHUR, GLORIA, HAROLD, OLIVER, ROSA, startDemoServer, tokenOf } from './demo-server.js';

let server: TestServer;
let fhir: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startDemoServer({ subscriptionDelivery: { retryBaseMs: 100, maxAttempts: 1, timeoutMs: 2000 } });
  fhir = server.fhir;
  for (const user of ['admin', 'coordinator', 'pcp', 'pharmacist', 'patient', 'caregiver']) {
    tokens[user] = await tokenOf(server, user);
  }
});
afterAll(async () => {
  await server.close();
});

const as = (user: string) => bearer(tokens[user] as string);
const get = (user: string, path: string) => http<Bundle & Resource>('GET', `${fhir}/${path}`, undefined, as(user));
const post = (user: string, path: string, body: unknown) => http<Resource>('POST', `${fhir}/${path}`, body, as(user));

const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const ETH_CONDITION = `Condition/${ARTHUR}-condition-1`;
const FORM = { contentType: 'application/pdf', title: 'Signed consent form', data: 'JVBERi0xLjQK' };

function consent(patient: string, label: string, actor: string | undefined, extra: Partial<Consent> = {}): Consent {
  return {
    resourceType: 'Consent',
    status: 'active',
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: `Patient/${patient}` },
    provision: {
      type: 'permit',
      ...(actor
        ? {
            actor: [
              {
                role: {
                  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP' }],
                },
                reference: { reference: actor },
              },
            ],
          }
        : {}),
      securityLabel: [{ system: ACT_CODE, code: label }],
    },
    ...extra,
  };
}

describe('a consent to share sensitive records is the patient’s act', () => {
  it('a coordinator cannot grant herself the Part 2 record, with or without a form', async () => {
    expect((await get('coordinator', ETH_CONDITION)).status).toBe(404);
    for (const body of [
      consent(ARTHUR, 'ETH', 'Practitioner/demo-coordinator'),
      consent(ARTHUR, 'ETH', 'Practitioner/demo-coordinator', { sourceAttachment: FORM }),
      consent(ARTHUR, 'ETH', undefined, { sourceAttachment: FORM }),
      consent(ARTHUR, 'ETH', 'Organization/demo-clinic', { sourceAttachment: FORM }),
    ]) {
      const res = await post('coordinator', 'Consent', body);
      expect(res.status, JSON.stringify(body.provision)).toBe(403);
    }
    expect((await get('coordinator', ETH_CONDITION)).status).toBe(404);
    const count = await get('coordinator', `Condition?patient=Patient/${ARTHUR}&_summary=count`);
    expect(count.body.total).toBe(1);
  });

  it('a physician cannot grant himself the Part 2 record', async () => {
    const res = await post(
      'pcp',
      'Consent',
      consent(ARTHUR, 'ETH', 'Practitioner/demo-pcp', { sourceAttachment: FORM }),
    );
    expect(res.status).toBe(403);
    expect((await get('pcp', ETH_CONDITION)).status).toBe(404);
  });

  it('nor widen the patient’s own consent to include himself or his colleague without the form', async () => {
    const existing = await get('pcp', `Consent?patient=Patient/${GLORIA}`);
    const gloria = existing.body.entry?.[0]?.resource as Consent & { id: string };
    expect(gloria).toBeDefined();
    const widened: Consent = {
      ...gloria,
      provision: {
        ...gloria.provision,
        actor: [
          ...(gloria.provision?.actor ?? []),
          { role: { text: 'recipient' }, reference: { reference: 'Practitioner/demo-coordinator' } },
        ],
      },
    };
    const byCoordinator = await http('PUT', `${fhir}/Consent/${gloria.id}`, widened, as('coordinator'));
    expect(byCoordinator.status).toBe(403);
    const byPcp = await http('PUT', `${fhir}/Consent/${gloria.id}`, widened, as('pcp'));
    expect(byPcp.status).toBe(403);
    expect((await get('coordinator', `Condition/${GLORIA}-condition-1`)).status).toBe(404);
  });

  it('a caregiver without legal authority cannot consent for her aunt; with a healthcare power of attorney for her father she can', async () => {
    const aunt = await post('caregiver', 'Consent', consent(ROSA, 'PSY', 'Practitioner/demo-pcp'));
    expect(aunt.status).toBe(403);
    expect(aunt.text).toContain('legal authority');
    const self = await post('caregiver', 'Consent', consent(HAROLD, 'PSY', 'RelatedPerson/demo-caregiver-harold'));
    expect(self.status).toBe(403);
    const father = await post('caregiver', 'Consent', consent(HAROLD, 'PSY', 'Practitioner/demo-pcp'));
    expect(father.status, father.text).toBe(201);
  });

  it('the patient gives consent in the portal', async () => {
    const res = await post('patient', 'Consent', consent(HAROLD, 'HIV', 'Practitioner/demo-pharmacist'));
    expect(res.status, res.text).toBe(201);
  });

  it('staff record the patient’s signed form for a colleague: it takes effect, the recorder is named and audited', async () => {
    const recorded = await post(
      'coordinator',
      'Consent',
      consent(ARTHUR, 'ETH', 'Practitioner/demo-pcp', { sourceAttachment: FORM }),
    );
    expect(recorded.status, recorded.text).toBe(201);
    const id = recorded.body.id as string;
    expect((await get('pcp', ETH_CONDITION)).status).toBe(200);
    expect((await get('coordinator', ETH_CONDITION)).status).toBe(404);
    const provenance = await http<Bundle>('GET', `${fhir}/Provenance?target=Consent/${id}`);
    const agent = (provenance.body.entry?.[0]?.resource as Provenance | undefined)?.agent?.[0];
    expect(agent?.who?.reference).toBe('Practitioner/demo-coordinator');
    const audit = await get('admin', `AuditEvent?patient=Patient/${ARTHUR}&_count=50`);
    expect(audit.text).toContain(`Consent/${id}`);
    // Withdrawn by the coordinator (narrowing is always allowed): closed again.
    const withdrawn = await http(
      'PUT',
      `${fhir}/Consent/${id}`,
      { ...recorded.body, status: 'inactive' },
      as('coordinator'),
    );
    expect(withdrawn.status).toBe(200);
    expect((await get('pcp', ETH_CONDITION)).status).toBe(404);
  });
});

describe('emergency access', () => {
  it('opens the sensitive records of a patient on one’s own team, flagged with the reason', async () => {
    expect((await get('pcp', ETH_CONDITION)).status).toBe(404);
    const reason = 'Found unresponsive, possible withdrawal: need the full medication history';
    const grant = await http(
      'POST',
      `${server.url}/auth/break-glass`,
      { patient: `Patient/${ARTHUR}`, reason },
      as('pcp'),
    );
    expect(grant.status).toBe(201);
    const read = await get('pcp', ETH_CONDITION);
    expect(read.status).toBe(200);
    const search = await get('pcp', `Condition?patient=Patient/${ARTHUR}`);
    expect(search.text).toContain('Alcohol dependence');
    const audit = await get('admin', `AuditEvent?patient=Patient/${ARTHUR}&_count=100`);
    const flagged = (audit.body.entry ?? []).filter((e) => {
      const text = JSON.stringify(e.resource);
      return text.includes('ETREAT') && text.includes(reason);
    });
    expect(flagged.length).toBeGreaterThanOrEqual(2);
    // Another clinician's access is unchanged.
    expect((await get('coordinator', ETH_CONDITION)).status).toBe(404);
  });
});

describe('subscriptions deliver only what their owner may see', () => {
  let receiver: Server;
  let hookUrl: string;
  const received: string[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        received.push(body);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const address = receiver.address();
    hookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
    const allowed = await http(
      'PUT',
      `${server.url}/auth/admin/subscription-endpoints`,
      { endpoints: [hookUrl] },
      { ...as('admin'), 'content-type': 'application/json' },
    );
    expect(allowed.status).toBe(200);
  });
  afterAll(async () => {
    await new Promise((r) => receiver.close(r));
  });

  const subscription = (criteria: string, extra: Partial<Subscription> = {}): Subscription => ({
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'watch',
    criteria,
    channel: { type: 'rest-hook', endpoint: hookUrl, payload: 'application/fhir+json' },
    ...extra,
  });

  const until = async (check: () => boolean, ms = 6000) => {
    const end = Date.now() + ms;
    while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  };

  it('refuses criteria the owner can never satisfy: an administrator subscribing to Part 2 observations', async () => {
    for (const criteria of [
      `Observation?_security=${ACT_CODE}|ETH`,
      'Condition?_security=ETH',
      `Observation?patient=Patient/${ARTHUR}`,
    ]) {
      const res = await post('admin', 'Subscription', subscription(criteria));
      expect(res.status, criteria).toBe(403);
    }
    const directory = await post('admin', 'Subscription', subscription('Organization?active=true'));
    expect(directory.status, directory.text).toBe(201);
  });

  it('evaluates criteria and builds payloads under the owner’s access, whatever owner the body claims', async () => {
    const forged = subscription(`Condition?patient=Patient/${ARTHUR}`, {
      extension: [
        {
          url: 'http://careloop.org/fhir/StructureDefinition/subscription-owner',
          extension: [{ url: 'account', valueString: 'client:anything' }],
        },
      ],
    });
    const created = await post('coordinator', 'Subscription', forged);
    expect(created.status, created.text).toBe(201);
    const stored = await get('coordinator', `Subscription/${created.body.id}`);
    expect(stored.text).not.toContain('client:anything');
    received.length = 0;
    const condition = (text: string, label?: string) => ({
      resourceType: 'Condition',
      ...(label ? { meta: { security: [{ system: ACT_CODE, code: label }] } } : {}),
      code: { text },
      subject: { reference: `Patient/${ARTHUR}` },
    });
    await http('POST', `${fhir}/Condition`, condition('Opioid use disorder', '42CFRPart2'));
    await http('POST', `${fhir}/Condition`, condition('Knee pain'));
    await until(() => received.some((b) => b.includes('Knee pain')));
    await new Promise((r) => setTimeout(r, 500));
    expect(received.some((b) => b.includes('Knee pain'))).toBe(true);
    expect(received.some((b) => b.includes('Opioid'))).toBe(false);
  });
});

describe('every resource that names a patient is in that patient’s record', () => {
  it('a Binary, a Device and a governed Binary of another practice’s patient stay closed, in reads, searches and history', async () => {
    const binary = await http<Resource>('POST', `${fhir}/Binary`, {
      resourceType: 'Binary',
      contentType: 'text/plain',
      securityContext: { reference: `Patient/${OLIVER}` },
      data: Buffer.from('Discharge letter for the patient').toString('base64'),
    });
    expect(binary.status).toBe(201);
    const device = await http<Resource>('POST', `${fhir}/Device`, {
      resourceType: 'Device',
      deviceName: [{ name: 'Home oxygen concentrator', type: 'user-friendly-name' }],
      patient: { reference: `Patient/${OLIVER}` },
    });
    expect(device.status).toBe(201);
    const document = await http<Resource>('POST', `${fhir}/DocumentReference`, {
      resourceType: 'DocumentReference',
      status: 'current',
      subject: { reference: `Patient/${OLIVER}` },
      content: [{ attachment: { contentType: 'text/plain', title: 'Letter' } }],
    });
    const governed = await http<Resource>('POST', `${fhir}/Binary`, {
      resourceType: 'Binary',
      contentType: 'text/plain',
      securityContext: { reference: `DocumentReference/${document.body.id}` },
      data: Buffer.from('Governed attachment').toString('base64'),
    });
    expect(governed.status).toBe(201);
    const dangling = await http('POST', `${fhir}/Binary`, {
      resourceType: 'Binary',
      contentType: 'text/plain',
      securityContext: { reference: 'DocumentReference/does-not-exist' },
    });
    expect(dangling.status).toBe(422);

    for (const user of ['admin', 'pharmacist', 'coordinator']) {
      for (const path of [`Binary/${binary.body.id}`, `Device/${device.body.id}`, `Binary/${governed.body.id}`]) {
        expect((await get(user, path)).status, `${user} ${path}`).toBe(404);
      }
      const devices = await get(user, 'Device?_count=100');
      expect(devices.text, user).not.toContain(device.body.id as string);
      const history = await get(user, '_history?_count=1000');
      expect(history.status).toBe(200);
      for (const id of [binary.body.id, device.body.id, governed.body.id]) expect(history.text).not.toContain(id);
    }
    const everything = await http<Bundle>('GET', `${fhir}/Patient/${OLIVER}/$everything`);
    const ids = (everything.body.entry ?? []).map((e) => e.resource?.id);
    expect(ids).toEqual(expect.arrayContaining([binary.body.id, device.body.id, governed.body.id]));
  });
});

describe('a patient and what the care team recorded', () => {
  it('may not edit an observation a clinician recorded, only what they reported themselves', async () => {
    const clinical = await get('patient', `Observation?patient=Patient/${HAROLD}&code=29463-7&_count=1`);
    const weight = clinical.body.entry?.[0]?.resource as Resource & { id: string };
    expect(weight).toBeDefined();
    const edited = await http(
      'PUT',
      `${fhir}/Observation/${weight.id}`,
      { ...weight, valueQuantity: { value: 60, unit: 'kg' } },
      as('patient'),
    );
    expect(edited.status).toBe(403);
    const deleted = await http('DELETE', `${fhir}/Observation/${weight.id}`, undefined, as('patient'));
    expect(deleted.status).toBe(403);
    const claimed = await post('patient', 'Observation', {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'Blood pressure' },
      subject: { reference: `Patient/${HAROLD}` },
      performer: [{ reference: 'Practitioner/demo-pcp' }],
    });
    expect(claimed.status).toBe(403);
    const own = await post('patient', 'Observation', {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'Blood pressure at home' },
      subject: { reference: `Patient/${HAROLD}` },
      performer: [{ reference: `Patient/${HAROLD}` }],
    });
    expect(own.status).toBe(201);
    const corrected = await http(
      'PUT',
      `${fhir}/Observation/${own.body.id}`,
      { ...own.body, status: 'amended' },
      as('patient'),
    );
    expect(corrected.status).toBe(200);
    const byCaregiver = await http(
      'PUT',
      `${fhir}/Observation/${weight.id}`,
      { ...weight, valueQuantity: { value: 61, unit: 'kg' } },
      as('caregiver'),
    );
    expect(byCaregiver.status).toBe(403);
  });
});
