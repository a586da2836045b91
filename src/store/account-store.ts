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

/** Emergency ("break the glass") access to one patient's record for a limited time. */
export interface AccessGrant {
  readonly id: string;
  readonly accountId: string;
  readonly patient: string;
  readonly reason: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface AccountStore {
  createAccount(account: Account): Promise<void>;
  getAccount(id: string): Promise<Account | undefined>;
  getAccountByUsername(username: string): Promise<Account | undefined>;
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

  createGrant(grant: AccessGrant): Promise<void>;
  activeGrants(accountId: string, now: number): Promise<AccessGrant[]>;

  getSetting(key: string): Promise<string | undefined>;
  /** Stores the value unless one exists; returns the value stored (so concurrent servers agree). */
  setSettingIfAbsent(key: string, value: string): Promise<string>;
  setSetting(key: string, value: string): Promise<void>;
  listSettings(): Promise<[string, string][]>;
}
