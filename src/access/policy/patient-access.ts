// Which patients' records a principal may see, from the FHIR resources that say so: the account's
// own Patient link, the RelatedPerson links of a caregiver, active CareTeams naming the practitioner
// (directly or through one of their PractitionerRoles), the organizations of those roles (a
// coordinator's panel), emergency-access grants, and patients' Consents for sensitive data.
import type {
  CareTeam,
  Consent,
  ConsentProvision,
  PractitionerRole,
  RelatedPerson,
  Resource,
  Task,
} from '@medplum/fhirtypes';
import { searchEvery } from '../../store/read-every-page.js';
import type { Store } from '../../store/store.js';
import { idOf, type Principal } from '../principal.js';
import { ROLE_POLICIES } from './role-policies.js';
import { labelKey, SENSITIVE_LABELS } from './sensitive-labels.js';

export interface PatientAccess {
  /** Every patient (a backend system). */
  readonly all: boolean;
  readonly patients: readonly string[];
  /** Organizations whose managed patients (Patient.managingOrganization) are visible. */
  readonly organizations: readonly string[];
  /** Patients opened through an emergency-access grant (and not otherwise reachable). */
  readonly emergency: readonly string[];
  /**
   * Every patient of an active emergency-access grant, with its reason: their sensitive records are
   * open too (42 CFR 2.51, medical emergencies), whether or not they are otherwise reachable.
   */
  readonly emergencyGrants: ReadonlyMap<string, string>;
  /** Per sensitive label (`system|code`): the patients whose consent lets this principal see it. */
  readonly consented: ReadonlyMap<string, readonly string[]>;
  /**
   * For a referral partner: the references they act as (their Practitioner, PractitionerRoles and
   * organizations), which decide the referrals, appointments, reports and messages that are theirs.
   */
  readonly actingFor: readonly string[];
  /** The references a Consent may name this principal by (Practitioner, roles, organizations, RelatedPersons). */
  readonly actors: readonly string[];
}

export const NO_PATIENTS: PatientAccess = {
  all: false,
  patients: [],
  organizations: [],
  emergency: [],
  emergencyGrants: new Map(),
  consented: new Map(),
  actingFor: [],
  actors: [],
};

/**
 * The access of a token launched for one patient (SMART launch context): that patient only, and
 * only if the user could see them at all. Another patient's records, the panel's organizations and
 * other emergency grants are out of it.
 */
