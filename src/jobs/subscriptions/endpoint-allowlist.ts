// Where rest-hook notifications may go: only to endpoints an administrator listed (a Subscription
// is a way to send health data out of Careloop). An endpoint is allowed when its scheme, host and
// port are exactly those of a listed entry and its path is the entry's path or below it (a string
// prefix would let `https://hooks.example.org.attacker.example` pass for `https://hooks.example.org`);
// plain http only to this machine (loopback), otherwise https.
import type { AccountStore } from '../../store/account-store.js';

const SETTING = 'subscription-endpoints';

export async function allowedEndpoints(accounts: Pick<AccountStore, 'getSetting'>): Promise<string[]> {
  const stored = await accounts.getSetting(SETTING);
  return stored ? (JSON.parse(stored) as string[]) : [];
}

export async function setAllowedEndpoints(
  accounts: Pick<AccountStore, 'setSetting'>,
  endpoints: readonly string[],
): Promise<void> {
  await accounts.setSetting(SETTING, JSON.stringify([...new Set(endpoints)].sort()));
}

/** Same origin (scheme, host, port) as `entry`, and a path at or below the entry's path segments. */
function isUnder(url: URL, entry: string): boolean {
  let base: URL;
  try {
    base = new URL(entry);
  } catch {
    return false;
  }
  if (url.protocol !== base.protocol || url.hostname !== base.hostname || url.port !== base.port) return false;
  const dir = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return url.pathname === base.pathname || url.pathname.startsWith(dir);
}

export function endpointProblem(endpoint: string | undefined, allowed: readonly string[]): string | undefined {
  if (!endpoint) return 'Subscription.channel.endpoint is required for a rest-hook';
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `${endpoint} is not a URL`;
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    return 'Notifications go over https (plain http only to this machine)';
  if (url.username || url.password) return 'Put credentials in Subscription.channel.header, not in the URL';
  if (!allowed.some((entry) => isUnder(url, entry)))
    return `${url.origin} is not on the administrator's list of notification endpoints (PUT /auth/admin/subscription-endpoints)`;
  return undefined;
}
