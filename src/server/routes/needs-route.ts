// Patient/{id}/$needs: the patient's needs profile across the four assessment domains (see
// src/care/assessment/needs-profile.ts). Read through the requester's own view of the repository,
// so it shows only what they may see; a patient outside their reach is a 404 like any read.
import type { Condition, Goal, Observation, Parameters, ServiceRequest } from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import { buildNeedsProfile, TOTAL_CODES } from '../../care/assessment/needs-profile.js';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { searchEvery } from '../../store/read-every-page.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import { FHIR_JSON } from '../http/fhir-reply.js';

/** The needs profile of a patient, read with the requester's own view of the repository. */
export async function loadNeedsProfile(fhir: FhirRepository, patient: string, clock: ClinicClock): Promise<Parameters> {
  const codes = Object.values(TOTAL_CODES)
    .map((c) => `${c.system}|${c.code}`)
    .join(',');
  const [totals, conditions, goals, requests] = await Promise.all([
    searchEvery<Observation>(fhir, 'Observation', [
      ['patient', patient],
      ['code', codes],
      ['_sort', '-date'],
    ]),
    searchEvery<Condition>(fhir, 'Condition', [
      ['patient', patient],
      ['clinical-status', 'active'],
    ]),
    searchEvery<Goal>(fhir, 'Goal', [['patient', patient]]),
    searchEvery<ServiceRequest>(fhir, 'ServiceRequest', [['patient', patient]]),
  ]);
  return buildNeedsProfile({ totals, conditions, goals, requests, today: clock.today(), dateOf: clock.dateOf });
}

export function registerNeedsRoute(app: FastifyInstance, clock: ClinicClock): void {
  app.get<{ Params: { id: string } }>('/fhir/Patient/:id/$needs', async (req, reply) => {
    await req.fhir.read('Patient', req.params.id);
    return reply.type(FHIR_JSON).send(JSON.stringify(await loadNeedsProfile(req.fhir, req.params.id, clock)));
  });
}
