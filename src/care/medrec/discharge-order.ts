// How a discharge order is told apart from the other prescriptions of a record: the R4
// MedicationRequest category `discharge` (terminology.hl7.org/CodeSystem/medicationrequest-category).
// The reconciliation reads it (medrec-service.ts); the hospital's discharge summary and the demo
// write it.
import type { CodeableConcept } from '@medplum/fhirtypes';

export const DISCHARGE_ORDER_CATEGORY: CodeableConcept = {
  coding: [
    {
      system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
      code: 'discharge',
      display: 'Discharge',
    },
  ],
};
