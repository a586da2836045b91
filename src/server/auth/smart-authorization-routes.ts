// The SMART authorization server's endpoints (src/access/auth/oidc/smart-provider.ts) inside
// Careloop's HTTP server: every request under /auth/smart, and OpenID discovery, is handed to
// oidc-provider as it arrived. Their bodies are not parsed here (the provider reads the form itself),
// and they carry no Careloop access token: the provider authenticates clients and users.
import type { EpisodeOfCare } from '@medplum/fhirtypes';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessService } from '../../access/access-service.js';
import { startEhrLaunch } from '../../access/auth/oidc/ehr-launch.js';
import { replayWithBody } from '../../access/auth/oidc/public-refresh.js';
import { approveConsent, consentDetails, declineConsent } from '../../access/auth/oidc/smart-consent.js';
import type { createSmartProvider } from '../../access/auth/oidc/smart-provider.js';
import { SMART_PREFIX, SMART_ROUTES } from '../../access/auth/oidc/smart-routes.js';
import { grantedScope } from '../../access/auth/sessions.js';
import { readEpisode } from '../../care/transitions/episode-resources.js';
import { badRequest, OutcomeError } from '../../fhir/outcome.js';
import type { Account } from '../../store/account-store.js';
import { principalOf } from '../http/request-context.js';
import { origin } from './smart-configuration-route.js';

type SmartProvider = Awaited<ReturnType<typeof createSmartProvider>>;

const MAX_ORIGINS = 4;

/** Answers a token request that arrived at Careloop's own `/auth/token` at the SMART token endpoint. */
export type SmartTokenHandOver = (
  req: FastifyRequest,
  reply: FastifyReply,
  form: Record<string, string>,
) => Promise<void>;

