import { describe, expect, it } from 'vitest';
import { buildSchedule } from './medication-schedule.js';
import { checkDecision, classifyDiscrepancy, type Decision, unresolvedHigh } from './medrec-decisions.js';
import type { Action, Discrepancy } from './reconcile-medications.js';

const d = (
  kind: Discrepancy['kind'],
  items: string[],
  documented = false,
  severity: Discrepancy['severity'] = 'moderate',
): Discrepancy => ({
  key: `${kind}:${items.join('|')}`,
  kind,
  severity,
  items,
  implicated: [],
  text: '',
  documented,
});
const decisions = (entries: [string, Action][]) =>
  new Map<string, Decision>(
    entries.map(([item, action]) => [item, { item, action, reason: 'r', author: { display: 'x' }, at: '' }]),
  );

describe('classifyDiscrepancy', () => {
  it.each([
    ['omission stopped on purpose, undocumented', d('omission', ['a']), [['a', 'stop']], 'intentional-undocumented'],
    ['omission that was a mistake', d('omission', ['a']), [['a', 'continue']], 'unintentional'],
    ['documented dose change kept', d('dose-change', ['a'], true), [['a', 'modify']], 'intentional-documented'],
    ['dose change reverted', d('dose-change', ['a'], true), [['a', 'continue']], 'unintentional'],
    ['new medication kept', d('new-medication', ['a'], true), [['a', 'new']], 'intentional-documented'],
    [
      'interaction accepted with a reason',
      d('drug-interaction', ['a', 'b']),
      [
        ['a', 'continue'],
        ['b', 'continue'],
      ],
      'intentional-undocumented',
    ],
    [
      'interaction resolved by stopping one',
      d('drug-interaction', ['a', 'b']),
      [
        ['a', 'continue'],
        ['b', 'stop'],
      ],
      'unintentional',
    ],
    ['not decided yet', d('drug-interaction', ['a', 'b']), [['a', 'continue']], undefined],
  ] as const)('%s', (_, discrepancy, entries, expected) => {
    expect(classifyDiscrepancy(discrepancy, decisions(entries as unknown as [string, Action][]))).toBe(expected);
  });
});

it('unresolved high-severity discrepancies block; moderate ones do not', () => {
  const list = [d('drug-interaction', ['a', 'b'], false, 'high'), d('omission', ['c'])];
  expect(unresolvedHigh(list, decisions([['a', 'continue']])).map((x) => x.kind)).toEqual(['drug-interaction']);
  expect(
    unresolvedHigh(
      list,
      decisions([
        ['a', 'continue'],
        ['b', 'stop'],
      ]),
    ),
  ).toEqual([]);
});

describe('buildSchedule', () => {
  const inputs = [
    {
      name: 'Furosemide 40 mg tablet',
      ingredients: ['furosemide'],
      action: 'modify' as const,
      doseText: '40 mg',
      timesOfDay: ['morning' as const],
      asNeeded: false,
      before: '40 mg twice daily',
    },
    {
      name: 'Clarithromycin 500 mg tablet',
      ingredients: ['clarithromycin'],
      action: 'new' as const,
      doseText: '500 mg',
      timesOfDay: ['morning' as const, 'evening' as const],
      asNeeded: false,
    },
    {
      name: 'Simvastatin 40 mg tablet',
      ingredients: ['simvastatin'],
      action: 'stop' as const,
      doseText: '',
      timesOfDay: [],
      asNeeded: false,
    },
    {
      name: 'Acetaminophen 500 mg tablet',
      ingredients: ['acetaminophen'],
      action: 'continue' as const,
      doseText: '500 mg',
      timesOfDay: [],
      asNeeded: true,
    },
  ];
  it('in English: sections in order, purposes, times, what changed and what stopped', () => {
    const s = buildSchedule(inputs, 'en');
    expect(s.sections.map((x) => x.title)).toEqual([
      'New — start taking',
      'Changed — take the new way',
      'Keep taking',
      'Stopped — do not take',
    ]);
    expect(s.sections[0]?.lines[0]).toEqual({
      name: 'Clarithromycin 500 mg tablet',
      purpose: 'an antibiotic for infection',
      how: '500 mg',
      when: 'morning, evening',
    });
    expect(s.sections[1]?.lines[0]?.note).toBe('before: 40 mg twice daily');
    expect(s.sections[2]?.lines[0]?.when).toBe('only when needed');
    expect(s.sections[3]?.lines[0]?.note).toBe('Do not take this any more');
  });
  it('in Spanish where the translation exists', () => {
    const s = buildSchedule(inputs, 'es');
    expect(s.title).toBe('Mis medicamentos');
    expect(s.sections[0]?.lines[0]?.purpose).toBe('un antibiótico para la infección');
    expect(s.sections[0]?.lines[0]?.when).toBe('mañana, tarde');
  });
});

describe('a hold is a pause, not a stop', () => {
  const held = {
    name: 'Simvastatin 40 mg tablet',
    ingredients: ['simvastatin'],
    action: 'hold' as const,
    doseText: '40 mg at bedtime',
    timesOfDay: ['bedtime' as const],
    asNeeded: false,
    until: 'the clarithromycin course ends on 10 December',
    reason: 'clarithromycin raises the simvastatin level',
  };
  it.each([
    [
      'en',
      'Paused — do not take for now',
      'Pause until the clarithromycin course ends on 10 December (clarithromycin raises the simvastatin level)',
    ],
    [
      'es',
      'En pausa — no lo tome por ahora',
      'Pausa hasta the clarithromycin course ends on 10 December (clarithromycin raises the simvastatin level)',
    ],
  ] as const)('the patient reads it in %s as a pause with its end and its reason', (language, title, note) => {
    const s = buildSchedule([held], language);
    expect(s.sections.map((x) => x.title)).toEqual([title]);
    expect(s.sections[0]?.lines[0]?.note).toBe(note);
    expect(JSON.stringify(s)).not.toMatch(/do not take this any more|ya no tome/i);
  });
  it.each([
    [{ action: 'hold', reason: 'interaction', until: 'the course ends' }, []],
    [
      { action: 'hold', reason: 'interaction' },
      ['Say until when the medicine is paused: until (a date, or the event that ends it)'],
    ],
    [
      { action: 'hold', reason: 'interaction', until: '  ' },
      ['Say until when the medicine is paused: until (a date, or the event that ends it)'],
    ],
    [{ action: 'pause', reason: 'x' }, ['action must be one of continue, modify, stop, new, hold']],
  ])('%j: %j', (input, issues) => expect(checkDecision(input)).toEqual(issues));
  it('an omission held on purpose is intentional', () => {
    expect(classifyDiscrepancy(d('omission', ['simvastatin'], true), decisions([['simvastatin', 'hold']]))).toBe(
      'intentional-documented',
    );
  });
});
