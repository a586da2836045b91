import type { CareTeam } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { addMember, changeRole, endMember } from './care-team-membership.js';

const team: CareTeam = {
  resourceType: 'CareTeam',
  status: 'active',
  participant: [
    { role: [{ text: 'Care coordinator' }], member: { reference: 'Practitioner/c' }, period: { start: '2026-01-01' } },
    {
      role: [{ text: 'Physical therapist' }],
      member: { reference: 'Practitioner/pt' },
      period: { start: '2025-01-01', end: '2025-06-30' },
    },
  ],
};
const today = '2026-11-25';

describe('care team membership', () => {
  it('adds a member with a role and a start', () => {
    const r = addMember(
      team,
      { member: { reference: 'Practitioner/h' }, role: { text: 'Home health nurse' }, start: today },
      today,
    );
    expect(r.ok && r.team.participant?.[2]).toEqual({
      role: [{ text: 'Home health nurse' }],
      member: { reference: 'Practitioner/h' },
      period: { start: today },
    });
  });

  it('refuses to add a current member twice, but takes back a former one', () => {
    expect(
      addMember(team, { member: { reference: 'Practitioner/c' }, role: { text: 'x' }, start: today }, today).ok,
    ).toBe(false);
    const back = addMember(
      team,
      { member: { reference: 'Practitioner/pt' }, role: { text: 'Physical therapist' }, start: today },
      today,
    );
    expect(back.ok && back.team.participant?.length).toBe(3);
  });

  it('ends a current membership and keeps it in the team with its end', () => {
    const r = endMember(team, 'Practitioner/c', today, today);
    expect(r.ok && r.team.participant?.[0]?.period).toEqual({ start: '2026-01-01', end: today });
    expect(endMember(team, 'Practitioner/pt', today, today).ok).toBe(false);
  });

  it('changes a current member’s role only', () => {
    const r = changeRole(team, 'Practitioner/c', { text: 'Lead care coordinator' }, today);
    expect(r.ok && r.team.participant?.map((p) => p.role?.[0]?.text)).toEqual([
      'Lead care coordinator',
      'Physical therapist',
    ]);
    expect(changeRole(team, 'Practitioner/zz', { text: 'x' }, today).ok).toBe(false);
  });
});
