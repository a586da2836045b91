// The one place failures become responses: every error leaves as an OperationOutcome with the right
// status; internal details (stack, SQL, values) never reach the client or the log.
import type { FastifyError, FastifyInstance } from 'fastify';
import { OutcomeError, toOperationOutcome } from '../../fhir/outcome.js';
import { StoreUnavailableError } from '../../store/store.js';
import { FHIR_JSON } from './fhir-reply.js';

function fastifyStatus(err: unknown): number | undefined {
  const status = (err as FastifyError | undefined)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

const CLIENT_ERRORS: Record<number, { code: OutcomeError['issues'][number]['code']; message: string }> = {
  400: { code: 'invalid', message: 'The request could not be read' },
  413: { code: 'too-long', message: 'The request body is too large' },
  415: { code: 'not-supported', message: 'Send FHIR JSON (application/fhir+json)' },
};

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
      // Log what went wrong without its message: messages may quote request data.
      const stack = err instanceof Error ? (err.stack ?? '').split('\n').slice(1, 8).join('\n') : '';
      req.log.error(
        `${err instanceof Error ? err.name : 'Error'} handling ${req.method} ${req.routeOptions.url ?? ''}\n${stack}`,
      );
      outcome = new OutcomeError('exception', 'Internal server error', { status: 500 });
    }
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
