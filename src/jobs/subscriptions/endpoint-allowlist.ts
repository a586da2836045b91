// Where rest-hook notifications may go: only to endpoints an administrator listed (a Subscription
// is a way to send health data out of Careloop). An endpoint is allowed when it starts with a listed
// prefix; plain http only to this machine (loopback), otherwise https.
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
  if (!allowed.some((prefix) => endpoint.startsWith(prefix)))
    return `${url.origin} is not on the administrator's list of notification endpoints (PUT /auth/admin/subscription-endpoints)`;
  return undefined;
}
