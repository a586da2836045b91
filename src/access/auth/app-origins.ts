// Which web origins may call the FHIR API from a browser on their own (CORS): those of the apps
// registered for SMART App Launch (their redirect and launch URIs). A browser app such as one built
// on SMART's `fhirclient` runs on its own origin and calls the FHIR server with its bearer token;
// without CORS it cannot (SMART App Launch 2.x, "Considerations for browser-based apps"). The
// registry lives in the database, where `careloop app add` in another process writes it, so each
// server re-reads it after a short while rather than keeping it for ever.
import type { AccountStore, SmartApp } from '../../store/account-store.js';

/** How long a server trusts its copy of the registered origins (an app added elsewhere waits this long). */
export const APP_ORIGINS_TTL_MS = 30_000;

/** The origins an app's pages run on. */
export function originsOf(app: Pick<SmartApp, 'redirectUris' | 'launchUri'>): string[] {
  const out = new Set<string>();
  for (const uri of [...app.redirectUris, ...(app.launchUri ? [app.launchUri] : [])]) {
    const parsed = URL.canParse(uri) ? new URL(uri) : undefined;
    if (parsed && (parsed.protocol === 'https:' || parsed.protocol === 'http:')) out.add(parsed.origin);
  }
  return [...out];
}

/** Asks whether an origin is one of an enabled registered app's (read from the store at most every TTL). */
export function createAppOriginCheck(
  accounts: Pick<AccountStore, 'listApps'>,
  now: () => number,
  ttlMs = APP_ORIGINS_TTL_MS,
): (origin: string) => Promise<boolean> {
  let cached: { at: number; origins: Promise<Set<string>> } | undefined;
  const load = async () => new Set((await accounts.listApps()).filter((a) => !a.disabled).flatMap(originsOf));
  return async (origin) => {
    if (!cached || now() - cached.at > ttlMs) {
      const origins = load();
      cached = { at: now(), origins };
      // A failed read is not kept: the next request tries again.
      origins.catch(() => {
        cached = undefined;
      });
    }
    return (await cached.origins).has(origin);
  };
}
