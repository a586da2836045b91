// The feed review: hospital messages Careloop held because it could not be sure whose they are, or
// because they merge two patients. For each, the patient as the hospital describes them beside the
// patients it may be about, and the decisions the server allows. Once decided, the message is
// applied by the server and leaves the list.
import { Alert, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useAction, useQuery } from '../api/use-query.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { SectionCard } from '../components/section-card.js';
import {
  decideHeldMessage,
  type FeedDecision,
  type HeldMessage,
  loadHeldMessages,
  loadRefusedMessages,
  type PatientSummary,
} from './feed-review-client.js';

const describe = (p: PatientSummary) =>
  [p.name, p.birthDate ? `born ${p.birthDate}` : undefined, p.gender].filter(Boolean).join(', ');

function HeldCard({ message, onDecided }: { message: HeldMessage; onDecided(): void }) {
  const [reason, setReason] = useState('');
  const decide = useAction((d: FeedDecision) => decideHeldMessage(message.key, d), { onSuccess: onDecided });
  const merge = message.actions.includes('merge');
  return (
    <SectionCard title={`${message.type} from ${message.sender}`}>
      <Stack gap="xs">
        <Text size="sm">
          Received {new Date(message.receivedAt).toLocaleString()} ·{' '}
          <Text span size="sm" fw={600} c="red.9">
            {message.reason}
          </Text>
        </Text>
        <Text size="sm">
          <strong>The hospital says:</strong> {describe(message.patient)} · identifiers{' '}
          {message.patient.identifiers.join(', ') || 'none'}
          {message.visit ? ` · visit ${message.visit}` : ''}
          {merge ? ` · retires ${message.mergedIdentifiers.join(', ')}` : ''}
        </Text>
        {message.candidates.length > 0 ? (
          <Table aria-label={`Patients this message may be about (${message.key})`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Patient in Careloop</Table.Th>
                <Table.Th>Identifiers</Table.Th>
                <Table.Th>Decision</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {message.candidates.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{describe(c)}</Table.Td>
                  <Table.Td>{c.identifiers.join(', ')}</Table.Td>
                  <Table.Td>
                    {message.actions.includes('link') && c.id ? (
                      <Button
                        size="xs"
                        loading={decide.busy}
                        onClick={() => decide.run({ action: 'link', patient: c.id as string })}
                      >
                        This is {c.name}
                      </Button>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <EmptyState>No patient you can see matches.</EmptyState>
        )}
        {message.hiddenCandidates > 0 ? (
          <Text size="sm" c="gray.7">
            {message.hiddenCandidates} more possible {message.hiddenCandidates === 1 ? 'match is' : 'matches are'}{' '}
            outside your access: ask a coordinator of that practice.
          </Text>
        ) : null}
        <Group gap="xs" align="flex-end">
          {message.actions.includes('create') ? (
            <Button size="xs" variant="light" loading={decide.busy} onClick={() => decide.run({ action: 'create' })}>
              Register as a new patient
            </Button>
          ) : null}
          {merge ? (
            <Button size="xs" loading={decide.busy} onClick={() => decide.run({ action: 'merge' })}>
              Merge the records
            </Button>
          ) : null}
          <TextInput
            size="xs"
            label="Reason to dismiss"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Button
            size="xs"
            variant="default"
            loading={decide.busy}
            disabled={reason.trim() === ''}
            onClick={() => decide.run({ action: 'dismiss', reason })}
          >
            Dismiss
          </Button>
        </Group>
        {decide.error ? (
          <Alert color="red" role="alert" title="Not applied">
            {decide.error}
          </Alert>
        ) : null}
      </Stack>
    </SectionCard>
  );
}

function RefusedCard() {
  const query = useQuery(['feed-refused'], loadRefusedMessages);
  return (
    <SectionCard title="Refused in the last 30 days">
      <QueryView query={query} label="refused messages">
        {({ messages }) =>
          messages.length === 0 ? (
            <EmptyState>Nothing the hospitals sent was refused.</EmptyState>
          ) : (
            <Table aria-label="Refused messages and documents">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Received</Table.Th>
                  <Table.Th>From</Table.Th>
                  <Table.Th>What</Table.Th>
                  <Table.Th>Where</Table.Th>
                  <Table.Th>Why</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {messages.map((m) => (
                  <Table.Tr key={m.key}>
                    <Table.Td>{new Date(m.receivedAt).toLocaleString()}</Table.Td>
                    <Table.Td>{m.sender}</Table.Td>
                    <Table.Td>{m.type}</Table.Td>
                    <Table.Td>{m.where}</Table.Td>
                    <Table.Td>{m.reason}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryView>
    </SectionCard>
  );
}

export function FeedReviewPage() {
  const query = useQuery(['feed-review'], loadHeldMessages);
  return (
    <Stack>
      <Title order={1}>Feed review</Title>
      <QueryView query={query} label="held hospital messages">
        {({ messages }) =>
          messages.length === 0 ? (
            <EmptyState>No hospital message is waiting for a decision.</EmptyState>
          ) : (
            messages.map((m) => <HeldCard key={m.key} message={m} onDecided={query.reload} />)
          )
        }
      </QueryView>
      <RefusedCard />
    </Stack>
  );
}
