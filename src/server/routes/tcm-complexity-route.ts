// EpisodeOfCare/{id}/$record-tcm-complexity: the physician's medical decision making for the TCM
// period, moderate or high (src/care/transitions/tcm-complexity.ts decides who may and what
// follows). Parameters: `complexity` (code), and `onBehalfOf` (Reference to the physician) when a
// coordinator records it. The episode and the re-dated visit and reconciliation tasks are written in
// one transaction, under the requester's own access and the episode's version (If-Match).
import type { Bundle, BundleEntry, EpisodeOfCare, Parameters, Task } from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { EPISODE_TYPE } from '../../care/transitions/episode-resources.js';
import { recordComplexity } from '../../care/transitions/tcm-complexity.js';
import { retimeVisitTasks } from '../../care/transitions/tcm-tasks.js';
import { badRequest, OutcomeError } from '../../fhir/outcome.js';
import { searchEvery } from '../../store/read-every-page.js';
import { FHIR_JSON } from '../http/fhir-reply.js';
import { principalOf } from '../http/request-context.js';
import { authorName } from './author-name.js';

export function registerTcmComplexityRoute(app: FastifyInstance, clock: ClinicClock): void {
  app.post<{ Params: { id: string } }>('/fhir/EpisodeOfCare/:id/$record-tcm-complexity', async (req, reply) => {
    const body = req.body as Parameters | undefined;
    if (body?.resourceType !== 'Parameters') throw badRequest('The body must be a Parameters resource');
    const param = (name: string) => body.parameter?.find((p) => p.name === name);
    const stored = await req.fhir.read('EpisodeOfCare', req.params.id);
    const episode = JSON.parse(stored.json as string) as EpisodeOfCare;
    if (!episode.type?.some((t) => t.coding?.some((c) => c.code === EPISODE_TYPE.code)))
      throw new OutcomeError('not-found', `EpisodeOfCare/${req.params.id} is not a transition episode`, {
        status: 404,
      });
    const principal = principalOf(req);
    const name = await authorName(req.fhir, principal.fhirUser, principal.name);
    const onBehalfOf = param('onBehalfOf')?.valueReference;
    const outcome = recordComplexity(episode, {
      complexity: param('complexity')?.valueCode ?? param('complexity')?.valueString,
      role: principal.role,
      recordedBy: {
        ...(principal.fhirUser ? { reference: principal.fhirUser } : {}),
        display: `${name} (${principal.role})`,
      },
      ...(onBehalfOf
        ? {
            onBehalfOf: {
              // The name from the physician's own record, not whatever display the client sent.
              reference: onBehalfOf.reference,
              display: await authorName(req.fhir, onBehalfOf.reference, onBehalfOf.reference ?? ''),
            },
          }
        : {}),
      at: clock.nowIso(),
    });
    if (!outcome.ok)
      throw new OutcomeError(outcome.status === 403 ? 'forbidden' : 'business-rule', outcome.issues.join('; '), {
        status: outcome.status,
      });
    const tasks = await searchEvery<Task>(req.fhir, 'Task', [['focus', `EpisodeOfCare/${req.params.id}`]]);
    const retimed = retimeVisitTasks(tasks, outcome.clock);
    const ifMatch = req.headers['if-match'];
    const entries: BundleEntry[] = [
      {
        resource: { ...outcome.episode, id: req.params.id },
        request: {
          method: 'PUT',
          url: `EpisodeOfCare/${req.params.id}`,
          ifMatch: typeof ifMatch === 'string' ? ifMatch : `W/"${stored.versionId}"`,
        },
      },
      ...retimed.map(
        (t): BundleEntry => ({
          resource: t,
          request: { method: 'PUT', url: `Task/${t.id}`, ifMatch: `W/"${t.meta?.versionId ?? ''}"` },
        }),
      ),
    ];
    await req.fhir.processBundle({ resourceType: 'Bundle', type: 'transaction', entry: entries } as Bundle, '');
    const saved = await req.fhir.read('EpisodeOfCare', req.params.id);
    return reply.type(FHIR_JSON).send(saved.json);
  });
}
