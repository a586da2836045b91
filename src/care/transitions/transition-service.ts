// The transitions of care as services: gather what an episode's readiness, TCM status, after-hospital
// plan and the population's measures read, and decide with the pure rules beside this file. They
// take a reader (src/care/care-reader.ts: a route passes the requester's view) and the clinic clock;
// routes only parse and encode. The measures read in sets — each kind of record for a hundred
// patients per search — never one search per episode, so their cost follows the number of episodes
// divided by a hundred, and no episode is left out.
import type {
  Appointment,
  CareTeam,
  Communication,
  Condition,
  DocumentReference,
  Encounter,
  EpisodeOfCare,
  List,
  Patient,
  Practitioner,
  Procedure,
  ServiceRequest,
  Task,
} from '@medplum/fhirtypes';
import { OutcomeError } from '../../fhir/outcome.js';
import { SEARCH_LIMITS } from '../../fhir/search/parse-search-request.js';
import type { ClinicClock } from '../calendar/clinic-clock.js';
import type { CareReader } from '../care-reader.js';
import { careTeamRolesOf } from '../careteam/team-roles.js';
import { type AfterHospitalPlan, buildAfterHospitalPlan } from './after-hospital-plan.js';
import { EPISODE_TYPE, type EpisodeFacts, readEpisode } from './episode-resources.js';
import { expectedDischarge } from './expected-discharge.js';
import { assessReadiness, type ReadinessItem } from './readiness.js';
import { type TcmStatus, tcmStatus } from './tcm-status.js';
import { type BandMeasures, transitionMeasures } from './transition-measures.js';

export const RECONCILIATION_LIST = 'http://careloop.org/fhir/CodeSystem/list-kind|medication-reconciliation';
const TRANSITION_TYPE = `${EPISODE_TYPE.system}|${EPISODE_TYPE.code}`;

export interface LoadedEpisode {
  readonly episode: EpisodeOfCare;
  readonly patient: string;
  readonly facts: EpisodeFacts;
}

