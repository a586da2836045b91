// The category of every reminder Careloop sends (worklist and appointment reminders): a message
// like any other, told apart by its category (FHIR communication-category "reminder").
import type { CodeableConcept } from '@medplum/fhirtypes';

export const REMINDER_CATEGORY: CodeableConcept = {
  coding: [
    {
      system: 'http://terminology.hl7.org/CodeSystem/communication-category',
      code: 'reminder',
      display: 'Reminder',
    },
  ],
};
