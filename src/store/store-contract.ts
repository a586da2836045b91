// The store contract: one suite of tests that every Store implementation must pass (SQLite and
// PostgreSQL). It talks to a real database; nothing is mocked. Each implementation's
// *.int.test.ts calls describeStoreContract with a function that opens a fresh, empty store.
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSearchRequest } from '../fhir/search/parse-search-request.js';
import { createFhirRepository, type FhirRepository } from './repository/create-fhir-repository.js';
import { prepareVersion } from './repository/prepare-version.js';
import { type Store, VersionConflictError } from './store.js';

type Opener = () => Promise<{ store: Store; cleanup: () => Promise<void> }>;

const P = (id: string, extra: Record<string, unknown>): Resource =>
  ({ resourceType: 'Patient', id, ...extra }) as Resource;

/** Fixture resources with known search values (all synthetic). */
export const FIXTURES: Resource[] = [
  P('p1', {
    name: [{ family: 'Müller', given: ['Anna'] }],
    gender: 'female',
    birthDate: '1950-02-03',
    identifier: [{ system: 'urn:mrn', value: 'M1' }],
    address: [{ city: 'Boston' }],
    generalPractitioner: [{ reference: 'Practitioner/dr1' }],
    active: true,
  }),
  P('p2', {
    name: [{ family: 'Smith', given: ['John'] }],
    gender: 'male',
    birthDate: '1980-06-15',
    identifier: [{ system: 'urn:mrn', value: 'M2' }],
    address: [{ city: 'Cambridge' }],
    active: false,
  }),
  P('p3', {
    name: [{ family: 'Smithers', given: ['Jane'] }],
    gender: 'female',
    birthDate: '2001',
    deceasedDateTime: '2020-04-01',
  }),
  { resourceType: 'Practitioner', id: 'dr1', name: [{ family: 'Grey', given: ['Meredith'] }] } as Resource,
  {
    resourceType: 'Observation',
    id: 'o1',
    status: 'final',
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] },
    ],
    code: { coding: [{ system: 'http://loinc.org', code: '8302-2', display: 'Body height' }] },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2020-01-01T10:00:00Z',
    valueQuantity: { value: 170, unit: 'cm', system: 'http://unitsofmeasure.org', code: 'cm' },
  } as Resource,
  {
    resourceType: 'Observation',
    id: 'o2',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2020-06-01',
    valueQuantity: { value: 70, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
  } as Resource,
  {
    resourceType: 'Observation',
    id: 'o3',
    status: 'amended',
    code: { coding: [{ system: 'http://loinc.org', code: '8302-2' }], text: 'Height' },
    subject: { reference: 'Patient/p2' },
    performer: [{ reference: 'Practitioner/dr1' }],
    effectiveDateTime: '2021-03-03T00:00:00Z',
    valueQuantity: { value: 180.5, unit: 'cm', system: 'http://unitsofmeasure.org', code: 'cm' },
  } as Resource,
  {
    resourceType: 'Observation',
    id: 'o4',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    subject: { reference: 'Patient/p2' },
    effectivePeriod: { start: '2021-01-01', end: '2021-01-31' },
    valueQuantity: { value: 60, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  } as Resource,
  {
    resourceType: 'Encounter',
    id: 'e1',
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
    subject: { reference: 'Patient/p1' },
    period: { start: '2020-01-01T08:00:00Z', end: '2020-01-05T12:00:00Z' },
  } as Resource,
  {
    resourceType: 'Encounter',
    id: 'e2',
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER' },
    subject: { reference: 'Patient/p2' },
    period: { start: '2021-05-01T08:00:00Z' },
  } as Resource,
  ...(['t1', 't2', 't3'] as const).map(
    (id, i) =>
      ({
        resourceType: 'Task',
        id,
        status: i === 2 ? 'completed' : 'requested',
        intent: 'order',
        priority: ['routine', 'urgent', 'stat'][i],
        for: { reference: 'Patient/p1' },
        owner: { reference: 'Practitioner/dr1' },
        executionPeriod: {
          start: ['2024-03-10', '2024-03-01', '2024-03-05'][i],
          end: ['2024-03-10', '2024-03-01', '2024-03-05'][i],
        },
      }) as Resource,
  ),
];

export function describeStoreContract(name: string, open: Opener): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let repo: FhirRepository;
    let cleanup: () => Promise<void>;
    let clock = Date.parse('2024-01-01T00:00:00Z');

    beforeAll(async () => {
      ({ store, cleanup } = await open());
      repo = createFhirRepository(store, { now: () => (clock += 1000) });
      for (const r of FIXTURES) await repo.update(r.resourceType, r.id as string, r);
    });
    afterAll(async () => {
      await cleanup();
    });

    const ids = async (type: string, params: [string, string][]): Promise<string[]> => {
      const { page } = await repo.search(type, params);
      return page.matches.map((m) => m.id);
    };

    describe('versions', () => {
      it('writes, reads and keeps history', async () => {
        const v1 = prepareVersion({ resourceType: 'Basic', code: { text: 'a' } } as Resource, 'b1', 1, 1000);
        await store.transaction((tx) => tx.write(v1.write));
        const v2 = prepareVersion({ resourceType: 'Basic', code: { text: 'b' } } as Resource, 'b1', 2, 2000);
        await store.transaction((tx) => tx.write(v2.write));
        expect((await store.readCurrent('Basic', 'b1'))?.versionId).toBe(2);
        expect(JSON.parse((await store.readVersion('Basic', 'b1', 1))?.json ?? '{}').code.text).toBe('a');
        const h = await store.history({ resourceType: 'Basic', id: 'b1', count: 10, offset: 0 });
        expect(h.versions.map((v) => v.versionId)).toEqual([2, 1]);
      });

      it('reads the histories of several resources of a type in one query, and only theirs', async () => {
        for (const [id, at] of [
          ['hx1', 1000],
          ['hx2', 1500],
          ['hx3', 1700],
        ] as const) {
          const v = prepareVersion({ resourceType: 'Basic', code: { text: id } } as Resource, id, 1, at);
          await store.transaction((tx) => tx.write(v.write));
        }
        const v2 = prepareVersion({ resourceType: 'Basic', code: { text: 'hx1 again' } } as Resource, 'hx1', 2, 2000);
        await store.transaction((tx) => tx.write(v2.write));
        const h = await store.history({ resourceType: 'Basic', ids: ['hx1', 'hx2', 'absent'], count: 10, offset: 0 });
        expect(h.versions.map((v) => `${v.id}/${v.versionId}`)).toEqual(['hx1/2', 'hx2/1', 'hx1/1']);
        expect(h.total).toBe(3);
        expect((await store.history({ resourceType: 'Basic', ids: [], count: 10, offset: 0 })).versions).toEqual([]);
      });

      it('refuses a version that does not follow the stored one, and writes nothing', async () => {
        const stale = prepareVersion({ resourceType: 'Basic', code: { text: 'c' } } as Resource, 'b1', 2, 3000);
        await expect(store.transaction((tx) => tx.write(stale.write))).rejects.toBeInstanceOf(VersionConflictError);
        expect((await store.readCurrent('Basic', 'b1'))?.versionId).toBe(2);
        const fresh = prepareVersion({ resourceType: 'Basic', code: { text: 'c' } } as Resource, 'nope', 3, 3000);
        await expect(store.transaction((tx) => tx.write(fresh.write))).rejects.toBeInstanceOf(VersionConflictError);
      });

      it('rolls back a failed transaction entirely', async () => {
        const a = prepareVersion({ resourceType: 'Basic', code: { text: 'x' } } as Resource, 'rb1', 1, 1000);
        await expect(
          store.transaction(async (tx) => {
            await tx.write(a.write);
            expect((await tx.readCurrent('Basic', 'rb1'))?.versionId).toBe(1);
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await store.readCurrent('Basic', 'rb1')).toBeUndefined();
      });

      it('commits groups independently in writeGroups', async () => {
        const good = prepareVersion({ resourceType: 'Basic', code: { text: 'g' } } as Resource, 'g1', 1, 1000).write;
        const bad = prepareVersion({ resourceType: 'Basic', code: { text: 'h' } } as Resource, 'g2', 2, 1000).write;
        const alsoGood = prepareVersion(
          { resourceType: 'Basic', code: { text: 'i' } } as Resource,
          'g3',
          1,
          1000,
        ).write;
        const results = await store.writeGroups([[good], [alsoGood, bad], [alsoGood]]);
        expect(results.map((r) => r.ok)).toEqual([true, false, true]);
        expect(await store.readCurrent('Basic', 'g1')).toBeDefined();
        expect((await store.readCurrent('Basic', 'g3'))?.versionId).toBe(1);
        expect(await store.readCurrent('Basic', 'g2')).toBeUndefined();
      });

      it('keeps a deletion as a version and hides it from search', async () => {
        await repo.create({ resourceType: 'Patient', name: [{ family: 'Zzdeleted' }] });
        const { page } = await repo.search('Patient', [['family', 'zzdeleted']]);
        const id = page.matches[0]?.id as string;
        await repo.delete('Patient', id);
        expect((await store.readCurrent('Patient', id))?.deleted).toBe(true);
        expect(await ids('Patient', [['family', 'zzdeleted']])).toEqual([]);
        const h = await store.history({ resourceType: 'Patient', id, count: 10, offset: 0 });
        expect(h.versions.map((v) => v.deleted)).toEqual([true, false]);
      });
    });

    describe('search', () => {
      it.each<[string, string, [string, string][], string[]]>([
        ['string starts-with, accent-insensitive', 'Patient', [['family', 'mull']], ['p1']],
        ['string default is case-insensitive', 'Patient', [['name', 'SMITH']], ['p2', 'p3']],
        ['string :exact', 'Patient', [['family:exact', 'Smith']], ['p2']],
        ['string :exact is case-sensitive', 'Patient', [['family:exact', 'smith']], []],
        ['string :contains', 'Patient', [['family:contains', 'ith']], ['p2', 'p3']],
        ['address part', 'Patient', [['address-city', 'camb']], ['p2']],
        ['token code', 'Patient', [['gender', 'female']], ['p1', 'p3']],
        ['token OR', 'Patient', [['gender', 'male,other']], ['p2']],
        ['token system|code', 'Patient', [['identifier', 'urn:mrn|M2']], ['p2']],
        ['token |code (no system)', 'Patient', [['identifier', '|M2']], []],
        ['token system|', 'Patient', [['identifier', 'urn:mrn|']], ['p1', 'p2']],
        ['token :not', 'Patient', [['gender:not', 'female']], ['p2']],
        ['token boolean', 'Patient', [['active', 'true']], ['p1']],
        ['token :text', 'Observation', [['code:text', 'body']], ['o1', 'o2']],
        ['token on CodeableConcept', 'Observation', [['code', 'http://loinc.org|8302-2']], ['o1', 'o3']],
        [
          'AND of repeats',
          'Observation',
          [
            ['code', '8302-2'],
            ['status', 'final'],
          ],
          ['o1'],
        ],
        ['reference Type/id', 'Observation', [['subject', 'Patient/p1']], ['o1', 'o2']],
        ['reference id', 'Observation', [['subject', 'p2']], ['o3', 'o4']],
        ['reference :Type', 'Observation', [['subject:Patient', 'p2']], ['o3', 'o4']],
        ['reference by patient param', 'Observation', [['patient', 'p1']], ['o1', 'o2']],
        ['chained reference', 'Observation', [['subject:Patient.family', 'smith']], ['o3', 'o4']],
        ['chained reference (implied type)', 'Observation', [['patient.gender', 'female']], ['o1', 'o2']],
        ['reverse chain _has', 'Patient', [['_has:Observation:patient:code', '8867-4']], ['p2']],
        ['date eq (day)', 'Patient', [['birthdate', '1950-02-03']], ['p1']],
        ['date eq (year contains day)', 'Patient', [['birthdate', '1950']], ['p1']],
        ['date eq (year precision value not inside a day)', 'Patient', [['birthdate', '2001-05-05']], []],
        ['date ge', 'Patient', [['birthdate', 'ge1980-06-15']], ['p2', 'p3']],
        ['date gt', 'Patient', [['birthdate', 'gt1980-06-15']], ['p3']],
        ['date lt', 'Patient', [['birthdate', 'lt1980']], ['p1']],
        ['date le', 'Patient', [['birthdate', 'le1980-06-15']], ['p1', 'p2']],
        ['date ne', 'Patient', [['birthdate', 'ne1950-02-03']], ['p2', 'p3']],
        ['date sa', 'Observation', [['date', 'sa2020-12-31']], ['o3', 'o4']],
        ['date eb', 'Observation', [['date', 'eb2020-02']], ['o1']],
        [
          'date range on dateTime',
          'Observation',
          [
            ['date', 'ge2020-01-01'],
            ['date', 'lt2020-02-01'],
          ],
          ['o1'],
        ],
        ['date on Period overlapping', 'Observation', [['date', '2021-01-15']], []],
        [
          'date on Period (ge inside)',
          'Observation',
          [
            ['date', 'ge2021-01-15'],
            ['date', 'le2021-01-20'],
          ],
          ['o4'],
        ],
        ['open-ended period is ongoing', 'Encounter', [['date', 'gt2030-01-01']], ['e2']],
        [
          'encounter date range',
          'Encounter',
          [
            ['date', 'ge2020-01-02'],
            ['date', 'le2020-01-03'],
          ],
          ['e1'],
        ],
        ['quantity eq with implicit precision', 'Observation', [['value-quantity', '170']], ['o1']],
        ['quantity eq precision', 'Observation', [['value-quantity', '180']], []],
        ['quantity eq decimal', 'Observation', [['value-quantity', '180.5']], ['o3']],
        [
          'quantity gt with unit',
          'Observation',
          [['value-quantity', 'gt100|http://unitsofmeasure.org|cm']],
          ['o1', 'o3'],
        ],
        ['quantity lt any unit', 'Observation', [['value-quantity', 'lt75']], ['o2', 'o4']],
        ['composite token$quantity', 'Observation', [['code-value-quantity', 'http://loinc.org|8302-2$gt175']], ['o3']],
        ['alias of two parameters (combo-code)', 'Observation', [['combo-code', '8867-4']], ['o4']],
        [
          'alias composite (combo-code-value-quantity)',
          'Observation',
          [['combo-code-value-quantity', '8302-2$lt175']],
          ['o1'],
        ],
        ['alias (combo-value-quantity)', 'Observation', [['combo-value-quantity', 'gt100']], ['o1', 'o3']],
        ['_id', 'Patient', [['_id', 'p1,p3']], ['p1', 'p3']],
        [
          '_lastUpdated',
          'Patient',
          [
            ['_lastUpdated', 'gt2000-01-01'],
            ['_id', 'p2'],
          ],
          ['p2'],
        ],
        [
          ':missing=true',
          'Patient',
          [
            ['identifier:missing', 'true'],
            ['_id', 'p1,p2,p3'],
          ],
          ['p3'],
        ],
        [':missing=false', 'Patient', [['identifier:missing', 'false']], ['p1', 'p2']],
        ['deceased token', 'Patient', [['deceased', 'true']], ['p3']],
        [
          'Task by owner and status',
          'Task',
          [
            ['owner', 'Practitioner/dr1'],
            ['status', 'requested'],
          ],
          ['t1', 't2'],
        ],
      ])('%s', async (_name, type, params, expected) => {
        expect((await ids(type, params)).sort()).toEqual([...expected].sort());
      });

      it('sorts by several keys, ascending and descending', async () => {
        expect(
          await ids('Task', [
            ['owner', 'Practitioner/dr1'],
            ['_sort', 'period'],
          ]),
        ).toEqual(['t2', 't3', 't1']);
        expect(
          await ids('Task', [
            ['owner', 'Practitioner/dr1'],
            ['_sort', '-period'],
          ]),
        ).toEqual(['t1', 't3', 't2']);
        expect(
          await ids('Patient', [
            ['_id', 'p1,p2,p3'],
            ['_sort', '-gender,birthdate'],
          ]),
        ).toEqual(['p2', 'p1', 'p3']);
        expect(
          await ids('Patient', [
            ['_id', 'p1,p2,p3'],
            ['_sort', 'family'],
          ]),
        ).toEqual(['p1', 'p2', 'p3']);
      });

      it('includes and revincludes', async () => {
        const inc = await repo.search('Observation', [
          ['_id', 'o3'],
          ['_include', 'Observation:subject'],
          ['_include', 'Observation:performer'],
        ]);
        expect(inc.page.included.map((v) => `${v.resourceType}/${v.id}`).sort()).toEqual([
          'Patient/p2',
          'Practitioner/dr1',
        ]);
        const rev = await repo.search('Patient', [
          ['_id', 'p1'],
          ['_revinclude', 'Observation:subject'],
        ]);
        expect(rev.page.included.map((v) => v.id).sort()).toEqual(['o1', 'o2']);
        const iter = await repo.search('Observation', [
          ['_id', 'o1'],
          ['_include', 'Observation:subject'],
          ['_include:iterate', 'Patient:general-practitioner'],
        ]);
        expect(iter.page.included.map((v) => v.id).sort()).toEqual(['dr1', 'p1']);
        const viaAlias = await repo.search('Observation', [
          ['_id', 'o3'],
          ['_include', 'Observation:patient'],
        ]);
        expect(viaAlias.page.included.map((v) => v.id)).toEqual(['p2']);
        const revAlias = await repo.search('Patient', [
          ['_id', 'p2'],
          ['_revinclude', 'Observation:patient'],
        ]);
        expect(revAlias.page.included.map((v) => v.id).sort()).toEqual(['o3', 'o4']);
        const star = await repo.search('Observation', [
          ['_id', 'o3'],
          ['_include', '*'],
        ]);
        expect(star.page.included.map((v) => v.id).sort()).toEqual(['dr1', 'p2']);
      });

      it('pages stably while others write', async () => {
        const first = await repo.search('Observation', [['_count', '2']]);
        expect(first.page.hasMore).toBe(true);
        await repo.create({ resourceType: 'Observation', status: 'final', code: { text: 'late' } });
        const { request } = parseSearchRequest('Observation', [['_count', '2']]);
        const second = await store.search({ ...request, offset: 2, snapshot: first.page.snapshot });
        const third = await store.search({ ...request, offset: 4, snapshot: first.page.snapshot });
        const all = [...first.page.matches, ...second.matches, ...third.matches].map((m) => m.id);
        expect(all.sort()).toEqual(['o1', 'o2', 'o3', 'o4']);
      });

      it('counts', async () => {
        const { page } = await repo.search('Patient', [
          ['gender', 'female'],
          ['_total', 'accurate'],
          ['_count', '1'],
        ]);
        expect(page.total).toBe(2);
        expect(page.matches).toHaveLength(1);
        const summary = await repo.search('Observation', [
          ['code', '8302-2'],
          ['_summary', 'count'],
        ]);
        expect(summary.page.total).toBe(2);
        expect(summary.page.matches).toHaveLength(0);
      });

      it("returns a patient's compartment for $everything", async () => {
        const { page } = await repo.everything('p1', []);
        const found = [...page.matches, ...page.included].map((v) => `${v.resourceType}/${v.id}`).sort();
        expect(found).toEqual(
          [
            'Encounter/e1',
            'Observation/o1',
            'Observation/o2',
            'Patient/p1',
            'Practitioner/dr1',
            'Task/t1',
            'Task/t2',
            'Task/t3',
          ].sort(),
        );
      });
    });

    describe('transactions', () => {
      it('is all-or-nothing', async () => {
        const before = await store.countByType();
        const bundle: Bundle = {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            {
              fullUrl: 'urn:uuid:a',
              resource: { resourceType: 'Patient', name: [{ family: 'Txn' }] },
              request: { method: 'POST', url: 'Patient' },
            },
            {
              resource: { resourceType: 'Observation', status: 'bogus', code: { text: 'x' } } as unknown as Resource,
              request: { method: 'POST', url: 'Observation' },
            },
          ],
        };
        await expect(repo.processBundle(bundle, '')).rejects.toThrow('entry 1');
        expect(await store.countByType()).toEqual(before);
      });

      it('rewrites urn:uuid references and resolves conditional references', async () => {
        const bundle: Bundle = {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            {
              fullUrl: 'urn:uuid:obs',
              resource: {
                resourceType: 'Observation',
                status: 'final',
                code: { text: 'x' },
                subject: { reference: 'urn:uuid:pat' },
                performer: [{ reference: 'Practitioner?name=grey' }],
              } as Resource,
              request: { method: 'POST', url: 'Observation' },
            },
            {
              fullUrl: 'urn:uuid:pat',
              resource: { resourceType: 'Patient', name: [{ family: 'Linked' }] },
              request: { method: 'POST', url: 'Patient' },
            },
          ],
        };
        const response = await repo.processBundle(bundle, '');
        const obsLocation = response.entry?.[0]?.response?.location as string;
        const patLocation = response.entry?.[1]?.response?.location as string;
        const obs = JSON.parse((await repo.read('Observation', obsLocation.split('/')[1] as string)).json as string);
        expect(obs.subject.reference).toBe(patLocation.split('/_history')[0]);
        expect(obs.performer[0].reference).toBe('Practitioner/dr1');
      });
    });

    describe('jobs', () => {
      it('hands each job to one claimant', async () => {
        await store.enqueueJob({ id: 'job-1', kind: 'test', payload: { n: 1 } });
        const [a, b] = await Promise.all([store.claimJob(['test'], Date.now()), store.claimJob(['test'], Date.now())]);
        expect([a?.id, b?.id].filter(Boolean)).toEqual(['job-1']);
        await store.updateJob('job-1', { status: 'completed', result: { ok: true } });
        expect((await store.getJob('job-1'))?.result).toEqual({ ok: true });
      });
    });

    describe('SMART apps', () => {
      it('registers, reads, lists and takes an app out of service, keeping its record', async () => {
        const app = {
          id: 'app-1',
          name: 'Heart failure coach',
          authMethod: 'none' as const,
          sealedSecret: undefined,
          redirectUris: ['https://coach.example.org/callback', 'http://localhost:8080/cb'],
          launchUri: 'https://coach.example.org/launch',
          scope: 'launch/patient openid fhirUser patient/Observation.rs',
          jwks: undefined,
          jwksUri: undefined,
          disabled: false,
          createdAt: 1000,
        };
        await store.accounts.createApp(app);
        await store.accounts.createApp({
          ...app,
          id: 'app-2',
          name: 'Payer sync',
          authMethod: 'private_key_jwt',
          redirectUris: [],
          launchUri: undefined,
          jwksUri: 'https://payer.example.org/jwks.json',
          createdAt: 2000,
        });
        expect(await store.accounts.getApp('app-1')).toEqual(app);
        expect(await store.accounts.getApp('nope')).toBeUndefined();
        expect(await store.accounts.disableApp('app-1')).toBe(true);
        expect(await store.accounts.disableApp('app-1')).toBe(false);
        const listed = await store.accounts.listApps();
        expect(listed.map((a) => [a.id, a.disabled, a.jwksUri])).toEqual([
          ['app-1', true, undefined],
          ['app-2', false, 'https://payer.example.org/jwks.json'],
        ]);
      });
    });

    describe('authorization server state', () => {
      const a = () => store.accounts;
      it('saves, finds by id, uid and user code, consumes once, expires and destroys by grant', async () => {
        await a().saveArtifact('AuthorizationCode', 'c1', '{"n":1}', { grantId: 'g1', expiresAt: 5000 });
        await a().saveArtifact('Interaction', 'i1', '{"n":2}', { uid: 'u1', expiresAt: 5000 });
        await a().saveArtifact('DeviceCode', 'd1', '{"n":3}', { userCode: 'ABCD', grantId: 'g1' });
        await a().saveArtifact('AuthorizationCode', 'c1', '{"n":4}', { grantId: 'g1', expiresAt: 5000 });
        expect(await a().findArtifact('AuthorizationCode', 'c1', 1000)).toEqual({
          payload: '{"n":4}',
          consumedAt: undefined,
        });
        expect(await a().findArtifact('AccessToken', 'c1', 1000)).toBeUndefined();
        expect((await a().findArtifactBy('Interaction', 'uid', 'u1', 1000))?.payload).toBe('{"n":2}');
        expect((await a().findArtifactBy('DeviceCode', 'userCode', 'ABCD', 1000))?.payload).toBe('{"n":3}');
        const twice = await Promise.all([1, 2, 3].map(() => a().consumeArtifact('AuthorizationCode', 'c1', 2000)));
        expect(twice.filter(Boolean)).toHaveLength(1);
        expect((await a().findArtifact('AuthorizationCode', 'c1', 2000))?.consumedAt).toBe(2000);
        expect(await a().findArtifact('AuthorizationCode', 'c1', 5000)).toBeUndefined();
        await a().destroyArtifactsOfGrant('g1');
        expect(await a().findArtifact('DeviceCode', 'd1', 1000)).toBeUndefined();
        await a().destroyArtifact('Interaction', 'i1');
        expect(await a().findArtifactBy('Interaction', 'uid', 'u1', 1000)).toBeUndefined();
      });

      it('lets one of twenty racing claims of an assertion id win, and a claim again once it expired', async () => {
        const claims = await Promise.all(
          Array.from({ length: 20 }, () => a().claimArtifact('ReplayDetection', 'jti-1', '{}', 9000, 1000)),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await a().claimArtifact('ReplayDetection', 'jti-1', '{}', 19000, 8999)).toBe(false);
        expect(await a().claimArtifact('ReplayDetection', 'jti-1', '{}', 19000, 9000)).toBe(true);
        expect(await a().deleteExpiredArtifacts(20000)).toBeGreaterThanOrEqual(1);
      });

      it('keeps a feed message once per sender and control id, even for twenty racing receivers', async () => {
        const message = {
          key: 'MERCY|c-1',
          kind: 'hl7v2' as const,
          sender: 'MERCY',
          controlId: 'c-1',
          type: 'ADT^A01',
          receivedAt: 5000,
          raw: 'MSH|^~\\&|...',
          outcome: 'received' as const,
          detail: undefined,
        };
        const racing = await Promise.all(Array.from({ length: 20 }, () => store.feeds.receiveFeedMessage(message)));
        expect(racing.filter(Boolean)).toHaveLength(1);
        await store.feeds.settleFeedMessage(message.key, 'applied', 'MSA|AA|c-1');
        expect(await store.feeds.getFeedMessage(message.key)).toEqual({
          ...message,
          outcome: 'applied',
          detail: 'MSA|AA|c-1',
        });
        await store.feeds.receiveFeedMessage({ ...message, key: 'MERCY|c-2', controlId: 'c-2', receivedAt: 6000 });
        expect((await store.feeds.listFeedMessages(5500, 10)).map((m) => m.key)).toEqual(['MERCY|c-2']);
        expect((await store.feeds.listFeedMessages(0, 10)).map((m) => m.key)).toEqual(['MERCY|c-1', 'MERCY|c-2']);
        expect(await store.feeds.getFeedMessage('nobody|x')).toBeUndefined();
        expect((await store.feeds.listFeedMessages(0, 10, 'received')).map((m) => m.key)).toEqual(['MERCY|c-2']);
        expect(await store.feeds.listFeedMessages(0, 10, 'review')).toEqual([]);
      });

      it('lets one of twenty racing deciders claim a held feed message', async () => {
        const held = {
          key: 'MERCY|held-1',
          kind: 'hl7v2' as const,
          sender: 'MERCY',
          controlId: 'held-1',
          type: 'ADT^A01',
          receivedAt: 7000,
          raw: 'MSH|...',
          outcome: 'review' as const,
          detail: undefined,
        };
        await store.feeds.receiveFeedMessage(held);
        const claims = await Promise.all(
          Array.from({ length: 20 }, () => store.feeds.claimFeedMessage(held.key, 'review', 'received')),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect((await store.feeds.getFeedMessage(held.key))?.outcome).toBe('received');
        expect(await store.feeds.claimFeedMessage('nobody|x', 'review', 'received')).toBe(false);
      });

      it("remembers a user's consents, lists their own only, and withdraws one with its grant and tokens", async () => {
        const consent = {
          grantId: 'grant-c1',
          accountId: 'acct-c',
          clientId: 'app-c',
          patient: 'Patient/p1',
          scope: 'openid patient/Observation.rs',
          givenAt: 1000,
          expiresAt: 50_000,
        };
        await a().saveConsent(consent);
        await a().saveConsent({ ...consent, grantId: 'grant-c2', patient: undefined, givenAt: 2000 });
        await a().saveConsent({ ...consent, grantId: 'grant-c3', accountId: 'acct-other' });
        await a().saveConsent({ ...consent, grantId: 'grant-c4', expiresAt: 1500 });
        await a().saveArtifact('Grant', 'grant-c1', '{}', { expiresAt: 50_000 });
        await a().saveArtifact('AccessToken', 'tok-c1', '{}', { grantId: 'grant-c1', expiresAt: 50_000 });
        await a().saveArtifact('AccessToken', 'tok-c3', '{}', { grantId: 'grant-c3', expiresAt: 50_000 });
        expect((await a().listConsents('acct-c', 1600)).map((c) => c.grantId)).toEqual(['grant-c2', 'grant-c1']);
        expect((await a().listConsents('acct-c', 1600))[1]).toEqual(consent);
        // Another user's consent is not theirs to withdraw.
        expect(await a().withdrawConsent('acct-c', 'grant-c3')).toBe(false);
        expect(await a().findArtifact('AccessToken', 'tok-c3', 1600)).toBeDefined();
        const racing = await Promise.all([1, 2, 3].map(() => a().withdrawConsent('acct-c', 'grant-c1')));
        expect(racing.filter(Boolean)).toHaveLength(1);
        expect(await a().findArtifact('Grant', 'grant-c1', 1600)).toBeUndefined();
        expect(await a().findArtifact('AccessToken', 'tok-c1', 1600)).toBeUndefined();
        expect((await a().listConsents('acct-c', 1600)).map((c) => c.grantId)).toEqual(['grant-c2']);
        await a().deleteExpiredArtifacts(60_000);
        expect(await a().listConsents('acct-c', 0)).toEqual([]);
      });
    });

    describe('scans', () => {
      it('streams resources by type, by patient and since a time', async () => {
        const all: string[] = [];
        for await (const v of store.scan({ resourceType: 'Observation', patientIds: ['p1'] })) all.push(v.id);
        expect(all.sort()).toEqual(['o1', 'o2']);
        const counts = await store.countByType();
        expect(counts.Patient).toBeGreaterThanOrEqual(3);
      });
    });
  });
}
