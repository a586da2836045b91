// Functional instruments: the Katz Index of ADL and the Lawton IADL Scale, with the activities that
// need help.
// Katz: Katz S et al., JAMA 1963;185:914-919; each of six activities independent (1) or not (0),
// total 0-6. Bands: the Hartford Institute's "Try This" issue 2 (Shelkey & Wallace, rev. 2019) reads
// "6 indicates full function, 4 indicates moderate impairment, and 2 or less indicates severe
// functional impairment", leaving 5 and 3 unassigned; other sources band differently. Careloop
// uses 6 full function, 3-5 moderate impairment, 0-2 severe impairment (see the README's clinical
// content section).
// Lawton: Lawton MP, Brody EM, Gerontologist 1969;9(3):179-186; each activity's level scores 1 or 0
// as published (the scores are the answer options' ordinalValue in content/questionnaires), total
// 0-8 for everyone, as the Hartford "Try This" issue 23 (Graf, rev. 2019) now recommends; the 1969
// paper scored men on five activities only. The scale has no bands: lower means more dependent.
import type { Coding, Questionnaire } from '@medplum/fhirtypes';
import { type AssessmentResult, bandOf, RESULT_SYSTEM } from './assessment-result.js';
import { type Answers, codeOf } from './response-answers.js';

export const KATZ_SYSTEM = 'http://careloop.org/fhir/CodeSystem/katz-adl';
export const LAWTON_SYSTEM = 'http://careloop.org/fhir/CodeSystem/lawton-iadl';
export const KATZ_ACTIVITIES = ['bathing', 'dressing', 'toileting', 'transferring', 'continence', 'feeding'] as const;

export const KATZ_BANDS = [
  [0, 'severe-impairment', 'Severe functional impairment'],
  [3, 'moderate-impairment', 'Moderate functional impairment'],
  [6, 'full-function', 'Full function'],
] as const;

export function scoreKatz(answers: Answers, questionnaire: Questionnaire): AssessmentResult {
  const needsHelp: Coding[] = [];
  let total = 0;
  for (const activity of KATZ_ACTIVITIES) {
    if (codeOf(answers, activity) === `${activity}-independent`) total += 1;
    else needsHelp.push(activityCoding(questionnaire, KATZ_SYSTEM, activity));
  }
  return {
    instrument: 'katz-adl',
    total: {
      code: { system: RESULT_SYSTEM, code: 'katz-adl-total', display: 'Katz ADL total score' },
      value: total,
      band: bandOf(total, KATZ_BANDS),
      positive: total < 6,
      concern: 'adl-dependence',
    },
    findings: needsHelp.length
      ? [
          {
            key: 'adl-needs-help',
            code: { system: RESULT_SYSTEM, code: 'needs-help', display: 'Needs help with this activity' },
            positive: true,
            components: needsHelp,
          },
        ]
      : [],
  };
}

/** The published score of each Lawton level, read from the shipped Questionnaire's ordinalValue. */
export function lawtonLevelScores(questionnaire: Questionnaire): Map<string, number> {
  const scores = new Map<string, number>();
  for (const item of questionnaire.item ?? [])
    for (const option of item.answerOption ?? []) {
      const score = option.extension?.find(
        (e) => e.url === 'http://hl7.org/fhir/StructureDefinition/ordinalValue',
      )?.valueDecimal;
      if (option.valueCoding?.code && score !== undefined) scores.set(option.valueCoding.code, score);
    }
  return scores;
}

export function scoreLawton(answers: Answers, questionnaire: Questionnaire): AssessmentResult {
  const scores = lawtonLevelScores(questionnaire);
  const needsHelp: Coding[] = [];
  let total = 0;
  for (const item of questionnaire.item ?? []) {
    const score = scores.get(codeOf(answers, item.linkId) ?? '') ?? 0;
    total += score;
    if (score === 0) needsHelp.push(activityCoding(questionnaire, LAWTON_SYSTEM, item.linkId));
  }
  return {
    instrument: 'lawton-iadl',
    total: {
      code: { system: RESULT_SYSTEM, code: 'lawton-iadl-total', display: 'Lawton IADL total score' },
      value: total,
      positive: total < 8,
      concern: 'iadl-dependence',
    },
    findings: needsHelp.length
      ? [
          {
            key: 'iadl-needs-help',
            code: { system: RESULT_SYSTEM, code: 'needs-help', display: 'Needs help with this activity' },
            positive: true,
            components: needsHelp,
          },
        ]
      : [],
  };
}

function activityCoding(questionnaire: Questionnaire, system: string, linkId: string): Coding {
  const text = questionnaire.item?.find((i) => i.linkId === linkId)?.text ?? linkId;
  return { system, code: linkId, display: text };
}
