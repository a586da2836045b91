import { expect, it } from 'vitest';
import { matchPage } from './page-paths.js';

it.each([
  ['patient', '/patients/demo-harold-brennan', { id: 'demo-harold-brennan' }],
  ['patient', '/patients/demo-harold-brennan/medrec', undefined],
  ['medrec', '/patients/a%20b/medrec', { id: 'a b' }],
  ['assess', '/patients/p1/assess/phq-9', { id: 'p1', instrument: 'phq-9' }],
  ['portalRecord', '/portal/p1', { patient: 'p1' }],
  ['portal', '/portal', {}],
  ['episode', '/transitions/', undefined],
  ['today', '/today', {}],
] as const)('%s matches %s: %j', (page, path, params) => expect(matchPage(page, path)).toEqual(params));
