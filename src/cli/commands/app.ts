// `careloop app add|list|remove`: third-party apps for SMART App Launch and Backend Services.
//   careloop app add --name NAME --redirect-uri URI [--redirect-uri URI ...] [--launch-uri URI]
//                    [--public] [--scope "..."] [--jwks-url URL | --jwks-file FILE]
// prints the client id, and for a confidential app with a secret the secret, once.
import { readFileSync } from 'node:fs';
import { loadSecretKey } from '../../access/auth/secret-key.js';
import { APP_KINDS, registerApp } from '../../access/auth/smart-apps.js';
import { createSecretBox } from '../../access/crypto/secret-box.js';
import { openAuditedStore } from '../cli-audit.js';
import { option, parseArgs } from '../cli-options.js';
import { readConfig } from '../config.js';

const USAGE = `usage: careloop app add --name NAME --redirect-uri URI [--redirect-uri URI ...] [--launch-uri URI]
                       [--public] [--scope "launch/patient openid fhirUser patient/*.rs"]
                       [--jwks-url URL | --jwks-file FILE]
       careloop app list
       careloop app remove CLIENT_ID`;

export async function appCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(rest, ['public']);
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  if (sub !== 'add' && sub !== 'list' && sub !== 'remove') {
    console.error(USAGE);
    return 2;
  }
  const audited = await openAuditedStore();
  const store = audited.store;
  try {
    if (sub === 'list') {
      for (const app of await store.accounts.listApps())
        if (!app.disabled)
          console.log(
            [app.id, app.name, APP_KINDS[app.authMethod], app.scope, app.redirectUris.join(' ') || '-'].join('\t'),
          );
      return 0;
    }
    if (sub === 'remove') {
      const id = parsed.positional[0];
      if (!id) {
        console.error(USAGE);
        return 2;
      }
      const removed = await store.accounts.disableApp(id);
      await audited.record({
        command: `careloop app remove ${id}`,
        action: 'U',
        exitCode: removed ? 0 : 1,
        detail: removed ? `app ${id} taken out of service` : `no app ${id} in service`,
      });
      if (!removed) console.error(`No app ${id} in service`);
      return removed ? 0 : 1;
    }
    const name = option(parsed, 'name');
    if (!name) {
      console.error(USAGE);
      return 2;
    }
    const jwksFile = option(parsed, 'jwks-file');
    const config = readConfig();
    const box = createSecretBox(loadSecretKey({ secret: config.secret, keyFile: config.keyFile }));
    const result = registerApp(
      { box, now: () => Date.now() },
      {
        name,
        redirectUris: parsed.options.get('redirect-uri') ?? [],
        launchUri: option(parsed, 'launch-uri'),
        public: option(parsed, 'public') === 'true',
        scope: option(parsed, 'scope'),
        jwks: jwksFile ? readFileSync(jwksFile, 'utf8') : undefined,
        jwksUri: option(parsed, 'jwks-url'),
      },
    );
    if (result.ok) await store.accounts.createApp(result.app);
    await audited.record({
      command: `careloop app add --name ${name}`,
      action: 'C',
      exitCode: result.ok ? 0 : 1,
      detail: result.ok
        ? `app ${result.app.id} registered (${APP_KINDS[result.app.authMethod]}, scope ${result.app.scope})`
        : result.problems.join('; '),
    });
    if (!result.ok) {
      console.error(result.problems.join('\n'));
      return 1;
    }
    console.log(`client_id=${result.app.id}`);
    if (result.secret)
      console.log(`client_secret=${result.secret}\n(shown once: Careloop keeps it sealed and cannot show it again)`);
    return 0;
  } finally {
    await audited.close();
  }
}
