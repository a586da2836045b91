// Request bodies: FHIR JSON, plain JSON and JSON Patch. Invalid JSON is a 400 OperationOutcome.
import type { FastifyInstance } from 'fastify';
import { OutcomeError } from '../../fhir/outcome.js';

export function installBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/fhir+json', 'application/json', 'application/json-patch+json'],
    { parseAs: 'string' },
    (_req, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') {
        done(null, undefined);
        return;
      }
      try {
        done(null, JSON.parse(text.replace(/^\uFEFF/, '')));
      } catch (err) {
        const detail = err instanceof SyntaxError ? err.message.replace(/"[^"]*"/g, '…') : 'unreadable';
        done(new OutcomeError('structure', `Invalid JSON: ${detail}`, { status: 400 }), undefined);
      }
    },
  );
  // POST _search sends its parameters form-encoded (R4 §3.1.1.0.1).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, [...new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))]);
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, _body, done) => {
    done(new OutcomeError('not-supported', 'Send FHIR JSON (application/fhir+json)', { status: 415 }), undefined);
  });
}