export async function loadEpisode(reader: CareReader, id: string): Promise<LoadedEpisode> {
  const episode = await reader.read<EpisodeOfCare>('EpisodeOfCare', id);
  if (!episode.type?.some((t) => t.coding?.some((c) => c.code === EPISODE_TYPE.code)))
    throw new OutcomeError('not-found', `EpisodeOfCare/${id} is not a transition episode`, { status: 404 });
  const patient = (episode.patient.reference ?? '').replace(/^Patient\//, '');
  return { episode, patient, facts: readEpisode(episode) };
}

/** The clinic's midnight of the discharge day, as an instant (a bare date would be read in UTC). */
const sinceOf = (clock: ClinicClock, facts: EpisodeFacts) =>
  new Date(clock.instantAt(facts.dischargeDate ?? '1900-01-01')).toISOString();

/** What the TCM status reads, for one patient's episode, from the records of many patients. */
interface TcmRecords {
  readonly contacts: readonly Communication[];
  readonly visits: readonly Encounter[];
  readonly reconciliations: readonly List[];
}

const NO_RECORDS: TcmRecords = { contacts: [], visits: [], reconciliations: [] };

function statusFrom(id: string, facts: EpisodeFacts, records: TcmRecords, clock: ClinicClock): TcmStatus {
  const since = sinceOf(clock, facts);
  return tcmStatus({
    facts,
    // Contacts about this episode from its discharge day on (one during the stay is not a TCM contact).
    contacts: records.contacts.filter(
      (c) =>
        c.about?.some((a) => a.reference === `EpisodeOfCare/${id}`) &&
        c.sent !== undefined &&
        Date.parse(c.sent) >= Date.parse(since),
    ),
    visits: records.visits,
    reconciliations: records.reconciliations,
    dateOf: clock.dateOf,
  });
}

/** The TCM status of one episode, with the team's physician (who records the complexity). */
export async function episodeTcmStatus(reader: CareReader, clock: ClinicClock, id: string) {
  const { patient, facts } = await loadEpisode(reader, id);
  const [records, teams] = await Promise.all([
    recordsByPatient(reader, [patient], sinceOf(clock, facts)),
    reader.searchEvery<CareTeam>('CareTeam', [
      ['patient', patient],
      ['status', 'active'],
    ]),
  ]);
  return {
    facts,
    status: statusFrom(id, facts, records.get(patient) ?? NO_RECORDS, clock),
    physician: careTeamRolesOf(teams).pcp,
  };
}

/** The discharge readiness checklist of an episode. */
export async function episodeReadiness(
  reader: CareReader,
  clock: ClinicClock,
  id: string,
): Promise<{ facts: EpisodeFacts; items: ReadinessItem[] }> {
  const { episode, patient, facts } = await loadEpisode(reader, id);
  const admittedAt = episode.period?.start ?? clock.nowIso();
  // Still in hospital: the follow-up counts from the expected discharge the stay records.
  const stay =
    !facts.dischargeDate && facts.encounter?.startsWith('Encounter/')
      ? await reader.tryRead<Encounter>('Encounter', facts.encounter.slice('Encounter/'.length))
      : undefined;
  const expected = expectedDischarge(stay);
  const [p, appointments, requests, tasks, reconciliations, procedures, documents] = await Promise.all([
    reader.read<Patient>('Patient', patient),
    reader.searchEvery<Appointment>('Appointment', [['patient', patient]]),
    reader.searchEvery<ServiceRequest>('ServiceRequest', [['patient', patient]]),
    reader.searchEvery<Task>('Task', [
      ['patient', patient],
      ['code', 'http://hl7.org/fhir/CodeSystem/task-code|fulfill'],
    ]),
    reader.searchEvery<List>('List', [
      ['patient', patient],
      ['code', RECONCILIATION_LIST],
    ]),
    reader.searchEvery<Procedure>('Procedure', [
      ['patient', patient],
      ['code', 'http://careloop.org/fhir/CodeSystem/transition-item|'],
    ]),
    reader.searchEvery<DocumentReference>('DocumentReference', [['patient', patient]]),
  ]);
  const byFocus = new Map(tasks.map((t) => [t.focus?.reference ?? '', t]));
  const items = assessReadiness({
    admittedAt,
    dischargeDate: facts.dischargeDate ?? (expected ? clock.dateOf(expected) : undefined),
    dateOf: clock.dateOf,
    highRisk: facts.lace?.band === 'high',
    disposition: facts.disposition,
    patient: p,
    appointments,
    referrals: requests.map((request) => ({ request, task: byFocus.get(`ServiceRequest/${request.id}`) })),
    reconciliations,
    procedures,
    documents: documents.filter((d) => (d.date ?? d.meta?.lastUpdated ?? '') >= clock.dateOf(admittedAt)),
  });
  return { facts, items };
}

/** The patient's after-hospital plan in plain words. */
export async function episodeAfterHospitalPlan(
  reader: CareReader,
  clock: ClinicClock,
  id: string,
): Promise<AfterHospitalPlan> {
  const { patient, facts } = await loadEpisode(reader, id);
  const today = clock.today();
  const [teams, appointments, pending, conditions] = await Promise.all([
    reader.searchEvery<CareTeam>('CareTeam', [
      ['patient', patient],
      ['status', 'active'],
    ]),
    reader.searchEvery<Appointment>('Appointment', [
      ['patient', patient],
      ['date', `ge${today}`],
    ]),
    reader.searchEvery<ServiceRequest>('ServiceRequest', [
      ['patient', patient],
      ['status', 'active'],
      ['category', 'http://snomed.info/sct|108252007'],
    ]),
    reader.searchEvery<Condition>('Condition', [
      ['patient', patient],
      ['clinical-status', 'active'],
    ]),
  ]);
  const roles = careTeamRolesOf(teams);
  const practitioner = (ref: string | undefined) =>
    ref ? reader.tryRead<Practitioner>('Practitioner', ref.slice('Practitioner/'.length)) : Promise.resolve(undefined);
  return buildAfterHospitalPlan({
    dischargeDate: facts.dischargeDate,
    coordinator: await practitioner(roles.coordinator?.reference),
    pcp: await practitioner(roles.pcp?.reference),
    appointments,
    pendingTests: pending,
    conditions,
    today,
  });
}

/** The records of many patients, grouped by patient: a search per hundred patients and kind. */
async function recordsByPatient(
  reader: CareReader,
  patients: readonly string[],
  since: string,
): Promise<Map<string, TcmRecords>> {
  const out = new Map<string, { contacts: Communication[]; visits: Encounter[]; reconciliations: List[] }>();
  const of = (ref: string | undefined) => {
    const id = (ref ?? '').replace(/^Patient\//, '');
    let r = out.get(id);
    if (!r) {
      r = { contacts: [], visits: [], reconciliations: [] };
      out.set(id, r);
    }
    return r;
  };
  for (let i = 0; i < patients.length; i += SEARCH_LIMITS.orValues) {
    const group = patients.slice(i, i + SEARCH_LIMITS.orValues).join(',');
    const [contacts, visits, reconciliations] = await Promise.all([
      reader.searchEvery<Communication>('Communication', [
        ['patient', group],
        ['sent', `ge${since}`],
      ]),
      reader.searchEvery<Encounter>('Encounter', [
        ['patient', group],
        ['date', `ge${since}`],
      ]),
      reader.searchEvery<List>('List', [
        ['patient', group],
        ['code', RECONCILIATION_LIST],
      ]),
    ]);
    for (const c of contacts) of(c.subject?.reference).contacts.push(c);
    for (const v of visits) of(v.subject?.reference).visits.push(v);
    for (const l of reconciliations) of(l.subject?.reference).reconciliations.push(l);
  }
  return out;
}

/** Contact, follow-up and readmission rates over every transition episode the reader may see. */
export async function measureTransitions(reader: CareReader, clock: ClinicClock): Promise<BandMeasures[]> {
  const episodes = (await reader.searchEvery<EpisodeOfCare>('EpisodeOfCare', [['type', TRANSITION_TYPE]])).filter(
    (e): e is EpisodeOfCare & { id: string } => e.id !== undefined,
  );
  const rows = episodes.map((e) => ({
    id: e.id,
    facts: readEpisode(e),
    patient: (e.patient.reference ?? '').replace(/^Patient\//, ''),
  }));
  const discharged = rows.filter((r) => r.facts.dischargeDate);
  // From the earliest discharge on: each episode's own status reads only what is after its own.
  const earliest = discharged.map((r) => r.facts.dischargeDate as string).sort()[0];
  const records = earliest
    ? await recordsByPatient(
        reader,
        [...new Set(discharged.map((r) => r.patient))],
        new Date(clock.instantAt(earliest)).toISOString(),
      )
    : new Map<string, TcmRecords>();
  return transitionMeasures(
    rows.map((r) => ({
      facts: r.facts,
      status: statusFrom(r.id, r.facts, records.get(r.patient) ?? NO_RECORDS, clock),
    })),
  );
}
