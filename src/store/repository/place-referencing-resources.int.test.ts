// Issue 14 §1 for data already stored: a Device or Binary written by an earlier release sat outside
// its patient's record (shared, readable by any staff member); the pass at start places it.
import type { Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { parseSearchRequest } from '../../fhir/search/parse-search-request.js';
import type { AccessFilter } from '../../fhir/search/search-request.js';
import { openStore } from '../open-store.js';
import type { Store } from '../store.js';
import { PLACEMENT_SETTING, placeReferencingResources, referencingTypes } from './place-referencing-resources.js';
import { prepareVersion } from './prepare-version.js';

let database: TestDatabase;
let store: Store;
const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A version as an earlier release stored it: in no compartment. */
function legacy(resource: Resource, id: string) {
  return { ...prepareVersion(resource, id, 1, T0).write, compartments: [] };
}

const onlyPatient = (id: string): AccessFilter => ({ patients: { ids: [id], organizations: [] }, sharedTypes: 'all' });

async function visibleTo(patient: string, type: string): Promise<string[]> {
  const { request } = parseSearchRequest(type, []);
  const page = await store.search({ ...request, access: onlyPatient(patient) });
  return page.matches.map((m) => m.id);
}

beforeAll(async () => {
  database = await createTestDatabase();
  store = await openStore(database.url);
  store.audit.setChainKey(Buffer.alloc(32, 7));
  const results = await store.writeGroups([
    [prepareVersion({ resourceType: 'Patient', id: 'p1' } as Resource, 'p1', 1, T0).write],
    [prepareVersion({ resourceType: 'Patient', id: 'p2' } as Resource, 'p2', 1, T0).write],
    [
      prepareVersion(
        {
          resourceType: 'DocumentReference',
          status: 'current',
          subject: { reference: 'Patient/p1' },
          content: [{ attachment: { contentType: 'text/plain' } }],
        } as Resource,
        'doc1',
        1,
        T0,
      ).write,
    ],
    [legacy({ resourceType: 'Device', patient: { reference: 'Patient/p1' } } as Resource, 'old-device')],
    [
      legacy(
        { resourceType: 'Binary', contentType: 'text/plain', securityContext: { reference: 'DocumentReference/doc1' } },
        'old-binary',
      ),
    ],
    [
      legacy(
        { resourceType: 'Binary', contentType: 'text/plain', securityContext: { reference: 'DocumentReference/gone' } },
        'orphan',
      ),
    ],
    [
      prepareVersion({ resourceType: 'Device', patient: { reference: 'Patient/p2' } } as Resource, 'new-device', 1, T0)
        .write,
    ],
    [prepareVersion({ resourceType: 'Organization', name: 'Shared clinic' } as Resource, 'org', 1, T0).write],
  ]);
  expect(results.every((r) => r.ok)).toBe(true);
}, 60_000);

afterAll(async () => {
  await store?.close();
  await database?.drop();
});

describe('placing resources stored outside their patient’s record', () => {
  it('covers the types outside the Patient CompartmentDefinition only', () => {
    expect(referencingTypes()).toEqual(expect.arrayContaining(['Device', 'Binary', 'Organization']));
    expect(referencingTypes()).not.toContain('Observation');
    expect(referencingTypes()).not.toContain('Patient');
  });

  it('was readable by anyone before: the legacy Device is shared', async () => {
    expect(await visibleTo('p2', 'Device')).toContain('old-device');
  });

  it('places each such resource in a new version, once, with an audit entry', async () => {
    expect(await placeReferencingResources(store, () => T0 + 1000)).toBe(2);
    const device = await store.readCurrent('Device', 'old-device');
    expect(device).toMatchObject({ versionId: 2, patient: 'p1' });
    expect(JSON.parse(device?.json ?? '{}').meta.versionId).toBe('2');
    expect(await store.readCurrent('Binary', 'old-binary')).toMatchObject({ versionId: 2, patient: 'p1' });
    // Left alone: a Binary whose context no longer exists, a Device already placed, a shared resource.
    expect(await store.readCurrent('Binary', 'orphan')).toMatchObject({ versionId: 1 });
    expect(await store.readCurrent('Device', 'new-device')).toMatchObject({ versionId: 1, patient: 'p2' });
    expect(await store.readCurrent('Organization', 'org')).toMatchObject({ versionId: 1 });

    expect(await visibleTo('p2', 'Device')).toEqual(['new-device']);
    expect(await visibleTo('p1', 'Device')).toEqual(['old-device']);
    expect(await visibleTo('p2', 'Binary')).toEqual(['orphan']);

    const { entries } = await store.audit.search({ patient: 'p1', count: 10, offset: 0 });
    expect(entries.map((e) => e.entry.entity).sort()).toEqual(['Binary/old-binary', 'Device/old-device']);

    expect(await store.accounts.getSetting(PLACEMENT_SETTING)).toContain('"placed":2');
    expect(await placeReferencingResources(store, () => T0 + 2000)).toBe(0);
    expect(await store.readCurrent('Device', 'old-device')).toMatchObject({ versionId: 2 });
  });
});
