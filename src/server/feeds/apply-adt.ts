// One ADT event applied to the record as one FHIR transaction with system access (the repository's
// hooks run: the transition engine reads the Encounter). Without a coordinator's decision a doubtful
// patient or a merge is held for the feed review; with one (feed-review.ts) the doubt is settled.
import type { Patient, Resource } from '@medplum/fhirtypes';
import type { Hl7Problem } from '../../care/feeds/hl7v2/hl7-message.js';
import { mergedTokens, patientTokens, planAdt } from '../../care/feeds/hl7v2/plan-adt.js';
import { planMerge } from '../../care/feeds/hl7v2/plan-merge.js';
import type { AdtEvent } from '../../care/feeds/hl7v2/read-adt.js';
import { parseSearchRequest } from '../../fhir/search/parse-search-request.js';
import { newResourceId } from '../../store/ids/new-resource-id.js';
import { readEveryPage } from '../../store/read-every-page.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { StoreWriter } from '../../store/store.js';
import { lookUpAdt, patientsWithIdentifiers } from './adt-lookup.js';

/** A coordinator's decision on a held message: whose it is, a new patient's, or the merge confirmed. */
export type FeedDecision =
  | { readonly action: 'link'; readonly patient: Patient }
  | { readonly action: 'create' }
  | { readonly action: 'merge' };

export type AdtApplied =
  | { readonly kind: 'applied'; readonly patientIds: readonly string[] }
  | { readonly kind: 'review'; readonly reason: string }
  | { readonly kind: 'refused'; readonly problem: Hl7Problem };

export interface ApplyDeps {
  readonly repository: FhirRepository;
  readonly baseUrl: string;
  /** The organization that manages the patients a feed registers (CARELOOP_FEED_ORGANIZATION). */
  readonly feedOrganization?: string | undefined;
}

const refused = (segment: string, field: number | undefined, code: Hl7Problem['code'], text: string): AdtApplied => ({
  kind: 'refused',
  problem: { segment, field, code, text },
});

/** Every resource of a patient's record (its compartment, and what names the patient elsewhere). */
async function recordOf(repository: FhirRepository, patientId: string): Promise<Resource[]> {
  const out: Resource[] = [];
  for (const type of Object.keys(await repository.store.countByType())) {
    if (type === 'Patient') continue;
    const { request } = parseSearchRequest(type, []);
    const rows = await readEveryPage(repository, {
      ...request,
      filters: [...request.filters, { kind: 'compartment', patientIds: [patientId] }],
    });
    for (const r of rows) if (r.json) out.push(JSON.parse(r.json) as Resource);
  }
  return out;
}

/** Work done in the applying transaction (the feed log's record and the audit entry of it). */
export type WithinApply = (tx: StoreWriter, patientIds: readonly string[]) => Promise<void>;

async function applyMerge(deps: ApplyDeps, adt: AdtEvent, within?: WithinApply): Promise<AdtApplied> {
  const survivors = await patientsWithIdentifiers(deps.repository, patientTokens(adt));
  const retireds = await patientsWithIdentifiers(deps.repository, mergedTokens(adt));
  if (survivors.length > 1 || retireds.length > 1)
    return refused('PID', 3, '207', 'The identifiers of the merge belong to several patients in Careloop');
  const [survivor] = survivors;
  const [retired] = retireds;
  const records = survivor && retired?.id ? await recordOf(deps.repository, retired.id) : [];
  const plan = planMerge(adt, survivor, retired, records);
  if (plan.kind === 'refuse') return refused('MRG', 1, '207', plan.reason);
  const patientIds = [survivor?.id, retired?.id].filter((id): id is string => Boolean(id));
  await deps.repository.processBundle(
    plan.bundle,
    deps.baseUrl,
    within ? { within: (tx) => within(tx, patientIds) } : {},
  );
  return { kind: 'applied', patientIds };
}

export async function applyAdt(
  deps: ApplyDeps,
  adt: AdtEvent,
  decision?: FeedDecision,
  within?: WithinApply,
): Promise<AdtApplied> {
  if (adt.event === 'A40') {
    if (decision?.action !== 'merge')
      return { kind: 'review', reason: 'A patient merge (A40) is applied by a coordinator from the feed review' };
    return applyMerge(deps, adt, within);
  }
  const resolution =
    decision?.action === 'link'
      ? { link: decision.patient }
      : decision?.action === 'create'
        ? { create: true as const }
        : undefined;
  const plan = planAdt(adt, await lookUpAdt(deps.repository, adt), newResourceId, resolution, deps.feedOrganization);
  if (plan.kind === 'refuse') return refused(plan.segment, plan.field, '101', plan.reason);
  if (plan.kind === 'review') return { kind: 'review', reason: plan.reason };
  await deps.repository.processBundle(
    plan.bundle,
    deps.baseUrl,
    within ? { within: (tx) => within(tx, [plan.patientId]) } : {},
  );
  return { kind: 'applied', patientIds: [plan.patientId] };
}
