// The sign-in and consent step of a SMART app launch (SMART App Launch 2.x, "authorization code"):
// oidc-provider sends the browser to /auth/smart/interaction/{uid}; Careloop's web app signs the
// user in with its own sign-in (password and second factor) and shows what the app asks for in
// plain words; the user approves (choosing the patient where they act for several) or declines.
// What is granted is never wider than asked, than the app's registration, or than the user's role.

import type { Patient, RelatedPerson } from '@medplum/fhirtypes';
import type Provider from 'oidc-provider';
import type { Account, AccountStore, SmartConsent } from '../../../store/account-store.js';
import type { Store } from '../../../store/store.js';
import { formatScope, parseResourceScope } from '../../scopes/smart-scopes.js';
import { findEhrLaunch, spendEhrLaunch } from './ehr-launch.js';
import { grantableScopes, PROVIDER_SCOPES } from './smart-scope-rules.js';

type ProviderOf = InstanceType<typeof Provider>;

/**
 * How long a consent (and its grant) lasts before the app must ask again: 90 days, as long as an
 * offline_access app may keep refreshing without the user; the user can withdraw it sooner.
 */
export const CONSENT_TTL_MS = 90 * 24 * 3_600_000;
type Raw = Parameters<ProviderOf['interactionDetails']>;

/** A scope in words a patient or clinician understands (SMART scopes, resource types in plain English). */
export function describeScope(scope: string): string {
  const fixed: Record<string, string> = {
    openid: 'Know who you are',
    fhirUser: 'Know who you are in the health record (your name and role)',
    profile: 'Know your name',
    offline_access: 'Keep access when you are not using it, until you withdraw it',
    online_access: 'Keep access while you are using it',
    'launch/patient': 'Ask which patient the app is for',
    launch: 'Open with the record you are working in',
  };
  if (fixed[scope]) return fixed[scope] as string;
  // A granular scope: the same words, for the category it names.
  const granular = parseResourceScope(scope);
  if (granular?.category) {
    const [whole] = scope.split('?');
    const words = describeScope(whole as string);
    return `${words} (${granular.category.code.replace(/-/g, ' ')} only)`;
  }
  const m = /^(patient|user|system)\/(\*|[A-Za-z]+)\.([a-z*]+)$/.exec(scope);
  if (!m) return scope;
  const [, context, type, rights] = m as unknown as [string, string, string, string];
  const what = type === '*' ? 'all records' : `${type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} records`;
  const read = /r|s|read|\*/.test(rights);
  const write = /c|u|d|write|\*/.test(rights);
  const verb = read && write ? 'Read and change' : write ? 'Change' : 'Read';
  const whose = context === 'patient' ? "of the patient's record" : 'you can see';
  return `${verb} ${what} ${whose}`;
}

export interface ConsentDetails {
  readonly uid: string;
  readonly app: string;
  readonly scopes: readonly { scope: string; words: string }[];
  /** Patients to choose from when the app asks for a patient (a caregiver chooses among several). */
  readonly patients: readonly { reference: string; name: string }[];
  /**
   * A clinician's standalone launch asking for a patient: they find the patient among those they may
   * open (the consent page searches the FHIR API with their own token), rather than choose from a list.
   */
  readonly findPatient: boolean;
  /** When the user already allowed all of this (for this patient): the launch goes on without asking. */
  readonly remembered: { readonly since: number } | undefined;
}

/** Whether a consent already allows every scope now to be granted. */
export function coversScopes(consented: string, granted: readonly string[]): boolean {
  const allowed = new Set(consented.split(' '));
  return granted.every((scope) => allowed.has(scope));
}

/** The user's remembered consent to this app for this patient that covers these scopes, if any. */
export async function rememberedConsent(
  accounts: Pick<AccountStore, 'listConsents' | 'findArtifact'>,
  key: { accountId: string; clientId: string; patient: string | undefined },
  granted: readonly string[],
  now: number,
): Promise<SmartConsent | undefined> {
  for (const consent of await accounts.listConsents(key.accountId, now)) {
    if (consent.clientId !== key.clientId || consent.patient !== key.patient) continue;
    if (!coversScopes(consent.scope, granted)) continue;
    // Its grant still there (not revoked through the token endpoint, not expired).
    if (await accounts.findArtifact('Grant', consent.grantId, now)) return consent;
  }
  return undefined;
}

