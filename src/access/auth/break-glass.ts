// Emergency access ("break the glass", ONC 170.315(d)(6)): a clinician opens a record outside their
// care teams by stating a reason. The grant lasts a limited time, and every access through it is
// flagged in the audit log for review.
import type { AccessGrant } from '../../store/account-store.js';
import { newResourceId } from '../../store/ids/new-resource-id.js';
import { ROLE_POLICIES } from '../policy/role-policies.js';
import { idOf, type Principal } from '../principal.js';
import type { AuthContext } from './auth-context.js';

export type BreakGlassResult = { ok: true; grant: AccessGrant } | { ok: false; status: number; message: string };

export async function breakGlass(
  ctx: AuthContext,
  principal: Principal,
  input: { patient: string; reason: string },
): Promise<BreakGlassResult> {
  if (principal.kind !== 'user' || !ROLE_POLICIES[principal.role].breakGlass) {
    return { ok: false, status: 403, message: 'Emergency access is for clinical staff' };
  }
  const patient =
    idOf(input.patient, 'Patient') ?? (/^[A-Za-z0-9\-.]{1,64}$/.test(input.patient) ? input.patient : undefined);
  if (!patient) return { ok: false, status: 400, message: 'Name the patient as Patient/ID' };
  const reason = input.reason.trim();
  if (reason.length < 10)
    return { ok: false, status: 400, message: 'Give the reason for emergency access (at least 10 characters)' };
  const stored = await ctx.store.readCurrent('Patient', patient);
  if (!stored || stored.deleted) return { ok: false, status: 404, message: `Patient/${patient} not found` };
  const now = ctx.now();
  const grant: AccessGrant = {
    id: newResourceId(),
    accountId: principal.id,
    patient,
    reason: reason.slice(0, 1000),
    createdAt: now,
    expiresAt: now + ctx.settings.breakGlassMs,
  };
  await ctx.store.accounts.createGrant(grant);
  return { ok: true, grant };
}
