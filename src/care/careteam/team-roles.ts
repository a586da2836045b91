// Who on a patient's active care teams holds a role, read from the role's words (its text or a
// coding's display: "Care coordinator", "Primary care physician", "Clinical pharmacist"), so that
// the work Careloop raises lands on the right worklist. One place for the assessment, care plan,
// referral, scheduling and transition work alike.
import type { CareTeam, Practitioner, Reference } from '@medplum/fhirtypes';
import type { CareSearch } from '../care-reader.js';

export type TeamRole = 'coordinator' | 'pcp' | 'pharmacist';

const ROLE_WORDS: Readonly<Record<TeamRole, RegExp>> = {
  coordinator: /coordinator/i,
  pcp: /primary care|pcp|general practi/i,
  pharmacist: /pharmacist/i,
};

/** The first Practitioner of the teams whose role says `role`. */
export function memberInRole(teams: readonly CareTeam[], role: TeamRole): Reference<Practitioner> | undefined {
  const words = ROLE_WORDS[role];
  for (const team of teams)
    for (const p of team.participant ?? []) {
      const holds = (p.role ?? []).some(
        (r) => words.test(r.text ?? '') || (r.coding ?? []).some((c) => words.test(c.display ?? '')),
      );
      if (holds && p.member?.reference?.startsWith('Practitioner/'))
        return { reference: p.member.reference, ...(p.member.display ? { display: p.member.display } : {}) };
    }
  return undefined;
}

export function careTeamRolesOf(teams: readonly CareTeam[]): Partial<Record<TeamRole, Reference<Practitioner>>> {
  const out: Partial<Record<TeamRole, Reference<Practitioner>>> = {};
  for (const role of Object.keys(ROLE_WORDS) as TeamRole[]) {
    const member = memberInRole(teams, role);
    if (member) out[role] = member;
  }
  return out;
}

function activeCareTeams(tx: CareSearch, patient: string): Promise<CareTeam[]> {
  return tx.searchEvery<CareTeam>('CareTeam', [
    ['patient', patient],
    ['status', 'active'],
  ]);
}

/** The coordinator, physician and pharmacist of the patient's active care teams. */
export async function careTeamRoles(
  tx: CareSearch,
  patient: string,
): Promise<Partial<Record<TeamRole, Reference<Practitioner>>>> {
  return careTeamRolesOf(await activeCareTeams(tx, patient));
}

/** The care coordinator on the patient's active care team (role text or SNOMED "care coordinator"). */
export async function careCoordinatorOf(tx: CareSearch, patient: string): Promise<Reference<Practitioner> | undefined> {
  return memberInRole(await activeCareTeams(tx, patient), 'coordinator');
}
