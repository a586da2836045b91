// "Connected apps": the SMART apps a user allowed, as the portal lists them (which app, for whose
// record, what it may do in words, since when), and withdrawing one, which ends the app's access
// at once: its grant and every token of it are removed (smart-tokens.ts finds none).
import type { Account } from '../../../store/account-store.js';
import type { Store } from '../../../store/store.js';
import { describeScope, nameOf } from './smart-consent.js';

export interface ConnectedApp {
  readonly grantId: string;
  readonly app: string;
  readonly patient: { readonly reference: string; readonly name: string } | undefined;
  readonly allows: readonly string[];
  readonly since: number;
  readonly until: number;
}

/** The user's consents still in force (their grant not revoked nor expired), newest first. */
export async function listConnectedApps(store: Store, account: Account, now: number): Promise<ConnectedApp[]> {
  const accounts = store.accounts;
  const out: ConnectedApp[] = [];
  for (const consent of await accounts.listConsents(account.id, now)) {
    if (!(await accounts.findArtifact('Grant', consent.grantId, now))) continue;
    const app = await accounts.getApp(consent.clientId);
    if (!app || app.disabled) continue;
    out.push({
      grantId: consent.grantId,
      app: app.name,
      patient: consent.patient ? { reference: consent.patient, name: await nameOf(store, consent.patient) } : undefined,
      allows: consent.scope.split(' ').filter(Boolean).map(describeScope),
      since: consent.givenAt,
      until: consent.expiresAt,
    });
  }
  return out;
}
