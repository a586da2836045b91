// An independent FHIR client library (fhir-kit-client) drives the server: if Careloop bends the
// protocol, a client written by others notices.
import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
let client: Client;

beforeAll(async () => {
  server = await startTestServer();
  client = new Client({ baseUrl: server.fhir, bearerToken: server.token });
});
afterAll(async () => {
  await server.close();
});

interface Res {
  resourceType: string;
  id: string;
  meta: { versionId: string };
  [k: string]: unknown;
}

describe('fhir-kit-client against Careloop', () => {
  it('reads the capability statement', async () => {
    const cs = (await client.capabilityStatement()) as unknown as { fhirVersion: string };
    expect(cs.fhirVersion).toBe('4.0.1');
  });

  it('creates, searches, updates with If-Match, and runs a transaction', async () => {
    const created = (await client.create({
      resourceType: 'Patient',
      body: { resourceType: 'Patient', name: [{ family: 'Kitclient', given: ['Ada'] }], birthDate: '1961-07-08' },
    })) as unknown as Res;
    expect(created.id).toBeTruthy();

    const found = (await client.search({
      resourceType: 'Patient',
      searchParams: { family: 'kitclient', birthdate: 'ge1960' },
    })) as unknown as {
      entry: { resource: Res }[];
    };
    expect(found.entry.map((e) => e.resource.id)).toEqual([created.id]);

    const updated = (await client.update({
      resourceType: 'Patient',
      id: created.id,
      body: { ...created, gender: 'female' },
      options: { headers: { 'If-Match': `W/"${created.meta.versionId}"` } },
    })) as unknown as Res;
    expect(updated.meta.versionId).toBe('2');

    await expect(
      client.update({
        resourceType: 'Patient',
        id: created.id,
        body: { ...created, gender: 'male' },
        options: { headers: { 'If-Match': 'W/"1"' } },
      }),
    ).rejects.toMatchObject({ response: { status: 412 } });

    const txn = (await client.transaction({
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:7e1a0a52-6a0e-4c0e-9f0a-2f6d0f7f1a01',
            resource: {
              resourceType: 'Encounter',
              status: 'finished',
              class: { code: 'AMB' },
              subject: { reference: `Patient/${created.id}` },
            },
            request: { method: 'POST', url: 'Encounter' },
          },
          {
            resource: {
              resourceType: 'Observation',
              status: 'final',
              code: { text: 'pulse' },
              subject: { reference: `Patient/${created.id}` },
              encounter: { reference: 'urn:uuid:7e1a0a52-6a0e-4c0e-9f0a-2f6d0f7f1a01' },
            },
            request: { method: 'POST', url: 'Observation' },
          },
        ],
      },
    })) as unknown as { type: string; entry: { response: { status: string } }[] };
    expect(txn.type).toBe('transaction-response');
    expect(txn.entry.map((e) => e.response.status)).toEqual(['201 Created', '201 Created']);

    const compartment = (await client.compartmentSearch({
      resourceType: 'Observation',
      compartment: { resourceType: 'Patient', id: created.id },
      searchParams: { _include: 'Observation:encounter' },
    })) as unknown as { entry: { resource: Res; search: { mode: string } }[] };
    expect(compartment.entry.map((e) => `${e.search.mode}:${e.resource.resourceType}`).sort()).toEqual([
      'include:Encounter',
      'match:Observation',
    ]);
  });
});
