// Task/$worklist: the open tasks of an owner (by default the requester) or, with `panel=true`, of
// every patient the requester may see, in worklist order (src/care/worklist/order-worklist.ts);
// `overdue=true` keeps only the overdue ones. Read with the requester's own access.
import type { Bundle, Task } from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { isOverdue, OPEN_TASK_STATUSES, orderWorklist } from '../../care/worklist/order-worklist.js';
import { badRequest } from '../../fhir/outcome.js';
import { searchEvery } from '../../store/read-every-page.js';
import { baseUrlOf, FHIR_JSON } from '../http/fhir-reply.js';
import { principalOf } from '../http/request-context.js';
import { queryPairs } from './resource-routes.js';

export function registerWorklistRoute(
  app: FastifyInstance,
  deps: { baseUrl?: string | undefined; clock: ClinicClock },
): void {
  app.get('/fhir/Task/$worklist', async (req, reply) => {
    const params = new Map(queryPairs(req));
    const panel = params.get('panel') === 'true';
    const owner = params.get('owner') ?? principalOf(req).fhirUser;
    if (!panel && !owner) throw badRequest('Give owner=, or panel=true for every patient you may see');
    const query: [string, string][] = [['status', OPEN_TASK_STATUSES.join(',')]];
    if (!panel && owner) query.push(['owner', owner]);
    const patient = params.get('patient');
    if (patient) query.push(['patient', patient]);
    // Every open task, however many: the order is the server's, over the whole list.
    const today = deps.clock.today();
    let tasks = await searchEvery<Task>(req.fhir, 'Task', query);
    if (params.get('overdue') === 'true') tasks = tasks.filter((t) => isOverdue(t, today));
    const base = baseUrlOf(req, deps.baseUrl);
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: tasks.length,
      link: [
        {
          relation: 'self',
          url: `${base}/Task/$worklist${req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''}`,
        },
      ],
      entry: orderWorklist(tasks, today).map((t) => ({
        fullUrl: `${base}/Task/${t.id}`,
        resource: t,
        search: { mode: 'match' },
      })),
    };
    return reply.type(FHIR_JSON).send(JSON.stringify(bundle));
  });
}
