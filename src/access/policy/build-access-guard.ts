// The access decisions for one request, as the guard the repository enforces under every
// interaction. Reads: a filter the store applies in SQL (so counts, _include, chains and _has see
// only permitted rows). Writes: checked before anything is written, inside the transaction.
import type { Coding, Consent, RelatedPerson, Resource } from '@medplum/fhirtypes';
import { getTypeModel } from '../../fhir/definitions/r4-definitions.js';
import { OutcomeError } from '../../fhir/outcome.js';
import type { AccessFilter, HiddenLabel, ParticipantsOnly, RequiredCodes } from '../../fhir/search/search-request.js';
import type { AccessGuard, Interaction, WriteCheck } from '../../store/repository/repository-context.js';
import type { StoredVersion, StoreReader } from '../../store/store.js';
import type { RequestAudit } from '../audit/request-audit.js';
import { idOf, type Principal } from '../principal.js';
import { categoryLimits, hasCategory, scopesAllow } from '../scopes/smart-scopes.js';
import { type ConsentAuthor, consentWriteProblem, hasLegalAuthority } from './consent-authority.js';
import { INTERNAL_NOTE } from './internal-notes.js';
import type { PatientAccess } from './patient-access.js';
import { includesType, ROLE_POLICIES, type RolePolicy } from './role-policies.js';
import { isSensitiveLabel, labelKey, SENSITIVE_LABELS } from './sensitive-labels.js';

const INTERACTION_NAMES: Record<Interaction, string> = {
  c: 'create',
  r: 'read',
  u: 'update',
  d: 'delete',
  s: 'search',
};

const forbidden = (message: string): OutcomeError => new OutcomeError('forbidden', message, { status: 403 });

function hiddenLabels(policy: RolePolicy, principal: Principal, access: PatientAccess): HiddenLabel[] | undefined {
  switch (policy.sensitive) {
    case 'all':
      return undefined;
    case 'none':
      return SENSITIVE_LABELS.map((l) => ({ ...l, exceptPatients: [] }));
    case 'own-record': {
      const own = idOf(principal.links.patient, 'Patient');
      return SENSITIVE_LABELS.map((l) => ({ ...l, exceptPatients: own ? [own] : [] }));
    }
    case 'with-consent':
      // Emergency access opens the whole record, sensitive parts included (42 CFR 2.51 allows
      // disclosure in a medical emergency), for patients on one's teams too; the audit entry is flagged.
      return SENSITIVE_LABELS.map((l) => ({
        ...l,
        exceptPatients: [...(access.consented.get(labelKey(l)) ?? []), ...access.emergencyGrants.keys()],
      }));
  }
}

/** Resource types readable under both the role and the token's scopes (undefined: every type). */
function readableTypes(policy: RolePolicy, principal: Principal): string[] | undefined {
  const everyType = policy.readTypes === 'all' && scopesAllow(principal.scopes, '*', 'r');
  if (everyType) return undefined;
  return getTypeModel().resourceTypes.filter(
    (t) => includesType(policy.readTypes, t) && scopesAllow(principal.scopes, t, 'r'),
  );
}

/**
 * Types whose reads a granular scope narrows to categories (`patient/Observation.rs?category=...`):
 * only resources with one of them are visible, in reads, searches, includes and $everything alike.
 */
function requiredCategories(principal: Principal): RequiredCodes[] {
  const types = new Set(principal.scopes.filter((s) => s.category).map((s) => s.type));
  return [...types].flatMap((resourceType) => {
    const limits = categoryLimits(principal.scopes, resourceType, 'r');
    return limits ? [{ resourceType, param: 'category', codes: limits }] : [];
  });
}

