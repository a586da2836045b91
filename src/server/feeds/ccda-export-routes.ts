// C-CDA documents out, for the next provider, built from what the requester may see:
//   GET  Patient/{id}/$ccda?type=ccd|transition[&referral=ServiceRequest/x]
//        a C-CDA R2.1 CCD, or a Referral Note for a transition of care (application/cda+xml)
//   POST ServiceRequest/{id}/$attach-ccda
//        the transition document attached to a referral: kept in the ServiceRequest (a contained
//        DocumentReference named by supportingInfo), so the receiving partner, who sees the
//        referrals sent to them and not the record, reads it with the referral
// Each is audited as a disclosure of the patient's record.
import { createHash } from 'node:crypto';
import type { DocumentReference, ServiceRequest } from '@medplum/fhirtypes';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { buildCcdaBundle, type CcdaExportType } from '../../care/feeds/ccda/build-ccda-bundle.js';
import { writeCcda } from '../../care/feeds/ccda/ccda-codec.js';
import { gatherCcdaExport } from '../../care/feeds/ccda/gather-ccda-export.js';
import { OutcomeError } from '../../fhir/outcome.js';
import { careReaderOf } from '../../store/read-every-page.js';
import { FHIR_JSON } from '../http/fhir-reply.js';
import { principalOf } from '../http/request-context.js';

const ATTACHMENT_ID = 'transition-ccda';

function typeOf(value: unknown): CcdaExportType {
  if (value === undefined || value === 'ccd') return 'ccd';
  if (value === 'transition') return 'transition';
  throw new OutcomeError('invalid', "type must be 'ccd' or 'transition'", { status: 400, expression: ['type'] });
}

async function documentFor(
  req: FastifyRequest,
  clock: ClinicClock,
  patientId: string,
  type: CcdaExportType,
  referral?: string,
): Promise<string> {
  const input = await gatherCcdaExport(careReaderOf(req.fhir), clock, {
    patientId,
    type,
    author: principalOf(req).fhirUser,
    compositionId: createHash('sha256').update(`${patientId}|${clock.nowIso()}|${type}`).digest('hex').slice(0, 32),
    ...(referral ? { referral } : {}),
  });
  req.audit.patients.add(patientId);
  try {
    return writeCcda(buildCcdaBundle(input), type);
  } catch (err) {
    throw new OutcomeError(
      'exception',
      `The document could not be written: ${err instanceof Error ? err.message : String(err)}`,
      {
        status: 500,
      },
    );
  }
}

export function registerCcdaExportRoutes(app: FastifyInstance, clock: ClinicClock): void {
  app.get<{ Params: { id: string }; Querystring: { type?: string; referral?: string } }>(
    '/fhir/Patient/:id/$ccda',
    async (req, reply) => {
      const type = typeOf(req.query.type);
      const xml = await documentFor(req, clock, req.params.id, type, req.query.referral);
      return reply.type('application/cda+xml; charset=utf-8').send(xml);
    },
  );

  app.post<{ Params: { id: string } }>('/fhir/ServiceRequest/:id/$attach-ccda', async (req, reply) => {
    const stored = await req.fhir.read('ServiceRequest', req.params.id);
    const referral = JSON.parse(stored.json ?? '{}') as ServiceRequest & { id: string };
    const patientId = referral.subject?.reference?.startsWith('Patient/')
      ? referral.subject.reference.slice('Patient/'.length)
      : undefined;
    if (!patientId) throw new OutcomeError('business-rule', 'The referral names no patient', { status: 422 });
    const xml = await documentFor(req, clock, patientId, 'transition', `ServiceRequest/${referral.id}`);
    const document: DocumentReference = {
      resourceType: 'DocumentReference',
      id: ATTACHMENT_ID,
      status: 'current',
      type: { coding: [{ system: 'http://loinc.org', code: '57133-1', display: 'Referral note' }] },
      subject: { reference: `Patient/${patientId}` },
      date: clock.nowIso(),
      description: 'Transition of care summary (C-CDA)',
      content: [
        {
          attachment: {
            contentType: 'application/cda+xml',
            title: 'Transition of care summary',
            data: Buffer.from(xml, 'utf8').toString('base64'),
          },
        },
      ],
    };
    // One attached summary per referral: attaching again replaces it with today's.
    const updated: ServiceRequest = {
      ...referral,
      contained: [...(referral.contained ?? []).filter((c) => c.id !== ATTACHMENT_ID), document],
      supportingInfo: [
        ...(referral.supportingInfo ?? []).filter((s) => s.reference !== `#${ATTACHMENT_ID}`),
        { reference: `#${ATTACHMENT_ID}`, display: 'Transition of care summary (C-CDA)' },
      ],
    };
    const written = await req.fhir.update('ServiceRequest', referral.id, updated, {
      ifMatch: `W/"${stored.versionId}"`,
    });
    return reply.type(FHIR_JSON).send(written.stored.json);
  });
}
