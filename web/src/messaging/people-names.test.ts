import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { peopleFrom, personLabel } from './people-names.js';

const resources: Resource[] = [
  { resourceType: 'Practitioner', id: 'c', name: [{ given: ['Maya'], family: 'Okafor', suffix: ['RN'] }] },
  {
    resourceType: 'PractitionerRole',
    id: 'cr',
    practitioner: { reference: 'Practitioner/c' },
    code: [{ text: 'Care coordinator' }],
  },
  { resourceType: 'Practitioner', id: 'p', name: [{ given: ['Sam'], family: 'Ito' }] },
  { resourceType: 'Patient', id: 'h', name: [{ given: ['Harold'], family: 'Brennan' }] },
  {
    resourceType: 'RelatedPerson',
    id: 'l',
    patient: { reference: 'Patient/h' },
    name: [{ given: ['Linda'], family: 'Brennan' }],
  },
];
const people = peopleFrom(resources);

describe('personLabel: a name and a role, never a reference string', () => {
  it.each([
    ['Practitioner/c', undefined, 'Maya Okafor, RN, Care coordinator'],
    ['Practitioner/p', undefined, 'Sam Ito'],
    ['Patient/h', undefined, 'Harold Brennan, patient'],
    ['RelatedPerson/l', undefined, 'Linda Brennan, caregiver'],
    ['Patient/h', 'Patient/h', 'You'],
    ['Practitioner/unknown', undefined, 'A member of the care team'],
    ['Device/worklist', undefined, 'Careloop'],
    ['Basic/x', undefined, 'Someone'],
  ])('%s (me: %s) reads "%s"', (reference, me, expected) => {
    expect(personLabel({ reference }, people, me)).toBe(expected);
  });

  it('uses the display a message carries when the record is not readable', () => {
    expect(personLabel({ reference: 'Practitioner/x', display: 'Careloop worklist' }, people)).toBe(
      'Careloop worklist',
    );
  });
});
