// EHR launch (SMART App Launch 2.x, "EHR launch"): a user working on a patient's record opens a
// registered app from Careloop; the app is started at its launch URL with `iss` (the FHIR base)
// and an opaque `launch` that stands for the context (the patient, and who launched it). The app
// sends `launch` back at authorization; it is good once, for five minutes, for that app and that
// user, and its patient becomes the token's `patient` (its encounter, from a transition episode,
// the token's `encounter`).
import { randomBytes } from 'node:crypto';
import type { AccountStore } from '../../../store/account-store.js';

export const LAUNCH_SECONDS = 300;

export interface LaunchContext {
  readonly clientId: string;
  readonly accountId: string;
  readonly patient: string;
  /** `Encounter/{id}` when opened from a transition episode (the hospital stay it follows). */
  readonly encounter?: string;
}

export type LaunchStarted =
  | { readonly ok: true; readonly url: string }
  | { readonly ok: false; readonly status: 400 | 404; readonly message: string };

/** Makes the launch and the URL to open the app at. */
export async function startEhrLaunch(
  accounts: AccountStore,
  input: { clientId: string; accountId: string; patient: string; encounter?: string; fhirBase: string; now: number },
): Promise<LaunchStarted> {
  const app = await accounts.getApp(input.clientId);
  if (!app || app.disabled || !app.launchUri)
    return { ok: false, status: 404, message: 'No app that opens from Careloop has this id' };
  const launch = randomBytes(24).toString('base64url');
  const context: LaunchContext = {
    clientId: app.id,
    accountId: input.accountId,
    patient: input.patient,
    ...(input.encounter ? { encounter: input.encounter } : {}),
  };
  await accounts.saveArtifact('EhrLaunch', launch, JSON.stringify(context), {
    expiresAt: input.now + LAUNCH_SECONDS * 1000,
  });
  const url = new URL(app.launchUri);
  url.searchParams.set('iss', input.fhirBase);
  url.searchParams.set('launch', launch);
  return { ok: true, url: url.toString() };
}

/** The launch's context while it is good and for this app; undefined otherwise. */
export async function findEhrLaunch(
  accounts: AccountStore,
  launch: string,
  clientId: string,
  now: number,
): Promise<LaunchContext | undefined> {
  const found = await accounts.findArtifact('EhrLaunch', launch, now);
  if (!found || found.consumedAt !== undefined) return undefined;
  const context = JSON.parse(found.payload) as LaunchContext;
  return context.clientId === clientId ? context : undefined;
}

/** Uses the launch up (once); false when it was used already. */
export function spendEhrLaunch(accounts: AccountStore, launch: string, now: number): Promise<boolean> {
  return accounts.consumeArtifact('EhrLaunch', launch, now);
}
