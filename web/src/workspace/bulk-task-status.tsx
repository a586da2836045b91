// Bulk status change on the worklist: the chosen tasks are started or marked done in one transaction
// (all or none), each with If-Match on the version shown, so a task someone else changed meanwhile
// fails the whole change and the list is reloaded rather than overwritten.

import { Button, Group, Text } from '@mantine/core';
import type { BundleEntry, Task } from '@medplum/fhirtypes';
import { submitTransaction } from '../api/fhir-client.js';
import { useAction } from '../api/use-query.js';

export function bulkStatusEntries(tasks: readonly Task[], status: Task['status'], at: string): BundleEntry[] {
  return tasks.map((t) => ({
    resource: { ...t, status, lastModified: at },
    request: {
      method: 'PUT',
      url: `Task/${t.id}`,
      ...(t.meta?.versionId ? { ifMatch: `W/"${t.meta.versionId}"` } : {}),
    },
  }));
}

export function BulkTaskBar({ selected, onDone }: { selected: readonly Task[]; onDone: () => void }) {
  const {
    run: apply,
    busy,
    error,
  } = useAction(
    (status: Task['status']) => submitTransaction(bulkStatusEntries(selected, status, new Date().toISOString())),
    { onSuccess: onDone },
  );
  if (selected.length === 0) return null;
  return (
    <Group gap="xs" mb="xs" role="group" aria-label="Change the selected tasks">
      <Text size="sm" fw={600}>
        {selected.length} selected
      </Text>
      <Button size="compact-sm" variant="default" loading={busy} onClick={() => apply('in-progress')}>
        Start selected
      </Button>
      <Button size="compact-sm" loading={busy} onClick={() => apply('completed')}>
        Mark selected done
      </Button>
      {error && (
        <Text size="sm" c="red.9" role="alert">
          Nothing changed: {error}
        </Text>
      )}
    </Group>
  );
}
