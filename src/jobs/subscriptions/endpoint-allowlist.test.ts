import { expect, it } from 'vitest';
import { endpointProblem } from './endpoint-allowlist.js';

const allowed = ['https://ehr.example.org/fhir/notify', 'http://127.0.0.1:9999/', 'https://hooks.example.org'];

it.each([
  ['https://ehr.example.org/fhir/notify', undefined],
  ['https://ehr.example.org/fhir/notify/tasks', undefined],
  ['http://127.0.0.1:9999/hook', undefined],
  ['https://ehr.example.org/other', 'not on the administrator'],
  ['https://hooks.example.org/any/path', undefined],
  ['https://hooks.example.org:443/x', undefined],
  // A look-alike host, another port, a sibling path, another scheme: none is the listed endpoint.
  ['https://hooks.example.org.attacker.example/x', 'not on the administrator'],
  ['https://hooks.example.org@attacker.example/x', 'credentials'],
  ['https://hooks.example.org:8443/x', 'not on the administrator'],
  ['https://ehr.example.org/fhir/notify-elsewhere', 'not on the administrator'],
  ['https://ehr.example.org/fhir/notify/../../steal', 'not on the administrator'],
  ['http://127.0.0.1:9998/hook', 'not on the administrator'],
  ['http://127.0.0.1.attacker.example:9999/hook', 'https'],
  ['http://ehr.example.org/fhir/notify', 'https'],
  ['https://user:pw@ehr.example.org/fhir/notify', 'credentials'],
  ['not a url', 'not a URL'],
  [undefined, 'required'],
])('%s: %s', (endpoint, problem) => {
  const found = endpointProblem(endpoint, allowed);
  if (problem === undefined) expect(found).toBeUndefined();
  else expect(found).toContain(problem);
});
