import { expect, it } from 'vitest';
import { parseNeeds } from './needs.js';

it('reads the $needs Parameters into domains, instruments and concerns', () => {
  const needs = parseNeeds({
    resourceType: 'Parameters',
    parameter: [
      {
        name: 'domain',
        part: [
          { name: 'code', valueCode: 'behavioral' },
          {
            name: 'instrument',
            part: [
              { name: 'questionnaire', valueCanonical: 'http://careloop.org/fhir/Questionnaire/phq-9' },
              { name: 'title', valueString: 'PHQ-9' },
              { name: 'score', valueInteger: 11 },
              { name: 'due', valueDate: '2027-02-25' },
              { name: 'overdue', valueBoolean: false },
            ],
          },
          {
            name: 'concern',
            part: [
              { name: 'condition', valueReference: { reference: 'Condition/c1' } },
              { name: 'text', valueString: 'Depressive symptoms' },
              {
                name: 'proposal',
                part: [
                  { name: 'kind', valueCode: 'goal' },
                  { name: 'text', valueString: 'Feel better' },
                ],
              },
            ],
          },
        ],
      },
    ],
  });
  expect(needs).toEqual([
    {
      domain: 'behavioral',
      instruments: [
        {
          questionnaire: 'http://careloop.org/fhir/Questionnaire/phq-9',
          slug: 'phq-9',
          title: 'PHQ-9',
          score: 11,
          due: '2027-02-25',
          overdue: false,
        },
      ],
      concerns: [
        { condition: 'Condition/c1', text: 'Depressive symptoms', proposals: [{ kind: 'goal', text: 'Feel better' }] },
      ],
    },
  ]);
});
