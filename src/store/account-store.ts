// Persistence for identities and sessions: accounts (users), sessions with their refresh tokens,
// OAuth clients for backend systems, emergency-access grants and server settings. Credentials are
// stored only as hashes (passwords, client secrets, refresh tokens) or encrypted (TOTP secrets); the
// access layer does the hashing and encrypting, this layer only keeps rows.

export type Role =
  | 'admin'
  | 'coordinator'
  | 'physician'
  | 'pharmacist'
  | 'partner'
  | 'patient'
  | 'caregiver'
  | 'system';

export const ROLES: readonly Role[] = [
  'admin',
  'coordinator',
  'physician',
  'pharmacist',
  'partner',
  'patient',
  'caregiver',
  'system',
];

/** The FHIR resources an account acts as. */
export interface AccountLinks {
  readonly practitioner?: string;
  readonly patient?: string;
  /** A caregiver's RelatedPerson resources, one per patient they are proxy for. */
  readonly relatedPersons?: readonly string[];
}

export interface Account {
  readonly id: string;
  readonly username: string;
  readonly passwordHash: string;
  readonly role: Role;
  readonly links: AccountLinks;
  /** Encrypted TOTP secret, once enrolment started. */
  readonly totpSecret: string | undefined;
  readonly mfaEnabled: boolean;
  readonly failedLogins: number;
  readonly lockedUntil: number | undefined;
  readonly disabled: boolean;
  readonly createdAt: number;
}

export interface Session {
  readonly id: string;
  readonly accountId: string | undefined;
  readonly clientId: string | undefined;
  readonly scope: string;
  readonly createdAt: number;
  readonly lastSeen: number;
  readonly expiresAt: number;
  readonly refreshHash: string | undefined;
  readonly revokedAt: number | undefined;
  /** The session may only enrol in MFA (its role requires MFA and it has none yet). */
  readonly mfaPending: boolean;
}

export interface OAuthClient {
  readonly id: string;
  readonly secretHash: string;
  readonly name: string;
  readonly scope: string;
  readonly disabled: boolean;
  readonly createdAt: number;
}

/**
 * A third-party app registered for SMART App Launch or SMART Backend Services
 * (hl7.org/fhir/smart-app-launch): its client id, how it proves who it is at the token endpoint,
 * where it may be sent back to, and the widest access it may be granted.
 */
export interface SmartApp {
  readonly id: string;
  readonly name: string;
  /**
   * `none`: a public app (a browser or phone app; PKCE proves the code is its own);
   * `client_secret_basic`: a confidential app with a secret; `private_key_jwt`: an app or backend
   * service that signs an assertion with its own key (its JWK Set inline or at a URL).
   */
  readonly authMethod: 'none' | 'client_secret_basic' | 'private_key_jwt';
  /** The secret, sealed with the server's secret key (never stored in clear); client_secret_basic only. */
  readonly sealedSecret: string | undefined;
  readonly redirectUris: readonly string[];
  /** Where an EHR launch from Careloop opens the app. */
  readonly launchUri: string | undefined;
  /** The widest scopes the app may be granted (space-separated SMART scopes). */
  readonly scope: string;
  /** Its public keys (a JWK Set as JSON), or where to fetch them. */
  readonly jwks: string | undefined;
  readonly jwksUri: string | undefined;
  readonly disabled: boolean;
  readonly createdAt: number;
}

/**
 * The authorization server's short-lived state (oidc-provider's models: authorization codes,
 * interactions, grants, refresh tokens, replayed assertion ids...), kept as JSON by model and id so
 * that every server of a deployment sees it.
 */
export interface OAuthArtifact {
  readonly payload: string;
  /** When it was used up (an authorization code exchanged), if it was. */
  readonly consumedAt: number | undefined;
}

/**
 * A user's consent to a SMART app (what they allowed it, for which patient): remembered, so the next
 * launch of the same app for the same patient does not ask again, and listed in the portal, where
 * the user can withdraw it. Its grant (the authorization server's record, with the app's tokens)
 * goes with it.
 */
export interface SmartConsent {
  readonly grantId: string;
  readonly accountId: string;
  readonly clientId: string;
  /** `Patient/{id}` the app was given, or undefined when it has no patient context. */
  readonly patient: string | undefined;
  /** The scopes allowed, space-separated. */
  readonly scope: string;
  readonly givenAt: number;
  readonly expiresAt: number;
}

export interface OAuthArtifactIndex {
  readonly grantId?: string | undefined;
  readonly userCode?: string | undefined;
  readonly uid?: string | undefined;
  /** Epoch ms after which it is gone; undefined: until destroyed. */
  readonly expiresAt?: number | undefined;
}

