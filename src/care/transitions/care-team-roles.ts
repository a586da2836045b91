// Who on the patient's active care teams holds a role (by the role's words: "Care coordinator",
// "Primary care physician", "Clinical pharmacist"), so that transition work lands on the right
// worklist.
import type { CareTeam, Reference } from '@medplum/fhirtypes';
import type { StoreReader } from '../../store/store.js';
import { searchAll } from '../search-in-transaction.js';

export async function careTeamRoles(
  tx: StoreReader,
  patient: string,
): Promise<{ coordinator?: Reference; pcp?: Reference; pharmacist?: Reference }> {
  const teams = await searchAll<CareTeam>(
    tx,
    'CareTeam',
    [
      ['patient', patient],
      ['status', 'active'],
    ],
    200,
  );
  const find = (re: RegExp): Reference | undefined => {
    for (const t of teams)
      for (const p of t.participant ?? []) {
        const words = (p.role ?? [])
          .flatMap((r) => [r.text ?? '', ...(r.coding ?? []).map((c) => c.display ?? '')])
          .join(' ');
        if (re.test(words) && p.member?.reference?.startsWith('Practitioner/'))
          return { reference: p.member.reference, ...(p.member.display ? { display: p.member.display } : {}) };
      }
    return undefined;
  };
  const coordinator = find(/coordinator/i);
  const pcp = find(/primary care|pcp|general practi/i);
  const pharmacist = find(/pharmacist/i);
  return { ...(coordinator ? { coordinator } : {}), ...(pcp ? { pcp } : {}), ...(pharmacist ? { pharmacist } : {}) };
}
