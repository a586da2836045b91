// "Connect this app?": the consent screen of a SMART app launch. Says in plain words what the app
// will be able to read and change, lets the user choose the patient where they act for several,
// and sends the answer back to the app.
import { Button, Card, Group, List, Select, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useAction, useQuery } from '../api/use-query.js';
import { QueryView } from '../components/query-view.js';
import { answerConsent, loadConsent } from './consent-client.js';
import { PatientFinder } from './patient-finder.js';

export function ConsentPage({ uid }: { uid: string }) {
  const query = useQuery(['smart-consent', uid], () => loadConsent(uid));
  const [patient, setPatient] = useState<string | null>(null);
  const answer = useAction((allow: boolean) => answerConsent(uid, allow, patient ?? undefined), {
    onSuccess: (redirectTo) => window.location.assign(redirectTo),
  });
  // Allowed before, all of it: back to the app without asking again (the server checks it again).
  const remembered = query.status === 'done' ? query.data.remembered : undefined;
  const [continued, setContinued] = useState(false);
  useEffect(() => {
    if (remembered && !continued) {
      setContinued(true);
      answer.run(true);
    }
  }, [remembered, continued, answer]);
  return (
    <Stack maw={560} mx="auto">
      <QueryView query={query} label="the app's request">
        {(consent) => (
          <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="consent-title">
            <Stack gap="sm">
              <Title order={1} size="h3" id="consent-title">
                Connect {consent.app} to Careloop?
              </Title>
              {consent.remembered && !answer.error && (
                <Text role="status">
                  You allowed this on{' '}
                  {new Date(consent.remembered.since).toLocaleDateString('en-US', { dateStyle: 'medium' })}. Returning
                  to {consent.app}…
                </Text>
              )}
              <Text>If you allow it, {consent.app} will be able to:</Text>
              <List>
                {consent.scopes.map((s) => (
                  <List.Item key={s.scope}>{s.words}</List.Item>
                ))}
              </List>
              {consent.findPatient && <PatientFinder value={patient} onChange={setPatient} />}
              {consent.patients.length > 1 && (
                <Select
                  label="Whose record"
                  data={consent.patients.map((p) => ({ value: p.reference, label: p.name }))}
                  value={patient}
                  onChange={setPatient}
                  required
                />
              )}
              <Text size="sm" c="dimmed">
                You can withdraw this at any time.
              </Text>
              {answer.error && (
                <Text size="sm" c="red.9" role="alert">
                  {answer.error}
                </Text>
              )}
              <Group justify="flex-end">
                <Button variant="default" loading={answer.busy} onClick={() => answer.run(false)}>
                  Don't allow
                </Button>
                <Button loading={answer.busy} onClick={() => answer.run(true)}>
                  Allow
                </Button>
              </Group>
            </Stack>
          </Card>
        )}
      </QueryView>
    </Stack>
  );
}
