// In the portal: my after-hospital plan (AHRQ Project RED), from my latest hospital stay — when I
// left, who to call, my appointments, tests still pending, warning signs and what to do, and room
// for my questions; printable on its own. My medicines are in "My medicines".

import { Button, Card, Group, List, Stack, Text, Textarea, Title } from '@mantine/core';
import type { Bundle, EpisodeOfCare, Parameters } from '@medplum/fhirtypes';
import { useState } from 'react';
import { entriesOf, getFhir, searchResources } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { printThisCard } from '../components/print-card.js';
import { QueryView } from '../components/query-view.js';
import { formatDate, formatDateTime } from '../format/fhir-text.js';
import { type AfterHospitalPlanView, readAfterHospitalPlan } from './after-hospital-plan.js';

async function loadPlan(patientId: string): Promise<AfterHospitalPlanView | undefined> {
  const b: Bundle = await searchResources('EpisodeOfCare', {
    patient: patientId,
    type: 'http://careloop.org/fhir/CodeSystem/episode-type|transition',
    _sort: '-date',
    _count: 1,
  });
  const latest = entriesOf<EpisodeOfCare>(b, 'EpisodeOfCare')[0];
  if (!latest?.id) return undefined;
  return readAfterHospitalPlan(await getFhir<Parameters>(`EpisodeOfCare/${latest.id}/$after-hospital-plan`));
}

export function AfterHospitalPlanCard({ patientId }: { patientId: string }) {
  const query = useQuery(['after-hospital-plan', patientId], () => loadPlan(patientId));
  const [questions, setQuestions] = useState('');
  return (
    <QueryView query={query} label="your after-hospital plan">
      {(plan) => {
        if (!plan) return null;
        const left = plan.dischargeDate;
        return (
          <Card
            withBorder
            radius="md"
            padding="md"
            component="section"
            aria-labelledby="section-after-hospital"
            className="print-me plain-plan"
          >
            <Title order={2} size="h4" id="section-after-hospital" mb="xs">
              My after-hospital plan
            </Title>
            <Stack gap="sm">
              <Text>{left ? `You left the hospital on ${formatDate(left)}.` : 'You are in the hospital now.'}</Text>
              <div>
                <Title order={3} size="h5">
                  Who to call
                </Title>
                {plan.whoToCall.map((c) => (
                  <Text key={c.name}>
                    {c.role}: <b>{c.name}</b>
                    {c.phone ? `, ${c.phone}` : ''}
                  </Text>
                ))}
              </div>
              <div>
                <Title order={3} size="h5">
                  My appointments
                </Title>
                {plan.appointments.length === 0 ? (
                  <Text>None booked yet: your care coordinator will call you.</Text>
                ) : (
                  plan.appointments.map((a) => (
                    <Text key={a.when}>
                      {formatDateTime(a.when)}: {a.what}
                      {a.with ? ` with ${a.with}` : ''}
                    </Text>
                  ))
                )}
              </div>
              {plan.pendingTests.length > 0 && (
                <div>
                  <Title order={3} size="h5">
                    Tests still waiting for results
                  </Title>
                  {plan.pendingTests.map((t) => (
                    <Text key={t}>{t}</Text>
                  ))}
                </div>
              )}
              <div>
                <Title order={3} size="h5">
                  Warning signs: call if you notice
                </Title>
                <List>
                  {plan.warningSigns.map((w) => (
                    <List.Item key={w}>{w}</List.Item>
                  ))}
                </List>
              </div>
              <Textarea
                label="My questions for my care team"
                autosize
                minRows={2}
                value={questions}
                onChange={(e) => setQuestions(e.currentTarget.value)}
              />
              <Group justify="flex-end" className="no-print">
                <Button variant="default" size="xs" onClick={printThisCard}>
                  Print my plan
                </Button>
              </Group>
            </Stack>
          </Card>
        );
      }}
    </QueryView>
  );
}
