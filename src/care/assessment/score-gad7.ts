// GAD-7 scoring. Source: Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing
// generalized anxiety disorder: the GAD-7. Arch Intern Med 2006;166(10):1092-1097: items 0-3, total
// 0-21; 5, 10 and 15 as the cut-offs for mild, moderate and severe anxiety; 10 or more as the
// point for further evaluation.
import { type AssessmentResult, bandOf, LOINC } from './assessment-result.js';
import { type Answers, codeOf } from './response-answers.js';
import { FREQUENCY_SCORE } from './score-phq.js';

export const GAD7_ITEMS = ['69725-0', '68509-9', '69733-4', '69734-2', '69735-9', '69689-8', '69736-7'] as const;

export const GAD7_BANDS = [
  [0, 'minimal', 'Minimal'],
  [5, 'mild', 'Mild'],
  [10, 'moderate', 'Moderate'],
  [15, 'severe', 'Severe'],
] as const;

export function scoreGad7(answers: Answers): AssessmentResult {
  const total = GAD7_ITEMS.reduce((t, item) => t + (FREQUENCY_SCORE[codeOf(answers, item) ?? ''] ?? 0), 0);
  return {
    instrument: 'gad-7',
    total: {
      code: {
        system: LOINC,
        code: '70274-6',
        display: 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]',
      },
      value: total,
      band: bandOf(total, GAD7_BANDS),
      positive: total >= 10,
      concern: 'anxiety-symptoms',
    },
    findings: [],
  };
}
