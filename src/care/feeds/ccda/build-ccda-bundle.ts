// What the next provider needs, as the FHIR document the C-CDA writer (ccda-codec.ts) turns into a
// C-CDA R2.1 document: the care team, problems and health concerns, the reconciled medication list,
// allergies, the care plan (goals, interventions), recent results and vital signs, immunizations,
// procedures, and the follow-up appointments. Sections follow the C-CDA R2.1 CCD and Referral Note
// (LOINC section codes as the writer knows them). Which resources go in is decided here; the
// gathering (with the requester's access) is the server's.
import type {
  Appointment,
  Bundle,
  CarePlan,
  CareTeam,
  Composition,
  CompositionSection,
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
  Resource,
  ServiceRequest,
} from '@medplum/fhirtypes';

export type CcdaExportType = 'ccd' | 'transition';

export interface CcdaExportInput {
  readonly type: CcdaExportType;
  readonly compositionId: string;
  readonly at: string;
  readonly patient: Patient & { id: string };
  readonly author: (Practitioner & { id: string }) | undefined;
  readonly custodian: (Organization & { id: string }) | undefined;
  readonly practitioners: readonly (Practitioner & { id: string })[];
  readonly allergies: readonly Resource[];
  readonly conditions: readonly Condition[];
  /** The reconciled home list (active statements), else the active prescriptions. */
  readonly medicationStatements: readonly MedicationStatement[];
  readonly medicationRequests: readonly MedicationRequest[];
  readonly results: readonly Observation[];
  readonly vitalSigns: readonly Observation[];
  readonly careTeams: readonly CareTeam[];
  readonly carePlans: readonly CarePlan[];
  readonly goals: readonly Goal[];
  readonly immunizations: readonly Immunization[];
  readonly procedures: readonly Procedure[];
  readonly appointments: readonly Appointment[];
  /** The referral this document goes with (transition): its reason is the Reason for Referral. */
  readonly referral: (ServiceRequest & { id: string }) | undefined;
}

const LOINC = 'http://loinc.org';
const isHealthConcern = (c: Condition) =>
  (c.category ?? []).some((cat) => cat.coding?.some((x) => x.code === 'health-concern'));

/**
 * The writer knows MedicationRequest only: a statement of the reconciled list is written as the
 * medication it says the patient takes (intent plan, its dosage and period), in the document only.
 */
function asMedicationRequest(s: MedicationStatement): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: s.id,
    status: s.status === 'active' ? 'active' : s.status === 'stopped' ? 'stopped' : 'completed',
    intent: 'plan',
    ...(s.medicationCodeableConcept ? { medicationCodeableConcept: s.medicationCodeableConcept } : {}),
    ...(s.medicationReference ? { medicationReference: s.medicationReference } : {}),
    subject: s.subject,
    ...(s.dosage ? { dosageInstruction: s.dosage } : {}),
    ...(s.effectivePeriod ? { dispenseRequest: { validityPeriod: s.effectivePeriod } } : {}),
  };
}

/** A follow-up appointment as the planned encounter of the plan of treatment (the writer has no Appointment). */
function asPlannedVisit(a: Appointment, patient: string): ServiceRequest {
  const with_ = (a.participant ?? [])
    .map((p) => p.actor?.display)
    .filter(Boolean)
    .join(', ');
  return {
    resourceType: 'ServiceRequest',
    id: a.id,
    status: 'active',
    intent: 'order',
    code: {
      ...(a.serviceType?.[0]?.coding ? { coding: a.serviceType[0].coding } : {}),
      text: `Follow-up appointment${a.description ? `: ${a.description}` : ''}${with_ ? ` with ${with_}` : ''}`,
    },
    subject: { reference: patient },
    ...(a.start ? { occurrenceDateTime: a.start } : {}),
  };
}

const refs = (resources: readonly Resource[]) => resources.map((r) => ({ reference: `${r.resourceType}/${r.id}` }));

