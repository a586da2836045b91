// Patient/{id}/$needs: the patient's needs profile across the four assessment domains (see
// src/care/assessment/needs-profile.ts). Read through the requester's own view of the repository,
// so it shows only what they may see; a patient outside their reach is a 404 like any read.
import type { Condition, Goal, Observation, ServiceRequest } from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import { buildNeedsProfile, TOTAL_CODES } from '../../care/assessment/needs-profile.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import { FHIR_JSON } from '../http/fhir-reply.js';

async function all<T>(fhir: FhirRepository, type: string, query: [string, string][]): Promise<T[]> {
  const { page } = await fhir.search(type, [...query, ['_count', '1000']]);
  return page.matches.filter((m) => m.json).map((m) => JSON.parse(m.json as string) as T);
}

export function registerNeedsRoute(app: FastifyInstance): void {
  app.get<{ Params: { id: string } }>('/fhir/Patient/:id/$needs', async (req, reply) => {
    const patient = req.params.id;
    await req.fhir.read('Patient', patient);
    const codes = Object.values(TOTAL_CODES)
      .map((c) => `${c.system}|${c.code}`)
      .join(',');
    const [totals, conditions, goals, requests] = await Promise.all([
      all<Observation>(req.fhir, 'Observation', [
        ['patient', patient],
        ['code', codes],
        ['_sort', '-date'],
      ]),
      all<Condition>(req.fhir, 'Condition', [
        ['patient', patient],
        ['clinical-status', 'active'],
      ]),
      all<Goal>(req.fhir, 'Goal', [['patient', patient]]),
      all<ServiceRequest>(req.fhir, 'ServiceRequest', [['patient', patient]]),
    ]);
    const today = new Date().toISOString().slice(0, 10);
    return reply
      .type(FHIR_JSON)
      .send(JSON.stringify(buildNeedsProfile({ totals, conditions, goals, requests, today })));
  });
}
