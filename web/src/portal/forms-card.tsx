// Forms the care team sent to this patient's portal (Tasks of type assessment-due): each opens the
// form; the server closes the task when the form comes back completed.

import { Button, Group, Stack, Text } from '@mantine/core';
import type { Task } from '@medplum/fhirtypes';
import { entriesOf } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { QueryView } from '../components/query-view.js';
import { SectionCard } from '../components/section-card.js';
import { navigate } from '../shell/router.js';
import { loadWorklist } from '../workspace/worklist-client.js';

export function FormsCard({ patientId }: { patientId: string }) {
  const query = useQuery(['forms-due', patientId], async () =>
    entriesOf<Task>(
      await loadWorklist({
        panel: true,
        patient: `Patient/${patientId}`,
        code: 'http://careloop.org/fhir/CodeSystem/task-type|assessment-due',
      }),
      'Task',
    ),
  );
  if (query.status === 'done' && query.data.length === 0) return null;
  return (
    <SectionCard title="Forms to fill in">
      <QueryView query={query} label="your forms">
        {(tasks) => (
          <Stack gap="xs">
            {tasks.map((t) => {
              const canonical = t.input?.find((i) => i.valueCanonical)?.valueCanonical ?? '';
              const slug = canonical.split('|')[0]?.split('/').pop() ?? '';
              return (
                <Group key={t.id} justify="space-between" wrap="nowrap">
                  <Text size="sm">{t.description ?? 'A form from your care team'}</Text>
                  <Button size="xs" onClick={() => navigate(`/portal/${encodeURIComponent(patientId)}/assess/${slug}`)}>
                    Fill in
                  </Button>
                </Group>
              );
            })}
          </Stack>
        )}
      </QueryView>
    </SectionCard>
  );
}
