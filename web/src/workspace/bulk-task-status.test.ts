import type { Task } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { bulkStatusEntries } from './bulk-task-status.js';

it('puts every chosen task with its new status, guarded by the version shown', () => {
  const tasks: Task[] = [
    { resourceType: 'Task', id: 'a', status: 'requested', intent: 'order', meta: { versionId: '3' } },
    { resourceType: 'Task', id: 'b', status: 'accepted', intent: 'order' },
  ];
  const entries = bulkStatusEntries(tasks, 'completed', '2026-11-30T10:00:00Z');
  expect(entries.map((e) => e.request)).toEqual([
    { method: 'PUT', url: 'Task/a', ifMatch: 'W/"3"' },
    { method: 'PUT', url: 'Task/b' },
  ]);
  expect(entries.map((e) => (e.resource as Task).status)).toEqual(['completed', 'completed']);
  expect((entries[0]?.resource as Task | undefined)?.lastModified).toBe('2026-11-30T10:00:00Z');
});
