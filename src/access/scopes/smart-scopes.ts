// SMART App Launch 2.0 scopes (hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html):
// `<context>/<ResourceType|*>.<c?r?u?d?s?>` with context patient, user or system. The SMART 1.0 forms
// `.read` (= rs), `.write` (= cud) and `.*` (= cruds) are accepted too. Fine-grained v2 scopes with
// a query (`patient/Observation.rs?category=...`) are not supported and are not granted.
import type { Interaction } from '../../store/repository/repository-context.js';

export type ScopeContext = 'patient' | 'user' | 'system';

export interface ResourceScope {
  readonly context: ScopeContext;
  /** A resource type, or '*' for every type. */
  readonly type: string;
  readonly interactions: ReadonlySet<Interaction>;
}

const ORDER: readonly Interaction[] = ['c', 'r', 'u', 'd', 's'];
const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.(\*|read|write|c?r?u?d?s?)$/;

/** The identity and launch scopes a token may carry besides resource scopes. */
export const OTHER_SCOPES: ReadonlySet<string> = new Set([
  'openid',
  'fhirUser',
  'profile',
  'launch/patient',
  'offline_access',
  'online_access',
]);

function interactionsOf(text: string): Interaction[] {
  if (text === '*') return [...ORDER];
  if (text === 'read') return ['r', 's'];
  if (text === 'write') return ['c', 'u', 'd'];
  return ORDER.filter((i) => text.includes(i));
}

export function parseResourceScope(scope: string): ResourceScope | undefined {
  const m = RESOURCE_SCOPE.exec(scope);
  if (!m) return undefined;
  const interactions = interactionsOf(m[3] as string);
  if (interactions.length === 0) return undefined;
  return { context: m[1] as ScopeContext, type: m[2] as string, interactions: new Set(interactions) };
}

export interface ParsedScopes {
  readonly resources: readonly ResourceScope[];
  readonly other: readonly string[];
  /** Scopes neither understood nor granted. */
  readonly unknown: readonly string[];
}

export function parseScopes(text: string): ParsedScopes {
  const resources: ResourceScope[] = [];
  const other: string[] = [];
  const unknown: string[] = [];
  for (const scope of text.split(/\s+/).filter(Boolean)) {
    const parsed = parseResourceScope(scope);
    if (parsed) resources.push(parsed);
    else if (OTHER_SCOPES.has(scope)) other.push(scope);
    else unknown.push(scope);
  }
  return { resources, other, unknown };
}

export function formatScope(scope: ResourceScope): string {
  return `${scope.context}/${scope.type}.${ORDER.filter((i) => scope.interactions.has(i)).join('')}`;
}

/** Whether any of the scopes allows `interaction` on `type`. */
export function scopesAllow(scopes: readonly ResourceScope[], type: string, interaction: Interaction): boolean {
  return scopes.some((s) => (s.type === '*' || s.type === type) && s.interactions.has(interaction));
}

/**
 * What to grant of the scopes asked for, given the most a role may have (`maximum`, one wildcard
 * scope): each requested scope narrowed to the maximum's context and interactions. Asking for
 * nothing grants the maximum.
 */
export function grantScopes(requested: string | undefined, maximum: ResourceScope): string {
  if (requested === undefined || requested.trim() === '') return formatScope(maximum);
  const parsed = parseScopes(requested);
  const granted: string[] = [];
  for (const scope of parsed.resources) {
    if (scope.context !== maximum.context) continue;
    const interactions = new Set([...scope.interactions].filter((i) => maximum.interactions.has(i)));
    if (interactions.size > 0) granted.push(formatScope({ ...scope, interactions }));
  }
  granted.push(...parsed.other);
  return [...new Set(granted)].join(' ');
}
