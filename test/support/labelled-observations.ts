// A patient's record grown straight through the store, for the access-cost test and bench: weight
// Observations `from` .. `to` - 1, half of them labelled psychotherapy (v3-ActCode PSY), so that
// both the compartment check and the hidden-label check meet a large record. Analyzed afterwards,
// as the database's own maintenance would.
import type { Resource } from '@medplum/fhirtypes';
import { prepareVersion } from '../../src/store/repository/prepare-version.js';
import type { Store } from '../../src/store/store.js';

export async function writeLabelledObservations(
  store: Store,
  patient: string,
  range: { readonly from: number; readonly to: number; readonly idPrefix: string },
): Promise<void> {
  const now = Date.now();
  for (let start = range.from; start < range.to; start += 2000) {
    await store.writeGroups(
      Array.from({ length: Math.min(2000, range.to - start) }, (_, k) => {
        const i = start + k;
        const observation = {
          resourceType: 'Observation',
          status: 'final',
          ...(i % 2
            ? { meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'PSY' }] } }
            : {}),
          code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] },
          subject: { reference: `Patient/${patient}` },
          effectiveDateTime: new Date(now - i * 60_000).toISOString(),
          valueQuantity: { value: 60 + (i % 30), unit: 'kg' },
        } as Resource;
        return [prepareVersion(observation, `${range.idPrefix}-${i}`, 1, now).write];
      }),
    );
  }
  await store.analyze();
}
