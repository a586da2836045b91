// The administrator's home: the user accounts (create, unlock and disable them with `careloop user`
// or the /auth/admin API; see the README). Administrators do not see clinical records.
import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import { messageOf } from '../api/auth-client.js';
import { currentToken } from '../api/token-store.js';
import { useQuery } from '../api/use-query.js';
import { DataTable } from '../components/data-table.js';
import { QueryView } from '../components/query-view.js';
import { SectionCard } from '../components/section-card.js';
import { formatDateTime } from '../format/fhir-text.js';
import { roleName } from '../shell/app-frame.js';

interface UserRow {
  readonly username: string;
  readonly role: string;
  readonly mfaEnabled: boolean;
  readonly locked: boolean;
  readonly disabled: boolean;
  readonly created: string;
}

async function listUsers(): Promise<UserRow[]> {
  const token = await currentToken();
  const res = await fetch('/auth/admin/users', { headers: { authorization: `Bearer ${token ?? ''}` } });
  if (!res.ok) throw new Error(await messageOf(res));
  return ((await res.json()) as { users: UserRow[] }).users;
}

export function AdminPage() {
  const query = useQuery(['users'], listUsers);
  return (
    <Stack>
      <Title order={1}>Administration</Title>
      <SectionCard title="Users">
        <Text size="sm" mb="xs">
          Add users with <code>npx careloop user add</code>; the README lists every command.
        </Text>
        <QueryView query={query} label="users">
          {(users) => (
            <DataTable label="Users" minWidth={480} columns={['User name', 'Role', 'Status', 'Created']}>
              {users.map((u) => (
                <Table.Tr key={u.username}>
                  <Table.Td>{u.username}</Table.Td>
                  <Table.Td>{roleName(u.role)}</Table.Td>
                  <Table.Td>
                    {u.disabled ? (
                      <Badge color="gray.8">disabled</Badge>
                    ) : u.locked ? (
                      <Badge color="red.9">locked</Badge>
                    ) : (
                      <Badge color="teal.9">active</Badge>
                    )}{' '}
                    {u.mfaEnabled && (
                      <Badge variant="outline" color="teal.9">
                        two-step
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{formatDateTime(u.created)}</Table.Td>
                </Table.Tr>
              ))}
            </DataTable>
          )}
        </QueryView>
      </SectionCard>
    </Stack>
  );
}
