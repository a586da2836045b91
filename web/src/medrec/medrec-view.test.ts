import { expect, it } from 'vitest';
import { blocking, readReconciliation, readSchedule, sourcesOf } from './medrec-view.js';

const body = {
  resourceType: 'Parameters' as const,
  parameter: [
    { name: 'reconciliation', valueReference: { reference: 'List/l' } },
    { name: 'status', valueCode: 'in-progress' },
    {
      name: 'item',
      part: [
        { name: 'key', valueString: 'simvastatin' },
        { name: 'display', valueString: 'Simvastatin 40 mg' },
        { name: 'proposed', valueCode: 'continue' },
        {
          name: 'entry',
          part: [
            { name: 'source', valueCode: 'discharge' },
            { name: 'reference', valueReference: { reference: 'MedicationRequest/d', display: 'Simvastatin 40 mg' } },
            { name: 'dosage', valueString: 'at bedtime' },
          ],
        },
        { name: 'entry', part: [{ name: 'source', valueCode: 'home' }] },
      ],
    },
    {
      name: 'item',
      part: [
        { name: 'key', valueString: 'clarithromycin' },
        {
          name: 'decision',
          part: [
            { name: 'action', valueCode: 'new' },
            { name: 'reason', valueString: 'Pneumonia' },
          ],
        },
      ],
    },
    {
      name: 'discrepancy',
      part: [
        { name: 'kind', valueCode: 'drug-interaction' },
        { name: 'severity', valueCode: 'high' },
        { name: 'item', valueString: 'clarithromycin' },
        { name: 'item', valueString: 'simvastatin' },
      ],
    },
  ],
};

it('reads items, entries, decisions and discrepancies; what still blocks', () => {
  const view = readReconciliation(body);
  expect(view.list).toBe('List/l');
  expect(sourcesOf(view)).toEqual(['home', 'discharge']);
  expect(view.items[1]?.decision?.reason).toBe('Pneumonia');
  expect(blocking(view).map((d) => d.kind)).toEqual(['drug-interaction']);
});

it('reads a schedule', () => {
  const s = readSchedule({
    resourceType: 'Parameters',
    parameter: [
      { name: 'title', valueString: 'My medicines' },
      {
        name: 'section',
        part: [
          { name: 'key', valueCode: 'stopped' },
          { name: 'title', valueString: 'Stopped — do not take' },
          {
            name: 'line',
            part: [
              { name: 'name', valueString: 'Simvastatin' },
              { name: 'when', valueString: '' },
            ],
          },
        ],
      },
    ],
  });
  expect(s.sections[0]?.lines[0]?.name).toBe('Simvastatin');
});
