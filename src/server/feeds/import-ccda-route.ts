// POST /fhir/$import-ccda: a C-CDA R2.1 document as the body (application/xml, application/cda+xml
// or text/xml) from a user or system that may register patients (care team staff, a backend feed).
// The answer is a Parameters resource: the outcome (applied, unchanged, review), the patient, the
// DocumentReference that keeps the document, and how many resources of each type it gave. A
// document that cannot be read is a 422 OperationOutcome naming the element. A document about a
// patient the requester may not open is refused (403) before anything is kept.
import type { Parameters } from '@medplum/fhirtypes';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditTrail } from '../../access/audit/audit-trail.js';
import { ROLE_POLICIES } from '../../access/policy/role-policies.js';
import { readCcda } from '../../care/feeds/ccda/ccda-codec.js';
import { doubtAboutPatient } from '../../care/feeds/match-patient.js';
import { OutcomeError } from '../../fhir/outcome.js';
import { FHIR_JSON } from '../http/fhir-reply.js';
import { principalOf } from '../http/request-context.js';
import { type CcdaImportDeps, type CcdaImported, importCcda, lookUpDocumentPatient } from './import-ccda.js';

export function ccdaParameters(done: Exclude<CcdaImported, { outcome: 'refused' }>): Parameters {
  if (done.outcome === 'review')
    return {
      resourceType: 'Parameters',
      parameter: [
        { name: 'outcome', valueCode: 'review' },
        { name: 'reason', valueString: done.reason },
      ],
    };
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'outcome', valueCode: done.outcome },
      { name: 'patient', valueReference: { reference: `Patient/${done.patient}` } },
      { name: 'documentReference', valueReference: { reference: done.documentReference } },
      ...Object.entries(done.counts).map(([type, count]) => ({
        name: 'resources',
        part: [
          { name: 'type', valueCode: type },
          { name: 'count', valueInteger: count },
        ],
      })),
    ],
  };
}

/** The requester may bring a document into a record they may open, or register its patient. */
async function authorize(req: FastifyRequest, deps: CcdaImportDeps, xml: string): Promise<void> {
  const role = principalOf(req).role;
  if (!ROLE_POLICIES[role].registerPatients)
    throw new OutcomeError('forbidden', 'Importing documents is for care team staff', { status: 403 });
  const reading = readCcda(xml);
  if (!reading.ok) return;
  const found = await lookUpDocumentPatient(deps.repository, reading.document);
  const name = reading.document.patient.name?.[0];
  const known = found.byIdentifier[0];
  if (!known?.id || doubtAboutPatient({ family: name?.family, birthDate: reading.document.patient.birthDate }, found))
    return;
  try {
    await req.fhir.read('Patient', known.id);
  } catch {
    throw new OutcomeError('forbidden', "The document's patient is outside your access", { status: 403 });
  }
}

export function registerImportCcdaRoute(app: FastifyInstance, deps: CcdaImportDeps & { trail: AuditTrail }): void {
  app.post('/fhir/$import-ccda', async (req, reply) => {
    const xml = typeof req.body === 'string' ? req.body : undefined;
    if (!xml)
      throw new OutcomeError(
        'structure',
        'Send the C-CDA document as the body (application/cda+xml or application/xml)',
        {
          status: 415,
        },
      );
    req.audit.kind = 'ccda';
    req.audit.action = 'C';
    req.audit.entity = '$import-ccda';
    await authorize(req, deps, xml);
    const done = await importCcda(deps, xml, `user ${principalOf(req).name}`.slice(0, 120));
    if (done.outcome === 'refused')
      throw new OutcomeError('invalid', done.problem.text, { status: 422, expression: [done.problem.element] });
    if (done.outcome !== 'review') req.audit.patients.add(done.patient);
    return reply
      .code(done.outcome === 'applied' ? 201 : done.outcome === 'review' ? 202 : 200)
      .type(FHIR_JSON)
      .send(JSON.stringify(ccdaParameters(done)));
  });
}