export function narrowToPatient(access: PatientAccess, patient: string): PatientAccess {
  const id = patient.replace(/^Patient\//, '');
  const visible = access.all || access.patients.includes(id) || access.organizations.length > 0;
  const keep = (ids: readonly string[]) => ids.filter((p) => p === id);
  return {
    ...access,
    all: false,
    patients: visible && !access.emergency.includes(id) ? [id] : [],
    organizations: [],
    emergency: keep(access.emergency),
    emergencyGrants: new Map([...access.emergencyGrants].filter(([p]) => p === id)),
    consented: new Map([...access.consented].map(([label, ids]) => [label, keep(ids)])),
  };
}

const searchAll = <T extends Resource>(store: Store, type: string, query: [string, string][]): Promise<T[]> =>
  searchEvery<T>(store, type, query);

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const current = (period: { start?: string; end?: string } | undefined, now: number): boolean =>
  (!period?.start || Date.parse(period.start) <= now) && (!period?.end || Date.parse(period.end) >= now);

/** Patients of the active CareTeams where one of `members` participates now. */
async function careTeamPatients(store: Store, members: readonly string[], now: number): Promise<string[]> {
  const patients = new Set<string>();
  for (const group of chunks(members, 50)) {
    const teams = await searchAll<CareTeam>(store, 'CareTeam', [
      ['participant', group.join(',')],
      ['status', 'active'],
    ]);
    for (const team of teams) {
      const patient = idOf(team.subject?.reference, 'Patient');
      if (!patient || !current(team.period, now)) continue;
      const member = team.participant?.some(
        (p) => p.member?.reference && members.includes(p.member.reference) && current(p.period, now),
      );
      if (member) patients.add(patient);
    }
  }
  return [...patients];
}

/** Whether a Consent provision (or one nested in it) permits `label` to one of `actors`. */
function permits(
  provision: ConsentProvision | undefined,
  label: string,
  actors: readonly string[],
  now: number,
): boolean {
  if (!provision || !current(provision.period, now)) return false;
  if (
    provision.type === 'permit' &&
    provision.securityLabel?.some((l) => labelKey(l) === label) &&
    (!provision.actor?.length || provision.actor.some((a) => actors.includes(a.reference.reference ?? '')))
  ) {
    return true;
  }
  return (provision.provision ?? []).some((p) => permits(p, label, actors, now));
}

/** Per label, the patients whose active Consent permits it to one of `actors`. */
async function consentedLabels(
  store: Store,
  patients: readonly string[],
  organizations: readonly string[],
  actors: readonly string[],
  now: number,
): Promise<Map<string, string[]>> {
  const consents: Consent[] = [];
  for (const group of chunks(patients, 100)) {
    consents.push(
      ...(await searchAll<Consent>(store, 'Consent', [
        ['status', 'active'],
        ['patient', group.map((p) => `Patient/${p}`).join(',')],
      ])),
    );
  }
  if (organizations.length > 0) {
    consents.push(
      ...(await searchAll<Consent>(store, 'Consent', [
        ['status', 'active'],
        ['patient.organization', organizations.map((o) => `Organization/${o}`).join(',')],
      ])),
    );
  }
  const out = new Map<string, string[]>();
  for (const consent of consents) {
    const patient = idOf(consent.patient?.reference, 'Patient');
    if (!patient || !current(consent.provision?.period, now)) continue;
    for (const label of SENSITIVE_LABELS) {
      const key = labelKey(label);
      if (!permits(consent.provision, key, actors, now)) continue;
      const list = out.get(key) ?? [];
      if (!list.includes(patient)) list.push(patient);
      out.set(key, list);
    }
  }
  return out;
}

/**
 * Patients with a referral sent to one of `actingFor`: the fulfilment Tasks they own (FHIR R4 Task
 * as the referral's workflow, the Gravity SDOH closed-loop referral pattern), once sent (not draft).
 */
async function referredPatients(store: Store, actingFor: readonly string[]): Promise<string[]> {
  const patients = new Set<string>();
  for (const group of chunks(actingFor, 50)) {
    const tasks = await searchAll<Task>(store, 'Task', [['owner', group.join(',')]]);
    for (const task of tasks) {
      const patient = idOf(task.for?.reference, 'Patient');
      if (patient && task.status !== 'draft') patients.add(patient);
    }
  }
  return [...patients];
}

export async function loadPatientAccess(
  store: Store,
  principal: Principal,
  emergencyGrants: readonly { readonly patient: string; readonly reason: string }[],
  now: number,
): Promise<PatientAccess> {
  const policy = ROLE_POLICIES[principal.role];
  if (policy.reach === 'all') return { ...NO_PATIENTS, all: true };
  if (policy.reach === 'none') return NO_PATIENTS;

  const patients: string[] = [];
  const organizations: string[] = [];
  const actingFor: string[] = [];
  /** The references a Consent may name this principal by. */
  const actors: string[] = principal.fhirUser ? [principal.fhirUser] : [];

  if (policy.reach === 'self') {
    const own = idOf(principal.links.patient, 'Patient');
    if (own) patients.push(own);
  } else if (policy.reach === 'proxy') {
    for (const ref of principal.links.relatedPersons ?? []) {
      const id = idOf(ref, 'RelatedPerson');
      const stored = id ? await store.readCurrent('RelatedPerson', id) : undefined;
      if (!stored?.json) continue;
      const person = JSON.parse(stored.json) as RelatedPerson;
      const patient = idOf(person.patient?.reference, 'Patient');
      if (person.active !== false && current(person.period, now) && patient) {
        patients.push(patient);
        actors.push(ref);
      }
    }
  } else {
    const practitioner = principal.links.practitioner;
    if (practitioner) {
      const roles = await searchAll<PractitionerRole>(store, 'PractitionerRole', [['practitioner', practitioner]]);
      const members = [practitioner];
      for (const role of roles) {
        if (role.active === false || !current(role.period, now)) continue;
        members.push(`PractitionerRole/${role.id}`);
        const org = idOf(role.organization?.reference, 'Organization');
        if (org) actors.push(`Organization/${org}`);
        if (org && policy.reach === 'care-team-and-panel' && !organizations.includes(org)) organizations.push(org);
      }
      actors.push(...members.slice(1));
      if (policy.reach === 'referrals') {
        actingFor.push(...members, ...actors.filter((a) => a.startsWith('Organization/')));
        patients.push(...(await referredPatients(store, actingFor)));
      } else {
        patients.push(...(await careTeamPatients(store, members, now)));
      }
    }
  }
  const granted = new Map<string, string>(
    policy.breakGlass ? emergencyGrants.map((g) => [g.patient, g.reason] as const) : [],
  );
  const emergency = [...granted.keys()].filter((p) => !patients.includes(p));
  const consented =
    policy.sensitive === 'with-consent' && (patients.length > 0 || organizations.length > 0)
      ? await consentedLabels(store, patients, organizations, actors, now)
      : new Map<string, string[]>();
  return {
    all: false,
    patients,
    organizations,
    emergency,
    emergencyGrants: granted,
    consented,
    actingFor,
    actors: [...new Set(actors)],
  };
}
