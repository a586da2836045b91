// The parsed form of a FHIR search (R4 §3.1.1): what the store executes. Values are already split,
// unescaped and typed, and every parameter is resolved against the registry, so the store never sees
// an unknown parameter or a malformed value.
import type { SearchParam } from './search-parameter-registry.js';

export type Prefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb' | 'ap';

export type FilterValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'token'; readonly system: string | undefined; readonly code: string | undefined }
  | { readonly kind: 'reference'; readonly targetType: string | undefined; readonly targetId: string }
  | { readonly kind: 'range'; readonly prefix: Prefix; readonly low: number; readonly high: number }
  | {
      readonly kind: 'quantity';
      readonly prefix: Prefix;
      readonly low: number;
      readonly high: number;
      readonly system: string | undefined;
      readonly code: string | undefined;
    }
  | { readonly kind: 'uri'; readonly value: string }
  | {
      readonly kind: 'composite';
      readonly first: { readonly system: string | undefined; readonly code: string | undefined };
      readonly second: FilterValue;
    };

/** One search criterion: values in OR; several criteria are in AND. */
export type Filter =
  | {
      readonly kind: 'param';
      readonly param: SearchParam;
      /** The index the criterion reads: usually the parameter's own; `code:text`, `subject:identifier` for modifiers. */
      readonly indexParam: string;
      readonly indexType: SearchParam['type'];
      readonly modifier: string | undefined;
      readonly values: readonly FilterValue[];
    }
  | { readonly kind: 'missing'; readonly param: SearchParam; readonly missing: boolean }
  | { readonly kind: 'id'; readonly ids: readonly string[]; readonly not: boolean }
  | { readonly kind: 'lastUpdated'; readonly values: readonly Extract<FilterValue, { kind: 'range' }>[] }
  /** A reference parameter whose target must itself match `filter` (a chained parameter, one level). */
  | {
      readonly kind: 'chain';
      readonly param: SearchParam;
      readonly targetType: string;
      readonly filter: Filter;
    }
  /** `_has:Type:ref:param=value`: resources that some `Type` referencing them (by `ref`) matches. */
  | {
      readonly kind: 'has';
      readonly sourceType: string;
      readonly referenceParam: SearchParam;
      readonly filter: Filter;
    }
  /** Membership of a patient compartment (Patient/{id}/Type searches and $everything). */
  | { readonly kind: 'compartment'; readonly patientIds: readonly string[] };

export interface SortKey {
  readonly param: SearchParam | '_id' | '_lastUpdated';
  readonly descending: boolean;
}

export interface IncludeSpec {
  /** Resource type whose reference is followed (`Observation` in `Observation:subject`), or `*` for any. */
  readonly sourceType: string;
  /** The reference parameter, or undefined for `*`. */
  readonly param: SearchParam | undefined;
  readonly targetType: string | undefined;
  readonly iterate: boolean;
}

export type SummaryMode = 'true' | 'false' | 'count' | 'text' | 'data';

/**
 * What the person asking may see, applied by the store to matches, includes, chains, `_has`, counts
 * and sorting alike, so that nothing outside it can be found, counted or inferred.
 */
export interface AccessFilter {
  /**
   * Patient compartments visible: these patients, and the patients managed by these organizations.
   * Absent: every patient (a system client).
   */
  readonly patients?: { readonly ids: readonly string[]; readonly organizations: readonly string[] };
  /** Resource types outside any patient's compartment that are visible. */
  readonly sharedTypes: 'all' | readonly string[];
  /** When present, no resource of another type is visible at all (the scopes granted). */
  readonly types?: readonly string[];
  /** Resources carrying one of these security labels are hidden, except in the label's listed patients. */
  readonly hiddenLabels?: readonly HiddenLabel[];
  /**
   * Resources of these types are visible only to their participants: secure messages to sender and
   * recipients; for a referral partner, referral tasks to their owner, requests to their performer.
   */
  readonly participantsOnly?: readonly ParticipantsOnly[];
  /** Resources of a type carrying one of these codes are hidden (the care team's notes, from patients). */
  readonly hiddenCodes?: readonly HiddenCode[];
  /** Resources of a type are visible only with one of these codes (a granular SMART scope's category). */
  readonly requiredCodes?: readonly RequiredCodes[];
}

/** Resources of `resourceType` are visible only when token parameter `param` has one of `codes`. */
export interface RequiredCodes {
  readonly resourceType: string;
  readonly param: string;
  /** A code with its system, or of any system when the system is undefined. */
  readonly codes: readonly { readonly system: string | undefined; readonly code: string }[];
}

/** Resources of `resourceType` whose token parameter `param` has `system|code` are not visible. */
export interface HiddenCode {
  readonly resourceType: string;
  readonly param: string;
  readonly system: string;
  readonly code: string;
}

/**
 * A resource of `resourceType` is visible only when one of `params` (reference search parameters)
 * points at one of `references`: a message is read by its sender and recipients, not by everyone
 * who may see the patient's record.
 */
export interface ParticipantsOnly {
  readonly resourceType: string;
  readonly params: readonly string[];
  /** `Type/id` of the requester and whoever they act for. */
  readonly references: readonly string[];
}

/** Whether a filter lets everything through (a backend system's): no need to apply it. */
export function isUnrestricted(access: AccessFilter): boolean {
  return (
    !access.patients &&
    access.sharedTypes === 'all' &&
    !access.types &&
    !access.hiddenLabels?.length &&
    !access.participantsOnly?.length &&
    !access.hiddenCodes?.length &&
    !access.requiredCodes?.length
  );
}

export interface HiddenLabel {
  readonly system: string;
  readonly code: string;
  /** Patients whose records may show resources with this label (their consent, or emergency access). */
  readonly exceptPatients: readonly string[];
}

export interface SearchRequest {
  /** The type searched, or '' for a search across all types (system search, $everything). */
  readonly resourceType: string;
  /** With resourceType '': only these types (`_type`). */
  readonly types?: readonly string[];
  readonly filters: readonly Filter[];
  readonly sort: readonly SortKey[];
  readonly count: number;
  readonly offset: number;
  /** The last row id visible to a paged search, so pages stay stable while others write. */
  readonly snapshot: number | undefined;
  readonly total: 'none' | 'estimate' | 'accurate';
  readonly summary: SummaryMode | undefined;
  readonly elements: readonly string[] | undefined;
  readonly include: readonly IncludeSpec[];
  readonly revinclude: readonly IncludeSpec[];
  /** Set by the access layer for every request made on a person's behalf. */
  readonly access?: AccessFilter;
}

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 1000;
