// Slot/$find: free slots by service type, practitioner, location and date range, ranked for a
// patient's preferences (src/care/scheduling/find-free-slots.ts). Each entry's score and an
// extension say why it ranks where it does; the Schedules and Practitioners come along as includes.
// Booking is an ordinary create of an Appointment naming the slot (the scheduling hook guards it).
import type { Bundle, BundleEntry, Encounter, Patient, Practitioner, Schedule, Slot } from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import { LANGUAGE_DISPLAY } from '../../care/directory/find-services.js';
import { rankSlots } from '../../care/scheduling/find-free-slots.js';
import { currentStay, firstFollowUpDay } from '../../care/transitions/expected-discharge.js';
import { badRequest } from '../../fhir/outcome.js';
import { readByIds, searchEvery } from '../../store/read-every-page.js';
import { baseUrlOf, FHIR_JSON } from '../http/fhir-reply.js';
import { queryPairs, type RouteDeps } from './resource-routes.js';

export const SLOT_MATCH_URL = 'http://careloop.org/fhir/StructureDefinition/slot-match';
const KNOWN = new Set(['service-type', 'practitioner', 'location', 'start', 'end', 'patient', '_count']);

export function registerSlotFindRoute(app: FastifyInstance, deps: RouteDeps): void {
  app.get('/fhir/Slot/$find', async (req, reply) => {
    const pairs = queryPairs(req);
    for (const [k] of pairs) if (!KNOWN.has(k)) throw badRequest(`Unknown parameter '${k}' for Slot/$find`, k);
    const params = new Map(pairs);
    // For a patient in hospital, times after the expected discharge: a slot during the stay is no follow-up.
    const patientId = params.get('patient')?.replace(/^Patient\//, '');
    const stays = patientId
      ? await searchEvery<Encounter>(req.fhir, 'Encounter', [
          ['patient', patientId],
          ['status', 'planned,arrived,triaged,in-progress,onleave'],
        ])
      : [];
    const start = firstFollowUpDay({
      today: deps.clock.today(),
      requested: params.get('start'),
      stay: currentStay(stays),
      dateOf: deps.clock.dateOf,
    });
    const query: [string, string][] = [
      ['status', 'free'],
      ['start', `ge${start}`],
      ['_sort', 'start'],
    ];
    const end = params.get('end');
    if (end) query.push(['start', `le${end}`]);
    const serviceType = params.get('service-type');
    if (serviceType) query.push(['service-type', serviceType]);
    const actor = [params.get('practitioner'), params.get('location')].filter((x): x is string => Boolean(x));
    for (const a of actor) query.push(['schedule.actor', a]);
    const slots = await searchEvery<Slot>(req.fhir, 'Slot', query);
    const scheduleIds = [...new Set(slots.map((s) => s.schedule.reference?.split('/')[1]).filter(Boolean))];
    const schedules = await readByIds<Schedule>(req.fhir, 'Schedule', scheduleIds as string[]);
    const practitionerIds = [
      ...new Set(
        schedules.flatMap((s) => s.actor.map((a) => a.reference ?? '')).filter((r) => r.startsWith('Practitioner/')),
      ),
    ].map((r) => r.slice('Practitioner/'.length));
    const practitioners = await readByIds<Practitioner>(req.fhir, 'Practitioner', practitionerIds);
    const patient = patientId
      ? (JSON.parse((await req.fhir.read('Patient', patientId)).json as string) as Patient)
      : undefined;
    const ranked = rankSlots({
      slots,
      schedules: new Map(schedules.map((s) => [`Schedule/${s.id}`, s])),
      practitioners: new Map(practitioners.map((p) => [`Practitioner/${p.id}`, p])),
      patient,
      languageNames: LANGUAGE_DISPLAY,
    }).slice(0, Math.min(Number(params.get('_count') ?? 50) || 50, 500));
    const base = baseUrlOf(req, deps.baseUrl);
    const entry: BundleEntry[] = [
      ...ranked.map((r) => ({
        fullUrl: `${base}/Slot/${r.slot.id}`,
        resource: r.slot,
        search: {
          mode: 'match' as const,
          score: r.score / 3,
          ...(r.reasons.length ? { extension: [{ url: SLOT_MATCH_URL, valueString: r.reasons.join('; ') }] } : {}),
        },
      })),
      ...[...schedules, ...practitioners].map((r) => ({
        fullUrl: `${base}/${r.resourceType}/${r.id}`,
        resource: r,
        search: { mode: 'include' as const },
      })),
    ];
    const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', total: ranked.length, entry };
    return reply.type(FHIR_JSON).send(JSON.stringify(bundle));
  });
}
