// The administrator's API (src/server/auth/admin-routes.ts, admin-app-routes.ts).
import { authRequest } from '../api/auth-request.js';

const admin = <T>(method: string, path: string, body?: unknown): Promise<T> =>
  authRequest<T>(method, `/auth/admin/${path}`, body);

export interface UserRow {
  readonly username: string;
  readonly role: string;
  readonly links: { practitioner?: string; patient?: string; relatedPersons?: string[] };
  readonly mfaEnabled: boolean;
  readonly locked: boolean;
  readonly disabled: boolean;
  readonly created: string;
}

export const listUsers = (): Promise<{ users: UserRow[]; roles: string[] }> => admin('GET', 'users');

export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly role: string;
  /** The FHIR resource they are: Practitioner/x, Patient/x or RelatedPerson/x. */
  readonly resource: string;
}

export function addUser(user: NewUser): Promise<UserRow> {
  const [type] = user.resource.split('/');
  const link =
    type === 'Practitioner'
      ? { practitioner: user.resource }
      : type === 'Patient'
        ? { patient: user.resource }
        : type === 'RelatedPerson'
          ? { relatedPersons: [user.resource] }
          : {};
  return admin('POST', 'users', { username: user.username, password: user.password, role: user.role, ...link });
}

const userPath = (username: string, action: string) => `users/${encodeURIComponent(username)}/${action}`;
export const unlockUser = (username: string): Promise<void> => admin('POST', userPath(username, 'unlock'));
export const disableUser = (username: string): Promise<void> => admin('POST', userPath(username, 'disable'));
export const resetPassword = (username: string, password: string): Promise<void> =>
  admin('POST', userPath(username, 'password'), { password });

export const loadMfaPolicy = async (): Promise<string[]> =>
  (await admin<{ requiredRoles: string[] }>('GET', 'mfa-policy')).requiredRoles;
export const saveMfaPolicy = async (requiredRoles: string[]): Promise<string[]> =>
  (await admin<{ requiredRoles: string[] }>('PUT', 'mfa-policy', { requiredRoles })).requiredRoles;

export interface AppRow {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly scope: string;
  readonly redirectUris: readonly string[];
  readonly launchUri?: string;
  readonly created: string;
}

export interface NewApp {
  readonly name: string;
  readonly redirectUris: readonly string[];
  readonly launchUri?: string;
  readonly public: boolean;
  readonly scope?: string;
  readonly jwksUri?: string;
}

export const listApps = async (): Promise<AppRow[]> => (await admin<{ apps: AppRow[] }>('GET', 'apps')).apps;
/** Registers the app; a confidential app's secret comes back this once. */
export const addApp = (app: NewApp): Promise<AppRow & { secret?: string }> => admin('POST', 'apps', app);
export const removeApp = (id: string): Promise<void> => admin('DELETE', `apps/${encodeURIComponent(id)}`);
