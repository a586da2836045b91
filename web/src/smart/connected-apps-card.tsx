// "Connected apps" in the portal: the SMART apps the user allowed, what each may do in words, for
// whose record and since when, and "Withdraw", which ends the app's access at once. The server keeps
// and decides all of it (src/access/auth/oidc/connected-apps.ts).
import { Button, Group, List, Stack, Text } from '@mantine/core';
import { useAction, useQuery } from '../api/use-query.js';
import { SectionCard } from '../components/section-card.js';
import { type ConnectedApp, loadConnectedApps, withdrawConnectedApp } from './consent-client.js';

const day = (ms: number) => new Date(ms).toLocaleDateString('en-US', { dateStyle: 'medium' });

export function ConnectedAppsCard() {
  const apps = useQuery(['smart-connected-apps'], loadConnectedApps);
  const withdraw = useAction(withdrawConnectedApp, { onSuccess: apps.reload });
  // Nothing to show to someone who never connected an app.
  if (apps.status !== 'done' || apps.data.length === 0) return null;
  return (
    <SectionCard title="Connected apps">
      <Stack gap="sm">
        {apps.data.map((a: ConnectedApp) => (
          <Stack key={a.grantId} gap={4} component="section" aria-label={a.app}>
            <Group justify="space-between" wrap="nowrap">
              <Text fw={600}>{a.app}</Text>
              <Button
                size="xs"
                variant="default"
                color="red"
                loading={withdraw.busy}
                onClick={() => withdraw.run(a.grantId)}
                aria-label={`Withdraw ${a.app}`}
              >
                Withdraw
              </Button>
            </Group>
            <Text size="sm" c="dimmed">
              {a.patient ? `For ${a.patient.name}. ` : ''}Allowed on {day(a.since)}, until {day(a.until)} unless you
              withdraw it.
            </Text>
            <List size="sm">
              {a.allows.map((words) => (
                <List.Item key={words}>{words}</List.Item>
              ))}
            </List>
          </Stack>
        ))}
        {withdraw.error && (
          <Text size="sm" c="red.9" role="alert">
            {withdraw.error}
          </Text>
        )}
      </Stack>
    </SectionCard>
  );
}
