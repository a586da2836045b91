// The users: who they are, their role and state, and what the administrator does for them: add a
// user with a role and the FHIR resource they are, give a new password, unlock, disable. The server
// checks and audits each change (src/server/auth/admin-routes.ts).
import { Badge, Button, Group, PasswordInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useAction, useQuery } from '../api/use-query.js';
import { DataTable } from '../components/data-table.js';
import { QueryView } from '../components/query-view.js';
import { SectionCard } from '../components/section-card.js';
import { formatDateTime } from '../format/fhir-text.js';
import { roleName } from '../shell/app-frame.js';
import { addUser, disableUser, listUsers, resetPassword, type UserRow, unlockUser } from './admin-client.js';

const resourceOf = (u: UserRow) => u.links.practitioner ?? u.links.patient ?? u.links.relatedPersons?.join(', ') ?? '';

function Status({ user }: { user: UserRow }) {
  return (
    <>
      {user.disabled ? (
        <Badge color="gray.8">disabled</Badge>
      ) : user.locked ? (
        <Badge color="red.9">locked</Badge>
      ) : (
        <Badge color="teal.9">active</Badge>
      )}{' '}
      {user.mfaEnabled && (
        <Badge variant="outline" color="teal.9">
          two-step
        </Badge>
      )}
    </>
  );
}

function UserActions({ user, onChanged }: { user: UserRow; onChanged: () => void }) {
  const [password, setPassword] = useState<string | undefined>();
  const unlock = useAction(() => unlockUser(user.username), { onSuccess: onChanged });
  const disable = useAction(() => disableUser(user.username), { onSuccess: onChanged });
  const reset = useAction((next: string) => resetPassword(user.username, next), {
    onSuccess: () => {
      setPassword(undefined);
      onChanged();
    },
  });
  if (user.disabled) return null;
  const error = unlock.error ?? disable.error ?? reset.error;
  return (
    <Stack gap={4}>
      <Group gap={4}>
        {user.locked && (
          <Button
            size="compact-xs"
            variant="default"
            onClick={() => unlock.run()}
            aria-label={`Unlock ${user.username}`}
          >
            Unlock
          </Button>
        )}
        <Button
          size="compact-xs"
          variant="default"
          onClick={() => setPassword(password === undefined ? '' : undefined)}
          aria-label={`Give ${user.username} a new password`}
        >
          New password
        </Button>
        <Button
          size="compact-xs"
          variant="default"
          color="red"
          onClick={() => disable.run()}
          aria-label={`Disable ${user.username}`}
        >
          Disable
        </Button>
      </Group>
      {password !== undefined && (
        <Group
          gap={4}
          align="flex-end"
          component="form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            reset.run(password);
          }}
        >
          <PasswordInput
            size="xs"
            label={`New password for ${user.username}`}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            autoComplete="new-password"
          />
          <Button size="xs" type="submit" loading={reset.busy}>
            Set
          </Button>
        </Group>
      )}
      {error && (
        <Text size="xs" c="red.9" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}

function AddUserForm({ roles, onAdded }: { roles: string[]; onAdded: () => void }) {
  const empty = { username: '', password: '', role: '', resource: '' };
  const [user, setUser] = useState(empty);
  const add = useAction(() => addUser(user), {
    onSuccess: () => {
      setUser(empty);
      onAdded();
    },
  });
  const set = (k: keyof typeof empty) => (value: string) => setUser({ ...user, [k]: value });
  return (
    <Stack
      gap="xs"
      component="form"
      aria-label="Add a user"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        add.run();
      }}
    >
      <Text fw={600}>Add a user</Text>
      <Group grow align="flex-start">
        <TextInput
          label="User name"
          value={user.username}
          onChange={(e) => set('username')(e.currentTarget.value)}
          required
        />
        <PasswordInput
          label="First password"
          value={user.password}
          onChange={(e) => set('password')(e.currentTarget.value)}
          autoComplete="new-password"
          required
        />
      </Group>
      <Group grow align="flex-start">
        <Select
          label="Role"
          data={roles.map((r) => ({ value: r, label: roleName(r) }))}
          value={user.role || null}
          onChange={(v) => set('role')(v ?? '')}
          required
        />
        <TextInput
          label="The FHIR resource they are"
          description="Practitioner/…, Patient/… or RelatedPerson/…"
          value={user.resource}
          onChange={(e) => set('resource')(e.currentTarget.value)}
        />
      </Group>
      {add.error && (
        <Text size="sm" c="red.9" role="alert">
          {add.error}
        </Text>
      )}
      <Group justify="flex-end">
        <Button type="submit" loading={add.busy}>
          Add user
        </Button>
      </Group>
    </Stack>
  );
}

export function UsersCard() {
  const query = useQuery(['admin-users'], listUsers, { keepWhileReloading: true });
  return (
    <SectionCard title="Users">
      <QueryView query={query} label="users">
        {({ users, roles }) => (
          <Stack>
            <DataTable
              label="Users"
              minWidth={720}
              columns={['User name', 'Role', 'Is', 'Status', 'Created', 'Actions']}
            >
              {users.map((u) => (
                <Table.Tr key={u.username}>
                  <Table.Td>{u.username}</Table.Td>
                  <Table.Td>{roleName(u.role)}</Table.Td>
                  <Table.Td>{resourceOf(u)}</Table.Td>
                  <Table.Td>
                    <Status user={u} />
                  </Table.Td>
                  <Table.Td>{formatDateTime(u.created)}</Table.Td>
                  <Table.Td>
                    <UserActions user={u} onChanged={query.reload} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </DataTable>
            <AddUserForm roles={roles} onAdded={query.reload} />
          </Stack>
        )}
      </QueryView>
    </SectionCard>
  );
}
