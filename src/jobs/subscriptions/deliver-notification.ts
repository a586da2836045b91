// One POST of a notification to a subscriber's endpoint, with the channel's headers; no redirects
// followed (the endpoint is the allow-listed one, not where it points). Undefined when delivered,
// else what went wrong, for Subscription.error.
import type { Subscription } from '@medplum/fhirtypes';

export async function deliver(
  sub: Subscription,
  body: string | undefined,
  timeoutMs: number,
): Promise<string | undefined> {
  const headers: Record<string, string> = {};
  for (const h of sub.channel.header ?? []) {
    const colon = h.indexOf(':');
    if (colon > 0) headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  if (body !== undefined) headers['content-type'] = sub.channel.payload ?? 'application/fhir+json';
  try {
    const res = await fetch(sub.channel.endpoint ?? '', {
      method: 'POST',
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    return res.ok ? undefined : `the endpoint answered ${res.status}`;
  } catch (err) {
    return `the endpoint could not be reached (${err instanceof Error ? err.name : 'error'})`;
  }
}
