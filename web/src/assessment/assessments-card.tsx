// On the patient page: each instrument's latest result and when it is due, with "Fill in" and "Send
// to the portal"; the open concerns, and what Careloop proposes for each, to accept into the plan.

import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import type { Goal, ServiceRequest, Task } from '@medplum/fhirtypes';
import { useState } from 'react';
import { createResource, getFhir } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { useUser } from '../auth/session.js';
import { DataTable } from '../components/data-table.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { SectionCard } from '../components/section-card.js';
import { formatDate, todayIso } from '../format/fhir-text.js';
import { navigate } from '../shell/router.js';
import { type DomainNeeds, type OpenConcern, type Proposal, parseNeeds } from './needs.js';

const TASK_TYPE = 'http://careloop.org/fhir/CodeSystem/task-type';
const DOMAIN_NAMES: Record<string, string> = {
  medical: 'Medical',
  behavioral: 'Behavioral health',
  social: 'Social needs',
  functional: 'Function',
};

async function sendToPortal(patientId: string, questionnaire: string, title: string, requester: string | undefined) {
  await createResource<Task>({
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    priority: 'routine',
    code: { coding: [{ system: TASK_TYPE, code: 'assessment-due', display: 'Assessment due' }] },
    description: `Please fill in: ${title}`,
    for: { reference: `Patient/${patientId}` },
    owner: { reference: `Patient/${patientId}` },
    ...(requester ? { requester: { reference: requester } } : {}),
    authoredOn: new Date().toISOString(),
    input: [{ type: { text: 'questionnaire' }, valueCanonical: questionnaire }],
  });
}

async function accept(patientId: string, concern: OpenConcern, proposal: Proposal, user: string | undefined) {
  const subject = { reference: `Patient/${patientId}` };
  if (proposal.kind === 'goal')
    await createResource<Goal>({
      resourceType: 'Goal',
      lifecycleStatus: 'active',
      description: { text: proposal.text },
      subject,
      startDate: todayIso(),
      addresses: [{ reference: concern.condition }],
      ...(user ? { expressedBy: { reference: user } } : {}),
    });
  else
    await createResource<ServiceRequest>({
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      category: [{ text: proposal.kind }],
      code: { text: proposal.text },
      subject,
      authoredOn: new Date().toISOString(),
      reasonReference: [{ reference: concern.condition }],
      ...(user ? { requester: { reference: user } } : {}),
    });
}

function InstrumentsTable({
  needs,
  patientId,
  onSent,
}: {
  needs: DomainNeeds[];
  patientId: string;
  onSent: (t: string) => void;
}) {
  const user = useUser();
  const rows = needs.flatMap((d) => d.instruments.map((i) => ({ ...i, domain: d.domain })));
  return (
    <DataTable label="Instruments" minWidth={560} columns={['Instrument', 'Latest', 'Due', { hidden: 'Actions' }]}>
      {rows.map((i) => (
        <Table.Tr key={i.questionnaire}>
          <Table.Td>
            <Text size="sm" fw={600}>
              {i.title}
            </Text>
            <Text size="xs" c="gray.7">
              {DOMAIN_NAMES[i.domain] ?? i.domain}
            </Text>
          </Table.Td>
          <Table.Td>
            {i.date ? (
              <>
                {i.score ?? '—'}
                {i.band?.display ? ` · ${i.band.display}` : ''} ({formatDate(i.date)})
                {i.positive && (
                  <Badge ml={4} size="xs" color="red.9">
                    positive
                  </Badge>
                )}
              </>
            ) : (
              <Text size="sm" c="gray.7">
                Not done
              </Text>
            )}
          </Table.Td>
          <Table.Td>
            <Text size="sm" c={i.overdue ? 'red.9' : undefined} fw={i.overdue ? 600 : undefined}>
              {i.overdue ? `Overdue since ${formatDate(i.due)}` : formatDate(i.due)}
            </Text>
          </Table.Td>
          <Table.Td>
            <Group gap={4} wrap="nowrap">
              <Button
                size="xs"
                onClick={() => navigate(`/patients/${encodeURIComponent(patientId)}/assess/${i.slug}`)}
                aria-label={`Fill in ${i.title}`}
              >
                Fill in
              </Button>
              <Button
                size="xs"
                variant="default"
                aria-label={`Send to portal: ${i.title}`}
                onClick={() =>
                  void sendToPortal(patientId, i.questionnaire, i.title, user.fhirUser).then(() => onSent(i.title))
                }
              >
                Send to portal
              </Button>
            </Group>
          </Table.Td>
        </Table.Tr>
      ))}
    </DataTable>
  );
}

function Concerns({ needs, patientId, onChange }: { needs: DomainNeeds[]; patientId: string; onChange: () => void }) {
  const user = useUser();
  const [busy, setBusy] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const concerns = needs.flatMap((d) =>
    d.concerns.filter(() => d.domain !== 'medical').map((c) => ({ ...c, domain: d.domain })),
  );
  if (concerns.length === 0) return <EmptyState>No open concerns from assessments.</EmptyState>;
  return (
    <Stack gap="sm" aria-label="Concerns and proposals">
      {concerns.map((c) => (
        <div key={c.condition}>
          <Text size="sm" fw={600}>
            {c.text}{' '}
            <Text span size="xs" c="gray.7">
              ({DOMAIN_NAMES[c.domain] ?? c.domain})
            </Text>
          </Text>
          {c.proposals.length === 0 ? (
            <Text size="xs" c="gray.7">
              Every proposal is in the plan.
            </Text>
          ) : (
            <Stack gap={4} mt={4}>
              {c.proposals.map((p) => (
                <Group key={p.text} gap="xs" wrap="nowrap" justify="space-between">
                  <Text size="sm">
                    <Badge size="xs" variant="outline" color="teal.9" mr={6}>
                      {p.kind}
                    </Badge>
                    {p.text}
                  </Text>
                  <Button
                    size="xs"
                    variant="outline"
                    loading={busy === `${c.condition}${p.text}`}
                    aria-label={`Accept: ${p.text}`}
                    onClick={() => {
                      setBusy(`${c.condition}${p.text}`);
                      setError(undefined);
                      accept(patientId, c, p, user.fhirUser)
                        .then(onChange, (err: unknown) => setError(err instanceof Error ? err.message : String(err)))
                        .finally(() => setBusy(undefined));
                    }}
                  >
                    Accept
                  </Button>
                </Group>
              ))}
            </Stack>
          )}
        </div>
      ))}
      {error && (
        <Text size="sm" c="red.9" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}

export function AssessmentsCard({ patientId }: { patientId: string }) {
  const query = useQuery(['needs', patientId], async () =>
    parseNeeds(await getFhir(`Patient/${encodeURIComponent(patientId)}/$needs`)),
  );
  const [sent, setSent] = useState<string | undefined>();
  return (
    <SectionCard title="Assessment and needs">
      <QueryView query={query} label="the needs profile">
        {(needs) => (
          <Stack>
            <InstrumentsTable needs={needs} patientId={patientId} onSent={setSent} />
            {sent && (
              <Text size="sm" role="status">
                {sent} was sent to the patient’s portal.
              </Text>
            )}
            <Concerns needs={needs} patientId={patientId} onChange={query.reload} />
          </Stack>
        )}
      </QueryView>
    </SectionCard>
  );
}
