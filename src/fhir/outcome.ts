// Failures cross every boundary as one error type carrying a FHIR OperationOutcome issue code
// (R4 ValueSet issue-type) and the HTTP status it maps to; the server's single error handler turns it
// into an OperationOutcome response.
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

export type IssueType = NonNullable<OperationOutcomeIssue['code']>;
export type IssueSeverity = NonNullable<OperationOutcomeIssue['severity']>;

export interface OutcomeIssue {
  readonly severity?: IssueSeverity;
  readonly code: IssueType;
  readonly diagnostics: string;
  readonly expression?: readonly string[];
}

/** Default HTTP status per issue type, following the FHIR HTTP page (R4 §3.1.0.4 "status codes"). */
const STATUS_BY_CODE: Partial<Record<IssueType, number>> = {
  invalid: 400,
  structure: 400,
  required: 400,
  value: 400,
  invariant: 400,
  'code-invalid': 400,
  'not-supported': 400,
  security: 403,
  login: 401,
  unknown: 401,
  forbidden: 403,
  suppressed: 403,
  'not-found': 404,
  deleted: 410,
  conflict: 409,
  duplicate: 409,
  'too-long': 413,
  'too-costly': 422,
  'business-rule': 422,
  processing: 422,
  throttled: 429,
  transient: 503,
  timeout: 503,
  exception: 500,
};

export class OutcomeError extends Error {
  readonly status: number;
  readonly issues: readonly OutcomeIssue[];
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: IssueType,
    diagnostics: string,
    options: {
      status?: number;
      expression?: readonly string[];
      issues?: readonly OutcomeIssue[];
      headers?: Record<string, string>;
    } = {},
  ) {
    super(diagnostics);
    this.name = 'OutcomeError';
    this.status = options.status ?? STATUS_BY_CODE[code] ?? 400;
    this.issues = options.issues ?? [
      { code, diagnostics, ...(options.expression ? { expression: options.expression } : {}) },
    ];
    this.headers = options.headers ?? {};
  }
}

export function badRequest(diagnostics: string, expression?: string): OutcomeError {
  return new OutcomeError('invalid', diagnostics, expression ? { expression: [expression] } : {});
}

export function notFound(diagnostics: string): OutcomeError {
  return new OutcomeError('not-found', diagnostics);
}

export function toOperationOutcome(issues: readonly OutcomeIssue[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i) => ({
      severity: i.severity ?? 'error',
      code: i.code,
      diagnostics: i.diagnostics,
      ...(i.expression && i.expression.length > 0 ? { expression: [...i.expression] } : {}),
    })),
  };
}

export function informationOutcome(diagnostics: string): OperationOutcome {
  return toOperationOutcome([{ severity: 'information', code: 'informational', diagnostics }]);
}
