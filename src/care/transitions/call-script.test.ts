import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { CALL_SCRIPT_URL, callFollowUps, callScript } from './call-script.js';

const response = (items: QuestionnaireResponse['item']): QuestionnaireResponse & { id: string } => ({
  resourceType: 'QuestionnaireResponse',
  id: 'r',
  status: 'completed',
  questionnaire: CALL_SCRIPT_URL,
  subject: { reference: 'Patient/p' },
  item: items,
});
const owners = {
  pcp: { reference: 'Practitioner/pcp' },
  pharmacist: { reference: 'Practitioner/ph' },
  coordinator: { reference: 'Practitioner/c' },
};
const b = (linkId: string, value: boolean) => ({ linkId, answer: [{ valueBoolean: value }] });

it('the script asks every question the call needs', () => {
  expect(callScript().item?.map((i) => i.linkId)).toEqual([
    'feeling',
    'warning-signs',
    'warning-signs-which',
    'has-medicines',
    'understands-changes',
    'appointment-known',
    'transport',
    'services-started',
    'who-to-call',
    'questions',
  ]);
});

it.each([
  ['all well', [b('warning-signs', false), b('has-medicines', true), b('transport', true)], []],
  [
    'a warning sign goes to the physician, stat',
    [b('warning-signs', true), { linkId: 'warning-signs-which', answer: [{ valueString: 'up 2 kg' }] }],
    [['Practitioner/pcp', 'stat']],
  ],
  [
    'feeling worse',
    [{ linkId: 'feeling', answer: [{ valueCoding: { code: 'worse' } }] }],
    [['Practitioner/pcp', 'stat']],
  ],
  ['missing medicines go to the pharmacist', [b('has-medicines', false)], [['Practitioner/ph', 'urgent']]],
  ['no transport goes to the coordinator', [b('transport', false)], [['Practitioner/c', 'urgent']]],
  [
    'services not started',
    [{ linkId: 'services-started', answer: [{ valueCoding: { code: 'no' } }] }],
    [['Practitioner/c', 'urgent']],
  ],
] as const)('%s', (_, items, expected) => {
  const tasks = callFollowUps(response(items as never), owners, '2026-11-30T10:00:00Z', '2026-11-30');
  expect(tasks.map((t) => [t.owner?.reference, t.priority])).toEqual(expected);
});

it('says what was reported', () => {
  const [task] = callFollowUps(
    response([
      b('warning-signs', true),
      { linkId: 'warning-signs-which', answer: [{ valueString: 'up 2 kg since Tuesday' }] },
    ]),
    owners,
    '2026-11-30T10:00:00Z',
    '2026-11-30',
  );
  expect(task?.description).toBe('Post-discharge call: warning signs reported (up 2 kg since Tuesday). Assess today.');
});
