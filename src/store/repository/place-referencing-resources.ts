// Resources of types outside the Patient CompartmentDefinition that name a patient (a Device's
// `patient`, a Binary's `securityContext`, ...) belong to that patient's record for access (issue 14).
// Versions written before that rule sit outside every compartment, where any staff member could
// read them. This pass, run once per database at start, gives each such resource a new version
// placed in its patients' compartments, with an audit entry, through the same preparation as any
// write (`prepareVersion`, `withSecurityContext`).
import type { Resource } from '@medplum/fhirtypes';
import { patientCompartmentParams } from '../../fhir/compartment/patient-compartment.js';
import { getTypeModel } from '../../fhir/definitions/r4-definitions.js';
import type { Store } from '../store.js';
import { withSecurityContext } from './binary-security-context.js';
import { prepareVersion } from './prepare-version.js';

/** The setting that records the pass as done (its value: when, and how many were placed). */
export const PLACEMENT_SETTING = 'compartments.referencing-types';

/** Types whose compartments come from the patients they reference, not from the CompartmentDefinition. */
export function referencingTypes(): string[] {
  return getTypeModel().resourceTypes.filter((t) => t !== 'Patient' && patientCompartmentParams(t).length === 0);
}

/**
 * Places every current resource of those types that names a patient but is in no compartment, once
 * per database (the setting records the pass). Returns how many were placed. Several servers starting
 * together must run it under `store.exclusive`.
 */
export async function placeReferencingResources(store: Store, now: () => number): Promise<number> {
  if (await store.accounts.getSetting(PLACEMENT_SETTING)) return 0;
  const placed = await placeUnplacedResources(store, now, referencingTypes());
  await store.accounts.setSetting(PLACEMENT_SETTING, JSON.stringify({ at: new Date(now()).toISOString(), placed }));
  return placed;
}

/**
 * The pass itself, for the given types: also what `careloop import` runs for Binary, whose security
 * context may be another resource of the same import (the bulk path prepares each resource alone).
 */
export async function placeUnplacedResources(
  store: Store,
  now: () => number,
  types: readonly string[],
): Promise<number> {
  let placed = 0;
  for (const resourceType of types) {
    for await (const stored of store.scan({ resourceType })) {
      if (stored.patient || !stored.json) continue;
      placed += await placeOne(store, resourceType, stored.id, stored.versionId, now);
    }
  }
  return placed;
}

async function placeOne(
  store: Store,
  resourceType: string,
  id: string,
  versionId: number,
  now: () => number,
): Promise<number> {
  return store.transaction(async (tx) => {
    // Re-read in the transaction: a request may have written a newer (and already placed) version.
    const current = await tx.readCurrent(resourceType, id);
    if (!current?.json || current.versionId !== versionId || current.patient) return 0;
    let prepared: Awaited<ReturnType<typeof withSecurityContext>>;
    try {
      prepared = await withSecurityContext(
        tx,
        prepareVersion(JSON.parse(current.json) as Resource, id, versionId + 1, now()),
      );
    } catch {
      // A version an earlier release accepted that no longer validates, or a Binary whose security
      // context is gone: left as it is (it is rewritten, and placed, at its next update).
      return 0;
    }
    const patients = prepared.write.compartments;
    if (patients.length === 0) return 0;
    await tx.write(prepared.write);
    await tx.appendAudit([
      {
        recorded: now(),
        kind: 'admin',
        action: 'U',
        status: 200,
        username: 'careloop',
        role: 'system',
        entity: `${resourceType}/${id}`,
        patients,
        detail: "Placed in its patients' record: versions written by an earlier release were outside it",
      },
    ]);
    return 1;
  });
}
