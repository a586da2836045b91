import { expect, it } from 'vitest';
import { columnOf, episodeCard } from './transition-words.js';

const SD = 'http://careloop.org/fhir/StructureDefinition';
const episode = (phase: string, contactDue?: string, faceToFaceDue?: string) =>
  episodeCard({
    resourceType: 'EpisodeOfCare',
    id: 'e',
    status: 'active',
    patient: { reference: 'Patient/p' },
    extension: [
      { url: `${SD}/transition-phase`, valueCode: phase },
      {
        url: `${SD}/tcm-clock`,
        extension: [
          { url: 'eligible', valueBoolean: true },
          ...(contactDue ? [{ url: 'contactDue', valueDate: contactDue }] : []),
          ...(faceToFaceDue ? [{ url: 'faceToFaceDue', valueDate: faceToFaceDue }] : []),
        ],
      },
    ],
  });

it.each([
  ['in hospital', episode('admitted'), false, 'admitted', false],
  ['contact due, in time', episode('post-discharge', '2026-12-01', '2026-12-07'), false, 'contact-due', false],
  ['contact overdue', episode('post-discharge', '2026-11-27', '2026-12-07'), false, 'contact-due', true],
  ['contacted, follow-up due', episode('post-discharge', '2026-11-27', '2026-12-07'), true, 'follow-up-due', false],
  ['follow-up overdue', episode('post-discharge', '2026-11-20', '2026-11-28'), true, 'follow-up-due', true],
  ['closed', episode('closed'), true, 'closed', false],
] as const)('%s', (_, card, contacted, column, overdue) => {
  expect(columnOf(card, contacted, '2026-11-30')).toEqual({ column, overdue });
});
