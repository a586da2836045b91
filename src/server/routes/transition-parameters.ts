// The transitions operations' answers as FHIR (Parameters and a MeasureReport): one encoder per
// operation, so a route only gathers (src/care/transitions/transition-service.ts) and sends. The web
// app decodes these in web/src/transitions/transition-words.ts.
import type { MeasureReport, Parameters, Reference } from '@medplum/fhirtypes';
import type { AfterHospitalPlan } from '../../care/transitions/after-hospital-plan.js';
import { type EpisodeFacts, LACE_NUMBERS, type LaceNumber } from '../../care/transitions/episode-resources.js';
import type { ReadinessItem } from '../../care/transitions/readiness.js';
import type { TcmStatus } from '../../care/transitions/tcm-status.js';
import type { BandMeasures } from '../../care/transitions/transition-measures.js';
import {
  optionalCode,
  optionalDate,
  optionalDateTime,
  optionalInteger,
  optionalReference,
  optionalString,
} from '../../fhir/parameters/optional-parameter.js';

export function readinessParameters(id: string, facts: EpisodeFacts, items: readonly ReadinessItem[]): Parameters {
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'episode', valueReference: { reference: `EpisodeOfCare/${id}` } },
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
          ...optionalInteger('projectRed', i.red),
          ...optionalCode('ctiPillar', i.cti),
        ],
      })),
    ],
  };
}

export function tcmStatusParameters(
  facts: EpisodeFacts,
  status: TcmStatus,
  physician: Reference | undefined,
): Parameters {
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'eligible', valueBoolean: status.eligible },
      { name: 'code', valueCode: status.code },
      ...status.reasons.map((r) => ({ name: 'reason', valueString: r })),
      ...optionalCode('complexity', facts.tcm?.complexity),
      ...optionalCode('suggestedComplexity', facts.tcm?.suggestedComplexity),
      ...optionalString('complexityRecordedBy', facts.tcm?.complexityRecordedBy?.display),
      ...optionalReference('physician', physician),
      ...optionalString('complexityOnBehalfOf', facts.tcm?.complexityOnBehalfOf?.display),
      ...optionalDateTime('complexityRecordedAt', facts.tcm?.complexityRecordedAt),
      ...optionalDate('dischargeDate', facts.dischargeDate),
      ...optionalDate('contactDue', facts.tcm?.contactDue),
      ...optionalDate('faceToFaceDue', facts.tcm?.faceToFaceDue),
      ...optionalDate('periodEnd', facts.tcm?.periodEnd),
      {
        name: 'contact',
        part: [{ name: 'met', valueBoolean: status.contact.met }, ...optionalString('detail', status.contact.detail)],
      },
      ...status.contact.attempts.map((a) => ({
        name: 'attempt',
        part: [
          { name: 'at', valueDateTime: a.at },
          { name: 'channel', valueCode: a.channel },
          { name: 'successful', valueBoolean: a.successful },
          { name: 'timely', valueBoolean: a.timely },
          ...optionalString('note', a.note),
        ],
      })),
      {
        name: 'faceToFace',
        part: [...optionalString('detail', status.faceToFace.detail), ...optionalDate('date', status.faceToFace.date)],
      },
      {
        name: 'medicationReconciliation',
        part: [
          { name: 'met', valueBoolean: status.medicationReconciliation.met },
          ...optionalString('detail', status.medicationReconciliation.detail),
        ],
      },
      ...(facts.lace
        ? [
            {
              name: 'lace',
              part: [
                { name: 'band', valueCode: facts.lace.band },
                ...LACE_NUMBERS.map(([key, name]) => ({
                  name,
                  valueInteger: (facts.lace as Record<LaceNumber, number>)[key],
                })),
              ],
            },
          ]
        : []),
    ],
  };
}

export function afterHospitalPlanParameters(plan: AfterHospitalPlan): Parameters {
  return {
    resourceType: 'Parameters',
    parameter: [
      ...optionalDate('dischargeDate', plan.dischargeDate),
      ...plan.whoToCall.map((c) => ({
        name: 'whoToCall',
        part: [
          { name: 'role', valueString: c.role },
          { name: 'name', valueString: c.name },
          ...optionalString('phone', c.phone),
        ],
      })),
      ...plan.appointments.map((a) => ({
        name: 'appointment',
        part: [
          { name: 'when', valueDateTime: a.when },
          { name: 'what', valueString: a.what },
          ...optionalString('with', a.with),
        ],
      })),
      ...plan.pendingTests.map((t) => ({ name: 'pendingTest', valueString: t })),
      ...plan.warningSigns.map((w) => ({ name: 'warningSign', valueString: w })),
    ],
  };
}

export function transitionMeasureReport(measures: readonly BandMeasures[], now: string, today: string): MeasureReport {
  return {
    resourceType: 'MeasureReport',
    status: 'complete',
    type: 'summary',
    measure: 'http://careloop.org/fhir/Measure/transitions-of-care',
    date: now,
    period: { end: today },
    group: measures.flatMap((b) =>
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
}
