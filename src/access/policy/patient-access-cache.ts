// Access decisions are remembered for a few seconds per principal: computing them reads CareTeams,
// roles and consents, which most requests would otherwise repeat. A write on this server to any
// resource that decides access clears the cache when it commits; other servers' writes are seen
// within TTL_MS.
import type { WriteEvent } from '../../store/repository/repository-context.js';
import type { Store } from '../../store/store.js';
import type { Principal } from '../principal.js';
import { loadPatientAccess, narrowToPatient, type PatientAccess } from './patient-access.js';

const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/** Resource types whose changes can change who sees what. */
const DECIDING_TYPES = new Set(['CareTeam', 'PractitionerRole', 'RelatedPerson', 'Consent', 'Patient']);

/** A referral's fulfilment Task (focus a ServiceRequest) decides what a referral partner sees. */
function isReferralTask(e: WriteEvent): boolean {
  if (e.resourceType !== 'Task') return false;
  const focus = (r: unknown) => (r as { focus?: { reference?: string } } | undefined)?.focus?.reference ?? '';
  return focus(e.resource).startsWith('ServiceRequest/') || focus(e.previous).startsWith('ServiceRequest/');
}

export interface PatientAccessCache {
  get(principal: Principal): Promise<PatientAccess>;
  /** After a commit: forget everything if a deciding resource changed. */
  onCommit(events: readonly WriteEvent[]): void;
  forget(principal: Principal): void;
}

export function createPatientAccessCache(store: Store, now: () => number): PatientAccessCache {
  const cache = new Map<string, { value: Promise<PatientAccess>; at: number; generation: number }>();
  let generation = 0;
  const keyOf = (p: Principal): string => `${p.kind}:${p.id}`;
  const accessOf = (principal: Principal): Promise<PatientAccess> => {
    const key = keyOf(principal);
    const t = now();
    const hit = cache.get(key);
    if (hit && hit.generation === generation && t - hit.at < TTL_MS) return hit.value;
    const startedAt = generation;
    const value = (async () => {
      const grants = principal.kind === 'user' ? await store.accounts.activeGrants(principal.id, t) : [];
      return loadPatientAccess(store, principal, grants, t);
    })();
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(key, { value, at: t, generation: startedAt });
    value.catch(() => cache.delete(key));
    return value;
  };

  return {
    get: async (principal) => {
      const all = await accessOf(principal);
      // A SMART app's token is for the one patient it was launched for, within the user's access.
      return principal.launchPatient ? narrowToPatient(all, principal.launchPatient) : all;
    },
    onCommit: (events) => {
      if (events.some((e) => DECIDING_TYPES.has(e.resourceType) || isReferralTask(e))) {
        generation++;
        cache.clear();
      }
    },
    forget: (principal) => {
      cache.delete(keyOf(principal));
    },
  };
}
