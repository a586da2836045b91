// The pharmacist's decisions on Harold's demo reconciliation (the items that block completion), and
// the Parameters of List/$record-decision: one copy for the API test and the golden recording.
import type { Parameters } from '@medplum/fhirtypes';

/** item → [action, reason, until]; any other blocking item is continued after review. */
export const HAROLD_DECISIONS: Readonly<Record<string, readonly [string, string, string?]>> = {
  simvastatin: ['hold', 'clarithromycin raises the simvastatin level', 'the clarithromycin course ends'],
  clarithromycin: ['new', 'Pneumonia, 7-day course'],
  lisinopril: ['stop', 'Now in the combination tablet with hydrochlorothiazide'],
  'hydrochlorothiazide+lisinopril': ['new', 'Started at discharge for blood pressure'],
};

export const decisionFor = (item: string): readonly [string, string, string?] =>
  HAROLD_DECISIONS[item] ?? ['continue', 'Reviewed with the cardiologist'];

export const decisionParameters = (
  item: string,
  action: string,
  reason: string,
  dose?: string,
  until?: string,
): Parameters => ({
  resourceType: 'Parameters',
  parameter: [
    { name: 'item', valueString: item },
    { name: 'action', valueCode: action },
    ...(reason ? [{ name: 'reason', valueString: reason }] : []),
    ...(dose ? [{ name: 'dose', valueString: dose }] : []),
    ...(until ? [{ name: 'until', valueString: until }] : []),
  ],
});
