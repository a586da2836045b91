// The shared plan on one card: its goals (with target dates, progress and who set them), the work
// it asks of the team (its activities' tasks), a way to add a goal and to record progress, and —
// for the team — who changed what. In the portal the same plan in plain words and larger type,
// printable; the patient adds goals of their own and records their progress.

import { Button, Group, List, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import type { Goal } from '@medplum/fhirtypes';
import { type FormEvent, useState } from 'react';
import { useAction, useQuery } from '../api/use-query.js';
import { useUser } from '../auth/session.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { SectionCard } from '../components/section-card.js';
import { formatDate, formatDateTime } from '../format/fhir-text.js';
import { describeDue } from '../workspace/task-due.js';
import { ACHIEVEMENT, addGoal, loadHistory, loadPlan, recordProgress, startPlan } from './care-plan-api.js';

function goalText(g: Goal): string {
  return g.description.text ?? g.description.coding?.[0]?.display ?? 'Goal';
}

function History({ planId }: { planId: string }) {
  const query = useQuery(['plan-history', planId], () => loadHistory(planId));
  return (
    <QueryView query={query} label="the plan's history">
      {(lines) =>
        lines.length === 0 ? (
          <EmptyState>No changes recorded yet.</EmptyState>
        ) : (
          <List size="sm" spacing={2} aria-label="Who changed what">
            {lines.slice(0, 12).map((l) => (
              <List.Item key={`${l.when}-${l.text}`}>
                <Text span size="xs" c="gray.7">
                  {formatDateTime(l.when)} ·{' '}
                </Text>
                {l.who}
                {l.role ? ` (${l.role})` : ''}: {l.text}
              </List.Item>
            ))}
          </List>
        )
      }
    </QueryView>
  );
}

export function CarePlanCard({ patientId, portal }: { patientId: string; portal: boolean }) {
  const user = useUser();
  const query = useQuery(['care-plan', patientId], () => loadPlan(patientId));
  const [text, setText] = useState('');
  const [due, setDue] = useState('');
  const me = user.role === 'caregiver' ? `Patient/${patientId}` : user.fhirUser;

  const { run, busy, error } = useAction((work: () => Promise<unknown>) => work(), { onSuccess: query.reload });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim() || query.status !== 'done') return;
    const plan = query.data.plan;
    run(async () => {
      await addGoal(patientId, plan, text.trim(), due || undefined, me);
      setText('');
      setDue('');
    });
  };

  return (
    <SectionCard title={portal ? 'My care plan' : 'Care plan'}>
      <QueryView query={query} label="the care plan">
        {({ plan, goals, activities }) => (
          <Stack gap="sm" className={portal ? 'plain-plan' : undefined}>
            {!plan && !portal && (
              <Group justify="space-between">
                <EmptyState>No care plan yet.</EmptyState>
                <Button size="xs" loading={busy} onClick={() => run(() => startPlan(patientId, user.fhirUser))}>
                  Start a care plan
                </Button>
              </Group>
            )}
            {!plan && portal && (
              <Text>Your care team has not written a plan yet. You can still add goals of your own.</Text>
            )}
            <Title order={3} size="h5">
              {portal ? 'What we are working towards' : 'Goals'}
            </Title>
            {goals.length === 0 ? (
              <EmptyState>No goals yet.</EmptyState>
            ) : (
              <Stack gap="xs">
                {goals.map((g) => (
                  <Group key={g.id} justify="space-between" align="flex-end" wrap="wrap">
                    <div>
                      <Text size={portal ? 'lg' : 'sm'} fw={600}>
                        {goalText(g)}
                      </Text>
                      <Text size={portal ? 'md' : 'xs'} c="gray.7">
                        {g.achievementStatus?.text ?? g.lifecycleStatus}
                        {g.target?.[0]?.dueDate ? ` · by ${formatDate(g.target[0].dueDate)}` : ''}
                        {g.expressedBy?.reference === `Patient/${patientId}`
                          ? portal
                            ? ' · your own goal'
                            : ' · the patient’s own goal'
                          : ''}
                      </Text>
                    </div>
                    <Select
                      size="xs"
                      w={170}
                      label={`Progress on ${goalText(g)}`}
                      classNames={{ label: 'visually-hidden' }}
                      placeholder="Record progress"
                      data={[...ACHIEVEMENT]}
                      value={g.achievementStatus?.coding?.[0]?.code ?? null}
                      onChange={(v) => v && run(() => recordProgress(g, v))}
                      allowDeselect={false}
                    />
                  </Group>
                ))}
              </Stack>
            )}
            <form onSubmit={submit} aria-label={portal ? 'Add a goal of your own' : 'Add a goal'}>
              <Group align="flex-end" wrap="wrap">
                <TextInput
                  label={portal ? 'Add a goal of your own' : 'New goal'}
                  value={text}
                  onChange={(e) => setText(e.currentTarget.value)}
                  style={{ flex: 1, minWidth: 200 }}
                />
                <TextInput
                  label="Target date"
                  type="date"
                  value={due}
                  onChange={(e) => setDue(e.currentTarget.value)}
                />
                <Button type="submit" loading={busy} disabled={!text.trim()}>
                  Add goal
                </Button>
              </Group>
            </form>
            {error && (
              <Text size="sm" c="red.9" role="alert">
                Not saved: {error}
              </Text>
            )}
            <Title order={3} size="h5">
              {portal ? 'What your team is doing' : 'Activities'}
            </Title>
            {activities.length === 0 ? (
              <EmptyState>No activities in the plan.</EmptyState>
            ) : (
              <List size={portal ? 'md' : 'sm'} spacing={4}>
                {activities.map((t) => (
                  <List.Item key={t.id}>
                    {t.description ?? 'Task'}
                    <Text span size="xs" c="gray.7">
                      {' '}
                      · {t.owner?.display ?? t.owner?.reference ?? 'unassigned'} · {t.status} · {describeDue(t).text}
                    </Text>
                  </List.Item>
                ))}
              </List>
            )}
            {plan && !portal && (
              <>
                <Title order={3} size="h5">
                  Who changed what
                </Title>
                <History planId={plan.id ?? ''} />
              </>
            )}
            {portal && (
              <Group justify="flex-end" className="no-print">
                <Button variant="default" size="xs" onClick={() => window.print()}>
                  Print my plan
                </Button>
              </Group>
            )}
          </Stack>
        )}
      </QueryView>
    </SectionCard>
  );
}
