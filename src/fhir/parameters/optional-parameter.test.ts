import { expect, it } from 'vitest';
import {
  optionalCode,
  optionalDate,
  optionalDateTime,
  optionalInteger,
  optionalReference,
  optionalString,
} from './optional-parameter.js';

it.each([
  ['string', optionalString('a', 'x'), [{ name: 'a', valueString: 'x' }]],
  ['empty string', optionalString('a', ''), []],
  ['absent string', optionalString('a', undefined), []],
  ['code', optionalCode('a', 'high'), [{ name: 'a', valueCode: 'high' }]],
  ['date', optionalDate('a', '2026-12-03'), [{ name: 'a', valueDate: '2026-12-03' }]],
  ['dateTime', optionalDateTime('a', '2026-12-03T10:00:00Z'), [{ name: 'a', valueDateTime: '2026-12-03T10:00:00Z' }]],
  ['integer zero is a value', optionalInteger('a', 0), [{ name: 'a', valueInteger: 0 }]],
  ['absent integer', optionalInteger('a', undefined), []],
  [
    'reference',
    optionalReference('a', { reference: 'Patient/1' }),
    [{ name: 'a', valueReference: { reference: 'Patient/1' } }],
  ],
  ['absent reference', optionalReference('a', undefined), []],
])('%s', (_name, actual, expected) => {
  expect(actual).toEqual(expected);
});
