// Messages and notifications addressed to me. Secure messaging itself comes with its own issue; this
// page already lists the Communications sent to the signed-in practitioner.

import { List, Stack, Text, Title } from '@mantine/core';
import type { Communication } from '@medplum/fhirtypes';
import { entriesOf, searchResources } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { useUser } from '../auth/session.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { formatDateTime } from '../format/fhir-text.js';

export function MessagesPage() {
  const user = useUser();
  const me = user.fhirUser;
  const query = useQuery(
    async () =>
      me
        ? entriesOf<Communication>(
            await searchResources('Communication', { recipient: me, _sort: '-sent', _count: 50 }),
            'Communication',
          )
        : [],
    [me],
  );
  return (
    <Stack>
      <Title order={1}>Messages</Title>
      <QueryView query={query} label="messages">
        {(messages) =>
          messages.length === 0 ? (
            <EmptyState>No messages.</EmptyState>
          ) : (
            <List spacing="xs" listStyleType="none" p={0}>
              {messages.map((m) => (
                <List.Item key={m.id}>
                  <Text size="sm" fw={600}>
                    {m.sender?.display ?? 'Careloop'} · {formatDateTime(m.sent)}
                  </Text>
                  <Text size="sm">
                    {m.payload
                      ?.map((p) => p.contentString)
                      .filter(Boolean)
                      .join(' ')}
                  </Text>
                </List.Item>
              ))}
            </List>
          )
        }
      </QueryView>
    </Stack>
  );
}
