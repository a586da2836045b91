// A SMART standalone launch as a browser walks it, over HTTP: the authorize URL, Careloop's
// interaction page, the signed-in user's consent (details, approve or decline), and the redirect
// back to the app. Cookies are kept as a browser keeps them.
import { expect } from 'vitest';
import { tokenOf } from '../security/demo-server.js';
import { authorizeUrl } from './smart-test-app.js';
import type { TestServer } from './test-server.js';

/** A browser's cookie jar, enough for one launch. */
export function cookieBrowser() {
  const jar = new Map<string, string>();
  return {
    async get(url: string, headers: Record<string, string> = {}) {
      const res = await fetch(url, { redirect: 'manual', headers: { ...headers, cookie: this.cookie() } });
      this.keep(res);
      return res;
    },
    async post(url: string, body: unknown, headers: Record<string, string>) {
      const res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...headers, 'content-type': 'application/json', cookie: this.cookie() },
        body: JSON.stringify(body ?? {}),
      });
      this.keep(res);
      return res;
    },
    keep(res: Response) {
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const [name, ...value] = (pair ?? '').split('=');
        if (name) jar.set(name.trim(), value.join('='));
      }
    },
    cookie: () => [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
  };
}

export interface LaunchedApp {
  readonly clientId: string;
  readonly redirectUri: string;
  /** The scope asked for unless the parameters say otherwise. */
  readonly scope: string;
}

/** The authorize URL of a launch of this app, state st-1 and aud the server's FHIR base by default. */
export function launchUrl(
  server: Pick<TestServer, 'url' | 'fhir'>,
  app: LaunchedApp,
  params: Record<string, string | undefined>,
): string {
  return authorizeUrl(server, {
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    scope: app.scope,
    state: 'st-1',
    aud: server.fhir,
    ...params,
  });
}

export interface ConsentSeen {
  app: string;
  scopes: { scope: string; words: string }[];
  patients: { reference: string; name: string }[];
  remembered: { since: number } | undefined;
}

/** The user's side: from the authorize URL through Careloop's sign-in and consent to the app's redirect. */
export async function launchAsUser(
  server: TestServer,
  app: LaunchedApp,
  user: string,
  params: Record<string, string | undefined>,
  answer: 'approve' | 'decline' = 'approve',
  patient?: string,
) {
  const b = cookieBrowser();
  const start = await b.get(launchUrl(server, app, params));
  if (start.status !== 303 || start.headers.get('location')?.startsWith(app.redirectUri)) return { start, b };
  const interaction = new URL(start.headers.get('location') as string, server.url);
  expect(interaction.pathname).toMatch(/^\/auth\/smart\/interaction\/[\w-]+$/);
  const page = await b.get(interaction.toString());
  expect(page.headers.get('content-type')).toContain('text/html');
  const bearer = { authorization: `Bearer ${await tokenOf(server, user)}` };
  const details = await b.get(`${interaction}/details`, bearer);
  const consent = (await details.json()) as ConsentSeen;
  if (answer === 'approve' && patient === undefined && consent.patients.length > 1) {
    const unchosen = await b.post(`${interaction}/approve`, {}, bearer);
    return { start, b, consent, refused: unchosen.status };
  }
  const decided = await b.post(`${interaction}/${answer}`, patient ? { patient } : {}, bearer);
  if (!decided.ok) return { start, b, consent, refused: decided.status };
  const { redirectTo } = (await decided.json()) as { redirectTo: string };
  let res = await b.get(redirectTo);
  while (res.status === 303 && !(res.headers.get('location') as string).startsWith(app.redirectUri))
    res = await b.get(new URL(res.headers.get('location') as string, server.url).toString());
  const back = res.headers.get('location');
  if (!back) throw new Error(`${user}: the launch ended with ${res.status} ${await res.text()}`);
  return { start, b, consent, callback: new URL(back) };
}
