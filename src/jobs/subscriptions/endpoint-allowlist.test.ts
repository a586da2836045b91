import { expect, it } from 'vitest';
import { endpointProblem } from './endpoint-allowlist.js';

const allowed = ['https://ehr.example.org/fhir/notify', 'http://127.0.0.1:9999/'];

it.each([
  ['https://ehr.example.org/fhir/notify', undefined],
  ['https://ehr.example.org/fhir/notify/tasks', undefined],
  ['http://127.0.0.1:9999/hook', undefined],
  ['https://ehr.example.org/other', 'not on the administrator'],
  ['http://ehr.example.org/fhir/notify', 'https'],
  ['https://user:pw@ehr.example.org/fhir/notify', 'credentials'],
  ['not a url', 'not a URL'],
  [undefined, 'required'],
])('%s: %s', (endpoint, problem) => {
  const found = endpointProblem(endpoint, allowed);
  if (problem === undefined) expect(found).toBeUndefined();
  else expect(found).toContain(problem);
});