export async function registerSmartAuthorization(
  app: FastifyInstance,
  access: AccessService,
  baseUrl: string | undefined,
  /** Requests per client address per minute (CARELOOP_AUTH_RATE_LIMIT, as for sign-in). */
  rateLimit: number,
): Promise<SmartTokenHandOver> {
  // One provider per origin the server is reached at (its issuer): one when CARELOOP_BASE_URL is
  // set, else the few names it answers to; a client inventing Host headers gets no more of them.
  const providers = new Map<string, Promise<SmartProvider>>();
  const providerFor = (issuer: string): Promise<SmartProvider> => {
    let provider = providers.get(issuer);
    if (!provider) {
      if (providers.size >= MAX_ORIGINS)
        throw badRequest(`This server answers to ${[...providers.keys()].join(', ')}; set CARELOOP_BASE_URL`);
      // Loaded on the first SMART request, not at every start: oidc-provider 9 supports Node 22 LTS
      // and later and says so when loaded on Node 20 (see README, "Connecting apps").
      provider = import('../../access/auth/oidc/smart-provider.js').then(({ createSmartProvider }) =>
        createSmartProvider({
          issuer,
          fhirBase: `${issuer}/fhir`,
          accounts: access.auth.store.accounts,
          box: access.auth.box,
          now: access.auth.now,
          // Every grant and authorization, granted or refused, in the audit log: who, which app,
          // the OAuth error of a refusal; never a token, code or secret.
          onOutcome: async (o) => {
            // Named as in every other entry: the user, by their user name.
            const account = o.accountId ? await access.auth.store.accounts.getAccount(o.accountId) : undefined;
            await access.trail.record({
              recorded: access.auth.now(),
              kind: 'smart',
              action: 'E',
              status: o.ok ? 200 : 400,
              ...(o.accountId ? { accountId: o.accountId } : {}),
              ...(account ? { username: account.username, role: account.role } : {}),
              ...(o.clientId ? { clientId: o.clientId } : {}),
              ...(o.address ? { address: o.address } : {}),
              entity: `auth/smart/${o.route}`,
              patients: [],
              ...(o.error ? { detail: o.error } : {}),
            });
          },
        }),
      );
      providers.set(issuer, provider);
      // A provider that could not start is tried again on the next request.
      provider.catch(() => providers.delete(issuer));
    }
    return provider;
  };
  const handOver = async (req: FastifyRequest, reply: FastifyReply) => {
    const provider = await providerFor(origin(req, baseUrl));
    reply.hijack();
    await provider.callback()(req.raw, reply.raw);
  };
  // The consent step, for the signed-in user (their Careloop token): what the app asks for, and
  // their answer. The page itself is the web app's (page-paths.json: smartConsent).
  const interaction = `${SMART_PREFIX}/interaction/:uid`;
  const userOf = async (req: FastifyRequest) => {
    const principal = principalOf(req);
    const account = principal.kind === 'user' ? await access.auth.store.accounts.getAccount(principal.id) : undefined;
    // Only the user, signed in to Careloop, answers for themselves: never an app with their token.
    if (!account || account.disabled || principal.app)
      throw new OutcomeError('forbidden', 'Sign in as a user to approve an app', { status: 403 });
    return account;
  };
  const roleScope = (role: Account['role']) => (requested: string) => grantedScope(role, requested);
  app.get(`${interaction}/details`, async (req, reply) => {
    const account = await userOf(req);
    const provider = await providerFor(origin(req, baseUrl));
    const details = await consentDetails(
      provider,
      [req.raw, reply.raw],
      access.auth.store,
      account,
      roleScope(account.role),
      access.auth.now(),
    );
    return reply.send(details);
  });
  app.post<{ Body: { patient?: string } | undefined }>(`${interaction}/approve`, async (req, reply) => {
    const account = await userOf(req);
    const issuer = origin(req, baseUrl);
    const provider = await providerFor(issuer);
    const outcome = await approveConsent(provider, [req.raw, reply.raw], access.auth.store, account, {
      patient: typeof req.body?.patient === 'string' ? req.body.patient : undefined,
      fhirBase: `${issuer}/fhir`,
      roleScope: roleScope(account.role),
      mayOpenPatient: async (reference) => {
        try {
          await req.fhir.read('Patient', reference.replace(/^Patient\//, ''));
          return true;
        } catch (err) {
          if (err instanceof OutcomeError) return false;
          throw err;
        }
      },
      now: access.auth.now(),
    });
    if (!outcome.ok)
      throw new OutcomeError(outcome.status === 403 ? 'forbidden' : 'invalid', outcome.message, {
        status: outcome.status,
      });
    return reply.send({ redirectTo: outcome.redirectTo });
  });
  app.post(`${interaction}/decline`, async (req, reply) => {
    await userOf(req);
    const provider = await providerFor(origin(req, baseUrl));
    return reply.send({ redirectTo: await declineConsent(provider, [req.raw, reply.raw]) });
  });

  // EHR launch: the apps a user may open from a record, and opening one for a patient they can see.
  app.get(`${SMART_PREFIX}/apps`, async (req) => {
    await userOf(req);
    const apps = await access.auth.store.accounts.listApps();
    return apps.filter((a) => !a.disabled && a.launchUri).map((a) => ({ id: a.id, name: a.name }));
  });
  app.post<{ Body: { app?: unknown; patient?: unknown; episode?: unknown } | undefined }>(
    `${SMART_PREFIX}/launch`,
    async (req, reply) => {
      const account = await userOf(req);
      const appId = typeof req.body?.app === 'string' ? req.body.app : '';
      const patient = typeof req.body?.patient === 'string' ? req.body.patient.replace(/^Patient\//, '') : '';
      if (!appId || !patient) throw badRequest('Give the app and the patient');
      // Only a record the user may open (404 or 403 otherwise, as for any read).
      await req.fhir.read('Patient', patient);
      const encounter =
        typeof req.body?.episode === 'string' ? await episodeEncounter(req, req.body.episode, patient) : undefined;
      const issuer = origin(req, baseUrl);
      const started = await startEhrLaunch(access.auth.store.accounts, {
        clientId: appId,
        accountId: account.id,
        patient: `Patient/${patient}`,
        ...(encounter ? { encounter } : {}),
        fhirBase: `${issuer}/fhir`,
        now: access.auth.now(),
      });
      if (!started.ok) throw new OutcomeError('not-found', started.message, { status: started.status });
      return reply.send({ url: started.url });
    },
  );

  await app.register(async (scope) => {
    // The body stays unread for oidc-provider's own form parser.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    // Rate-limited like sign-in: a client secret or an assertion cannot be guessed at speed.
    scope.all(
      `${SMART_PREFIX}/*`,
      { config: { public: true, rateLimit: { max: rateLimit, timeWindow: 60_000 } } },
      handOver,
    );
    scope.get('/.well-known/openid-configuration', { config: { public: true } }, handOver);
  });
  // `/auth/authorize`, where the issue and many guides expect it: the same endpoint (307 keeps a
  // POSTed form). Discovery names /auth/smart/authorize.
  for (const method of ['GET', 'POST'] as const)
    app.route({
      method,
      url: '/auth/authorize',
      config: { public: true },
      handler: async (req, reply) => {
        const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
        return reply.redirect(`${SMART_ROUTES.authorization}${query}`, 307);
      },
    });

  return async (req, reply, form) => {
    const provider = await providerFor(origin(req, baseUrl));
    const replay = replayWithBody(req.raw, new URLSearchParams(form).toString());
    replay.url = SMART_ROUTES.token;
    replay.headers['content-type'] = 'application/x-www-form-urlencoded';
    reply.hijack();
    await provider.callback()(replay, reply.raw);
  };
}

/** The hospital stay a transition episode follows (`Encounter/{id}`), read as the user may read it. */
async function episodeEncounter(req: FastifyRequest, episodeId: string, patient: string): Promise<string | undefined> {
  const episode = JSON.parse((await req.fhir.read('EpisodeOfCare', episodeId)).json as string) as EpisodeOfCare;
  if (episode.patient?.reference !== `Patient/${patient}`) throw badRequest("The episode is not this patient's");
  const encounter = readEpisode(episode).encounter;
  if (!encounter?.startsWith('Encounter/')) return undefined;
  await req.fhir.read('Encounter', encounter.slice('Encounter/'.length));
  return encounter;
}
