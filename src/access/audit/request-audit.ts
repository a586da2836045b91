// What one request's audit entry will say, filled in as the request is served: the routes name the
// interaction, the repository reports each disclosed record, the access guard flags emergency access.
import type { AuditEntry } from '../../store/audit-store.js';

export interface RequestAudit {
  /** Whether the request is audited when answered (every route that is not public). */
  enabled: boolean;
  kind: AuditEntry['kind'];
  /** Set by routes whose action the method and path do not tell. */
  action: AuditEntry['action'] | undefined;
  /** What was touched: `Patient/1`, `Observation` (a search), `$export`. */
  entity: string | undefined;
  query: string | undefined;
  readonly patients: Set<string>;
  /** Emergency access was used for some of the records. */
  breakGlass: boolean;
  /** Every write of the request was recorded inside its transaction. */
  writesAudited: boolean;
  detail: string | undefined;
}

export function newRequestAudit(): RequestAudit {
  return {
    enabled: false,
    kind: 'rest',
    action: undefined,
    entity: undefined,
    query: undefined,
    patients: new Set(),
    breakGlass: false,
    writesAudited: false,
    detail: undefined,
  };
}
