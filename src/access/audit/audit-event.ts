// An audit log entry as a FHIR R4 AuditEvent (R4 §6.4; the codes follow the IHE Basic Audit Log
// Patterns: RESTful interactions typed `rest`, sign-in and sign-out as DICOM 110114 User
// Authentication with subtypes 110122 Login / 110123 Logout, emergency access as purpose ETREAT).
import type { AuditEvent, AuditEventEntity } from '@medplum/fhirtypes';
import { agentNameOf, type StoredAuditEntry } from '../../store/audit-store.js';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const REST_INTERACTION = 'http://hl7.org/fhir/restful-interaction';

function typeOf(kind: string): Pick<AuditEvent, 'type' | 'subtype'> {
  switch (kind) {
    case 'login':
    case 'login-failed':
      return {
        type: { system: DCM, code: '110114', display: 'User Authentication' },
        subtype: [{ system: DCM, code: '110122', display: 'Login' }],
      };
    case 'logout':
      return {
        type: { system: DCM, code: '110114', display: 'User Authentication' },
        subtype: [{ system: DCM, code: '110123', display: 'Logout' }],
      };
    case 'export':
      return {
        type: { system: DCM, code: '110106', display: 'Export' },
      };
    case 'rest':
      return {
        type: {
          system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
          code: 'rest',
          display: 'RESTful Operation',
        },
      };
    default:
      return {
        type: {
          system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
          code: 'rest',
          display: 'RESTful Operation',
        },
        subtype: [{ system: 'http://careloop.org/fhir/CodeSystem/audit-subtype', code: kind }],
      };
  }
}

function restSubtype(action: string, entity: string | undefined): string | undefined {
  if (!entity) return undefined;
  const isInstance = entity.includes('/');
  switch (action) {
    case 'C':
      return 'create';
    case 'R':
      return entity.includes('/_history/') ? 'vread' : isInstance ? 'read' : 'search-type';
    case 'U':
      return 'update';
    case 'D':
      return 'delete';
    default:
      return entity.startsWith('$') || entity.includes('$') ? 'operation' : isInstance ? undefined : 'search-type';
  }
}

/** 0 success, 4 minor failure (the client's request was refused), 8 serious failure (the server's). */
const outcomeOf = (status: number): AuditEvent['outcome'] => (status < 400 ? '0' : status < 500 ? '4' : '8');

/**
 * `forPatients`: rendering for a patient's accounting of disclosures, which shows who accessed the
 * record, when and how, but not other patients named in the same entry nor the query text (which
 * may name them).
 */
export function toAuditEvent(stored: StoredAuditEntry, forPatients?: readonly string[]): AuditEvent {
  const e = forPatients
    ? {
        ...stored.entry,
        patients: stored.entry.patients.filter((p) => forPatients.includes(p)),
        query: undefined,
        entity: stored.entry.entity?.split('/')[0],
        detail: undefined,
      }
    : stored.entry;
  const subtype = e.kind === 'rest' ? restSubtype(e.action, stored.entry.entity) : undefined;
  const type = typeOf(e.kind);
  const entities: AuditEventEntity[] = e.patients.map((p) => ({
    // '*': a bulk action over every patient's records (an export).
    ...(p === '*' ? { name: 'every patient' } : { what: { reference: `Patient/${p}` } }),
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
    role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
  }));
  if (e.entity || e.query) {
    // `Type/id` (or its history) is a reference; a search, an operation or a command is a name.
    const reference =
      e.entity !== undefined && /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}(\/_history(\/\d+)?)?$/.test(e.entity);
    entities.push({
      ...(reference ? { what: { reference: e.entity } } : {}),
      ...(e.entity && !reference ? { name: e.entity } : {}),
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
      ...(e.query ? { query: Buffer.from(e.query, 'utf8').toString('base64') } : {}),
    });
  }
  return {
    resourceType: 'AuditEvent',
    id: String(stored.seq),
    ...type,
    ...(subtype ? { subtype: [{ system: REST_INTERACTION, code: subtype }] } : {}),
    action: e.action,
    recorded: new Date(e.recorded).toISOString(),
    outcome: outcomeOf(e.status),
    ...(e.detail ? { outcomeDesc: e.detail } : {}),
    ...(e.breakGlass
      ? {
          purposeOfEvent: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
                  code: 'ETREAT',
                  display: 'Emergency Treatment',
                },
              ],
              text: 'Emergency access (break the glass)',
            },
          ],
        }
      : {}),
    agent: [
      {
        ...(e.role ? { role: [{ text: e.role }] } : {}),
        ...(e.fhirUser || e.username || e.clientId
          ? {
              who: {
                ...(e.fhirUser ? { reference: e.fhirUser } : {}),
                display: agentNameOf(e) || undefined,
              },
            }
          : {}),
        ...(e.accountId ? { altId: e.accountId } : {}),
        requestor: true,
        ...(e.address ? { network: { address: e.address, type: '2' as const } } : {}),
      },
      // A user acting through a SMART app: the app too (DICOM 110150 "Application"), not the requestor.
      ...(e.accountId && e.clientId
        ? [
            {
              type: {
                coding: [
                  { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110150', display: 'Application' },
                ],
              },
              who: { identifier: { value: e.clientId }, display: e.appName ?? `app ${e.clientId}` },
              requestor: false,
            },
          ]
        : []),
    ],
    source: {
      observer: { display: 'Careloop' },
      type: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/security-source-type',
          code: '4',
          display: 'Application Server',
        },
      ],
    },
    ...(entities.length ? { entity: entities } : {}),
  };
}
