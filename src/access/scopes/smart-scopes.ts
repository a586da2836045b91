// SMART App Launch 2.0 scopes (hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html):
// `<context>/<ResourceType|*>.<c?r?u?d?s?>` with context patient, user or system. The SMART 1.0 forms
// `.read` (= rs), `.write` (= cud) and `.*` (= cruds) are accepted too. Granular v2 scopes narrowed by
// category (`patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory`,
// SMART App Launch 2.x §"Finer-grained resource constraints using search parameters") are supported
// for a named type with a `category` search parameter (Observation and Condition, as US Core names
// them, and any other); other query parameters are not, and such scopes are not granted.
import type { Interaction } from '../../store/repository/repository-context.js';

export type ScopeContext = 'patient' | 'user' | 'system';

/** A token a granular scope requires (`system|code`, or a code of any system). */
export interface ScopeCategory {
  readonly system: string | undefined;
  readonly code: string;
}

export interface ResourceScope {
  readonly context: ScopeContext;
  /** A resource type, or '*' for every type. */
  readonly type: string;
  readonly interactions: ReadonlySet<Interaction>;
  /** A granular scope: only resources with this category. */
  readonly category?: ScopeCategory;
}

const ORDER: readonly Interaction[] = ['c', 'r', 'u', 'd', 's'];
const RESOURCE_SCOPE =
  /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.(\*|read|write|c?r?u?d?s?)(?:\?category=([^&\s=?]+))?$/;

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

function categoryOf(text: string): ScopeCategory | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    return undefined;
  }
  const bar = decoded.indexOf('|');
  const [system, code] = bar < 0 ? [undefined, decoded] : [decoded.slice(0, bar) || undefined, decoded.slice(bar + 1)];
  return code && !code.includes('|') ? { system, code } : undefined;
}

export function parseResourceScope(scope: string): ResourceScope | undefined {
  const m = RESOURCE_SCOPE.exec(scope);
  if (!m) return undefined;
  const interactions = interactionsOf(m[3] as string);
  if (interactions.length === 0) return undefined;
  const parsed = { context: m[1] as ScopeContext, type: m[2] as string, interactions: new Set(interactions) };
  if (m[4] === undefined) return parsed;
  // A category narrows one named type; on `*` it would mean a different parameter for each type.
  const category = categoryOf(m[4]);
  return category && parsed.type !== '*' ? { ...parsed, category } : undefined;
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
  const base = `${scope.context}/${scope.type}.${ORDER.filter((i) => scope.interactions.has(i)).join('')}`;
  if (!scope.category) return base;
  const { system, code } = scope.category;
  return `${base}?category=${system ? `${system}|` : ''}${code}`;
}

/** Whether `wide` allows everything `narrow` does (the same context; its type or all; its category or none). */
export function coversScope(wide: ResourceScope, narrow: ResourceScope): boolean {
  return (
    wide.context === narrow.context &&
    (wide.type === '*' || wide.type === narrow.type) &&
    [...narrow.interactions].every((i) => wide.interactions.has(i)) &&
    (!wide.category ||
      (narrow.category?.code === wide.category.code &&
        (!wide.category.system || narrow.category.system === wide.category.system)))
  );
}

/**
 * The categories `interaction` on `type` is limited to: undefined when a scope allows it whole, the
 * granular scopes' categories when only they allow it (empty when nothing does).
 */
export function categoryLimits(
  scopes: readonly ResourceScope[],
  type: string,
  interaction: Interaction,
): ScopeCategory[] | undefined {
  const allowing = scopes.filter((s) => (s.type === '*' || s.type === type) && s.interactions.has(interaction));
  if (allowing.some((s) => !s.category)) return undefined;
  return allowing.map((s) => s.category as ScopeCategory);
}

/** Whether a resource's `category` codings match one of the limits. */
export function hasCategory(
  resource: { category?: { coding?: { system?: string; code?: string }[] }[] },
  limits: readonly ScopeCategory[],
): boolean {
  const codings = (resource.category ?? []).flatMap((c) => c.coding ?? []);
  return limits.some((l) => codings.some((c) => c.code === l.code && (!l.system || c.system === l.system)));
}

/** Whether any of the scopes allows `interaction` on `type`. */
export function scopesAllow(scopes: readonly ResourceScope[], type: string, interaction: Interaction): boolean {
  return scopes.some((s) => (s.type === '*' || s.type === type) && s.interactions.has(interaction));
}

/**
 * What to grant of the scopes asked for, given the most a role may have (`maximum`, one wildcard
 * scope): each requested scope narrowed to the maximum's interactions, in its context (or, for a
 * user, a patient's). Asking for nothing grants the maximum.
 */
export function grantScopes(requested: string | undefined, maximum: ResourceScope): string {
  if (requested === undefined || requested.trim() === '') return formatScope(maximum);
  const parsed = parseScopes(requested);
  const granted: string[] = [];
  for (const scope of parsed.resources) {
    // A clinician (user context) may also be given one patient's records (patient context: the
    // patient the app is launched for), never the other way round.
    const narrower = scope.context === 'patient' && maximum.context === 'user';
    if (scope.context !== maximum.context && !narrower) continue;
    const interactions = new Set([...scope.interactions].filter((i) => maximum.interactions.has(i)));
    if (interactions.size > 0) granted.push(formatScope({ ...scope, interactions }));
  }
  granted.push(...parsed.other);
  return [...new Set(granted)].join(' ');
}
