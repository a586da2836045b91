// The registered apps that open from a patient's record (SMART EHR launch): "Open" sends the browser
// to the app with this patient as its launch context; the app then asks the user to approve it.
import { Button, Group, Text } from '@mantine/core';
import { useAction, useQuery } from '../api/use-query.js';
import { SectionCard } from '../components/section-card.js';
import { launchApp, loadLaunchableApps } from './consent-client.js';

/** On a transition episode, the app opens with the hospital stay too (the token's `encounter`). */
export function AppsCard({ patientId, episodeId }: { patientId: string; episodeId?: string }) {
  const apps = useQuery(['smart-apps'], loadLaunchableApps);
  const open = useAction((app: string) => launchApp(app, patientId, episodeId), {
    onSuccess: (url) => window.location.assign(url),
  });
  if (apps.status !== 'done' || apps.data.length === 0) return null;
  return (
    <SectionCard title="Apps">
      <Group gap="xs">
        {apps.data.map((a) => (
          <Button key={a.id} size="xs" variant="default" loading={open.busy} onClick={() => open.run(a.id)}>
            Open {a.name}
          </Button>
        ))}
      </Group>
      {open.error && (
        <Text size="sm" c="red.9" role="alert">
          {open.error}
        </Text>
      )}
    </SectionCard>
  );
}
