// The feed review over HTTP, for care coordinators (the role that reconciles who is who; the held
// messages name patients not yet matched, so no other role sees them):
//   GET  /feeds/review         held ADT messages, the oldest first, with the patients they may be about
//   POST /feeds/review/{key}   a decision: {action: link, patient} | create | merge | {dismiss, reason}
//   GET  /feeds/refused        what the feeds sent that was refused (the last 30 days), where and why
// Each request is audited (kind feed) with the patients it touched.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { OutcomeError } from '../../fhir/outcome.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import { principalOf } from '../http/request-context.js';
import { decideHeldMessage, listHeldMessages, listRefusedMessages, readReviewRequest } from './feed-review.js';

/** How far back the refused list looks. */
const REFUSED_DAYS = 30;

export interface FeedReviewDeps {
  readonly repository: FhirRepository;
  readonly clock: ClinicClock;
  readonly baseUrl: string;
  readonly feedOrganization?: string | undefined;
}

function requireCoordinator(req: FastifyRequest): void {
  req.audit.kind = 'feed';
  const role = principalOf(req).role;
  if (role !== 'coordinator' && role !== 'system')
    throw new OutcomeError('forbidden', 'The feed review is for care coordinators', { status: 403 });
}

export function registerFeedReviewRoutes(app: FastifyInstance, deps: FeedReviewDeps): void {
  app.get('/feeds/review', async (req) => {
    requireCoordinator(req);
    req.audit.entity = 'feeds/review';
    const messages = await listHeldMessages(deps, req.fhir);
    for (const m of messages) for (const c of m.candidates) if (c.id) req.audit.patients.add(c.id);
    return { messages };
  });

  app.get('/feeds/refused', async (req) => {
    requireCoordinator(req);
    req.audit.entity = 'feeds/refused';
    return { messages: await listRefusedMessages(deps, REFUSED_DAYS) };
  });

  app.post<{ Params: { key: string } }>('/feeds/review/:key', async (req) => {
    requireCoordinator(req);
    const request = readReviewRequest(req.body);
    req.audit.action = 'U';
    req.audit.entity = 'feeds/review';
    req.audit.detail = `${request.action} ${req.params.key}`.slice(0, 200);
    const result = await decideHeldMessage(deps, req.fhir, req.params.key, request);
    for (const p of result.patients) req.audit.patients.add(p);
    return result;
  });
}