/** Emergency ("break the glass") access to one patient's record for a limited time. */
export interface AccessGrant {
  readonly id: string;
  readonly accountId: string;
  readonly patient: string;
  readonly reason: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/**
 * The form under which user names are unique and looked up: Unicode compatibility normalization
 * (NFKC, so a full-width or ligature spelling is the same name) and full case folding (upper then
 * lower case folds `ß` and `SS` together), normalized again after folding.
 */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/** Thrown when a user name is taken (in its normalized form). */
export class UsernameTakenError extends Error {
  constructor(readonly username: string) {
    super(`A user named ${username} already exists`);
    this.name = 'UsernameTakenError';
  }
}

/** The outcome of taking a sign-in attempt from the account's allowance. */
export type LoginAttempt =
  | { readonly allowed: true; readonly attempt: number }
  | { readonly allowed: false; readonly lockedUntil: number };

export interface AccountStore {
  /** Throws UsernameTakenError when the name (normalized, any case) is taken. */
  createAccount(account: Account): Promise<void>;
  getAccount(id: string): Promise<Account | undefined>;
  /** By name, compared in its normalized form (usernameKey). */
  getAccountByUsername(username: string): Promise<Account | undefined>;
  /**
   * Counts a sign-in attempt before its password is checked, in one atomic statement, so that
   * attempts made in parallel are counted as sequential ones are: the attempt past `limit` locks the
   * account until `now + lockMs` and is refused unchecked, as is every attempt while it is locked.
   * A lock that has run out starts a new count.
   */
  takeLoginAttempt(id: string, now: number, limit: number, lockMs: number): Promise<LoginAttempt>;
  /** Locks the account until `until` (after the last allowed attempt failed). */
  lockAccount(id: string, until: number): Promise<void>;
  /**
   * Records that the TOTP code of time step `step` was used; false when that step or a later one was
   * used already (a code works once: RFC 6238 §5.2).
   */
  consumeTotpStep(id: string, step: number): Promise<boolean>;
  listAccounts(): Promise<Account[]>;
  updateAccount(id: string, patch: Partial<Omit<Account, 'id' | 'createdAt'>>): Promise<void>;

  createSession(session: Session): Promise<void>;
  getSession(id: string): Promise<Session | undefined>;
  /** Records activity; sessions idle past their limit are refused by the access layer. */
  touchSession(id: string, now: number): Promise<void>;
  /** Replaces the refresh token hash if it is still `expected` (a replayed old token fails). */
  rotateRefresh(id: string, expected: string, next: string, now: number): Promise<boolean>;
  revokeSession(id: string, now: number): Promise<void>;
  /** Ends every session of the account, except `except` (the one changing its password). */
  revokeAccountSessions(accountId: string, now: number, except?: string): Promise<void>;

  createClient(client: OAuthClient): Promise<void>;
  getClient(id: string): Promise<OAuthClient | undefined>;
  listClients(): Promise<OAuthClient[]>;

  createApp(app: SmartApp): Promise<void>;
  getApp(id: string): Promise<SmartApp | undefined>;
  /** Every registered app, oldest first, removed ones included (marked disabled). */
  listApps(): Promise<SmartApp[]>;
  /** Takes the app out of service; its record stays for the audit trail. */
  disableApp(id: string): Promise<boolean>;

  /** Creates or replaces an artifact. */
  saveArtifact(model: string, id: string, payload: string, index: OAuthArtifactIndex): Promise<void>;
  /**
   * Creates the artifact only if there is none (or only an expired one), atomically across servers:
   * false when an unexpired one exists (a replayed assertion id).
   */
  claimArtifact(model: string, id: string, payload: string, expiresAt: number, now: number): Promise<boolean>;
  findArtifact(model: string, id: string, now: number): Promise<OAuthArtifact | undefined>;
  findArtifactBy(
    model: string,
    key: 'uid' | 'userCode',
    value: string,
    now: number,
  ): Promise<OAuthArtifact | undefined>;
  /** Marks it used; false when it already was, or is gone (so a code is exchanged once). */
  consumeArtifact(model: string, id: string, now: number): Promise<boolean>;
  destroyArtifact(model: string, id: string): Promise<void>;
  /** Removes every artifact of a grant (its codes and tokens), when the grant is revoked. */
  destroyArtifactsOfGrant(grantId: string): Promise<void>;
  deleteExpiredArtifacts(now: number): Promise<number>;

  saveConsent(consent: SmartConsent): Promise<void>;
  /** A user's consents not yet expired, newest first. */
  listConsents(accountId: string, now: number): Promise<SmartConsent[]>;
  /**
   * Withdraws one of the user's consents: the consent, its grant and every code and token of it are
   * gone, in one transaction. False when the user has no such consent.
   */
  withdrawConsent(accountId: string, grantId: string): Promise<boolean>;

  createGrant(grant: AccessGrant): Promise<void>;
  activeGrants(accountId: string, now: number): Promise<AccessGrant[]>;

  getSetting(key: string): Promise<string | undefined>;
  /** Stores the value unless one exists; returns the value stored (so concurrent servers agree). */
  setSettingIfAbsent(key: string, value: string): Promise<string>;
  setSetting(key: string, value: string): Promise<void>;
  listSettings(): Promise<[string, string][]>;
}