/** What the consent screen shows for this interaction and user. */
export async function consentDetails(
  provider: ProviderOf,
  raw: Raw,
  store: Store,
  account: Account,
  roleScope: (requested: string) => string,
  now: number,
): Promise<ConsentDetails> {
  const interaction = await provider.interactionDetails(...raw);
  const clientId = String(interaction.params.client_id ?? '');
  const app = await store.accounts.getApp(clientId);
  const requested = String(interaction.params.scope ?? '');
  const granted = grantFor(requested, app?.scope ?? '', app?.authMethod !== 'none', roleScope);
  const launch = interaction.params.launch ? String(interaction.params.launch) : undefined;
  const launched = launch ? await findEhrLaunch(store.accounts, launch, clientId, now) : undefined;
  // Opened from a record: that record's patient, shown, not chosen.
  const asksPatient = !launched && requested.split(' ').includes('launch/patient');
  const choices = launched ? [launched.patient] : asksPatient ? await patientsOf(store, account) : [];
  const findPatient = asksPatient && actsForNoOne(account);
  const scopes = [...granted.oidc, ...granted.resource];
  // Remembered only where there is no choice to make: one patient, or none asked for.
  const remembered =
    choices.length <= 1 && !findPatient
      ? await rememberedConsent(store.accounts, { accountId: account.id, clientId, patient: choices[0] }, scopes, now)
      : undefined;
  return {
    uid: interaction.uid,
    app: app?.name ?? clientId,
    findPatient,
    remembered: remembered ? { since: remembered.givenAt } : undefined,
    scopes: scopes.map((scope) => ({ scope, words: describeScope(scope) })),
    patients: await Promise.all(
      choices.map(async (reference) => ({ reference, name: await nameOf(store, reference) })),
    ),
  };
}

/** Staff: no record of their own nor anyone they act for (they find the patient in their panel). */
const actsForNoOne = (account: Account): boolean => !account.links.patient && !account.links.relatedPersons?.length;

/**
 * The patients a user acts for, to launch an app for: a patient, themselves; a caregiver, the people
 * whose RelatedPerson they are (active). Clinicians launch an app from the patient page (EHR launch).
 */
