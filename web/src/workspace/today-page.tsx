// Today: my worklist (overdue, due today, by priority), new admissions and discharges among my
// patients, and what is flagged urgent. Every row opens its patient in one click.

import { Badge, Checkbox, Grid, Stack, Table, Text, Title } from '@mantine/core';
import type { Bundle, Encounter, Flag, Task } from '@medplum/fhirtypes';
import { useState } from 'react';
import { entriesOf, searchEvery } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { useUser } from '../auth/session.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { ScrollRegion } from '../components/scroll-region.js';
import { SectionCard } from '../components/section-card.js';
import { clinicDayOffset, formatConcept, formatDate, formatName, referenceId } from '../format/fhir-text.js';
import { Link } from '../shell/router.js';
import { BulkTaskBar } from './bulk-task-status.js';
import { TaskActions } from './task-actions.js';
import { describeDue, PRIORITY_COLORS, URGENT_PRIORITIES } from './task-due.js';
import { loadWorklist } from './worklist-client.js';

function namesOf(...bundles: Bundle[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const b of bundles)
    for (const e of b.entry ?? []) {
      const r = e.resource;
      if (r?.resourceType === 'Patient' && r.id) names.set(r.id, formatName(r.name));
    }
  return names;
}

async function loadToday(practitioner: string | undefined) {
  const weekAgo = clinicDayOffset(-7);
  const [mine, urgent, stays, flags] = await Promise.all([
    practitioner
      ? // The server's open statuses and order (Task/$worklist), every task, no page cut.
        loadWorklist({ owner: practitioner, withPatients: true })
      : Promise.resolve<Bundle>({ resourceType: 'Bundle', type: 'searchset' }),
    loadWorklist({ panel: true, priority: URGENT_PRIORITIES.join(','), withPatients: true }),
    searchEvery('Encounter', {
      class: 'IMP,EMER,ACUTE',
      date: `ge${weekAgo}`,
      _sort: '-date',
      _include: 'Encounter:subject',
    }),
    // R4 has no status search parameter on Flag: active ones are picked here.
    searchEvery('Flag', { _include: 'Flag:patient' }),
  ]);
  return {
    mine: entriesOf<Task>(mine, 'Task'),
    urgent: entriesOf<Task>(urgent, 'Task'),
    stays: entriesOf<Encounter>(stays, 'Encounter'),
    flags: entriesOf<Flag>(flags, 'Flag').filter((f) => f.status === 'active'),
    names: namesOf(mine, urgent, stays, flags),
  };
}

function PatientLink({ id, names }: { id: string | undefined; names: Map<string, string> }) {
  if (!id) return <Text size="sm">Unknown patient</Text>;
  return (
    <Link to={`/patients/${encodeURIComponent(id)}`} size="sm" fw={600}>
      {names.get(id) ?? 'Patient'}
    </Link>
  );
}

