// Request bodies: FHIR JSON, plain JSON, JSON Patch and C-CDA XML. Invalid JSON is a 400 OperationOutcome.
import type { FastifyInstance } from 'fastify';
import { OutcomeError } from '../../fhir/outcome.js';

/**
 * Objects and arrays within each other, at most: FHIR resources (a Bundle of resources with nested
 * extensions) stay far below it; anything deeper would only exhaust the validator's stack.
 */
export const MAX_JSON_DEPTH = 128;

/** Whether `value` nests deeper than `limit` (walked without recursion, so no depth can overflow it). */
export function nestingExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

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
        const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
        if (nestingExceeds(value, MAX_JSON_DEPTH)) {
          done(
            new OutcomeError('structure', `The JSON is nested more than ${MAX_JSON_DEPTH} levels deep`, {
              status: 400,
            }),
            undefined,
          );
          return;
        }
        done(null, value);
      } catch (err) {
        const detail = err instanceof SyntaxError ? err.message.replace(/"[^"]*"/g, '…') : 'unreadable';
        done(new OutcomeError('structure', `Invalid JSON: ${detail}`, { status: 400 }), undefined);
      }
    },
  );
  // Clinical documents (C-CDA, POST $import-ccda) arrive as XML: the route reads the text itself.
  // Only there: elsewhere XML is refused as any other content type.
  app.addContentTypeParser(
    ['application/cda+xml', 'application/xml', 'text/xml'],
    { parseAs: 'string' },
    (req, body, done) => {
      if (!req.url.split('?')[0]?.endsWith('/$import-ccda')) {
        done(new OutcomeError('not-supported', 'Send FHIR JSON (application/fhir+json)', { status: 415 }), undefined);
        return;
      }
      done(null, typeof body === 'string' ? body : body.toString('utf8'));
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
