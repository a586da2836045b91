// Memberships of a patient's care team: add one (with a role and a start), change someone's role,
// end one (the membership keeps its history; the period's end closes it, and with it the member's
// access to the patient's record). Problems are values. Pure: dates are passed in.
import type { CareTeam, CareTeamParticipant, CodeableConcept, Organization, Reference } from '@medplum/fhirtypes';

export type MembershipResult = { ok: true; team: CareTeam } | { ok: false; message: string };

// A membership whose period ends today is over: the access rules end it at the start of that date.
const isCurrent = (p: CareTeamParticipant, today: string) =>
  (!p.period?.start || p.period.start.slice(0, 10) <= today) && (!p.period?.end || p.period.end.slice(0, 10) > today);

const sameMember = (p: CareTeamParticipant, member: string) => p.member?.reference === member;

export function addMember(
  team: CareTeam,
  input: {
    member: NonNullable<CareTeamParticipant['member']>;
    role: CodeableConcept;
    start: string;
    onBehalfOf?: Reference<Organization>;
  },
  today: string,
): MembershipResult {
  const ref = input.member.reference;
  if (!ref) return { ok: false, message: 'The member needs a reference (Practitioner/x, RelatedPerson/x, ...)' };
  if ((team.participant ?? []).some((p) => sameMember(p, ref) && isCurrent(p, today)))
    return { ok: false, message: `${input.member.display ?? ref} is already on this care team` };
  const participant: CareTeamParticipant = {
    role: [input.role],
    member: input.member,
    ...(input.onBehalfOf ? { onBehalfOf: input.onBehalfOf } : {}),
    period: { start: input.start },
  };
  return { ok: true, team: { ...team, participant: [...(team.participant ?? []), participant] } };
}

export function endMember(team: CareTeam, member: string, end: string, today: string): MembershipResult {
  let found = false;
  const participant = (team.participant ?? []).map((p) => {
    if (!sameMember(p, member) || !isCurrent(p, today)) return p;
    found = true;
    return { ...p, period: { ...p.period, end } };
  });
  if (!found) return { ok: false, message: `${member} is not a current member of this care team` };
  return { ok: true, team: { ...team, participant } };
}

export function changeRole(team: CareTeam, member: string, role: CodeableConcept, today: string): MembershipResult {
  let found = false;
  const participant = (team.participant ?? []).map((p) => {
    if (!sameMember(p, member) || !isCurrent(p, today)) return p;
    found = true;
    return { ...p, role: [role] };
  });
  if (!found) return { ok: false, message: `${member} is not a current member of this care team` };
  return { ok: true, team: { ...team, participant } };
}
