// Completing a medication reconciliation, and the patient's schedule (src/care/medrec):
//   POST List/{id}/$complete-reconciliation     422 while high-severity discrepancies are
//                                               unresolved; else writes the reconciled list
//   GET  Patient/{id}/$medication-schedule      the patient's schedule from the latest one
import type { Parameters } from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { buildSchedule, scheduleLanguage } from '../../care/medrec/medication-schedule.js';
import { unresolvedHigh } from '../../care/medrec/medrec-decisions.js';
import {
  completionEntries,
  latestCompletedReconciliation,
  loadReconciliation,
  patientLanguage,
  scheduleInputs,
} from '../../care/medrec/medrec-service.js';
import { OutcomeError } from '../../fhir/outcome.js';
import { careReaderOf } from '../../store/read-every-page.js';
import { principalOf } from '../http/request-context.js';
import { authorName } from './author-name.js';
import { scheduleParameters } from './medrec-parameters.js';
import { send } from './medrec-routes.js';

export function registerMedrecCompleteRoutes(app: FastifyInstance, clock: ClinicClock): void {
  app.post<{ Params: { id: string } }>('/fhir/List/:id/$complete-reconciliation', async (req, reply) => {
    const reader = careReaderOf(req.fhir);
    const r = await loadReconciliation(reader, req.params.id);
    if (r.list.mode === 'snapshot')
      throw new OutcomeError('business-rule', 'This reconciliation is already complete', { status: 422 });
    const blocking = unresolvedHigh(r.recon.discrepancies, r.decisions);
    if (blocking.length)
      throw new OutcomeError('business-rule', `${blocking.length} high-severity discrepancies need a decision first`, {
        status: 422,
        issues: blocking.map((d) => ({ severity: 'error', code: 'business-rule', diagnostics: d.text })),
      });
    const principal = principalOf(req);
    const completer = await authorName(req.fhir, principal.fhirUser, principal.name);
    const entries = await completionEntries(reader, r, {
      at: clock.nowIso(),
      by: { reference: principal.fhirUser, display: `${completer} (${principal.role})` },
    });
    // The List's Provenance (author and role) is written by the care plan hook, as for every decision.
    await req.fhir.processBundle({ resourceType: 'Bundle', type: 'transaction', entry: entries }, '');
    const language = scheduleLanguage(await patientLanguage(reader, r.patient, undefined));
    const schedule = buildSchedule(scheduleInputs(r.recon, r.decisions), language);
    return send(reply, {
      resourceType: 'Parameters',
      parameter: [
        { name: 'reconciliation', valueReference: { reference: `List/${req.params.id}` } },
        ...scheduleParameters(schedule),
      ],
    } satisfies Parameters);
  });

  app.get<{ Params: { id: string }; Querystring: { language?: string } }>(
    '/fhir/Patient/:id/$medication-schedule',
    async (req, reply) => {
      const patient = req.params.id;
      const reader = careReaderOf(req.fhir);
      await reader.read('Patient', patient);
      const latest = await latestCompletedReconciliation(reader, patient);
      if (!latest?.id)
        throw new OutcomeError('not-found', 'No completed medication reconciliation for this patient yet', {
          status: 404,
        });
      // The patient reads their schedule; the discrepancies behind it are the care team's.
      const r = await loadReconciliation(reader, latest.id, false);
      const language = scheduleLanguage(await patientLanguage(reader, patient, req.query.language));
      return send(reply, {
        resourceType: 'Parameters',
        parameter: [
          { name: 'reconciliation', valueReference: { reference: `List/${latest.id}` } },
          { name: 'date', valueDateTime: latest.date ?? '' },
          ...scheduleParameters(buildSchedule(scheduleInputs(r.recon, r.decisions), language)),
        ],
      } satisfies Parameters);
    },
  );
}
