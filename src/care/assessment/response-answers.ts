// A QuestionnaireResponse's answers by linkId, and whether it answers its Questionnaire completely:
// every required item answered, every coded answer one of the item's options, one answer unless the
// item repeats. Problems are values (the server turns them into a 422 naming the item).
import type {
  Coding,
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
} from '@medplum/fhirtypes';
import type { OutcomeIssue } from '../../fhir/outcome.js';

/** The coded answers per linkId (nested groups flattened). */
export type Answers = ReadonlyMap<string, readonly Coding[]>;

function collect(items: readonly QuestionnaireResponseItem[] | undefined, into: Map<string, Coding[]>): void {
  for (const item of items ?? []) {
    const codings = (item.answer ?? []).map((a) => a.valueCoding).filter((c): c is Coding => c !== undefined);
    if (codings.length) into.set(item.linkId, [...(into.get(item.linkId) ?? []), ...codings]);
    collect(item.item, into);
    for (const a of item.answer ?? []) collect(a.item, into);
  }
}

export function answersOf(response: QuestionnaireResponse): Answers {
  const into = new Map<string, Coding[]>();
  collect(response.item, into);
  return into;
}

function flatItems(items: readonly QuestionnaireItem[] | undefined): QuestionnaireItem[] {
  return (items ?? []).flatMap((i) => [i, ...flatItems(i.item)]);
}

const where = (linkId: string) => [`QuestionnaireResponse.item.where(linkId='${linkId}')`];

/** R4 core extension: an answer option that, chosen, excludes every other answer of its item. */
export const OPTION_EXCLUSIVE = 'http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive';

export function checkResponse(questionnaire: Questionnaire, answers: Answers): OutcomeIssue[] {
  const issues: OutcomeIssue[] = [];
  const items = flatItems(questionnaire.item);
  const known = new Set(items.map((i) => i.linkId));
  for (const item of items) {
    if (item.type === 'group' || item.type === 'display') continue;
    const given = answers.get(item.linkId) ?? [];
    if (given.length === 0) {
      if (item.required)
        issues.push({
          code: 'required',
          diagnostics: `Item ${item.linkId} ("${item.text}") must be answered`,
          expression: where(item.linkId),
        });
      continue;
    }
    if (given.length > 1 && !item.repeats)
      issues.push({
        code: 'structure',
        diagnostics: `Item ${item.linkId} takes one answer, not ${given.length}`,
        expression: where(item.linkId),
      });
    const options = (item.answerOption ?? []).map((o) => o.valueCoding).filter((c): c is Coding => c !== undefined);
    if (options.length === 0) continue;
    // "None of the above" and its kind exclude every other answer of the item (R4 extension
    // questionnaire-optionExclusive: "no other possible answers may be selected").
    const exclusive = (item.answerOption ?? []).filter((o) =>
      (o.extension ?? []).some((e) => e.url === OPTION_EXCLUSIVE && e.valueBoolean === true),
    );
    const chosenExclusive = exclusive.find((o) => given.some((a) => a.code === o.valueCoding?.code));
    if (chosenExclusive && given.length > 1)
      issues.push({
        code: 'business-rule',
        diagnostics: `Item ${item.linkId}: "${chosenExclusive.valueCoding?.display ?? chosenExclusive.valueCoding?.code}" excludes the other answers`,
        expression: where(item.linkId),
      });
    for (const answer of given)
      if (!options.some((o) => o.code === answer.code && (!answer.system || o.system === answer.system)))
        issues.push({
          code: 'code-invalid',
          diagnostics: `Item ${item.linkId}: ${answer.system ?? ''}|${answer.code} is not one of its answers`,
          expression: where(item.linkId),
        });
  }
  for (const linkId of answers.keys())
    if (!known.has(linkId))
      issues.push({
        code: 'structure',
        diagnostics: `Item ${linkId} is not in ${questionnaire.url}`,
        expression: where(linkId),
      });
  return issues;
}

/** The one coded answer of an item (after checkResponse, required items have one). */
export function codeOf(answers: Answers, linkId: string): string | undefined {
  return answers.get(linkId)?.[0]?.code;
}
