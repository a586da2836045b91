// AHC Health-Related Social Needs screening, core questions: each need positive or negative by the
// tool's published rule. Source: CMS, "A Guide to Using the Accountable Health Communities
// Health-Related Social Needs Screening Tool: Promising Practices and Key Insights" (2022), table
// "How to score the AHC HRSN Screening Tool":
// - living situation: positive for "worried about losing it" or "no steady place to live";
// - housing problems: positive for any problem (anything but "none of the above");
// - food (the Hunger Vital Sign, Hager et al. 2010): positive if either item is "often" or
//   "sometimes true";
// - transportation: positive for "yes";
// - utilities: positive for "yes" or "already shut off";
// - interpersonal safety (HITS, Sherin et al. 1998): never 1, rarely 2, sometimes 3, fairly often 4,
//   frequently 5; positive when the sum of the four items is greater than 10.
// The screen's own result (the instrument's total) is positive when any need is, and names them;
// the HITS total is written as one of its parts.
// The HITS rule is a sum: someone physically hurt "frequently" (5) who otherwise answers "never"
// scores 8, under the cut-off. So an answer above "never" to "physically hurt you" is also reported
// on its own, and raises the safety concern whatever the total.
import type { Coding } from '@medplum/fhirtypes';
import { type AssessmentResult, type Finding, LOINC, RESULT_SYSTEM } from './assessment-result.js';
import { type Answers, codeOf } from './response-answers.js';

export const HITS_SCORE: Readonly<Record<string, number>> = {
  'LA6270-8': 1,
  'LA10066-1': 2,
  'LA10082-8': 3,
  'LA16644-9': 4,
  'LA6482-9': 5,
};
export const HITS_ITEMS = { hurt: '95618-5', insult: '95617-7', threaten: '95616-9', scream: '95615-1' } as const;

const NONE_OF_THE_ABOVE = 'LA9-3';
const YES = 'LA33-6';
const ALREADY_SHUT_OFF = 'LA32002-0';
const FOOD_POSITIVE = ['LA28397-0', 'LA6729-3']; // often true, sometimes true

const loinc = (code: string, display: string): Coding => ({ system: LOINC, code, display });
const answer = (answers: Answers, linkId: string) => ({ coding: answers.get(linkId)?.slice() ?? [] });

export function scoreHrsn(answers: Answers): AssessmentResult {
  const living = codeOf(answers, '71802-3');
  const housingProblems = (answers.get('96778-6') ?? []).filter((c) => c.code !== NONE_OF_THE_ABOVE);
  const food =
    FOOD_POSITIVE.includes(codeOf(answers, '88122-7') ?? '') ||
    FOOD_POSITIVE.includes(codeOf(answers, '88123-5') ?? '');
  const utilities = codeOf(answers, '96779-4');
  const hits = Object.values(HITS_ITEMS).reduce((t, item) => t + (HITS_SCORE[codeOf(answers, item) ?? ''] ?? 0), 0);
  const hurt = HITS_SCORE[codeOf(answers, HITS_ITEMS.hurt) ?? ''] ?? 1;
  const findings: Finding[] = [
    {
      key: 'housing-instability',
      code: loinc('71802-3', 'Housing status'),
      positive: living === 'LA31994-9' || living === 'LA31995-6',
      value: answer(answers, '71802-3'),
      concern: 'housing-instability',
    },
    {
      key: 'inadequate-housing',
      code: loinc('96778-6', 'Problems with place where you live'),
      positive: housingProblems.length > 0,
      value: answer(answers, '96778-6'),
      concern: 'inadequate-housing',
    },
    {
      key: 'food-insecurity',
      code: loinc('88124-3', 'Food insecurity risk [HVS]'),
      positive: food,
      value: {
        coding: [food ? loinc('LA19952-3', 'At risk') : loinc('LA19983-8', 'No risk')],
      },
      concern: 'food-insecurity',
    },
    {
      key: 'transportation-insecurity',
      code: loinc(
        '93030-5',
        'Has lack of transportation kept you from medical appointments, meetings, work, or from getting things needed for daily living',
      ),
      positive: codeOf(answers, '93030-5') === YES,
      value: answer(answers, '93030-5'),
      concern: 'transportation-insecurity',
    },
    {
      key: 'utility-insecurity',
      code: loinc(
        '96779-4',
        'Has the electric, gas, oil, or water company threatened to shut off services in your home in past 12 months',
      ),
      positive: utilities === YES || utilities === ALREADY_SHUT_OFF,
      value: answer(answers, '96779-4'),
      concern: 'utility-insecurity',
    },
    {
      key: 'physical-harm-reported',
      code: loinc(HITS_ITEMS.hurt, 'How often does anyone, including family and friends, physically hurt you'),
      positive: hurt > 1,
      value: answer(answers, HITS_ITEMS.hurt),
      note: 'Reported on its own: the HITS total can stay at 10 or below for someone who is being physically hurt.',
      concern: 'interpersonal-safety',
    },
  ];
  // The HITS total is one part of the screen (interpersonal safety), reported as such.
  findings.push({
    key: 'interpersonal-safety',
    code: loinc('95614-4', 'Total score [HITS]'),
    positive: hits > 10,
    value: hits,
    note: 'The interpersonal safety part of the screen (HITS): positive above 10.',
    concern: 'interpersonal-safety',
  });
  // The screen's own result: positive when any need is, naming them, so that a screen that found
  // food insecurity and housing problems never reads "Negative" because its safety part did.
  const needs = [...new Set(findings.filter((f) => f.positive).map((f) => NEED_WORDS[f.key] ?? f.key))];
  return {
    instrument: 'ahc-hrsn',
    total: {
      code: HRSN_RESULT,
      value: needs.length,
      band: {
        system: RESULT_SYSTEM,
        code: needs.length > 0 ? 'needs-found' : 'no-need-found',
        display: needs.length > 0 ? `Positive: ${needs.join(', ')}` : 'Negative: no need found',
      },
      positive: needs.length > 0,
    },
    findings,
  };
}

/** The screen's overall result: how many of its needs were found (Careloop's code; AHC has none). */
export const HRSN_RESULT: Coding = {
  system: RESULT_SYSTEM,
  code: 'ahc-hrsn-result',
  display: 'AHC HRSN screen: needs found',
};

const NEED_WORDS: Readonly<Record<string, string>> = {
  'housing-instability': 'housing instability',
  'inadequate-housing': 'housing problems',
  'food-insecurity': 'food insecurity',
  'transportation-insecurity': 'transportation',
  'utility-insecurity': 'utilities',
  'physical-harm-reported': 'interpersonal safety',
  'interpersonal-safety': 'interpersonal safety',
};
