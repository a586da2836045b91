// ServiceRequest/$referral-measure: referral loop closure per destination — sent, closed with an
// outcome, still open, the closure rate and the median days to close (src/care/referrals/
// referral-measure.ts) — over the referrals the requester may see, sent in an optional period
// (`start`, `end`: dates of Task.authoredOn). Answered as a FHIR MeasureReport (summary), one group
// per destination.
import type { MeasureReport, Task } from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { completedAtOf, measureReferralLoops, type ReferralOutcome } from '../../care/referrals/referral-measure.js';
import { isReferralTask, TASK_CODE_SYSTEM } from '../../care/referrals/referral-workflow.js';
import { badRequest } from '../../fhir/outcome.js';
import { historyOfEach, searchEvery } from '../../store/read-every-page.js';
import { FHIR_JSON } from '../http/fhir-reply.js';
import { queryPairs } from './resource-routes.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const DESTINATION_URL = 'http://careloop.org/fhir/StructureDefinition/referral-destination';
export const MEDIAN_DAYS_URL = 'http://careloop.org/fhir/StructureDefinition/median-days-to-close';

export function registerReferralMeasureRoute(app: FastifyInstance, clock: ClinicClock): void {
  app.get('/fhir/ServiceRequest/$referral-measure', async (req, reply) => {
    const params = new Map(queryPairs(req));
    const start = params.get('start');
    const end = params.get('end');
    for (const [k, v] of [
      ['start', start],
      ['end', end],
    ] as const)
      if (v !== undefined && !DATE.test(v)) throw badRequest(`${k} must be a date (YYYY-MM-DD)`, k);
    const query: [string, string][] = [['code', `${TASK_CODE_SYSTEM}|fulfill`]];
    if (start) query.push(['authored-on', `ge${start}`]);
    if (end) query.push(['authored-on', `le${end}`]);
    const tasks = (await searchEvery<Task>(req.fhir, 'Task', query)).filter(isReferralTask);
    // When each completed one was completed: the histories of all of them, read in groups of ids.
    const histories = await historyOfEach(
      req.fhir,
      'Task',
      tasks.filter((t) => t.status === 'completed').map((t) => t.id as string),
    );
    const outcomes: ReferralOutcome[] = tasks.map((task) => {
      const versions = (histories.get(task.id as string) ?? []).flatMap((v) =>
        v.json ? [JSON.parse(v.json) as Task] : [],
      );
      const completedAt = task.status === 'completed' ? completedAtOf(versions) : undefined;
      return completedAt ? { task, completedAt } : { task };
    });
    const measures = measureReferralLoops(outcomes);
    const report: MeasureReport = {
      resourceType: 'MeasureReport',
      status: 'complete',
      type: 'summary',
      measure: 'http://careloop.org/fhir/Measure/referral-loop-closure',
      date: clock.nowIso(),
      period: { ...(start ? { start } : {}), end: end ?? clock.today() },
      group: measures.map((m) => ({
        code: { text: m.display },
        population: [
          { code: { coding: [{ code: 'denominator' }], text: 'Referrals sent' }, count: m.sent },
          { code: { coding: [{ code: 'numerator' }], text: 'Closed with an outcome' }, count: m.closed },
          { code: { text: 'Still open' }, count: m.open },
        ],
        measureScore: { value: Math.round(m.closureRate * 1000) / 1000, unit: 'ratio' },
        extension: [
          { url: DESTINATION_URL, valueReference: { reference: m.destination, display: m.display } },
          ...(m.medianDaysToClose !== undefined ? [{ url: MEDIAN_DAYS_URL, valueDecimal: m.medianDaysToClose }] : []),
        ],
      })),
    };
    return reply.type(FHIR_JSON).send(JSON.stringify(report));
  });
}
