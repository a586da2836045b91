// What goes into a patient's C-CDA document, read with the requester's access (what they may not
// see stays out of what they send): the record's current state, results and vital signs of the last
// year and 90 days (the newest of each kind), and the appointments to come.
import type {
  AllergyIntolerance,
  Appointment,
  CarePlan,
  CareTeam,
  Condition,
  Goal,
  Immunization,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Organization,
  Patient,
  Practitioner,
  Procedure,
  ServiceRequest,
} from '@medplum/fhirtypes';
import { addDays } from '../../calendar/calendar-days.js';
import type { ClinicClock } from '../../calendar/clinic-clock.js';
import type { CareReader } from '../../care-reader.js';
import type { CcdaExportInput, CcdaExportType } from './build-ccda-bundle.js';

/** Results older than this are history the next provider does not need in a summary. */
const RESULT_DAYS = 365;
const VITAL_DAYS = 90;
/** The newest observations of each code, at most (a summary, not the chart). */
const PER_CODE = 3;

const withId = <T extends { id?: string }>(r: T | undefined): (T & { id: string }) | undefined =>
  r?.id ? (r as T & { id: string }) : undefined;

function newestPerCode(observations: readonly Observation[]): Observation[] {
  const byCode = new Map<string, Observation[]>();
  for (const o of observations) {
    const code = o.code?.coding?.[0]?.code ?? o.code?.text ?? '';
    byCode.set(code, [...(byCode.get(code) ?? []), o]);
  }
  const when = (o: Observation) => o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued ?? '';
  return [...byCode.values()].flatMap((list) => list.sort((a, b) => when(b).localeCompare(when(a))).slice(0, PER_CODE));
}

export async function gatherCcdaExport(
  reader: CareReader,
  clock: ClinicClock,
  input: {
    readonly patientId: string;
    readonly type: CcdaExportType;
    readonly author: string | undefined;
    readonly compositionId: string;
    readonly referral?: string;
  },
): Promise<CcdaExportInput> {
  const patient = await reader.read<Patient & { id: string }>('Patient', input.patientId);
  const p = input.patientId;
  const today = clock.today();
  const [
    allergies,
    conditions,
    statements,
    requests,
    results,
    vitals,
    careTeams,
    carePlans,
    goals,
    immunizations,
    procedures,
    appointments,
  ] = await Promise.all([
    reader.searchEvery<AllergyIntolerance>('AllergyIntolerance', [['patient', p]]),
    reader.searchEvery<Condition>('Condition', [
      ['patient', p],
      ['clinical-status', 'active,recurrence,relapse'],
    ]),
    reader.searchEvery<MedicationStatement>('MedicationStatement', [
      ['patient', p],
      ['status', 'active'],
    ]),
    reader.searchEvery<MedicationRequest>('MedicationRequest', [
      ['patient', p],
      ['status', 'active'],
    ]),
    reader.searchEvery<Observation>('Observation', [
      ['patient', p],
      ['category', 'laboratory'],
      ['date', `ge${addDays(today, -RESULT_DAYS)}`],
    ]),
    reader.searchEvery<Observation>('Observation', [
      ['patient', p],
      ['category', 'vital-signs'],
      ['date', `ge${addDays(today, -VITAL_DAYS)}`],
    ]),
    reader.searchEvery<CareTeam>('CareTeam', [
      ['patient', p],
      ['status', 'active'],
    ]),
    reader.searchEvery<CarePlan>('CarePlan', [
      ['patient', p],
      ['status', 'active'],
    ]),
    reader.searchEvery<Goal>('Goal', [
      ['patient', p],
      ['lifecycle-status', 'proposed,planned,accepted,active,on-hold'],
    ]),
    reader.searchEvery<Immunization>('Immunization', [['patient', p]]),
    reader.searchEvery<Procedure>('Procedure', [['patient', p]]),
    reader.searchEvery<Appointment>('Appointment', [
      ['patient', p],
      ['date', `ge${today}`],
      ['status', 'proposed,pending,booked'],
    ]),
  ]);
  const members = [
    ...new Set(
      careTeams.flatMap((t) =>
        (t.participant ?? []).flatMap((m) =>
          m.member?.reference?.startsWith('Practitioner/') ? [m.member.reference.slice('Practitioner/'.length)] : [],
        ),
      ),
    ),
  ];
  const authorId = input.author?.startsWith('Practitioner/') ? input.author.slice('Practitioner/'.length) : undefined;
  const organization = patient.managingOrganization?.reference?.startsWith('Organization/')
    ? patient.managingOrganization.reference.slice('Organization/'.length)
    : undefined;
  const [practitioners, author, custodian, referral] = await Promise.all([
    reader.readByIds<Practitioner & { id: string }>('Practitioner', members),
    authorId ? reader.tryRead<Practitioner>('Practitioner', authorId) : Promise.resolve(undefined),
    organization ? reader.tryRead<Organization>('Organization', organization) : Promise.resolve(undefined),
    input.referral?.startsWith('ServiceRequest/')
      ? reader.tryRead<ServiceRequest>('ServiceRequest', input.referral.slice('ServiceRequest/'.length))
      : Promise.resolve(undefined),
  ]);
  // Only the discharge and community prescriptions that are the patient's current medicines.
  const current = requests.filter(
    (r) => !(r.category ?? []).some((c) => c.coding?.some((x) => x.code === 'inpatient')),
  );
  return {
    type: input.type,
    compositionId: input.compositionId,
    at: clock.nowIso(),
    patient,
    author: withId(author),
    custodian: withId(custodian),
    practitioners,
    allergies,
    conditions,
    medicationStatements: statements,
    medicationRequests: current,
    results: newestPerCode(results),
    vitalSigns: newestPerCode(vitals),
    careTeams,
    carePlans,
    goals,
    immunizations,
    procedures,
    appointments,
    referral: withId(referral),
  };
}