function section(code: string, display: string, title: string, entries: readonly Resource[]): CompositionSection {
  return {
    title,
    code: { coding: [{ system: LOINC, code, display }] },
    text: {
      status: 'generated',
      div: `<div xmlns="http://www.w3.org/1999/xhtml">${entries.length === 0 ? 'None recorded' : `${entries.length} entries`}</div>`,
    },
    entry: refs(entries),
  };
}

export function buildCcdaBundle(input: CcdaExportInput): Bundle {
  const patientRef = `Patient/${input.patient.id}`;
  const medications =
    input.medicationStatements.length > 0
      ? input.medicationStatements.map(asMedicationRequest)
      : input.medicationRequests;
  const visits = input.appointments.map((a) => asPlannedVisit(a, patientRef));
  const problems = input.conditions.filter((c) => !isHealthConcern(c));
  const concerns = input.conditions.filter(isHealthConcern);
  const sections: CompositionSection[] = [
    section('48765-2', 'Allergies and adverse reactions', 'Allergies', input.allergies),
    section('10160-0', 'History of medication use', 'Medications', medications),
    section('11450-4', 'Problem list', 'Problems', problems),
    section('75310-3', 'Health concerns', 'Health concerns', concerns),
    section('61146-7', 'Goals', 'Goals', input.goals),
    section('18776-5', 'Plan of care', 'Plan of treatment', [...input.carePlans, ...visits]),
    section('30954-2', 'Relevant diagnostic tests/laboratory data', 'Results', input.results),
    section('8716-3', 'Vital signs', 'Vital signs', input.vitalSigns),
    section('11369-6', 'History of immunizations', 'Immunizations', input.immunizations),
    section('47519-4', 'History of procedures', 'Procedures', input.procedures),
    section('85847-2', 'Patient care team information', 'Care team', input.careTeams),
  ];
  // The writer takes the Reason for Referral section's words from the referral's first note.
  const reason = input.referral
    ? [
        input.referral.code?.text ?? input.referral.code?.coding?.[0]?.display ?? 'Referral',
        ...(input.referral.note ?? []).map((n) => n.text),
      ]
        .filter(Boolean)
        .join('. ')
    : undefined;
  const referral =
    input.type === 'transition' && input.referral && reason
      ? { ...input.referral, note: [{ text: reason }] }
      : undefined;
  if (referral)
    sections.unshift({
      ...section('42349-1', 'Reason for referral', 'Reason for referral', [referral]),
      text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${escapeXml(reason ?? '')}</div>` },
    });
  const composition: Composition = {
    resourceType: 'Composition',
    id: input.compositionId,
    status: 'final',
    type: {
      coding: [
        input.type === 'transition'
          ? { system: LOINC, code: '57133-1', display: 'Referral note' }
          : { system: LOINC, code: '34133-9', display: 'Summarization of episode note' },
      ],
    },
    subject: { reference: patientRef },
    date: input.at,
    title: input.type === 'transition' ? 'Transition of care summary' : 'Continuity of Care Document',
    author: input.author ? [{ reference: `Practitioner/${input.author.id}` }] : [{ display: 'Careloop' }],
    ...(input.custodian ? { custodian: { reference: `Organization/${input.custodian.id}` } } : {}),
    section: sections,
  };
  const resources: Resource[] = [
    composition,
    input.patient,
    ...(input.author ? [input.author] : []),
    ...(input.custodian ? [input.custodian] : []),
    ...input.practitioners.filter((p) => p.id !== input.author?.id),
    ...input.allergies,
    ...medications,
    ...input.conditions,
    ...input.goals,
    ...input.carePlans,
    ...visits,
    ...input.results,
    ...input.vitalSigns,
    ...input.immunizations,
    ...input.procedures,
    ...input.careTeams,
    ...(referral ? [referral] : []),
  ];
  return {
    resourceType: 'Bundle',
    type: 'document',
    timestamp: input.at,
    entry: resources.map((resource) => ({ resource })),
  };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
