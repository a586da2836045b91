// Task/$worklist: the open tasks (OPEN_TASK_STATUSES, the one list of them) of an owner (by default
// the requester) or, with `panel=true`, of every patient the requester may see, in worklist order
// (src/care/worklist/order-worklist.ts) — the order the web app shows, decided here only. Narrowed
// by `patient`, `code` and `priority` (search tokens); `overdue=true` keeps only the overdue ones;
// `_include=Task:patient` adds the patients. Read with the requester's own access; no cap.
import type { Bundle, BundleEntry, Patient, Task } from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { isOverdue, OPEN_TASK_STATUSES, orderWorklist } from '../../care/worklist/order-worklist.js';
import { badRequest } from '../../fhir/outcome.js';
import { readByIds, searchEvery } from '../../store/read-every-page.js';
import { baseUrlOf, FHIR_JSON } from '../http/fhir-reply.js';
import { principalOf } from '../http/request-context.js';
import { queryPairs } from './resource-routes.js';

const KNOWN = new Set(['owner', 'panel', 'patient', 'code', 'priority', 'overdue', '_include']);

export function registerWorklistRoute(
  app: FastifyInstance,
  deps: { baseUrl?: string | undefined; clock: ClinicClock },
): void {
  app.get('/fhir/Task/$worklist', async (req, reply) => {
    const pairs = queryPairs(req);
    for (const [k, v] of pairs) {
      if (!KNOWN.has(k)) throw badRequest(`Unknown parameter '${k}' for Task/$worklist`, k);
      if (k === '_include' && v !== 'Task:patient') throw badRequest('Task/$worklist includes only Task:patient', k);
    }
    const params = new Map(pairs);
    const panel = params.get('panel') === 'true';
    const owner = params.get('owner') ?? principalOf(req).fhirUser;
    if (!panel && !owner) throw badRequest('Give owner=, or panel=true for every patient you may see');
    const query: [string, string][] = [['status', OPEN_TASK_STATUSES.join(',')]];
    if (!panel && owner) query.push(['owner', owner]);
    for (const name of ['patient', 'code', 'priority']) {
      const value = params.get(name);
      if (value) query.push([name, value]);
    }
    // Every open task, however many: the order is the server's, over the whole list.
    const today = deps.clock.today();
    let tasks = await searchEvery<Task>(req.fhir, 'Task', query);
    if (params.get('overdue') === 'true') tasks = tasks.filter((t) => isOverdue(t, today));
    const base = baseUrlOf(req, deps.baseUrl);
    const patients =
      params.get('_include') === 'Task:patient'
        ? await readByIds<Patient>(
            req.fhir,
            'Patient',
            tasks.map((t) => t.for?.reference?.replace(/^Patient\//, '') ?? '').filter(Boolean),
          )
        : [];
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
      entry: [
        ...orderWorklist(tasks, today).map(
          (t): BundleEntry => ({ fullUrl: `${base}/Task/${t.id}`, resource: t, search: { mode: 'match' } }),
        ),
        ...patients.map(
          (p): BundleEntry => ({ fullUrl: `${base}/Patient/${p.id}`, resource: p, search: { mode: 'include' } }),
        ),
      ],
    };
    return reply.type(FHIR_JSON).send(JSON.stringify(bundle));
  });
}
