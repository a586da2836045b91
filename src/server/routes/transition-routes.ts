// Transitions of care over HTTP (src/care/transitions), each read with the requester's access:
//   GET EpisodeOfCare/{id}/$readiness             the discharge readiness checklist
//   GET EpisodeOfCare/{id}/$tcm-status            TCM requirements met, and the code supported
//   GET EpisodeOfCare/{id}/$after-hospital-plan   the patient's plan in plain words
//   GET EpisodeOfCare/$transition-measures        contact, follow-up and readmission rates by risk
// Contact attempts are Communications about the episode (medium: the channel; status completed,
// or not-done with statusReason); the call script is a QuestionnaireResponse (call-script hook).
import type {
  Appointment,
  CareTeam,
  Communication,
  Condition,
  DocumentReference,
  Encounter,
  EpisodeOfCare,
  List,
  MeasureReport,
  Parameters,
  ParametersParameter,
  Patient,
  Practitioner,
  Procedure,
  ServiceRequest,
  Task,
} from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { careTeamRolesOf } from '../../care/careteam/team-roles.js';
import { buildAfterHospitalPlan } from '../../care/transitions/after-hospital-plan.js';
import { EPISODE_TYPE, readEpisode } from '../../care/transitions/episode-resources.js';
import { expectedDischarge } from '../../care/transitions/expected-discharge.js';
import { assessReadiness } from '../../care/transitions/readiness.js';
import { tcmStatus } from '../../care/transitions/tcm-status.js';
import { transitionMeasures } from '../../care/transitions/transition-measures.js';
import { OutcomeError } from '../../fhir/outcome.js';
import { searchEvery } from '../../store/read-every-page.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import { FHIR_JSON } from '../http/fhir-reply.js';

const parse = <T>(json: string | undefined): T => JSON.parse(json as string) as T;
const RECONCILIATION = 'http://careloop.org/fhir/CodeSystem/list-kind|medication-reconciliation';