function TaskTable({
  tasks,
  names,
  caption,
  onChanged,
}: {
  tasks: Task[];
  names: Map<string, string>;
  caption: string;
  onChanged: () => void;
}) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const selected = tasks.filter((t) => t.id && chosen.has(t.id));
  const toggle = (id: string, on: boolean) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <ScrollRegion label={caption} minWidth={480}>
      <BulkTaskBar
        selected={selected}
        onDone={() => {
          setChosen(new Set());
          onChanged();
        }}
      />
      <Table aria-label={caption} fz="sm" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={36}>
              <Checkbox
                aria-label="Select every task"
                checked={tasks.length > 0 && selected.length === tasks.length}
                indeterminate={selected.length > 0 && selected.length < tasks.length}
                onChange={(e) => setChosen(new Set(e.currentTarget.checked ? tasks.map((t) => t.id ?? '') : []))}
              />
            </Table.Th>
            <Table.Th scope="col">Patient</Table.Th>
            <Table.Th scope="col">Task</Table.Th>
            <Table.Th scope="col">Due</Table.Th>
            <Table.Th scope="col" w={110}>
              Priority
            </Table.Th>
            <Table.Th scope="col">
              <span className="visually-hidden">Actions</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((t) => {
            const due = describeDue(t);
            return (
              <Table.Tr key={t.id}>
                <Table.Td>
                  <Checkbox
                    aria-label={`Select: ${t.description ?? formatConcept(t.code)}`}
                    checked={chosen.has(t.id ?? '')}
                    onChange={(e) => toggle(t.id ?? '', e.currentTarget.checked)}
                  />
                </Table.Td>
                <Table.Td>
                  <PatientLink id={referenceId(t.for, 'Patient')} names={names} />
                </Table.Td>
                <Table.Td>{t.description ?? formatConcept(t.code)}</Table.Td>
                <Table.Td>
                  <Text size="sm" c={due.overdue ? 'red.9' : undefined} fw={due.overdue ? 600 : undefined}>
                    {due.text}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge
                    size="sm"
                    variant={t.priority === 'routine' ? 'outline' : 'filled'}
                    color={PRIORITY_COLORS[t.priority ?? 'routine']}
                  >
                    {t.priority ?? 'routine'}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <TaskActions task={t} onChanged={onChanged} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}

export function TodayPage() {
  const user = useUser();
  const practitioner = user.fhirUser?.startsWith('Practitioner/') ? user.fhirUser : undefined;
  const query = useQuery(['today', practitioner], () => loadToday(practitioner));
  return (
    <Stack>
      <Title order={1}>Today</Title>
      <QueryView query={query} label="today's work">
        {(d) => {
          const overdue = d.mine.filter((t) => describeDue(t).overdue).length;
          return (
            <Grid>
              <Grid.Col span={{ base: 12, lg: 8 }}>
                <SectionCard title="My worklist">
                  <Text size="sm" mb="xs">
                    {d.mine.length} open task{d.mine.length === 1 ? '' : 's'}
                    {overdue ? `, ${overdue} overdue` : ''}
                  </Text>
                  {d.mine.length === 0 ? (
                    <EmptyState>Nothing on your worklist.</EmptyState>
                  ) : (
                    <TaskTable tasks={d.mine} names={d.names} caption="My worklist" onChanged={query.reload} />
                  )}
                </SectionCard>
              </Grid.Col>
              <Grid.Col span={{ base: 12, lg: 4 }}>
                <Stack>
                  <SectionCard title="Urgent">
                    {d.urgent.length + d.flags.length === 0 ? (
                      <EmptyState>Nothing flagged urgent.</EmptyState>
                    ) : (
                      <Stack gap={6}>
                        {d.flags.map((f) => (
                          <div key={f.id}>
                            <PatientLink id={referenceId(f.subject, 'Patient')} names={d.names} />
                            <Text size="xs">Flag: {formatConcept(f.code)}</Text>
                          </div>
                        ))}
                        {d.urgent.map((t) => (
                          <div key={t.id}>
                            <PatientLink id={referenceId(t.for, 'Patient')} names={d.names} />
                            <Text size="xs">
                              {t.priority}: {t.description ?? formatConcept(t.code)}
                            </Text>
                          </div>
                        ))}
                      </Stack>
                    )}
                  </SectionCard>
                  <SectionCard title="Admissions and discharges">
                    {d.stays.length === 0 ? (
                      <EmptyState>No hospital stays among your patients this week.</EmptyState>
                    ) : (
                      <Stack gap={6}>
                        {d.stays.map((e) => (
                          <div key={e.id}>
                            <PatientLink id={referenceId(e.subject, 'Patient')} names={d.names} />
                            <Text size="xs">
                              {e.period?.end
                                ? `Discharged ${formatDate(e.period.end)}`
                                : `Admitted ${formatDate(e.period?.start)}, still in hospital`}
                              {e.reasonCode?.[0] ? ` · ${formatConcept(e.reasonCode[0])}` : ''}
                              {e.serviceProvider?.display ? ` · ${e.serviceProvider.display}` : ''}
                            </Text>
                          </div>
                        ))}
                      </Stack>
                    )}
                  </SectionCard>
                </Stack>
              </Grid.Col>
            </Grid>
          );
        }}
      </QueryView>
    </Stack>
  );
}
