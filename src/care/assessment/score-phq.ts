// PHQ-9 and PHQ-2 scoring.
// Sources: Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity
// measure. J Gen Intern Med 2001;16(9):606-613 (items 0-3, total 0-27; severity 0-4 none-minimal,
// 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe; 10 or more as the cut-off for
// major depression). Kroenke K, Spitzer RL, Williams JBW. The Patient Health Questionnaire-2:
// validity of a two-item depression screener. Med Care 2003;41(11):1284-1292 (total 0-6, positive at
// 3 or more). Item 9 (thoughts of self-harm) above "not at all" needs same-day follow-up whatever the
// total (PHQ-9 instructions; Instruction Manual, Pfizer: "any positive response to item 9 should be
// followed up").

import { type AssessmentResult, bandOf, LOINC, positiveInterpretation } from './assessment-result.js';
import { type Answers, codeOf } from './response-answers.js';

/** LOINC answer list LL358-3: Not at all 0, Several days 1, More than half the days 2, Nearly every day 3. */
export const FREQUENCY_SCORE: Readonly<Record<string, number>> = {
  'LA6568-5': 0,
  'LA6569-3': 1,
  'LA6570-1': 2,
  'LA6571-9': 3,
};

export const PHQ9_ITEMS = [
  '44250-9',
  '44255-8',
  '44259-0',
  '44254-1',
  '44251-7',
  '44258-2',
  '44252-5',
  '44253-3',
  '44260-8',
] as const;
export const PHQ9_SELF_HARM_ITEM = '44260-8';

export const PHQ9_BANDS = [
  [0, 'none-minimal', 'None-minimal'],
  [5, 'mild', 'Mild'],
  [10, 'moderate', 'Moderate'],
  [15, 'moderately-severe', 'Moderately severe'],
  [20, 'severe', 'Severe'],
] as const;

function sum(answers: Answers, items: readonly string[]): number {
  return items.reduce((total, item) => total + (FREQUENCY_SCORE[codeOf(answers, item) ?? ''] ?? 0), 0);
}

const PHQ9_TOTAL = {
  system: LOINC,
  code: '44261-6',
  display: 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]',
};

export function scorePhq9(answers: Answers): AssessmentResult {
  const total = sum(answers, PHQ9_ITEMS);
  const selfHarm = FREQUENCY_SCORE[codeOf(answers, PHQ9_SELF_HARM_ITEM) ?? ''] ?? 0;
  return {
    instrument: 'phq-9',
    total: {
      code: PHQ9_TOTAL,
      value: total,
      band: bandOf(total, PHQ9_BANDS),
      positive: total >= 10,
      concern: 'depression-symptoms',
    },
    findings: [
      {
        key: 'self-harm-thoughts',
        code: {
          system: LOINC,
          code: PHQ9_SELF_HARM_ITEM,
          display:
            'Thoughts that you would be better off dead, or of hurting yourself in some way in last 2 weeks [Reported.PHQ]',
        },
        positive: selfHarm > 0,
        value: { coding: answers.get(PHQ9_SELF_HARM_ITEM)?.slice(0, 1) ?? [] },
        note: 'Any answer above "not at all" to item 9 needs a same-day safety assessment, whatever the total.',
        concern: 'self-harm-risk',
        safety: true,
      },
    ],
  };
}

export function scorePhq2(answers: Answers): AssessmentResult {
  const total = sum(answers, PHQ9_ITEMS.slice(0, 2));
  const positive = total >= 3;
  return {
    instrument: 'phq-2',
    total: {
      code: {
        system: LOINC,
        code: '55758-7',
        display: 'Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]',
      },
      value: total,
      band: positiveInterpretation(positive),
      positive,
      concern: 'depression-screen-positive',
    },
    findings: [],
  };
}
