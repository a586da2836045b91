// A C-CDA document as one FHIR transaction: the document kept whole (a Binary with the XML, and a
// DocumentReference that describes it and carries its sections' narratives in plain words), and the
// resources of its sections (problems, allergies, medications, encounters, results, vital signs,
// procedures, immunizations, goals, the plan of treatment, the people around the patient) written to
// the patient's record, each traced to the document by one Provenance (entity role `source`).
// The document's authors and organizations stay names (a reference keeps its display): every
// document would otherwise add its own copies of them to the directory. An Encounter from a
// document is history, not a live event: it is tagged so the transition engine leaves it alone.
// A Discharge Summary's discharge medications go to the patient's open transition episode, and
// its medication reconciliation task is made ready.
import type {
  Bundle,
  DocumentReference,
  Encounter,
  MedicationRequest,
  Patient,
  Provenance,
  Reference,
  Resource,
  Task,
} from '@medplum/fhirtypes';
import type { CcdaDocument } from './ccda-codec.js';
import { FROM_DOCUMENT_TAG } from './document-tag.js';

/** The resource types a document's sections become; the rest (its header's people and places) are not kept. */
export const KEPT_TYPES: ReadonlySet<string> = new Set([
  'AllergyIntolerance',
  'CarePlan',
  'CareTeam',
  'ClinicalImpression',
  'Condition',
  'DeviceUseStatement',
  'DiagnosticReport',
  'Encounter',
  'Goal',
  'Immunization',
  'MedicationRequest',
  'MedicationStatement',
  'Observation',
  'Procedure',
  'RelatedPerson',
  'ServiceRequest',
]);

export const DISCHARGE_SUMMARY = '18842-5';
/** Narratives shown on the episode page (LOINC section codes): hospital course, discharge instructions. */
export const EPISODE_NARRATIVES: readonly string[] = ['8648-8', '8653-8'];

export interface OpenEpisode {
  readonly id: string;
  /** The stay the episode came from (Encounter/x). */
  readonly stay: string | undefined;
  /** Its medication reconciliation task, when the discharge made one and it is still open. */
  readonly reconciliationTask: (Task & { id: string }) | undefined;
}

export interface CcdaImportInput {
  readonly document: CcdaDocument;
  readonly xml: string;
  /** The known patient it is about (matched or linked); absent: it registers the document's patient. */
  readonly patient: Patient | undefined;
  readonly patientId: string;
  /** A stable id for each of the document's resources (the same document gives the same ids). */
  readonly idFor: (key: string) => string;
  readonly at: string;
  readonly episode: OpenEpisode | undefined;
  /** The organization that manages a patient the document registers (its coordinators' panel). */
  readonly feedOrganization?: string | undefined;
  /** Resources the server found invalid (by `Type/originalId`): left out, the rest goes in. */
  readonly invalid?: ReadonlySet<string>;
}

export interface CcdaImportPlan {
  readonly bundle: Bundle;
  readonly documentReference: string;
  /** How many resources of each type the document gave. */
  readonly counts: Readonly<Record<string, number>>;
}

const refOf = (r: { resourceType: string; id?: string }) => `${r.resourceType}/${r.id}`;

