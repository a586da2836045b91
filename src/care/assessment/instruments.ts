// The instruments Careloop scores, by Questionnaire canonical URL.
import type { Questionnaire } from '@medplum/fhirtypes';
import { shippedQuestionnaires } from './assessment-content.js';
import type { AssessmentResult } from './assessment-result.js';
import type { Answers } from './response-answers.js';
import { scoreKatz, scoreLawton } from './score-functional.js';
import { scoreGad7 } from './score-gad7.js';
import { scoreHrsn } from './score-hrsn.js';
import { scorePhq2, scorePhq9 } from './score-phq.js';

export const QUESTIONNAIRE_BASE = 'http://careloop.org/fhir/Questionnaire/';

type Scorer = (answers: Answers, questionnaire: Questionnaire) => AssessmentResult;

const SCORERS: Readonly<Record<string, Scorer>> = {
  'phq-9': scorePhq9,
  'phq-2': scorePhq2,
  'gad-7': scoreGad7,
  'ahc-hrsn': scoreHrsn,
  'katz-adl': scoreKatz,
  'lawton-iadl': scoreLawton,
};

export interface Instrument {
  readonly slug: string;
  readonly questionnaire: Questionnaire;
  readonly score: Scorer;
}

/** The instrument a QuestionnaireResponse.questionnaire canonical names (`url` or `url|version`), if Careloop scores it. */
export function instrumentFor(canonical: string | undefined): Instrument | undefined {
  if (!canonical?.startsWith(QUESTIONNAIRE_BASE)) return undefined;
  const [url, version] = canonical.split('|');
  const questionnaire = shippedQuestionnaires().find((q) => q.url === url && (!version || q.version === version));
  const slug = url?.slice(QUESTIONNAIRE_BASE.length) ?? '';
  const score = SCORERS[slug];
  return questionnaire && score ? { slug, questionnaire, score } : undefined;
}

export const INSTRUMENT_SLUGS: readonly string[] = Object.keys(SCORERS);