export function accessFilterFor(principal: Principal, access: PatientAccess): AccessFilter {
  const policy = ROLE_POLICIES[principal.role];
  const types = readableTypes(policy, principal);
  const labels = hiddenLabels(policy, principal, access);
  const categories = requiredCategories(principal);
  return {
    ...(categories.length ? { requiredCodes: categories } : {}),
    ...(access.all
      ? {}
      : { patients: { ids: [...access.patients, ...access.emergency], organizations: access.organizations } }),
    sharedTypes: policy.sharedRead,
    ...(types ? { types } : {}),
    ...(labels ? { hiddenLabels: labels } : {}),
    ...(access.all ? {} : { participantsOnly: participation(principal, access) }),
    ...(policy.context === 'patient'
      ? {
          hiddenCodes: [
            {
              resourceType: 'Communication',
              param: 'category',
              system: INTERNAL_NOTE.system,
              code: INTERNAL_NOTE.code,
            },
          ],
        }
      : {}),
  };
}

/**
 * Secure messages are read by their participants only (sender and recipients), whoever else may see
 * the patient's record: a message between two clinicians about a patient is theirs, not the whole
 * team's nor the patient's. A caregiver takes part as the patients they act for.
 */
export function messageParticipation(principal: Principal, access: PatientAccess): ParticipantsOnly {
  const references = new Set<string>();
  if (principal.fhirUser) references.add(principal.fhirUser);
  if (principal.links.patient) references.add(principal.links.patient);
  for (const r of principal.links.relatedPersons ?? []) references.add(r);
  if (principal.role === 'caregiver') for (const p of access.patients) references.add(`Patient/${p}`);
  for (const r of access.actingFor) references.add(r);
  return {
    resourceType: 'Communication',
    params: ['sender', 'recipient'],
    references: [...references],
  };
}

/**
 * What a referral partner (a receiving clinic or community organization) sees of the patients
 * referred to them: only the referrals sent to them (the fulfilment Task they own, the
 * ServiceRequest naming them as performer), the appointments they take part in and the reports they
 * wrote — the minimum necessary (45 CFR 164.502(b)), not the rest of the record.
 */
function referralParticipation(access: PatientAccess): ParticipantsOnly[] {
  const references = access.actingFor;
  return [
    { resourceType: 'Task', params: ['owner'], references },
    { resourceType: 'ServiceRequest', params: ['performer'], references },
    { resourceType: 'Appointment', params: ['actor'], references },
    { resourceType: 'DocumentReference', params: ['author'], references },
  ];
}

function participation(principal: Principal, access: PatientAccess): ParticipantsOnly[] {
  const messages = messageParticipation(principal, access);
  return ROLE_POLICIES[principal.role].reach === 'referrals'
    ? [messages, ...referralParticipation(access)]
    : [messages];
}

const sensitiveLabelsOf = (resource: Resource | undefined): Set<string> =>
  new Set((resource?.meta?.security ?? []).filter((l: Coding) => isSensitiveLabel(l)).map(labelKey));

/**
 * Records a patient or caregiver keeps themselves, and the element that says whose report each is:
 * they may change those they reported, never what a clinician recorded (a blood pressure taken in
 * clinic, a medication list a pharmacist reconciled).
 */
const SELF_REPORTED: Readonly<Record<string, (r: Resource) => readonly string[]>> = {
  Observation: (r) => ((r as { performer?: { reference?: string }[] }).performer ?? []).map((p) => p.reference ?? ''),
  MedicationStatement: (r) => [
    (r as { informationSource?: { reference?: string } }).informationSource?.reference ?? '',
  ],
  DocumentReference: (r) => ((r as { author?: { reference?: string }[] }).author ?? []).map((a) => a.reference ?? ''),
};

const SELF_REPORT_ELEMENT: Readonly<Record<string, string>> = {
  Observation: 'Observation.performer',
  MedicationStatement: 'MedicationStatement.informationSource',
  DocumentReference: 'DocumentReference.author',
};

/** Patient fields that decide who manages and who can see the record. */
const OWNERSHIP_FIELDS = ['managingOrganization', 'generalPractitioner', 'link', 'identifier', 'active'] as const;