export async function patientsOf(store: Store, account: Account): Promise<string[]> {
  if (account.links.patient) return [account.links.patient];
  const out: string[] = [];
  for (const ref of account.links.relatedPersons ?? []) {
    const stored = await store.readCurrent('RelatedPerson', ref.replace(/^RelatedPerson\//, ''));
    const person = stored?.json ? (JSON.parse(stored.json) as RelatedPerson) : undefined;
    if (person && person.active !== false && person.patient.reference?.startsWith('Patient/'))
      out.push(person.patient.reference);
  }
  return [...new Set(out)];
}

/** A patient's name for the screen (their reference when they have none). */
export async function nameOf(store: Store, reference: string): Promise<string> {
  const stored = await store.readCurrent('Patient', reference.replace(/^Patient\//, ''));
  const name = stored?.json ? (JSON.parse(stored.json) as Patient).name?.[0] : undefined;
  return name?.text ?? ([...(name?.given ?? []), name?.family].filter(Boolean).join(' ') || reference);
}

function grantFor(
  requested: string,
  registered: string,
  confidential: boolean,
  roleScope: (requested: string) => string,
): { oidc: string[]; resource: string[] } {
  const asked = requested.split(/\s+/).filter(Boolean);
  const oidc = asked.filter((s) => PROVIDER_SCOPES.includes(s) && registered.split(' ').includes(s));
  const allowed = grantableScopes(requested, registered, confidential).split(' ').filter(Boolean);
  // Each scope within the user's role: as asked when the role allows all of it (a v1
  // `patient/Observation.read` stays as the app wrote it), else narrowed to what the role allows.
  const resource = allowed.flatMap((scope) => {
    const withinRole = roleScope(scope).trim();
    if (!withinRole) return [];
    const asked = parseResourceScope(scope);
    return asked && formatScope(asked) === withinRole ? [scope] : [withinRole];
  });
  return { oidc, resource };
}

export type ConsentOutcome =
  | { readonly ok: true; readonly redirectTo: string }
  | { readonly ok: false; readonly status: 400 | 403; readonly message: string };

/** The user approved: the grant (and the chosen patient) are saved and the launch resumes. */
export async function approveConsent(
  provider: ProviderOf,
  raw: Raw,
  store: Store,
  account: Account,
  input: {
    patient?: string | undefined;
    fhirBase: string;
    roleScope: (requested: string) => string;
    /** Whether the user may open this patient's record (a clinician's choice is checked with it). */
    mayOpenPatient: (reference: string) => Promise<boolean>;
    now: number;
  },
): Promise<ConsentOutcome> {
  const interaction = await provider.interactionDetails(...raw);
  const clientId = String(interaction.params.client_id ?? '');
  const accounts = store.accounts;
  const app = await accounts.getApp(clientId);
  if (!app || app.disabled) return { ok: false, status: 400, message: 'The app is no longer registered' };
  const requested = String(interaction.params.scope ?? '');
  const granted = grantFor(requested, app.scope, app.authMethod !== 'none', input.roleScope);
  if (granted.resource.length === 0)
    return {
      ok: false,
      status: 403,
      message: `Nothing this app asks for may be given to a ${account.role}: ask your administrator`,
    };
  const launch = interaction.params.launch ? String(interaction.params.launch) : undefined;
  let patient: string | undefined;
  let encounter: string | undefined;
  if (launch) {
    // EHR launch: the patient of the record it was opened from, by the user who opened it, once.
    const launched = await findEhrLaunch(accounts, launch, clientId, input.now);
    if (!launched)
      return { ok: false, status: 400, message: 'The launch has expired: open the app from Careloop again' };
    if (launched.accountId !== account.id)
      return { ok: false, status: 403, message: 'This app was opened by someone else: open it yourself' };
    if (!(await spendEhrLaunch(accounts, launch, input.now)))
      return { ok: false, status: 400, message: 'The launch was used already: open the app from Careloop again' };
    patient = launched.patient;
    encounter = launched.encounter;
  } else if (requested.split(' ').includes('launch/patient')) {
    if (actsForNoOne(account)) {
      // A clinician names the patient; only one whose record they may open.
      patient = input.patient ? `Patient/${input.patient.replace(/^Patient\//, '')}` : undefined;
      if (!patient) return { ok: false, status: 400, message: 'Find the patient the app is for' };
      if (!(await input.mayOpenPatient(patient)))
        return { ok: false, status: 403, message: "You may not open this patient's record" };
    } else {
      const choices = await patientsOf(store, account);
      patient = input.patient ?? (choices.length === 1 ? choices[0] : undefined);
      if (!patient || !choices.includes(patient))
        return { ok: false, status: 400, message: 'Choose one of the patients you act for' };
    }
  }
  // Patient-context scopes mean the patient the app is launched for: without one they mean nothing.
  if (!patient && granted.resource.some((s) => s.startsWith('patient/')))
    return {
      ok: false,
      status: 400,
      message: "The app asks for a patient's records but not which patient (launch/patient): tell its maker",
    };
  const scopes = [...granted.oidc, ...granted.resource];
  const key = { accountId: account.id, clientId, patient };
  // Allowed before (this app, this patient, no more than then): the same grant goes on.
  const remembered = await rememberedConsent(accounts, key, scopes, input.now);
  const grantId = remembered?.grantId ?? (await saveNewConsent(provider, accounts, key, granted, input));
  // This launch's context on the grant: the same patient; the encounter it was opened from, if any.
  if (patient)
    await accounts.saveArtifact(
      'LaunchContext',
      grantId,
      JSON.stringify({ patient, ...(encounter ? { encounter } : {}) }),
      {
        grantId,
        expiresAt: remembered?.expiresAt ?? input.now + CONSENT_TTL_MS,
      },
    );
  // The authorization goes on asking for what is granted (the role may have narrowed a scope, as
  // `patient/*.cruds` to `patient/*.crus` for a patient): oidc-provider then finds it all granted
  // and issues exactly that, instead of asking again for what was narrowed.
  interaction.params.scope = scopes.join(' ');
  await interaction.save(Math.max(1, (interaction.exp ?? 0) - Math.floor(Date.now() / 1000)));
  const redirectTo = await provider.interactionResult(
    ...raw,
    { login: { accountId: account.id, remember: false }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
  return { ok: true, redirectTo };
}

/**
 * A new grant and its consent. It replaces the user's earlier consent to this app for this patient
 * (asking for more than then): one consent per user, app and patient, as the portal lists them.
 */
async function saveNewConsent(
  provider: ProviderOf,
  accounts: AccountStore,
  key: { accountId: string; clientId: string; patient: string | undefined },
  granted: { oidc: string[]; resource: string[] },
  input: { fhirBase: string; now: number },
): Promise<string> {
  const grant = new provider.Grant({ accountId: key.accountId, clientId: key.clientId });
  if (granted.oidc.length) grant.addOIDCScope(granted.oidc.join(' '));
  grant.addResourceScope(input.fhirBase, granted.resource.join(' '));
  const grantId = await grant.save();
  const expiresAt = input.now + CONSENT_TTL_MS;
  for (const earlier of await accounts.listConsents(key.accountId, input.now))
    if (earlier.clientId === key.clientId && earlier.patient === key.patient)
      await accounts.withdrawConsent(key.accountId, earlier.grantId);
  await accounts.saveConsent({
    ...key,
    grantId,
    scope: [...granted.oidc, ...granted.resource].join(' '),
    givenAt: input.now,
    expiresAt,
  });
  return grantId;
}

/** The user declined: the app hears access_denied at its redirect URI. */
export function declineConsent(provider: ProviderOf, raw: Raw): Promise<string> {
  return provider.interactionResult(
    ...raw,
    { error: 'access_denied', error_description: 'The user declined' },
    { mergeWithLastSubmission: false },
  );
}
