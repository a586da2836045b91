// POST DocumentReference/{id}/$accept: the care team accepts a document a patient uploaded from
// another provider (portal). A C-CDA is then imported into the patient's record (import-ccda.ts)
// and the upload points at what it became (relatesTo transforms); a PDF or any other file stays the
// document it is. Either way it is final from then on: the portal shows it accepted. Care team staff
// only (those who may register patients), on records they may open.
import type { DocumentReference, Patient } from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import { ROLE_POLICIES } from '../../access/policy/role-policies.js';
import { OutcomeError } from '../../fhir/outcome.js';
import { FHIR_JSON } from '../http/fhir-reply.js';
import { principalOf } from '../http/request-context.js';
import { type CcdaImportDeps, importCcdaForPatient } from './import-ccda.js';

const isCda = (contentType: string | undefined) => /(^|\/)(cda\+)?xml\b/.test(contentType ?? '');

export function registerAcceptDocumentRoute(app: FastifyInstance, deps: CcdaImportDeps): void {
  app.post<{ Params: { id: string } }>('/fhir/DocumentReference/:id/$accept', async (req, reply) => {
    if (
      !ROLE_POLICIES[principalOf(req).role].registerPatients ||
      ROLE_POLICIES[principalOf(req).role].context !== 'user'
    )
      throw new OutcomeError('forbidden', 'Documents are accepted by the care team', { status: 403 });
    const stored = await req.fhir.read('DocumentReference', req.params.id);
    const upload = JSON.parse(stored.json ?? '{}') as DocumentReference & { id: string };
    const uploadedBy = upload.author?.[0]?.reference ?? '';
    if (upload.docStatus !== 'preliminary' || !/^(Patient|RelatedPerson)\//.test(uploadedBy))
      throw new OutcomeError('business-rule', 'Only a document a patient uploaded, not yet accepted, is accepted', {
        status: 422,
      });
    const patientRef = upload.subject?.reference ?? '';
    const patient = JSON.parse(
      (await req.fhir.read('Patient', patientRef.replace(/^Patient\//, ''))).json ?? '{}',
    ) as Patient & {
      id: string;
    };
    req.audit.patients.add(patient.id);
    const attachment = upload.content?.[0]?.attachment;
    let relatesTo = upload.relatesTo ?? [];
    if (isCda(attachment?.contentType)) {
      const xml = Buffer.from(attachment?.data ?? '', 'base64').toString('utf8');
      const done = await importCcdaForPatient(deps, xml, `upload by ${uploadedBy}`, patient);
      if (done.outcome === 'refused')
        throw new OutcomeError('invalid', done.problem.text, { status: 422, expression: [done.problem.element] });
      if (done.outcome === 'review') throw new OutcomeError('business-rule', done.reason, { status: 422 });
      relatesTo = [...relatesTo, { code: 'transforms', target: { reference: done.documentReference } }];
    }
    const accepted: DocumentReference = { ...upload, docStatus: 'final', relatesTo };
    if (relatesTo.length === 0) delete accepted.relatesTo;
    const written = await req.fhir.update('DocumentReference', upload.id, accepted, {
      ifMatch: `W/"${stored.versionId}"`,
    });
    return reply.type(FHIR_JSON).send(written.stored.json);
  });
}
