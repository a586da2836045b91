import type { CareTeam } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { careTeamRolesOf, memberInRole } from './team-roles.js';

const team: CareTeam = {
  resourceType: 'CareTeam',
  participant: [
    { role: [{ text: 'Patient' }], member: { reference: 'Patient/p' } },
    { role: [{ coding: [{ display: 'Care coordinator' }] }], member: { reference: 'Practitioner/c', display: 'Cora' } },
    { role: [{ text: 'Primary care physician' }], member: { reference: 'Practitioner/d' } },
    { role: [{ text: 'Clinical pharmacist' }], member: { reference: 'Organization/pharmacy' } },
  ],
};

it('finds each role by its words, a Practitioner only', () => {
  expect(memberInRole([team], 'coordinator')).toEqual({ reference: 'Practitioner/c', display: 'Cora' });
  expect(careTeamRolesOf([team])).toEqual({
    coordinator: { reference: 'Practitioner/c', display: 'Cora' },
    pcp: { reference: 'Practitioner/d' },
  });
});
