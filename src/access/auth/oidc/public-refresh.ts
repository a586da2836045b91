// A public app's refresh request names no client: SMART App Launch 2.x ("Refresh access token")
// and RFC 6749 §6 ask only for grant_type and refresh_token of an app that has no secret, and SMART's
// own JavaScript client (fhirclient) sends just those. oidc-provider identifies every client at the
// token endpoint, so the refresh token's own client is named for it, when that client is public.
// A confidential app still authenticates: nothing is added for it.
import { IncomingMessage } from 'node:http';
import type { AccountStore } from '../../../store/account-store.js';

/** As oidc-provider's own limit on a token request body. */
const MAX_BODY = 56 * 1024;

/** The form with the public client of its refresh token named, or undefined when nothing is to add. */
export async function namePublicRefreshClient(
  form: URLSearchParams,
  accounts: Pick<AccountStore, 'findArtifact' | 'getApp'>,
  now: number,
): Promise<URLSearchParams | undefined> {
  if (form.get('grant_type') !== 'refresh_token' || form.has('client_id') || form.has('client_assertion')) return;
  const token = await accounts.findArtifact('RefreshToken', form.get('refresh_token') ?? '', now);
  const clientId = token ? (JSON.parse(token.payload) as { clientId?: string }).clientId : undefined;
  const app = clientId ? await accounts.getApp(clientId) : undefined;
  if (!clientId || app?.authMethod !== 'none') return;
  const named = new URLSearchParams(form);
  named.set('client_id', clientId);
  return named;
}

/** Reads a form body (at most MAX_BODY bytes); undefined when it is larger. */
export async function readFormBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The request again, with this body to read (the original's was read). */
export function replayWithBody(req: IncomingMessage, body: string): IncomingMessage {
  const replay = new IncomingMessage(req.socket);
  replay.method = req.method;
  replay.url = req.url;
  replay.httpVersion = req.httpVersion;
  replay.httpVersionMajor = req.httpVersionMajor;
  replay.httpVersionMinor = req.httpVersionMinor;
  replay.headers = { ...req.headers, 'content-length': String(Buffer.byteLength(body)) };
  // Complete: otherwise Node takes its end for an aborted upload and closes the connection.
  replay.complete = true;
  replay.push(body);
  replay.push(null);
  return replay;
}
