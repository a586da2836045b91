// An A40 (merge patient — patient identifier list, HL7 v2.5.1 §3.3.40) as FHIR writes: the patient
// named in MRG-1 (the retired record) is merged into the patient of PID (the survivor). Following the
// FHIR Patient $merge semantics (R5 Patient-merge, the same in the R4 patient-link model): every
// resource of the retired record is moved to the survivor (its Patient references rewritten), the
// survivor takes the retired identifiers as `old` ones and links `replaces`, and the retired Patient
// stays, inactive, with no identifiers and a `replaced-by` link — so a later message with an old
// identifier finds the survivor alone, and the retired id still resolves for whoever held it.
import type { Bundle, Identifier, Patient, Resource } from '@medplum/fhirtypes';
import { toIdentifier } from './adt-to-fhir.js';
import type { AdtEvent } from './read-adt.js';

export type MergePlan =
  | { readonly kind: 'apply'; readonly bundle: Bundle; readonly patientId: string; readonly moved: number }
  | { readonly kind: 'refuse'; readonly reason: string };

/** A copy of a resource with every reference to one patient pointing at another instead. */
export function movePatientReferences<T>(resource: T, from: string, to: string): T {
  const was = `Patient/${from}`;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        k === 'reference' && typeof v === 'string' && (v === was || v.startsWith(`${was}/_history/`))
          ? `Patient/${to}`
          : walk(v),
      ]),
    );
  };
  return walk(resource) as T;
}

const tokenOf = (i: Identifier) => `${i.system}|${i.value}`;

/**
 * The merge's writes. `survivor` holds PID's identifiers, `retired` MRG-1's (either may be unknown to
 * Careloop); `records` are the resources of the retired patient's record.
 */
export function planMerge(
  adt: AdtEvent,
  survivor: Patient | undefined,
  retired: Patient | undefined,
  records: readonly Resource[],
): MergePlan {
  if (survivor && retired && survivor.id === retired.id)
    return { kind: 'refuse', reason: 'PID and MRG name the same patient: nothing to merge' };
  // Neither known, or only the survivor: the identifiers are all Careloop needs to learn.
  const target = survivor ?? retired;
  if (!target?.id) return { kind: 'refuse', reason: 'Neither patient of the merge is known to Careloop' };
  const fromMessage = [...adt.patient.identifiers, ...adt.mergedIdentifiers].map((i) =>
    toIdentifier(i, adt.sendingFacility),
  );
  const retiredIds = (retired && survivor ? (retired.identifier ?? []) : []).map((i) => ({
    ...i,
    use: 'old' as const,
  }));
  const known = new Set((target.identifier ?? []).map(tokenOf));
  const added: Identifier[] = [];
  for (const i of [...retiredIds, ...fromMessage]) {
    if (known.has(tokenOf(i))) continue;
    known.add(tokenOf(i));
    added.push(i);
  }
  const merged: Patient = {
    ...target,
    identifier: [...(target.identifier ?? []), ...added],
    ...(retired && survivor
      ? { link: [...(target.link ?? []), { other: { reference: `Patient/${retired.id}` }, type: 'replaces' }] }
      : {}),
  };
  const entries: NonNullable<Bundle['entry']> = [
    { resource: merged, request: { method: 'PUT', url: `Patient/${target.id}` } },
  ];
  let moved = 0;
  if (retired?.id && survivor?.id) {
    const retiredNow: Patient = { ...retired };
    delete retiredNow.identifier;
    entries.push({
      resource: {
        ...retiredNow,
        active: false,
        link: [...(retired.link ?? []), { other: { reference: `Patient/${survivor.id}` }, type: 'replaced-by' }],
      },
      request: { method: 'PUT', url: `Patient/${retired.id}` },
    });
    for (const r of records) {
      if (r.resourceType === 'Patient' || !r.id) continue;
      entries.push({
        resource: movePatientReferences(r, retired.id, survivor.id),
        request: { method: 'PUT', url: `${r.resourceType}/${r.id}` },
      });
      moved++;
    }
  }
  return {
    kind: 'apply',
    bundle: { resourceType: 'Bundle', type: 'transaction', entry: entries },
    patientId: target.id,
    moved,
  };
}
