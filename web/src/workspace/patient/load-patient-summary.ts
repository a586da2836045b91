// Everything the patient page shows, fetched in parallel with the user's own token: the searches a
// care summary needs, each bounded, instead of $everything (which for a long history is thousands of
// resources).
import type {
  AllergyIntolerance,
  Bundle,
  CareTeam,
  Condition,
  DocumentReference,
  Encounter,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Organization,
  Patient,
  Practitioner,
  RelatedPerson,
  Task,
} from '@medplum/fhirtypes';
import { entriesOf, readResource, searchEvery, searchResources } from '../../api/fhir-client.js';
import { clinicDayOffset } from '../../format/fhir-text.js';
import { loadWorklist } from '../worklist-client.js';

export interface PatientSummary {
  readonly patient: Patient;
  readonly careTeams: CareTeam[];
  /** Care team members by reference ("Practitioner/x"). */
  readonly members: Map<string, Practitioner | RelatedPerson | Organization>;
  readonly conditions: Condition[];
  readonly medications: MedicationRequest[];
  readonly selfReported: MedicationStatement[];
  readonly allergies: AllergyIntolerance[];
  readonly encounters: Encounter[];
  readonly observations: Observation[];
  readonly documents: DocumentReference[];
  readonly tasks: Task[];
}

function membersOf(bundle: Bundle): Map<string, Practitioner | RelatedPerson | Organization> {
  const members = new Map<string, Practitioner | RelatedPerson | Organization>();
  for (const e of bundle.entry ?? []) {
    const r = e.resource;
    if (r?.resourceType === 'Practitioner' || r?.resourceType === 'RelatedPerson' || r?.resourceType === 'Organization')
      members.set(`${r.resourceType}/${r.id}`, r);
  }
  return members;
}

export async function loadPatientSummary(id: string): Promise<PatientSummary> {
  const patient = `Patient/${id}`;
  // The Patient first: if it is refused, nothing else is asked for.
  const record = await readResource<Patient>('Patient', id);
  const [teams, conditions, meds, statements, allergies, encounters, observations, documents, tasks] =
    await Promise.all([
      searchResources('CareTeam', { patient, status: 'active', _include: 'CareTeam:participant' }),
      searchEvery('Condition', { patient }),
      searchEvery('MedicationRequest', { patient, status: 'active' }),
      searchEvery('MedicationStatement', { patient, status: 'active' }),
      searchEvery('AllergyIntolerance', { patient }),
      searchResources('Encounter', { patient, _sort: '-date', _count: 20 }),
      // The last twelve months, whole: the trends and latest values (the card says so).
      searchEvery('Observation', { patient, date: `ge${clinicDayOffset(-365)}`, _sort: '-date' }),
      searchEvery('DocumentReference', { patient, _sort: '-date' }),
      loadWorklist({ panel: true, patient }),
    ]);
  return {
    patient: record,
    careTeams: entriesOf<CareTeam>(teams, 'CareTeam'),
    members: membersOf(teams),
    conditions: entriesOf<Condition>(conditions, 'Condition'),
    medications: entriesOf<MedicationRequest>(meds, 'MedicationRequest'),
    selfReported: entriesOf<MedicationStatement>(statements, 'MedicationStatement'),
    allergies: entriesOf<AllergyIntolerance>(allergies, 'AllergyIntolerance'),
    encounters: entriesOf<Encounter>(encounters, 'Encounter'),
    observations: entriesOf<Observation>(observations, 'Observation'),
    documents: entriesOf<DocumentReference>(documents, 'DocumentReference'),
    tasks: entriesOf<Task>(tasks, 'Task'),
  };
}
