// Medication reconciliation over HTTP (src/care/medrec/medrec-service.ts gathers and decides):
//   POST Patient/{id}/$reconcile-medications   compare the lists; writes the working List and a
//                                               DetectedIssue per discrepancy (one transaction)
//   GET  List/{id}/$reconciliation              the same view, with the decisions so far
//   POST List/{id}/$record-decision             item, action, reason (dose, until): one decision
// Completion and the schedule are in medrec-complete-route.ts. Every read and write goes through the
// requester's own access (req.fhir).
import type { Bundle, BundleEntry, Parameters } from '@medplum/fhirtypes';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { checkDecision, type Decision } from '../../care/medrec/medrec-decisions.js';
import {
  detectedIssueFor,
  listDecisions,
  reconciliationList,
  withDecision,
} from '../../care/medrec/medrec-resources.js';
import { allergiesOf, gatherEntries, loadReconciliation, namedEntries } from '../../care/medrec/medrec-service.js';
import { type Action, reconcileMedications } from '../../care/medrec/reconcile-medications.js';
import { badRequest, OutcomeError } from '../../fhir/outcome.js';
import { careReaderOf } from '../../store/read-every-page.js';
import { FHIR_JSON } from '../http/fhir-reply.js';
import { principalOf } from '../http/request-context.js';
import { authorName } from './author-name.js';
import { reconciliationParameters } from './medrec-parameters.js';

export const send = (reply: { type(t: string): { send(b: string): unknown } }, body: unknown) =>
  reply.type(FHIR_JSON).send(JSON.stringify(body));

export function bodyOf(req: FastifyRequest): Parameters | undefined {
  const body = req.body as Parameters | undefined;
  if (body && body.resourceType !== 'Parameters') throw badRequest('The body must be a Parameters resource');
  return body;
}

/** The lists a request names: parameter `list` with parts `source` (code) and `list` (a List). */
function namedLists(body: Parameters | undefined) {
  return (body?.parameter ?? [])
    .filter((p) => p.name === 'list')
    .map((p) => ({
      source: p.part?.find((x) => x.name === 'source')?.valueCode,
      list: p.part?.find((x) => x.name === 'list')?.valueReference?.reference,
    }));
}

export function registerMedrecRoutes(app: FastifyInstance, clock: ClinicClock): void {
  app.post<{ Params: { id: string } }>('/fhir/Patient/:id/$reconcile-medications', async (req, reply) => {
    const patient = req.params.id;
    await req.fhir.read('Patient', patient);
    const now = clock.now();
    const at = new Date(now).toISOString();
    const reader = careReaderOf(req.fhir);
    const named = namedLists(bodyOf(req));
    const entries = named.length ? await namedEntries(reader, named) : await gatherEntries(reader, patient, now);
    if (entries.length === 0)
      throw new OutcomeError('business-rule', 'The patient has no medication lists to reconcile', { status: 422 });
    const recon = reconcileMedications({ entries, allergies: await allergiesOf(reader, patient) });
    const issueUrls = recon.discrepancies.map(
      (_, i) => `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const listUrl = 'urn:uuid:00000000-0000-4000-9000-000000000000';
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        ...recon.discrepancies.map(
          (d, i): BundleEntry => ({
            fullUrl: issueUrls[i],
            resource: detectedIssueFor(d, patient, at),
            request: { method: 'POST', url: 'DetectedIssue' },
          }),
        ),
        {
          fullUrl: listUrl,
          resource: reconciliationList({
            patient,
            items: recon.items,
            issueRefs: issueUrls,
            at,
            source: principalOf(req).fhirUser,
          }),
          request: { method: 'POST', url: 'List' },
        },
      ],
    };
    const result = await req.fhir.processBundle(bundle, '');
    const listId = result.entry?.at(-1)?.response?.location?.split('/')[1] ?? '';
    const loaded = await loadReconciliation(careReaderOf(req.fhir), listId);
    return send(reply.code(201), reconciliationParameters(loaded.list, loaded.recon, loaded.issues, loaded.decisions));
  });

  app.get<{ Params: { id: string } }>('/fhir/List/:id/$reconciliation', async (req, reply) => {
    const r = await loadReconciliation(careReaderOf(req.fhir), req.params.id);
    return send(reply, reconciliationParameters(r.list, r.recon, r.issues, r.decisions));
  });

  app.post<{ Params: { id: string } }>('/fhir/List/:id/$record-decision', async (req, reply) => {
    const body = bodyOf(req);
    const value = (name: string) => body?.parameter?.find((p) => p.name === name);
    const input = {
      item: value('item')?.valueString,
      action: value('action')?.valueCode ?? value('action')?.valueString,
      reason: value('reason')?.valueString,
      dose: value('dose')?.valueString,
      until: value('until')?.valueString ?? value('until')?.valueDate,
    };
    const issues = checkDecision(input);
    if (!input.item) issues.unshift('Name the medication: item (its key in the reconciliation)');
    if (issues.length) throw badRequest(issues.join('; '));
    const r = await loadReconciliation(careReaderOf(req.fhir), req.params.id);
    if (r.list.mode === 'snapshot')
      throw new OutcomeError('business-rule', 'This reconciliation is complete', { status: 422 });
    const principal = principalOf(req);
    const author = await authorName(req.fhir, principal.fhirUser, principal.name);
    const decision: Decision = {
      item: input.item as string,
      action: input.action as Action,
      reason: (input.reason as string).trim(),
      ...(input.dose ? { dose: input.dose } : {}),
      ...(input.action === 'hold' && input.until ? { until: input.until.trim() } : {}),
      author: {
        ...(principal.fhirUser ? { reference: principal.fhirUser } : {}),
        display: `${author} (${principal.role})`,
      },
      at: clock.nowIso(),
    };
    const next = withDecision(r.list, decision);
    if (!next) throw badRequest(`No medication '${input.item}' in this reconciliation`);
    const ifMatch = req.headers['if-match'];
    await req.fhir.update('List', req.params.id, next, typeof ifMatch === 'string' ? { ifMatch } : {});
    const decisions = listDecisions(next);
    return send(reply, reconciliationParameters({ ...next, id: req.params.id }, r.recon, r.issues, decisions));
  });
}
