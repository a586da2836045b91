// The patient's medication schedule after reconciliation: what to take, what for, how much and
// when, with what is new, changed and stopped set apart; in the patient's language where Careloop
// has it, and printable on its own.

import { Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { Parameters } from '@medplum/fhirtypes';
import { FhirError, getFhir } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { printThisCard } from '../components/print-card.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { readSchedule, type ScheduleView } from './medrec-view.js';

async function loadSchedule(patientId: string): Promise<ScheduleView | undefined> {
  try {
    return readSchedule(await getFhir<Parameters>(`Patient/${encodeURIComponent(patientId)}/$medication-schedule`));
  } catch (err) {
    if (err instanceof FhirError && err.status === 404) return undefined;
    throw err;
  }
}

export function ScheduleTable({ schedule }: { schedule: ScheduleView }) {
  return (
    <Stack gap="md" className="plain-plan">
      {schedule.sections.map((s) => (
        <div key={s.key}>
          <Title order={3} size="h4" c={s.key === 'stopped' ? 'red.9' : s.key === 'paused' ? '#a84300' : undefined}>
            {s.title}
          </Title>
          <Table fz="md" aria-label={s.title}>
            <Table.Tbody>
              {s.lines.map((l) => (
                <Table.Tr key={l.name}>
                  <Table.Td>
                    <Text fw={700} td={s.key === 'stopped' ? 'line-through' : undefined}>
                      {l.name}
                    </Text>
                    {l.purpose && <Text size="sm">{l.purpose}</Text>}
                  </Table.Td>
                  <Table.Td>
                    {l.how && <Text>{l.how}</Text>}
                    {s.key !== 'stopped' && s.key !== 'paused' && <Text size="sm">{l.when}</Text>}
                    {l.note && (
                      <Text size="sm" fw={600}>
                        {l.note}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      ))}
    </Stack>
  );
}

export function ScheduleCard({ patientId }: { patientId: string }) {
  const query = useQuery(['medication-schedule', patientId], () => loadSchedule(patientId));
  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      component="section"
      aria-labelledby="section-my-medicines"
      className="print-me"
    >
      <Title order={2} size="h4" id="section-my-medicines" mb="xs">
        My medicines
      </Title>
      <QueryView query={query} label="your medicines">
        {(schedule) =>
          schedule ? (
            <Stack>
              <ScheduleTable schedule={schedule} />
              <Group justify="flex-end" className="no-print">
                <Button variant="default" size="xs" onClick={printThisCard}>
                  Print my medicines
                </Button>
              </Group>
            </Stack>
          ) : (
            <EmptyState>Your care team has not yet gone over your medicines with you.</EmptyState>
          )
        }
      </QueryView>
    </Card>
  );
}
