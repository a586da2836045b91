// R4 Binary.securityContext: a Binary that names another resource as its security context is
// governed by that resource's access, so it is placed in the patient compartments that resource is in.
import type { Resource } from '@medplum/fhirtypes';
import { patientCompartmentsOf } from '../../fhir/compartment/patient-compartment.js';
import { getTypeModel } from '../../fhir/definitions/r4-definitions.js';
import { OutcomeError } from '../../fhir/outcome.js';
import { extractIndex } from '../../fhir/search/extract-index.js';
import type { StoreWriter } from '../store.js';
import type { PreparedVersion } from './prepare-version.js';

/**
 * A Binary whose securityContext is another resource (a DocumentReference, say) is governed by that
 * resource's access (R4 Binary.securityContext): it joins the record that resource is in.
 */
export async function withSecurityContext(tx: StoreWriter, prepared: PreparedVersion): Promise<PreparedVersion> {
  const context = (prepared.resource as { securityContext?: { reference?: string } }).securityContext?.reference;
  if (prepared.resource.resourceType !== 'Binary' || !context || context.startsWith('Patient/')) return prepared;
  const [type = '', id = ''] = context.split('/');
  const target = getTypeModel().isResourceType(type) && id ? await tx.readCurrent(type, id) : undefined;
  if (!target?.json) {
    throw new OutcomeError('processing', `Binary.securityContext names ${context}, which does not exist`, {
      status: 422,
      expression: ['Binary.securityContext'],
    });
  }
  const governing = JSON.parse(target.json) as Resource;
  const compartments = patientCompartmentsOf(governing, extractIndex(governing));
  return { ...prepared, write: { ...prepared.write, compartments } };
}
