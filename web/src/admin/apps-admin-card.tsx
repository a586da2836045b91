// The SMART apps registered with Careloop, as `careloop app add|list|remove` manages them: register
// one (a confidential app's secret is shown once, here), and take one out of service (its tokens stop
// working at once). The server checks every field (src/access/auth/smart-apps.ts).
import { Alert, Button, Checkbox, Code, Group, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useAction, useQuery } from '../api/use-query.js';
import { DataTable } from '../components/data-table.js';
import { QueryView } from '../components/query-view.js';
import { SectionCard } from '../components/section-card.js';
import { addApp, listApps, removeApp } from './admin-client.js';

function AddAppForm({ onAdded }: { onAdded: () => void }) {
  const empty = { name: '', redirectUris: '', launchUri: '', scope: '', public: false };
  const [app, setApp] = useState(empty);
  const [added, setAdded] = useState<{ id: string; secret?: string } | undefined>();
  const add = useAction(
    () =>
      addApp({
        name: app.name,
        redirectUris: app.redirectUris.split(/\s+/).filter(Boolean),
        public: app.public,
        ...(app.launchUri ? { launchUri: app.launchUri } : {}),
        ...(app.scope ? { scope: app.scope } : {}),
      }),
    {
      onSuccess: (result) => {
        setAdded({ id: result.id, ...(result.secret ? { secret: result.secret } : {}) });
        setApp(empty);
        onAdded();
      },
    },
  );
  return (
    <Stack
      gap="xs"
      component="form"
      aria-label="Register an app"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        add.run();
      }}
    >
      <Text fw={600}>Register an app</Text>
      <Group grow align="flex-start">
        <TextInput
          label="Name"
          value={app.name}
          onChange={(e) => setApp({ ...app, name: e.currentTarget.value })}
          required
        />
        <TextInput
          label="Launch URL (opens from a patient's record)"
          value={app.launchUri}
          onChange={(e) => setApp({ ...app, launchUri: e.currentTarget.value })}
        />
      </Group>
      <Textarea
        label="Redirect URLs, one per line"
        value={app.redirectUris}
        onChange={(e) => setApp({ ...app, redirectUris: e.currentTarget.value })}
        autosize
        minRows={2}
      />
      <TextInput
        label="Scopes"
        description="Empty: a patient's read-only app (launch/patient openid fhirUser patient/*.rs)"
        value={app.scope}
        onChange={(e) => setApp({ ...app, scope: e.currentTarget.value })}
      />
      <Checkbox
        label="Public app (runs in a browser or on a phone; no secret)"
        checked={app.public}
        onChange={(e) => setApp({ ...app, public: e.currentTarget.checked })}
      />
      {add.error && (
        <Text size="sm" c="red.9" role="alert">
          {add.error}
        </Text>
      )}
      {added && (
        <Alert color="teal" title="App registered" role="status">
          <Text size="sm">
            Client id: <Code>{added.id}</Code>
          </Text>
          {added.secret && (
            <Text size="sm">
              Client secret: <Code>{added.secret}</Code> — copy it now: Careloop keeps it sealed and cannot show it
              again.
            </Text>
          )}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button type="submit" loading={add.busy}>
          Register app
        </Button>
      </Group>
    </Stack>
  );
}

export function AppsAdminCard() {
  const query = useQuery(['admin-apps'], listApps, { keepWhileReloading: true });
  const remove = useAction(removeApp, { onSuccess: query.reload });
  return (
    <SectionCard title="Apps">
      <QueryView query={query} label="apps">
        {(apps) => (
          <Stack>
            {apps.length === 0 ? (
              <Text size="sm">No app is registered.</Text>
            ) : (
              <DataTable label="Apps" minWidth={640} columns={['Name', 'Kind', 'Scopes', 'Client id', '']}>
                {apps.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>{a.name}</Table.Td>
                    <Table.Td>{a.kind}</Table.Td>
                    <Table.Td>{a.scope}</Table.Td>
                    <Table.Td>
                      <Code>{a.id}</Code>
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="compact-xs"
                        variant="default"
                        color="red"
                        onClick={() => remove.run(a.id)}
                        aria-label={`Remove ${a.name}`}
                      >
                        Remove
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </DataTable>
            )}
            {remove.error && (
              <Text size="sm" c="red.9" role="alert">
                {remove.error}
              </Text>
            )}
            <AddAppForm onAdded={query.reload} />
          </Stack>
        )}
      </QueryView>
    </SectionCard>
  );
}
