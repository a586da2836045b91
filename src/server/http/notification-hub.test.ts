import { expect, it } from 'vitest';
import { INTERNAL_NOTE } from '../../access/policy/internal-notes.js';
import type { WriteEvent } from '../../store/repository/repository-context.js';
import { createNotificationHub, type NotificationEvent } from './notification-hub.js';

const event = (e: Partial<WriteEvent> & Pick<WriteEvent, 'resourceType' | 'resource'>): WriteEvent => ({
  interaction: 'create',
  id: 'x1',
  previous: undefined,
  compartments: [],
  ...e,
});

it('tells the new owner of a task and the recipients of a message, and no one else', () => {
  const hub = createNotificationHub();
  const got: Record<string, NotificationEvent[]> = { coordinator: [], pcp: [], caregiver: [] };
  hub.add({ references: ['Practitioner/c'], send: (e) => got.coordinator?.push(e) });
  hub.add({ references: ['Practitioner/p'], send: (e) => got.pcp?.push(e) });
  hub.add({ references: ['RelatedPerson/l', 'Patient/h'], send: (e) => got.caregiver?.push(e) });
  hub.onCommit([
    event({
      resourceType: 'Task',
      id: 't1',
      resource: { resourceType: 'Task', status: 'requested', intent: 'order', owner: { reference: 'Practitioner/c' } },
    }),
    // An update that keeps the owner is not news.
    event({
      resourceType: 'Task',
      id: 't2',
      interaction: 'update',
      resource: { resourceType: 'Task', status: 'completed', intent: 'order', owner: { reference: 'Practitioner/p' } },
      previous: { resourceType: 'Task', status: 'requested', intent: 'order', owner: { reference: 'Practitioner/p' } },
    }),
    event({
      resourceType: 'Communication',
      id: 'm1',
      resource: { resourceType: 'Communication', status: 'completed', recipient: [{ reference: 'Patient/h' }] },
    }),
    // A note for the care team is no message, whoever it names.
    event({
      resourceType: 'Communication',
      id: 'n1',
      resource: {
        resourceType: 'Communication',
        status: 'not-done',
        category: [{ coding: [INTERNAL_NOTE] }],
        recipient: [{ reference: 'Patient/h' }],
      },
    }),
  ]);
  expect(got.coordinator).toEqual([{ type: 'Task', id: 't1', reason: 'task-assigned' }]);
  expect(got.pcp).toEqual([]);
  expect(got.caregiver).toEqual([{ type: 'Communication', id: 'm1', reason: 'message' }]);
});
