// Who may give a consent that opens sensitive records. A permit for sensitive data is the patient's
// act (42 CFR 2.31: the written consent is the patient's; 45 CFR 164.508 for psychotherapy notes):
// it takes effect when the patient gives it, when their personal representative gives it (45 CFR
// 164.502(g); 42 CFR 2.15 for a patient who lacks capacity) with that legal authority recorded on
// their RelatedPerson, or when staff record the patient's signed form (attached to the Consent) —
// and never when the person recording it is one of the people it grants access to.
import type { Consent, ConsentProvision, RelatedPerson } from '@medplum/fhirtypes';
import { isSensitiveLabel, labelKey } from './sensitive-labels.js';

/**
 * v3 RoleCode relationships that carry legal authority to act for the patient: the responsible
 * party and its specializations guardian and (durable, healthcare) power of attorney. A special
 * power of attorney covers named acts only, and a guardian ad litem a court case, so neither counts.
 */
export const LEGAL_AUTHORITY_CODES: readonly string[] = ['RESPRSN', 'GUARD', 'POWATT', 'DPOWATT', 'HPOWATT'];
const ROLE_CODE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';

/** Whether the RelatedPerson records legal authority to decide for the patient. */
export function hasLegalAuthority(person: RelatedPerson | undefined): boolean {
  return (person?.relationship ?? []).some((r) =>
    (r.coding ?? []).some((c) => c.system === ROLE_CODE && LEGAL_AUTHORITY_CODES.includes(c.code ?? '')),
  );
}

/** Everyone: a permit provision without actors grants every reader. */
export const ANY_ACTOR = '*';

/** The sensitive label grants of an active consent, as `label key -> actor reference | *`. */
export function sensitiveGrants(consent: Consent | undefined): Set<string> {
  const grants = new Set<string>();
  if (consent?.status !== 'active') return grants;
  const walk = (provision: ConsentProvision | undefined): void => {
    if (!provision) return;
    if (provision.type === 'permit') {
      const actors = (provision.actor ?? []).map((a) => a.reference?.reference ?? '').filter(Boolean);
      for (const label of provision.securityLabel ?? []) {
        if (!isSensitiveLabel(label)) continue;
        for (const actor of actors.length > 0 ? actors : [ANY_ACTOR]) grants.add(`${labelKey(label)} ${actor}`);
      }
    }
    for (const nested of provision.provision ?? []) walk(nested);
  };
  walk(consent.provision);
  return grants;
}

export interface ConsentAuthor {
  /** patient: the patient themselves; representative: a caregiver; staff: a clinician or partner. */
  readonly kind: 'patient' | 'representative' | 'staff';
  /** The references a consent may name the author by (Practitioner, roles, organizations, RelatedPerson). */
  readonly references: readonly string[];
  /** For a representative: whether their RelatedPerson for this patient records legal authority. */
  readonly legalAuthority?: boolean;
}

/**
 * Why this write may not grant what it grants (undefined: it may). Only grants the write adds are
 * judged: withdrawing or narrowing a consent, or changing what it does not grant, is always allowed.
 */
export function consentWriteProblem(
  author: ConsentAuthor,
  previous: Consent | undefined,
  next: Consent | undefined,
): string | undefined {
  const before = sensitiveGrants(previous);
  const added = [...sensitiveGrants(next)].filter((g) => !before.has(g));
  if (added.length === 0) return undefined;
  if (author.kind === 'patient') return undefined;
  if (author.kind === 'representative' && !author.legalAuthority) {
    return 'Sharing sensitive records is the patient’s decision: a caregiver may give this consent only with legal authority (guardian or power of attorney) recorded on their RelatedPerson';
  }
  if (author.kind === 'staff' && !next?.sourceAttachment && !next?.sourceReference) {
    return 'Staff record a consent to share sensitive records from the patient’s signed form: attach it (Consent.sourceAttachment) or reference it (Consent.sourceReference)';
  }
  const own = new Set(author.references);
  if (
    added.some((g) => {
      const actor = g.slice(g.indexOf(' ') + 1);
      return actor === ANY_ACTOR || own.has(actor);
    })
  ) {
    return 'A consent that grants you access to sensitive records cannot be recorded by you: ask a colleague to record the patient’s form';
  }
  return undefined;
}
