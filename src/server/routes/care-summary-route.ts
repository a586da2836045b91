// Patient/{id}/$care-summary: everything a team member needs on opening a patient, in one call
// (src/care/careplan/assemble-care-summary.ts), read with the requester's own access.
import type { Resource } from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import { TOTAL_CODES } from '../../care/assessment/needs-profile.js';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { assembleCareSummary } from '../../care/careplan/assemble-care-summary.js';
import { OPEN_TASK_STATUSES } from '../../care/worklist/order-worklist.js';
import { readByIds, searchEvery } from '../../store/read-every-page.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import { baseUrlOf, FHIR_JSON } from '../http/fhir-reply.js';
import { loadNeedsProfile } from './needs-route.js';

/**
 * Every match of a section's search (no cap: a summary that silently drops the 21st care team or the
 * 201st result is wrong), with the resources named by `follow` (the team's members, the plan's
 * goals) read by id under the same access.
 */
async function all(
  fhir: FhirRepository,
  type: string,
  query: [string, string][],
  follow?: (r: Resource) => (string | undefined)[],
): Promise<Resource[]> {
  const matches = await searchEvery<Resource>(fhir, type, query);
  if (!follow) return matches;
  const byType = new Map<string, string[]>();
  for (const ref of matches.flatMap(follow)) {
    const [t, refId] = ref?.split('/') ?? [];
    if (t && refId) byType.set(t, [...(byType.get(t) ?? []), refId]);
  }
  const followed = await Promise.all([...byType].map(([t, ids]) => readByIds<Resource>(fhir, t, ids)));
  return [...matches, ...followed.flat()];
}

/** The latest Observation of each instrument's total. */
function latestPerCode(observations: readonly Resource[]): Resource[] {
  const seen = new Set<string>();
  return observations.filter((o) => {
    const code = o.resourceType === 'Observation' ? (o.code.coding?.[0]?.code ?? '') : '';
    if (seen.has(code)) return false;
    seen.add(code);
    return true;
  });
}

export function registerCareSummaryRoute(
  app: FastifyInstance,
  deps: { baseUrl?: string | undefined; clock: ClinicClock },
): void {
  app.get<{ Params: { id: string } }>('/fhir/Patient/:id/$care-summary', async (req, reply) => {
    const id = req.params.id;
    const patient = JSON.parse((await req.fhir.read('Patient', id)).json as string) as Resource;
    const p = (more: [string, string][]): [string, string][] => [['patient', id], ...more];
    const codes = Object.values(TOTAL_CODES)
      .map((c) => `${c.system}|${c.code}`)
      .join(',');
    const today = deps.clock.today();
    const [teams, plans, concerns, requests, statements, tasks, referrals, appointments, assessments, episodes, needs] =
      await Promise.all([
        all(req.fhir, 'CareTeam', p([['status', 'active']]), (r) =>
          r.resourceType === 'CareTeam' ? (r.participant ?? []).map((x) => x.member?.reference) : [],
        ),
        all(req.fhir, 'CarePlan', p([['status', 'active']]), (r) =>
          r.resourceType === 'CarePlan' ? (r.goal ?? []).map((g) => g.reference) : [],
        ),
        all(
          req.fhir,
          'Condition',
          p([
            ['category', 'health-concern'],
            ['clinical-status', 'active'],
          ]),
        ),
        all(req.fhir, 'MedicationRequest', p([['status', 'active']])),
        all(req.fhir, 'MedicationStatement', p([['status', 'active']])),
        all(req.fhir, 'Task', p([['status', OPEN_TASK_STATUSES.join(',')]])),
        all(req.fhir, 'ServiceRequest', p([['status', 'draft,active,on-hold']])),
        all(
          req.fhir,
          'Appointment',
          p([
            ['date', `ge${today}`],
            ['status', 'proposed,pending,booked,arrived,checked-in,waitlist'],
            ['_sort', 'date'],
          ]),
        ),
        all(
          req.fhir,
          'Observation',
          p([
            ['code', codes],
            ['_sort', '-date'],
          ]),
        ),
        all(req.fhir, 'EpisodeOfCare', p([['status', 'active']])),
        loadNeedsProfile(req.fhir, id, deps.clock),
      ]);
    const bundle = assembleCareSummary({
      patient,
      sections: {
        careTeam: teams.filter((r) => r.resourceType === 'CareTeam'),
        members: teams.filter((r) => r.resourceType !== 'CareTeam'),
        carePlan: plans.filter((r) => r.resourceType === 'CarePlan'),
        goals: plans.filter((r) => r.resourceType === 'Goal'),
        concerns,
        medications: [...requests, ...statements],
        tasks,
        referrals,
        appointments,
        assessments: latestPerCode(assessments),
        episode: episodes,
      },
      needs,
      now: deps.clock.nowIso(),
      baseUrl: baseUrlOf(req, deps.baseUrl),
    });
    return reply.type(FHIR_JSON).send(JSON.stringify(bundle));
  });
}
