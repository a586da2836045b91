// Which roles must sign in with a second factor (an authenticator app's code). Users of a role that
// must are asked to set one up at their next sign-in (src/access/auth/mfa.ts).
import { Button, Checkbox, Group, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useAction, useQuery } from '../api/use-query.js';
import { QueryView } from '../components/query-view.js';
import { SectionCard } from '../components/section-card.js';
import { roleName } from '../shell/app-frame.js';
import { listUsers, loadMfaPolicy, saveMfaPolicy } from './admin-client.js';

export function MfaPolicyCard() {
  const query = useQuery(['admin-mfa'], async () => ({
    required: await loadMfaPolicy(),
    roles: (await listUsers()).roles,
  }));
  const [chosen, setChosen] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  // The saved rule, once loaded (the same array until it is loaded again).
  const loaded = query.status === 'done' ? query.data.required : undefined;
  useEffect(() => {
    if (loaded) setChosen(loaded);
  }, [loaded]);
  const save = useAction(() => saveMfaPolicy(chosen), {
    onSuccess: (required) => {
      setChosen(required);
      setSaved(true);
    },
  });
  return (
    <SectionCard title="Second factor">
      <QueryView query={query} label="the second-factor rule">
        {({ roles }) => (
          <Stack gap="xs">
            <Checkbox.Group
              label="Roles that must use a second factor"
              value={chosen}
              onChange={(v) => {
                setChosen(v);
                setSaved(false);
              }}
            >
              <Group mt="xs">
                {roles.map((r) => (
                  <Checkbox key={r} value={r} label={roleName(r)} />
                ))}
              </Group>
            </Checkbox.Group>
            {save.error && (
              <Text size="sm" c="red.9" role="alert">
                {save.error}
              </Text>
            )}
            <Group justify="flex-end">
              {saved && (
                <Text size="sm" role="status">
                  Saved
                </Text>
              )}
              <Button size="xs" onClick={() => save.run()} loading={save.busy}>
                Save
              </Button>
            </Group>
          </Stack>
        )}
      </QueryView>
    </SectionCard>
  );
}