export function buildAccessGuard(
  principal: Principal,
  access: PatientAccess,
  audit: RequestAudit,
  /** Records the writes of a transaction inside it (the audit entry that commits with them). */
  recordWrites: AccessGuard['beforeCommit'],
): AccessGuard {
  const policy = ROLE_POLICIES[principal.role];
  const filter = accessFilterFor(principal, access);
  const direct = new Set([...access.patients, ...access.emergency]);
  const emergency = new Set(access.emergency);
  /** Whether a version carries a sensitive label that only an emergency grant lets this requester see. */
  const openedByEmergency = (v: StoredVersion): boolean => {
    if (policy.sensitive !== 'with-consent' || !v.json?.includes('"security"')) return false;
    const labels = sensitiveLabelsOf(JSON.parse(v.json) as Resource);
    return [...labels].some((l) => !(access.consented.get(l) ?? []).includes(v.patient ?? ''));
  };
  /** Patients registered by this request (a transaction may go on to give them a care team). */
  const registered = new Set<string>();

  const assertInteraction = (type: string, interaction: Interaction): void => {
    if (type === 'AuditEvent' && interaction !== 'r' && interaction !== 's') {
      throw forbidden('The audit log is written by the server only');
    }
    const byRole =
      interaction === 'r' || interaction === 's'
        ? includesType(policy.readTypes, type)
        : includesType(policy.writeTypes, type) || includesType(policy.sharedWrite, type);
    if (!byRole || !scopesAllow(principal.scopes, type, interaction)) {
      throw forbidden(`Your access does not include ${INTERACTION_NAMES[interaction]} on ${type}`);
    }
  };

  /** Whether the requester may write into this patient's compartment. */
  const mayWriteFor = async (patient: string, check: WriteCheck, tx: StoreReader): Promise<boolean> => {
    if (access.all || direct.has(patient) || registered.has(patient)) return true;
    if (
      check.interaction === 'create' &&
      check.resourceType === 'Patient' &&
      check.id === patient &&
      policy.registerPatients
    ) {
      registered.add(patient);
      return true;
    }
    // A coordinator's panel: the patient's managing organization is one of theirs.
    return access.organizations.length > 0 && (await tx.visible('Patient', patient, filter));
  };

  /** The references the requester reports as: their own record and, for a caregiver, their RelatedPersons. */
  const selfReferences = new Set(
    [principal.fhirUser, principal.links.patient, ...(principal.links.relatedPersons ?? [])].filter((r): r is string =>
      Boolean(r),
    ),
  );

  /** A patient or caregiver changes only what they reported, and reports only as themselves. */
  const assertSelfReported = (type: string, previous: Resource | undefined, next: Resource | undefined): void => {
    const sourcesOf = SELF_REPORTED[type] as (r: Resource) => readonly string[];
    const own = (r: Resource): boolean => sourcesOf(r).some((ref) => selfReferences.has(ref));
    if (previous && !own(previous)) {
      throw forbidden(`This ${type} was recorded by the care team; ask them to correct it`);
    }
    if (next && !own(next)) {
      const element = SELF_REPORT_ELEMENT[type] ?? type;
      throw forbidden(`Name yourself as the source of what you report (${element})`);
    }
  };

  /** Who is recording a Consent, as consent-authority.ts judges them. */
  const consentAuthor = async (
    check: WriteCheck,
    previous: Consent | undefined,
    tx: StoreReader,
  ): Promise<ConsentAuthor> => {
    const patient = idOf(((check.resource ?? previous) as Consent | undefined)?.patient?.reference, 'Patient');
    if (principal.role === 'patient') {
      return patient && patient === idOf(principal.links.patient, 'Patient')
        ? { kind: 'patient', references: [...selfReferences] }
        : { kind: 'representative', references: [...selfReferences], legalAuthority: false };
    }
    if (principal.role === 'caregiver') {
      let legalAuthority = false;
      for (const ref of principal.links.relatedPersons ?? []) {
        const stored = await tx.readCurrent('RelatedPerson', idOf(ref, 'RelatedPerson') ?? '');
        const person = stored?.json ? (JSON.parse(stored.json) as RelatedPerson) : undefined;
        if (person && person.active !== false && idOf(person.patient?.reference, 'Patient') === patient) {
          legalAuthority ||= hasLegalAuthority(person);
        }
      }
      return { kind: 'representative', references: [...selfReferences, ...access.actors], legalAuthority };
    }
    return { kind: 'staff', references: [...selfReferences, ...access.actors] };
  };

  return {
    filter,
    assertInteraction,
    agent: {
      who: principal.fhirUser,
      name: principal.name,
      role: principal.role,
      account: { kind: principal.kind, id: principal.id, scope: principal.scope },
    },
    checkWrite: async (check, tx) => {
      const { resourceType: type, id } = check;
      assertInteraction(type, check.interaction === 'create' ? 'c' : check.interaction === 'delete' ? 'd' : 'u');
      const previous = check.previous?.json ? (JSON.parse(check.previous.json) as Resource) : undefined;
      if (check.previous && !access.all && !(await tx.visible(type, id, filter))) {
        throw forbidden(`You may not change ${type}/${id}`);
      }
      // A message is sent in one's own name (or, for a caregiver, in the name of one they act for).
      const messages = filter.participantsOnly?.find((p) => p.resourceType === 'Communication');
      if (type === 'Communication' && check.interaction === 'create' && !access.all && messages) {
        const sender = (check.resource as { sender?: { reference?: string } } | undefined)?.sender?.reference;
        if (!sender || !messages.references.includes(sender))
          throw forbidden('Send messages as yourself: Communication.sender must be your own record');
      }
      if (check.compartments.length === 0) {
        if (!includesType(policy.sharedWrite, type)) {
          throw forbidden(`${type} resources outside a patient's record are not yours to write`);
        }
      } else {
        if (!includesType(policy.writeTypes, type)) throw forbidden(`Your access does not include writing ${type}`);
        for (const patient of check.compartments) {
          if (!(await mayWriteFor(patient, check, tx))) {
            throw forbidden(`You may not write into the record of a patient outside your access (${type}/${id})`);
          }
        }
      }
      if (type === 'Consent' && !access.all) {
        const problem = consentWriteProblem(
          await consentAuthor(check, previous as Consent | undefined, tx),
          previous as Consent | undefined,
          check.resource as Consent | undefined,
        );
        if (problem) throw forbidden(problem);
      }
      if (policy.context === 'patient' && SELF_REPORTED[type]) assertSelfReported(type, previous, check.resource);
      // A granular scope writes only resources of its categories.
      const limits = check.resource
        ? categoryLimits(principal.scopes, type, check.interaction === 'create' ? 'c' : 'u')
        : undefined;
      if (limits && check.resource && !hasCategory(check.resource as Parameters<typeof hasCategory>[0], limits))
        throw forbidden(`Your access covers ${type} of category ${limits.map((l) => l.code).join(', ')} only`);
      if (check.resource) {
        const before = sensitiveLabelsOf(previous);
        const after = sensitiveLabelsOf(check.resource);
        if (policy.context === 'patient') {
          const same =
            JSON.stringify(previous?.meta?.security ?? []) === JSON.stringify(check.resource.meta?.security ?? []);
          if (!same) throw forbidden('Security labels can only be set by clinical staff');
        } else if (!policy.removeLabels && [...before].some((l) => !after.has(l))) {
          throw forbidden('Only a physician may remove a sensitivity label');
        }
        if (type === 'Patient' && previous && !policy.changeOwnership) {
          const record = previous as unknown as Record<string, unknown>;
          const next = check.resource as unknown as Record<string, unknown>;
          for (const field of OWNERSHIP_FIELDS) {
            if (JSON.stringify(record[field]) !== JSON.stringify(next[field])) {
              throw forbidden(`Patient.${field} can only be changed by staff`);
            }
          }
        }
      }
    },
    beforeCommit: recordWrites,
    disclose: (versions: readonly StoredVersion[]) => {
      for (const v of versions) {
        if (!v.patient) continue;
        audit.patients.add(v.patient);
        // Flagged: a record reachable only through the grant, or a sensitive part opened by it.
        const reason = access.emergencyGrants.get(v.patient);
        if (reason === undefined) continue;
        if (emergency.has(v.patient) || openedByEmergency(v)) {
          audit.breakGlass = true;
          const note = `Emergency access to Patient/${v.patient}: ${reason}`;
          if (!audit.detail?.includes(note)) audit.detail = audit.detail ? `${audit.detail}; ${note}` : note;
        }
      }
    },
  };
}
