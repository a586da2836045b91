// "None of the above" and its kind: an answer option with the R4 extension
// questionnaire-optionExclusive excludes every other answer of its item. The server refuses a
// response that breaks the rule (src/care/assessment/response-answers.ts); the form keeps to it as
// the user clicks: choosing the exclusive answer clears the others, choosing another clears it.
import type { QuestionnaireItem } from '@medplum/fhirtypes';

export const OPTION_EXCLUSIVE = 'http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive';

/** The codes of an item's exclusive answer options. */
export function exclusiveCodes(item: QuestionnaireItem): Set<string> {
  return new Set(
    (item.answerOption ?? [])
      .filter((o) => (o.extension ?? []).some((e) => e.url === OPTION_EXCLUSIVE && e.valueBoolean === true))
      .flatMap((o) => (o.valueCoding?.code ? [o.valueCoding.code] : [])),
  );
}

/** The selection after a click, from the one before (`codes` of the chosen options). */
export function applyExclusive(before: readonly string[], after: readonly string[], exclusive: Set<string>): string[] {
  const added = after.filter((c) => !before.includes(c));
  if (added.some((c) => exclusive.has(c))) return added.filter((c) => exclusive.has(c)).slice(0, 1);
  if (added.length > 0) return after.filter((c) => !exclusive.has(c));
  return [...after];
}
