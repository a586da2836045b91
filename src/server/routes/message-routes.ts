// Communication/{id}/$mark-read: the requester, a recipient of the message (or a caregiver for the
// patient who is), records having read it. Written through the requester's own view, so only a
// participant can do it and the audit log and Provenance say who did.
import type { Communication } from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import type { AccessService } from '../../access/access-service.js';
import { messageParticipation } from '../../access/policy/build-access-guard.js';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { markRead } from '../../care/messaging/mark-read.js';
import { OutcomeError } from '../../fhir/outcome.js';
import { sendResource } from '../http/fhir-reply.js';
import { principalOf } from '../http/request-context.js';

export function registerMessageRoutes(app: FastifyInstance, access: AccessService, clock: ClinicClock): void {
  app.post<{ Params: { id: string } }>('/fhir/Communication/:id/$mark-read', async (req, reply) => {
    const principal = principalOf(req);
    const current = await req.fhir.read('Communication', req.params.id);
    const message = JSON.parse(current.json as string) as Communication;
    // Whoever the requester reads messages as: themselves, and for a caregiver the patients they act for.
    const actingFor = messageParticipation(principal, await access.decisions.get(principal)).references;
    const result = markRead(message, principal.fhirUser ?? '', actingFor, clock.nowIso());
    if (!result.ok) throw new OutcomeError('forbidden', result.reason, { status: 403 });
    if (!result.changed) return sendResource(reply, current);
    const written = await req.fhir.update('Communication', req.params.id, result.message, {
      ifMatch: `W/"${current.versionId}"`,
    });
    return sendResource(reply, written.stored);
  });
}
