// Builds Answers for the scoring tests: linkId -> answer code(s).
import type { Coding } from '@medplum/fhirtypes';
import type { Answers } from './response-answers.js';

export function answers(entries: Record<string, string | readonly string[]>): Answers {
  const map = new Map<string, Coding[]>();
  for (const [linkId, codes] of Object.entries(entries))
    map.set(
      linkId,
      (typeof codes === 'string' ? [codes] : codes).map((code) => ({ code })),
    );
  return map;
}