/** Every reference rewritten: to the patient, to the resources kept (new ids), else only its display. */
function relink<T>(value: T, ids: ReadonlyMap<string, string>, patient: string, documentPatient: string): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (typeof o.reference === 'string') {
      const ref = o.reference;
      const target = ref === documentPatient ? patient : ids.get(ref);
      if (target) return { ...o, reference: target };
      const { reference: _dropped, ...rest } = o as Reference & Record<string, unknown>;
      return { ...rest, display: (rest.display as string | undefined) ?? `${ref.split('/')[0]} named in the document` };
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
  };
  return walk(value) as T;
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export function planCcdaImport(input: CcdaImportInput): CcdaImportPlan {
  const { document: doc, patientId, idFor, at } = input;
  const patientRef = `Patient/${patientId}`;
  const documentPatient = refOf(doc.patient);
  const sources = (doc.bundle.entry ?? [])
    .flatMap((e) => (e.resource ? [e.resource] : []))
    .filter((r) => KEPT_TYPES.has(r.resourceType) && r.id && !input.invalid?.has(refOf(r)));
  const discharge = input.document.type?.coding?.some((c) => c.code === DISCHARGE_SUMMARY)
    ? doc.dischargeMedications
    : [];
  const ids = new Map<string, string>();
  for (const r of [...sources, ...discharge]) ids.set(refOf(r), `${r.resourceType}/${idFor(refOf(r))}`);
  const entries: NonNullable<Bundle['entry']> = [];
  const put = (resource: Resource & { id: string }) =>
    entries.push({ resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } });

  if (!input.patient) {
    // Registered from the document: who it says the patient is, under the id chosen for them.
    const { id: _documentId, ...rest } = doc.patient;
    put({
      ...rest,
      id: patientId,
      active: true,
      ...(input.feedOrganization ? { managingOrganization: { reference: input.feedOrganization } } : {}),
    } as Patient & { id: string });
  } else {
    const known = new Set((input.patient.identifier ?? []).map((i) => `${i.system}|${i.value}`));
    const added = (doc.patient.identifier ?? []).filter((i) => !known.has(`${i.system}|${i.value}`));
    if (added.length > 0)
      put({ ...input.patient, id: patientId, identifier: [...(input.patient.identifier ?? []), ...added] });
  }

  const counts: Record<string, number> = {};
  const written: string[] = [];
  for (const source of [...sources, ...discharge]) {
    const id = (ids.get(refOf(source)) ?? '').split('/')[1] ?? '';
    let resource = { ...relink(source, ids, patientRef, documentPatient), id } as Resource & { id: string };
    if (resource.resourceType === 'Encounter')
      resource = {
        ...resource,
        meta: { ...resource.meta, tag: [...(resource.meta?.tag ?? []), FROM_DOCUMENT_TAG] },
      } as Encounter & {
        id: string;
      };
    if (
      resource.resourceType === 'MedicationRequest' &&
      discharge.includes(source as MedicationRequest) &&
      input.episode?.stay
    )
      resource = {
        ...(resource as MedicationRequest),
        encounter: { reference: input.episode.stay },
      } as MedicationRequest & {
        id: string;
      };
    put(resource);
    written.push(`${resource.resourceType}/${id}`);
    counts[resource.resourceType] = (counts[resource.resourceType] ?? 0) + 1;
  }

  const binaryId = idFor('Binary');
  put({
    resourceType: 'Binary',
    id: binaryId,
    contentType: 'application/cda+xml',
    securityContext: { reference: patientRef },
    data: base64(input.xml),
  } as Resource & { id: string });
  const documentReferenceId = idFor('DocumentReference');
  const narratives = doc.narratives.filter((n) => EPISODE_NARRATIVES.includes(n.code));
  const documentReference: DocumentReference & { id: string } = {
    resourceType: 'DocumentReference',
    id: documentReferenceId,
    masterIdentifier: {
      system: `urn:oid:${doc.rootId.root}`,
      value: doc.rootId.extension ?? doc.rootId.root,
    },
    status: 'current',
    docStatus: 'final',
    ...(doc.type ? { type: doc.type } : {}),
    category: [
      {
        coding: [
          {
            system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
            code: 'clinical-note',
          },
        ],
      },
    ],
    subject: { reference: patientRef },
    date: at,
    ...(doc.author ? { author: [{ display: doc.author }] } : {}),
    ...(doc.custodian ? { custodian: { display: doc.custodian } } : {}),
    ...(doc.title ? { description: doc.title } : {}),
    content: [
      {
        attachment: {
          contentType: 'application/cda+xml',
          url: `Binary/${binaryId}`,
          title: doc.title ?? 'C-CDA document',
        },
        format: {
          system: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode',
          code: 'urn:hl7-org:sdwg:ccda-structuredBody:2.1',
        },
      },
      // The sections a care team reads first, in plain words (shown on the episode page).
      ...narratives.map((n) => ({ attachment: { contentType: 'text/plain', title: n.title, data: base64(n.text) } })),
    ],
    ...(doc.effective || input.episode
      ? {
          context: {
            ...(input.episode?.stay ? { encounter: [{ reference: input.episode.stay }] } : {}),
            ...(doc.effective ? { period: { start: doc.effective } } : {}),
            ...(input.episode ? { related: [{ reference: `EpisodeOfCare/${input.episode.id}` }] } : {}),
          },
        }
      : {}),
  };
  put(documentReference);
  if (written.length > 0)
    put({
      resourceType: 'Provenance',
      id: idFor('Provenance'),
      target: written.map((reference) => ({ reference })),
      recorded: at,
      activity: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'CREATE' }],
        text: 'Imported from a C-CDA document',
      },
      agent: [{ who: { display: doc.custodian ?? doc.author ?? 'The sender of the document' } }],
      entity: [{ role: 'source', what: { reference: `DocumentReference/${documentReferenceId}` } }],
    } as Provenance & { id: string });

  // The discharge list has arrived: the reconciliation can start (the task is ready, and says why).
  const task = input.episode?.reconciliationTask;
  if (discharge.length > 0 && task && task.status === 'requested')
    put({
      ...task,
      status: 'ready',
      note: [
        ...(task.note ?? []),
        { time: at, text: `Discharge medications received in the discharge summary (${discharge.length})` },
      ],
    });
  return {
    bundle: { resourceType: 'Bundle', type: 'transaction', entry: entries },
    documentReference: `DocumentReference/${documentReferenceId}`,
    counts,
  };
}
