// One care hook on a real database (SQLite, or PostgreSQL under CARELOOP_TEST_DB), alone: the
// repository runs just the hooks a test names, on a pinned clinic clock, so each hook's
// consequences are tested apart from the server and from the other hooks. A fresh database per
// test, dropped after it.
import type { BundleEntry, CareTeam, Resource } from '@medplum/fhirtypes';
import { type ClinicClock, fixedClinicClock } from '../../src/care/calendar/clinic-clock.js';
import { searchEvery } from '../../src/store/read-every-page.js';
import { createFhirRepository, type FhirRepository } from '../../src/store/repository/create-fhir-repository.js';
import type { AccessGuard, HookTable, WriteAgent } from '../../src/store/repository/repository-context.js';
import { freshJobStore } from './job-test-store.js';

export interface HookBench {
  readonly clock: ClinicClock;
  /** Writes as the domain does (no requester). */
  readonly repo: FhirRepository;
  /** Writes as this person, who may write anything (the hook sees them as the event's agent). */
  as(agent: WriteAgent): FhirRepository;
  create<T extends Resource>(resource: T): Promise<T & { id: string }>;
  update<T extends Resource>(resource: T & { id: string }): Promise<T & { id: string }>;
  search<T>(type: string, query: readonly [string, string][]): Promise<T[]>;
}

/** An access guard that allows every write and names who makes it. */
const allowAll = (agent: WriteAgent): AccessGuard => ({
  filter: { sharedTypes: 'all' },
  assertInteraction: () => undefined,
  checkWrite: async () => undefined,
  beforeCommit: async () => undefined,
  disclose: () => undefined,
  agent,
});

export function hookBench(hooks: (clock: ClinicClock) => HookTable, now = '2026-12-03T15:00:00Z') {
  const fresh = freshJobStore();
  return {
    open: async (): Promise<HookBench> => {
      const store = await fresh.open();
      const clock = fixedClinicClock(now);
      const repo = createFhirRepository(store, { now: clock.now, hooks: hooks(clock) });
      const parse = <T>(json: string | undefined) => JSON.parse(json as string) as T & { id: string };
      return {
        clock,
        repo,
        as: (agent) => repo.withAccess(allowAll(agent)),
        create: async (resource) => parse((await repo.create(resource)).stored.json),
        update: async (resource) =>
          parse((await repo.update(resource.resourceType, resource.id, resource)).stored.json),
        search: (type, query) => searchEvery(repo, type, query),
      };
    },
  };
}

/** An active care team for the patient: a coordinator, a primary care physician and a pharmacist. */
export function careTeamOf(patient: string): CareTeam {
  const member = (reference: string, role: string) => ({ member: { reference }, role: [{ text: role }] });
  return {
    resourceType: 'CareTeam',
    status: 'active',
    subject: { reference: `Patient/${patient}` },
    participant: [
      member('Practitioner/c', 'Care coordinator'),
      member('Practitioner/pcp', 'Primary care physician'),
      member('Practitioner/ph', 'Clinical pharmacist'),
    ],
  };
}

/** The HTTP status a write ends with: 200, or the status of the OutcomeError it threw. */
export function statusOf(write: Promise<unknown>): Promise<number | undefined> {
  return write.then(
    () => 200,
    (err: { status?: number }) => err.status,
  );
}

/** A patient and their active care team with the coordinator, as transaction entries. */
export function patientWithCoordinator(patient = 'p1', coordinator = 'Practitioner/c1'): BundleEntry[] {
  return [
    { resource: { resourceType: 'Patient', id: patient }, request: { method: 'PUT', url: `Patient/${patient}` } },
    {
      resource: {
        resourceType: 'CareTeam',
        id: `${patient}-team`,
        status: 'active',
        subject: { reference: `Patient/${patient}` },
        participant: [{ role: [{ text: 'Care coordinator' }], member: { reference: coordinator } }],
      },
      request: { method: 'PUT', url: `CareTeam/${patient}-team` },
    },
  ];
}
