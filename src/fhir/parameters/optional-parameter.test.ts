import { expect, it } from 'vitest';
import * as optional from './optional-parameter.js';

it.each([
  ['string', optional.optionalString('a', 'x'), [{ name: 'a', valueString: 'x' }]],
  ['empty string', optional.optionalString('a', ''), []],
  ['absent string', optional.optionalString('a', undefined), []],
  ['code', optional.optionalCode('a', 'high'), [{ name: 'a', valueCode: 'high' }]],
  ['date', optional.optionalDate('a', '2026-12-03'), [{ name: 'a', valueDate: '2026-12-03' }]],
  [
    'dateTime',
    optional.optionalDateTime('a', '2026-12-03T10:00:00Z'),
    [{ name: 'a', valueDateTime: '2026-12-03T10:00:00Z' }],
  ],
  ['integer zero is a value', optional.optionalInteger('a', 0), [{ name: 'a', valueInteger: 0 }]],
  ['absent integer', optional.optionalInteger('a', undefined), []],
  [
    'reference',
    optional.optionalReference('a', { reference: 'Patient/1' }),
    [{ name: 'a', valueReference: { reference: 'Patient/1' } }],
  ],
  ['absent reference', optional.optionalReference('a', undefined), []],
])('%s', (_name, actual, expected) => {
  expect(actual).toEqual(expected);
});
