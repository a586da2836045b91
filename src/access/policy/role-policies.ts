// What each role may do at most. Scopes in a token can narrow this, never widen it. The rules:
// - Patients and caregivers act in patient context (SMART `patient/`), on the resource types the
//   portal needs; a caregiver is a personal representative with proxy access (45 CFR 164.502(g)).
// - Clinical staff act in user context on the patients of their active care teams (and, for care
//   coordinators, the panel their organization manages): the HIPAA minimum-necessary standard
//   (45 CFR 164.502(b), 164.514(d)) applied as "a treatment relationship or no access".
// - Administrators run the directory, definitions and the audit log, not clinical records.
// - Backend systems (an EHR feed) act in system context on everything.
import type { Role } from '../../store/account-store.js';
import type { ScopeContext } from '../scopes/smart-scopes.js';

export type PatientReach =
  /** The patient the account is linked to. */
  | 'self'
  /** The patients of the account's RelatedPerson links. */
  | 'proxy'
  /** Patients of active CareTeams the practitioner belongs to. */
  | 'care-team'
  /** Care teams, plus the patients managed by the practitioner's organizations. */
  | 'care-team-and-panel'
  /** Patients with a referral sent to the partner's organization (a fulfilment Task it owns). */
  | 'referrals'
  | 'none'
  | 'all';

export interface RolePolicy {
  readonly context: ScopeContext;
  /** The most a token for this role may be granted (SMART interactions). */
  readonly maxInteractions: string;
  readonly reach: PatientReach;
  /** Types readable at all (in compartments and outside them); 'all' for every type. */
  readonly readTypes: 'all' | readonly string[];
  /** Types writable inside visible patients' compartments. */
  readonly writeTypes: 'all' | readonly string[];
  /** Types outside any patient's compartment that are readable. */
  readonly sharedRead: 'all' | readonly string[];
  /** Types outside any patient's compartment that are writable. */
  readonly sharedWrite: 'all' | readonly string[];
  /** Who may see sensitive-labelled data in the visible records. */
  readonly sensitive: 'own-record' | 'with-consent' | 'all' | 'none';
  /** May open a record outside their reach in an emergency, for a limited time. */
  readonly breakGlass: boolean;
  /** May create a new Patient (registration). */
  readonly registerPatients: boolean;
  /** May remove a sensitivity label someone put on a resource. */
  readonly removeLabels: boolean;
  /** May change a Patient's ownership fields (managing organization, links, identifiers). */
  readonly changeOwnership: boolean;
}

/** The directory and definitions everyone signed in may read (find a clinician, load a form). */
const DIRECTORY_AND_DEFINITIONS = [
  'Organization',
  'Practitioner',
  'PractitionerRole',
  'Location',
  'HealthcareService',
  'Endpoint',
  'Medication',
  'MedicationKnowledge',
  'Substance',
  'Questionnaire',
  'PlanDefinition',
  'ActivityDefinition',
  'ValueSet',
  'CodeSystem',
  'ConceptMap',
  'Library',
  'Slot',
  'Schedule',
] as const;

/** What the patient portal shows: the patient's own record in the types a patient understands. */
const PORTAL_READ = [
  'Patient',
  'RelatedPerson',
  'CarePlan',
  'CareTeam',
  'Goal',
  'Condition',
  'Observation',
  'DiagnosticReport',
  'MedicationRequest',
  'MedicationStatement',
  'MedicationDispense',
  'List',
  'AllergyIntolerance',
  'Immunization',
  'Procedure',
  'Encounter',
  'EpisodeOfCare',
  'Appointment',
  'AppointmentResponse',
  'Communication',
  'CommunicationRequest',
  'DocumentReference',
  'QuestionnaireResponse',
  'ServiceRequest',
  'Task',
  'Consent',
  'Coverage',
  ...DIRECTORY_AND_DEFINITIONS,
] as const;

