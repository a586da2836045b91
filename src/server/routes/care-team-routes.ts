// CareTeam/{id}/$add-member, $change-member and $end-member (Parameters in, the updated CareTeam
// out). The change is an ordinary update of the team by the requester (their access applies, its
// Provenance records them), so access that follows membership changes with it at once.
import type {
  CareTeam,
  CareTeamParticipant,
  CodeableConcept,
  Organization,
  Parameters,
  Reference,
} from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { addMember, changeRole, endMember, type MembershipResult } from '../../care/careteam/care-team-membership.js';
import { badRequest, OutcomeError } from '../../fhir/outcome.js';
import { sendResource } from '../http/fhir-reply.js';

function param(body: Parameters, name: string) {
  return body.parameter?.find((p) => p.name === name);
}

function parametersOf(body: unknown): Parameters {
  const p = body as Parameters | undefined;
  if (p?.resourceType !== 'Parameters') throw badRequest('Send a Parameters resource');
  return p;
}

function memberOf(body: Parameters): NonNullable<CareTeamParticipant['member']> {
  const member = param(body, 'member')?.valueReference;
  if (!member?.reference) throw badRequest('member (valueReference) is required', 'Parameters.parameter.member');
  return member as NonNullable<CareTeamParticipant['member']>;
}

function roleOf(body: Parameters): CodeableConcept {
  const p = param(body, 'role');
  const role = p?.valueCodeableConcept ?? (p?.valueString ? { text: p.valueString } : undefined);
  if (!role) throw badRequest('role (valueCodeableConcept or valueString) is required', 'Parameters.parameter.role');
  return role;
}

export function registerCareTeamRoutes(app: FastifyInstance, clock: ClinicClock): void {
  const today = () => clock.today();
  const operation = (name: string, apply: (team: CareTeam, body: Parameters) => MembershipResult) =>
    app.post<{ Params: { id: string } }>(`/fhir/CareTeam/:id/$${name}`, async (req, reply) => {
      const body = parametersOf(req.body);
      const current = await req.fhir.read('CareTeam', req.params.id);
      const team = JSON.parse(current.json as string) as CareTeam;
      const result = apply(team, body);
      if (!result.ok) throw new OutcomeError('business-rule', result.message, { status: 422 });
      const written = await req.fhir.update('CareTeam', req.params.id, result.team, {
        ifMatch: `W/"${current.versionId}"`,
      });
      return sendResource(reply, written.stored);
    });

  operation('add-member', (team, body) => {
    const onBehalfOf = param(body, 'onBehalfOf')?.valueReference as Reference<Organization> | undefined;
    return addMember(
      team,
      {
        member: memberOf(body),
        role: roleOf(body),
        start: param(body, 'start')?.valueDate ?? today(),
        ...(onBehalfOf ? { onBehalfOf } : {}),
      },
      today(),
    );
  });
  operation('change-member', (team, body) =>
    changeRole(team, memberOf(body).reference as string, roleOf(body), today()),
  );
  operation('end-member', (team, body) =>
    endMember(team, memberOf(body).reference as string, param(body, 'end')?.valueDate ?? today(), today()),
  );
}