async function loadEpisode(fhir: FhirRepository, id: string) {
  const episode = parse<EpisodeOfCare>((await fhir.read('EpisodeOfCare', id)).json);
  if (!episode.type?.some((t) => t.coding?.some((c) => c.code === EPISODE_TYPE.code)))
    throw new OutcomeError('not-found', `EpisodeOfCare/${id} is not a transition episode`, { status: 404 });
  const patient = (episode.patient.reference ?? '').replace(/^Patient\//, '');
  return { episode, patient, facts: readEpisode(episode) };
}

async function statusOf(
  fhir: FhirRepository,
  clock: ClinicClock,
  id: string,
  patient: string,
  facts: ReturnType<typeof readEpisode>,
) {
  // From the clinic's midnight of the discharge day, as an instant (a date alone would be read in UTC).
  const since = new Date(clock.instantAt(facts.dischargeDate ?? '1900-01-01')).toISOString();
  const [contacts, visits, reconciliations] = await Promise.all([
    searchEvery<Communication>(fhir, 'Communication', [
      ['patient', patient],
      ['sent', `ge${since}`],
    ]),
    searchEvery<Encounter>(fhir, 'Encounter', [
      ['patient', patient],
      ['date', `ge${since}`],
    ]),
    searchEvery<List>(fhir, 'List', [
      ['patient', patient],
      ['code', RECONCILIATION],
    ]),
  ]);
  return tcmStatus({
    facts,
    contacts: contacts.filter((c) => c.about?.some((a) => a.reference === `EpisodeOfCare/${id}`)),
    visits,
    reconciliations,
    dateOf: clock.dateOf,
  });
}

const send = (reply: { type(t: string): { send(b: string): unknown } }, body: unknown) =>
  reply.type(FHIR_JSON).send(JSON.stringify(body));
const str = (name: string, value: string | undefined): ParametersParameter[] =>
  value ? [{ name, valueString: value }] : [];

export function registerTransitionRoutes(app: FastifyInstance, clock: ClinicClock): void {
  app.get<{ Params: { id: string } }>('/fhir/EpisodeOfCare/:id/$readiness', async (req, reply) => {
    const { episode, patient, facts } = await loadEpisode(req.fhir, req.params.id);
    const admittedAt = episode.period?.start ?? clock.nowIso();
    // Still in hospital: the follow-up counts from the expected discharge the stay records.
    const stay =
      !facts.dischargeDate && facts.encounter?.startsWith('Encounter/')
        ? await req.fhir.read('Encounter', facts.encounter.slice('Encounter/'.length)).then(
            (v) => parse<Encounter>(v.json),
            () => undefined,
          )
        : undefined;
    const expected = expectedDischarge(stay);
    const [p, appointments, requests, tasks, reconciliations, procedures, documents] = await Promise.all([
      req.fhir.read('Patient', patient).then((v) => parse<Patient>(v.json)),
      searchEvery<Appointment>(req.fhir, 'Appointment', [['patient', patient]]),
      searchEvery<ServiceRequest>(req.fhir, 'ServiceRequest', [['patient', patient]]),
      searchEvery<Task>(req.fhir, 'Task', [
        ['patient', patient],
        ['code', 'http://hl7.org/fhir/CodeSystem/task-code|fulfill'],
      ]),
      searchEvery<List>(req.fhir, 'List', [
        ['patient', patient],
        ['code', RECONCILIATION],
      ]),
      searchEvery<Procedure>(req.fhir, 'Procedure', [
        ['patient', patient],
        ['code', 'http://careloop.org/fhir/CodeSystem/transition-item|'],
      ]),
      searchEvery<DocumentReference>(req.fhir, 'DocumentReference', [['patient', patient]]),
    ]);
    const byFocus = new Map(tasks.map((t) => [t.focus?.reference ?? '', t]));
    const items = assessReadiness({
      admittedAt,
      dischargeDate: facts.dischargeDate ?? (expected ? clock.dateOf(expected) : undefined),
      dateOf: clock.dateOf,
      highRisk: facts.lace?.band === 'high',
      disposition: facts.disposition,
      patient: p,
      appointments,
      referrals: requests.map((request) => ({ request, task: byFocus.get(`ServiceRequest/${request.id}`) })),
      reconciliations,
      procedures,
      documents: documents.filter((d) => (d.date ?? d.meta?.lastUpdated ?? '') >= clock.dateOf(admittedAt)),
    });
    const parameters: Parameters = {
      resourceType: 'Parameters',
      parameter: [
        { name: 'episode', valueReference: { reference: `EpisodeOfCare/${req.params.id}` } },
        { name: 'phase', valueCode: facts.phase },
        { name: 'ready', valueBoolean: items.every((i) => i.state !== 'open') },
        ...items.map((i) => ({
          name: 'item',
          part: [
            { name: 'id', valueCode: i.id },
            { name: 'label', valueString: i.label },
            { name: 'state', valueCode: i.state },
            { name: 'owner', valueCode: i.owner },
            { name: 'detail', valueString: i.detail },
            ...(i.red ? [{ name: 'projectRed', valueInteger: i.red }] : []),
            ...(i.cti ? [{ name: 'ctiPillar', valueCode: i.cti }] : []),
          ],
        })),
      ],
    };
    return send(reply, parameters);
  });

  app.get<{ Params: { id: string } }>('/fhir/EpisodeOfCare/:id/$tcm-status', async (req, reply) => {
    const { patient, facts } = await loadEpisode(req.fhir, req.params.id);
    const [status, teams] = await Promise.all([
      statusOf(req.fhir, clock, req.params.id, patient, facts),
      searchEvery<CareTeam>(req.fhir, 'CareTeam', [
        ['patient', patient],
        ['status', 'active'],
      ]),
    ]);
    // The physician whose medical decision making sets the TCM complexity (the team's PCP).
    const physician = careTeamRolesOf(teams).pcp;
    const parameters: Parameters = {
      resourceType: 'Parameters',
      parameter: [
        { name: 'eligible', valueBoolean: status.eligible },
        { name: 'code', valueCode: status.code },
        ...status.reasons.map((r) => ({ name: 'reason', valueString: r })),
        ...(facts.tcm?.complexity ? [{ name: 'complexity', valueCode: facts.tcm.complexity }] : []),
        ...(facts.tcm?.suggestedComplexity
          ? [{ name: 'suggestedComplexity', valueCode: facts.tcm.suggestedComplexity }]
          : []),
        ...str('complexityRecordedBy', facts.tcm?.complexityRecordedBy?.display),
        ...(physician ? [{ name: 'physician', valueReference: physician }] : []),
        ...str('complexityOnBehalfOf', facts.tcm?.complexityOnBehalfOf?.display),
        ...(facts.tcm?.complexityRecordedAt
          ? [{ name: 'complexityRecordedAt', valueDateTime: facts.tcm.complexityRecordedAt }]
          : []),
        ...(facts.dischargeDate ? [{ name: 'dischargeDate', valueDate: facts.dischargeDate }] : []),
        ...(facts.tcm?.contactDue ? [{ name: 'contactDue', valueDate: facts.tcm.contactDue }] : []),
        ...(facts.tcm?.faceToFaceDue ? [{ name: 'faceToFaceDue', valueDate: facts.tcm.faceToFaceDue }] : []),
        ...(facts.tcm?.periodEnd ? [{ name: 'periodEnd', valueDate: facts.tcm.periodEnd }] : []),
        {
          name: 'contact',
          part: [{ name: 'met', valueBoolean: status.contact.met }, ...str('detail', status.contact.detail)],
        },
        ...status.contact.attempts.map((a) => ({
          name: 'attempt',
          part: [
            { name: 'at', valueDateTime: a.at },
            { name: 'channel', valueCode: a.channel },
            { name: 'successful', valueBoolean: a.successful },
            { name: 'timely', valueBoolean: a.timely },
            ...str('note', a.note),
          ],
        })),
        {
          name: 'faceToFace',
          part: [
            ...str('detail', status.faceToFace.detail),
            ...(status.faceToFace.date ? [{ name: 'date', valueDate: status.faceToFace.date }] : []),
          ],
        },
        {
          name: 'medicationReconciliation',
          part: [
            { name: 'met', valueBoolean: status.medicationReconciliation.met },
            ...str('detail', status.medicationReconciliation.detail),
          ],
        },
        ...(facts.lace
          ? [
              {
                name: 'lace',
                part: [
                  { name: 'total', valueInteger: facts.lace.total },
                  { name: 'band', valueCode: facts.lace.band },
                  { name: 'L', valueInteger: facts.lace.length },
                  { name: 'A', valueInteger: facts.lace.acuity },
                  { name: 'C', valueInteger: facts.lace.comorbidity },
                  { name: 'E', valueInteger: facts.lace.emergency },
                  { name: 'lengthOfStayDays', valueInteger: facts.lace.lengthDays },
                  { name: 'charlson', valueInteger: facts.lace.charlson },
                  { name: 'edVisits', valueInteger: facts.lace.edVisits },
                ],
              },
            ]
          : []),
      ],
    };
    return send(reply, parameters);
  });

  app.get<{ Params: { id: string } }>('/fhir/EpisodeOfCare/:id/$after-hospital-plan', async (req, reply) => {
    const { patient, facts } = await loadEpisode(req.fhir, req.params.id);
    const today = clock.today();
    const [teams, appointments, pending, conditions] = await Promise.all([
      searchEvery<CareTeam>(req.fhir, 'CareTeam', [
        ['patient', patient],
        ['status', 'active'],
      ]),
      searchEvery<Appointment>(req.fhir, 'Appointment', [
        ['patient', patient],
        ['date', `ge${today}`],
      ]),
      searchEvery<ServiceRequest>(req.fhir, 'ServiceRequest', [
        ['patient', patient],
        ['status', 'active'],
        ['category', 'http://snomed.info/sct|108252007'],
      ]),
      searchEvery<Condition>(req.fhir, 'Condition', [
        ['patient', patient],
        ['clinical-status', 'active'],
      ]),
    ]);
    const roles = careTeamRolesOf(teams);
    const practitioner = async (ref: string | undefined) =>
      ref
        ? await req.fhir.read('Practitioner', ref.slice('Practitioner/'.length)).then(
            (v) => parse<Practitioner>(v.json),
            () => undefined,
          )
        : undefined;
    const plan = buildAfterHospitalPlan({
      dischargeDate: facts.dischargeDate,
      coordinator: await practitioner(roles.coordinator?.reference),
      pcp: await practitioner(roles.pcp?.reference),
      appointments,
      pendingTests: pending,
      conditions,
      today,
    });
    const parameters: Parameters = {
      resourceType: 'Parameters',
      parameter: [
        ...(plan.dischargeDate ? [{ name: 'dischargeDate', valueDate: plan.dischargeDate }] : []),
        ...plan.whoToCall.map((c) => ({
          name: 'whoToCall',
          part: [
            { name: 'role', valueString: c.role },
            { name: 'name', valueString: c.name },
            ...str('phone', c.phone),
          ],
        })),
        ...plan.appointments.map((a) => ({
          name: 'appointment',
          part: [
            { name: 'when', valueDateTime: a.when },
            { name: 'what', valueString: a.what },
            ...str('with', a.with),
          ],
        })),
        ...plan.pendingTests.map((t) => ({ name: 'pendingTest', valueString: t })),
        ...plan.warningSigns.map((w) => ({ name: 'warningSign', valueString: w })),
      ],
    };
    return send(reply, parameters);
  });

  app.get('/fhir/EpisodeOfCare/$transition-measures', async (req, reply) => {
    const episodes = (
      await searchEvery<EpisodeOfCare>(req.fhir, 'EpisodeOfCare', [
        ['type', `${EPISODE_TYPE.system}|${EPISODE_TYPE.code}`],
      ])
    ).filter((e) => e.id);
    const rows = [];
    for (const e of episodes) {
      const facts = readEpisode(e);
      const patient = (e.patient.reference ?? '').replace(/^Patient\//, '');
      rows.push({ facts, status: await statusOf(req.fhir, clock, e.id as string, patient, facts) });
    }
    const report: MeasureReport = {
      resourceType: 'MeasureReport',
      status: 'complete',
      type: 'summary',
      measure: 'http://careloop.org/fhir/Measure/transitions-of-care',
      date: clock.nowIso(),
      period: { end: clock.today() },
      group: transitionMeasures(rows).flatMap((b) =>
        b.measures.map((m) => ({
          code: {
            coding: [{ system: 'http://careloop.org/fhir/CodeSystem/transition-measure', code: m.id }],
            text: `${m.name} (${b.band === 'all' ? 'all risk bands' : `${b.band} risk`})`,
          },
          extension: [
            { url: 'http://careloop.org/fhir/StructureDefinition/risk-band', valueCode: b.band },
            { url: 'http://careloop.org/fhir/StructureDefinition/atlas-domain', valueString: m.atlasDomain },
          ],
          population: [
            { code: { coding: [{ code: 'numerator' }] }, count: m.numerator },
            { code: { coding: [{ code: 'denominator' }] }, count: m.denominator },
          ],
          ...(m.rate !== undefined ? { measureScore: { value: m.rate, unit: 'ratio' } } : {}),
        })),
      ),
    };
    return send(reply, report);
  });
}