/** What a patient (or their caregiver) may write: messages, forms, bookings, consents, self-reports, their own goals, documents they upload. */
const PORTAL_WRITE = [
  'Patient',
  'Goal',
  'Communication',
  'QuestionnaireResponse',
  'Appointment',
  'AppointmentResponse',
  'Consent',
  'Observation',
  'MedicationStatement',
  // A document from another provider the patient uploads (kept as theirs until the team accepts it).
  'DocumentReference',
] as const;

/**
 * Team work that need not concern one patient: tasks, messages, lists, calendars, and subscriptions
 * (delivered under their owner's own access, to endpoints an administrator allowed).
 */
const STAFF_SHARED_WRITE = [
  'Task',
  'Communication',
  'CommunicationRequest',
  'List',
  'Schedule',
  'Slot',
  'Subscription',
] as const;

const portal = (reach: PatientReach, sensitive: RolePolicy['sensitive']): RolePolicy => ({
  context: 'patient',
  maxInteractions: 'crus',
  reach,
  readTypes: PORTAL_READ,
  writeTypes: PORTAL_WRITE,
  sharedRead: DIRECTORY_AND_DEFINITIONS,
  sharedWrite: [],
  sensitive,
  breakGlass: false,
  registerPatients: false,
  removeLabels: false,
  changeOwnership: false,
});

const staff = (reach: PatientReach, extra: Partial<RolePolicy> = {}): RolePolicy => ({
  context: 'user',
  maxInteractions: 'cruds',
  reach,
  readTypes: 'all',
  writeTypes: 'all',
  sharedRead: 'all',
  sharedWrite: STAFF_SHARED_WRITE,
  sensitive: 'with-consent',
  breakGlass: true,
  registerPatients: true,
  removeLabels: false,
  changeOwnership: true,
  ...extra,
});

/**
 * A referral partner — a receiving clinic or community organization — acts on the referrals sent
 * to it: reads the patient's demographics and those referrals, updates their Tasks (accept,
 * reject, schedule, complete with an outcome), books appointments, writes its report and messages
 * the sender. Nothing else of the record (build-access-guard.ts limits each type to its own rows).
 */
const PARTNER_READ = [
  'Patient',
  'Task',
  'ServiceRequest',
  'Appointment',
  'DocumentReference',
  'Communication',
  ...DIRECTORY_AND_DEFINITIONS,
] as const;

export const ROLE_POLICIES: Readonly<Record<Role, RolePolicy>> = {
  patient: portal('self', 'own-record'),
  caregiver: portal('proxy', 'with-consent'),
  coordinator: staff('care-team-and-panel'),
  physician: staff('care-team', { removeLabels: true }),
  pharmacist: staff('care-team', { sharedWrite: [...STAFF_SHARED_WRITE, 'Medication', 'MedicationKnowledge'] }),
  partner: {
    context: 'user',
    maxInteractions: 'crus',
    reach: 'referrals',
    readTypes: PARTNER_READ,
    writeTypes: ['Task', 'Appointment', 'DocumentReference', 'Communication'],
    sharedRead: DIRECTORY_AND_DEFINITIONS,
    sharedWrite: ['Communication', 'Schedule', 'Slot'],
    sensitive: 'none',
    breakGlass: false,
    registerPatients: false,
    removeLabels: false,
    changeOwnership: false,
  },
  admin: {
    context: 'user',
    maxInteractions: 'cruds',
    reach: 'none',
    readTypes: 'all',
    writeTypes: 'all',
    sharedRead: 'all',
    sharedWrite: 'all',
    sensitive: 'none',
    breakGlass: false,
    registerPatients: false,
    removeLabels: false,
    changeOwnership: false,
  },
  system: {
    context: 'system',
    maxInteractions: 'cruds',
    reach: 'all',
    readTypes: 'all',
    writeTypes: 'all',
    sharedRead: 'all',
    sharedWrite: 'all',
    sensitive: 'all',
    breakGlass: false,
    registerPatients: true,
    removeLabels: true,
    changeOwnership: true,
  },
};

export function includesType(list: 'all' | readonly string[], type: string): boolean {
  return list === 'all' || list.includes(type);
}
