import { expect, it } from 'vitest';
import { patientSearchParams } from './panel-search.js';

it.each([
  ['', {}],
  ['  Brennan ', { name: 'Brennan' }],
  ['1947-03-14', { birthdate: '1947-03-14' }],
  ['MRN-100001', { identifier: 'MRN-100001' }],
  ['Smith-Jones', { name: 'Smith-Jones' }],
  ['12345', { identifier: '12345' }],
])('%j -> %j', (text, expected) => expect(patientSearchParams(text)).toEqual(expected));
