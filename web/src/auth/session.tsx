// Who is signed in, for the whole app. On load the session resumes from the refresh cookie if it is
// still alive; otherwise the app shows sign-in. Signing out ends the session on the server.
import type { Patient, Practitioner, RelatedPerson } from '@medplum/fhirtypes';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { fetchMe, login as loginRequest, logout as logoutRequest, type Me } from '../api/auth-client.js';
import { readResource, whenSignedOut } from '../api/fhir-client.js';
import { clearTokens, currentToken, storeTokens } from '../api/token-store.js';
import { formatName, setClinicTimeZone } from '../format/fhir-text.js';

export interface SignedInUser extends Me {
  /** The person's name from their FHIR record, else the user name. */
  readonly displayName: string;
}

export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'signed-out'; readonly notice?: string }
  | { readonly status: 'signed-in'; readonly user: SignedInUser };

export type LoginOutcome = { ok: true } | { ok: false; mfaRequired: boolean; message: string };

interface SessionApi {
  readonly state: SessionState;
  login(username: string, password: string, code?: string): Promise<LoginOutcome>;
  logout(notice?: string): Promise<void>;
}

const SessionContext = createContext<SessionApi | undefined>(undefined);

async function displayNameOf(me: Me): Promise<string> {
  const [type, id] = me.fhirUser?.split('/') ?? [];
  if (!id || (type !== 'Practitioner' && type !== 'Patient' && type !== 'RelatedPerson')) return me.name;
  try {
    const person = await readResource<Practitioner | Patient | RelatedPerson>(type, id);
    return formatName(person.name);
  } catch {
    return me.name;
  }
}

async function loadUser(token: string): Promise<SignedInUser | undefined> {
  const me = await fetchMe(token);
  setClinicTimeZone(me?.timeZone);
  return me ? { ...me, displayName: await displayNameOf(me) } : undefined;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    whenSignedOut(() => {
      clearTokens();
      setState({ status: 'signed-out', notice: 'Your session has ended. Sign in again.' });
    });
    void (async () => {
      const token = await currentToken();
      const user = token ? await loadUser(token) : undefined;
      setState(user ? { status: 'signed-in', user } : { status: 'signed-out' });
    })();
  }, []);

  const login = useCallback(async (username: string, password: string, code?: string): Promise<LoginOutcome> => {
    const result = await loginRequest(username, password, code);
    if (!result.ok) return result;
    storeTokens(result.tokens);
    if (result.tokens.mfa_enrollment_required)
      return {
        ok: false,
        mfaRequired: false,
        message: 'Your role needs two-step sign-in: enrol an authenticator first (see the README, "MFA").',
      };
    const user = await loadUser(result.tokens.access_token);
    if (!user) return { ok: false, mfaRequired: false, message: 'Signed in, but your account could not be loaded.' };
    setState({ status: 'signed-in', user });
    return { ok: true };
  }, []);

  const logout = useCallback(async (notice?: string) => {
    const token = await currentToken().catch(() => undefined);
    await logoutRequest(token).catch(() => undefined);
    clearTokens();
    setState({ status: 'signed-out', ...(notice ? { notice } : {}) });
  }, []);

  const api = useMemo(() => ({ state, login, logout }), [state, login, logout]);
  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSession outside SessionProvider');
  return api;
}

/** The signed-in user (only inside the signed-in part of the app). */
export function useUser(): SignedInUser {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useUser while signed out');
  return state.user;
}

export const PORTAL_ROLES: readonly string[] = ['patient', 'caregiver'];

export function isPortalUser(user: Me): boolean {
  return PORTAL_ROLES.includes(user.role);
}
