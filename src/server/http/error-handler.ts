// The one place failures become responses: every error leaves as an OperationOutcome with the right
// status; internal details (stack, SQL, values) never reach the client or the log.
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { OutcomeError, toOperationOutcome } from '../../fhir/outcome.js';
import { StoreUnavailableError } from '../../store/store.js';
import { FHIR_JSON } from './fhir-reply.js';

function fastifyStatus(err: unknown): number | undefined {
  const status = (err as FastifyError | undefined)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

const CLIENT_ERRORS: Record<number, { code: OutcomeError['issues'][number]['code']; message: string }> = {
  400: { code: 'invalid', message: 'The request could not be read' },
  414: { code: 'too-long', message: 'The URL is too long: send a search as POST _search' },
  431: { code: 'too-long', message: 'The request line or headers are too large: send a search as POST _search' },
  413: { code: 'too-long', message: 'The request body is too large' },
  415: { code: 'not-supported', message: 'Send FHIR JSON (application/fhir+json)' },
};

/**
 * A server-side failure in the log: the request id (also sent to the client as X-Request-Id, so a
 * user can quote it), the method and the route's pattern — never the URL, the query, the body or an
 * error's message, which may carry health data — and where in the code it failed.
 */
export function logServerError(req: FastifyRequest, status: number, err: unknown): void {
  const name = err instanceof Error ? err.name : 'Error';
  const code = (err as { code?: unknown } | undefined)?.code;
  const stack =
    status >= 500 && !(err instanceof StoreUnavailableError) && err instanceof Error
      ? (err.stack ?? '').split('\n').slice(1, 8).join('\n')
      : undefined;
  req.log.error(
    {
      reqId: req.id,
      status,
      method: req.method,
      route: req.routeOptions.url ?? '(no route)',
      error: name,
      ...(typeof code === 'string' ? { code } : {}),
      ...(stack ? { stack } : {}),
    },
    `${status} ${name} handling ${req.method} ${req.routeOptions.url ?? ''}`,
  );
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    let outcome: OutcomeError;
    if (err instanceof OutcomeError) {
      outcome = err;
    } else if (err instanceof StoreUnavailableError) {
      outcome = new OutcomeError('transient', err.message, { status: 503, headers: { 'Retry-After': '1' } });
    } else if (fastifyStatus(err) !== undefined) {
      const status = fastifyStatus(err) as number;
      const known = CLIENT_ERRORS[status] ?? { code: 'invalid' as const, message: 'The request is not valid' };
      outcome = new OutcomeError(known.code, known.message, { status });
    } else {
      outcome = new OutcomeError('exception', 'Internal server error', { status: 500 });
    }
    if (outcome.status >= 500) logServerError(req, outcome.status, err);
    for (const [k, v] of Object.entries(outcome.headers)) reply.header(k, v);
    return reply
      .code(outcome.status)
      .type(FHIR_JSON)
      .send(JSON.stringify(toOperationOutcome(outcome.issues)));
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .type(FHIR_JSON)
      .send(
        JSON.stringify(
          toOperationOutcome([
            { code: 'not-found', diagnostics: `No route for ${req.method} ${req.url.split('?')[0]}` },
          ]),
        ),
      ),
  );
}
