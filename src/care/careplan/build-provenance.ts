// The Provenance of a contribution to a patient's plan: who made it, in which role, when, and which
// version it produced (FHIR R4 Provenance; agent type "author" from the provenance-participant-type
// code system, the role as the care team role the user acted in).
import type { Provenance } from '@medplum/fhirtypes';
import type { WriteEvent } from '../../store/care-api.js';

/**
 * What a coordinator, physician, pharmacist or patient contributes to the shared plan, the Lists
 * they keep (a medication reconciliation's every decision and its completion), and Consents (who
 * recorded a patient's consent, from their form or in the portal).
 */
export const PLAN_TYPES: readonly string[] = ['CarePlan', 'Goal', 'CareTeam', 'ServiceRequest', 'List', 'Consent'];

const ACTIVITY: Record<WriteEvent['interaction'], { code: string; display: string }> = {
  create: { code: 'CREATE', display: 'create' },
  update: { code: 'UPDATE', display: 'revise' },
  patch: { code: 'UPDATE', display: 'revise' },
  delete: { code: 'DELETE', display: 'delete' },
};

export function buildProvenance(event: WriteEvent, now: string): Provenance | undefined {
  if (!event.agent || !PLAN_TYPES.includes(event.resourceType)) return undefined;
  const version = event.resource?.meta?.versionId;
  const activity = ACTIVITY[event.interaction];
  return {
    resourceType: 'Provenance',
    target: [{ reference: `${event.resourceType}/${event.id}${version ? `/_history/${version}` : ''}` }],
    recorded: now,
    activity: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', ...activity }],
    },
    agent: [
      {
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
              code: 'author',
              display: 'Author',
            },
          ],
        },
        role: [{ text: event.agent.role }],
        who: { ...(event.agent.who ? { reference: event.agent.who } : {}), display: event.agent.name },
      },
    ],
  };
}
