// Transitions of care over HTTP (src/care/transitions/transition-service.ts gathers and decides),
// each read with the requester's access:
//   GET EpisodeOfCare/{id}/$readiness             the discharge readiness checklist
//   GET EpisodeOfCare/{id}/$tcm-status            TCM requirements met, and the code supported
//   GET EpisodeOfCare/{id}/$after-hospital-plan   the patient's plan in plain words
//   GET EpisodeOfCare/$transition-measures        contact, follow-up and readmission rates by risk
// Contact attempts are Communications about the episode (medium: the channel; status completed,
// or not-done with statusReason); the call script is a QuestionnaireResponse (call-script hook).
import type { FastifyInstance } from 'fastify';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import {
  episodeAfterHospitalPlan,
  episodeReadiness,
  episodeTcmStatus,
  measureTransitions,
} from '../../care/transitions/transition-service.js';
import { careReaderOf } from '../../store/read-every-page.js';
import { FHIR_JSON } from '../http/fhir-reply.js';
import {
  afterHospitalPlanParameters,
  readinessParameters,
  tcmStatusParameters,
  transitionMeasureReport,
} from './transition-parameters.js';

const send = (reply: { type(t: string): { send(b: string): unknown } }, body: unknown) =>
  reply.type(FHIR_JSON).send(JSON.stringify(body));

export function registerTransitionRoutes(app: FastifyInstance, clock: ClinicClock): void {
  app.get<{ Params: { id: string } }>('/fhir/EpisodeOfCare/:id/$readiness', async (req, reply) => {
    const { facts, items } = await episodeReadiness(careReaderOf(req.fhir), clock, req.params.id);
    return send(reply, readinessParameters(req.params.id, facts, items));
  });

  app.get<{ Params: { id: string } }>('/fhir/EpisodeOfCare/:id/$tcm-status', async (req, reply) => {
    const { facts, status, physician } = await episodeTcmStatus(careReaderOf(req.fhir), clock, req.params.id);
    return send(reply, tcmStatusParameters(facts, status, physician));
  });

  app.get<{ Params: { id: string } }>('/fhir/EpisodeOfCare/:id/$after-hospital-plan', async (req, reply) => {
    return send(
      reply,
      afterHospitalPlanParameters(await episodeAfterHospitalPlan(careReaderOf(req.fhir), clock, req.params.id)),
    );
  });

  app.get('/fhir/EpisodeOfCare/$transition-measures', async (req, reply) => {
    const measures = await measureTransitions(careReaderOf(req.fhir), clock);
    return send(reply, transitionMeasureReport(measures, clock.nowIso(), clock.today()));
  });
}
