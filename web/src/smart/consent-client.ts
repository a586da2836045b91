// SMART apps from the web app: the consent step of a launch and opening an app from a record (EHR
// launch). The consent step of a SMART app launch, as the server decides it (src/access/auth/oidc/
// smart-consent.ts): what the app asks for, in words, and the user's answer. The interaction's
// cookie travels with these same-origin requests; the user's own token says who answers.
import { authRequest } from '../api/auth-request.js';

export interface ConsentDetails {
  readonly uid: string;
  readonly app: string;
  readonly scopes: readonly { scope: string; words: string }[];
  /** The patients to choose from (a caregiver acting for several). */
  readonly patients: readonly { reference: string; name: string }[];
  /** A clinician finds the patient the app is for (PatientFinder). */
  readonly findPatient?: boolean;
  /** Allowed before, all of it: the launch goes on without asking (epoch ms of the consent). */
  readonly remembered?: { readonly since: number };
}

const authed = <T>(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> =>
  authRequest<T>(method, path, body);

const call = <T>(uid: string, step: string, body?: unknown): Promise<T> =>
  authed<T>(`/auth/smart/interaction/${encodeURIComponent(uid)}/${step}`, body);

export const loadConsent = (uid: string): Promise<ConsentDetails> => call(uid, 'details');

/** The answer; resolves to where the browser goes next (back to the app). */
export async function answerConsent(uid: string, allow: boolean, patient?: string): Promise<string> {
  const { redirectTo } = await call<{ redirectTo: string }>(uid, allow ? 'approve' : 'decline', {
    ...(patient ? { patient } : {}),
  });
  return redirectTo;
}

export interface LaunchableApp {
  readonly id: string;
  readonly name: string;
}

/** The registered apps that open from a record (EHR launch). */
export const loadLaunchableApps = (): Promise<LaunchableApp[]> => authed('/auth/smart/apps');

/**
 * Opens an app for a patient (and the hospital stay of a transition episode): where to send the
 * browser (the app's launch URL with iss and launch).
 */
export async function launchApp(app: string, patient: string, episode?: string): Promise<string> {
  return (await authed<{ url: string }>('/auth/smart/launch', { app, patient, ...(episode ? { episode } : {}) })).url;
}

/** An app the user allowed (src/access/auth/oidc/connected-apps.ts). */
export interface ConnectedApp {
  readonly grantId: string;
  readonly app: string;
  readonly patient?: { readonly reference: string; readonly name: string };
  readonly allows: readonly string[];
  readonly since: number;
  readonly until: number;
}

export const loadConnectedApps = async (): Promise<ConnectedApp[]> =>
  (await authed<{ apps: ConnectedApp[] }>('/auth/smart/consents')).apps;

/** Withdraws the consent: the app's access ends at once. */
export const withdrawConnectedApp = (grantId: string): Promise<void> =>
  authed<void>(`/auth/smart/consents/${encodeURIComponent(grantId)}`, undefined, 'DELETE');
