// My conversations: every message thread I take part in, with replies; new messages start from a
// patient's page.
import { Stack, Text, Title } from '@mantine/core';
import { useUser } from '../auth/session.js';
import { ThreadsView } from '../messaging/threads-view.js';

export function MessagesPage() {
  const user = useUser();
  return (
    <Stack>
      <Title order={1}>Messages</Title>
      {user.fhirUser ? (
        <ThreadsView me={user.fhirUser} myName={user.displayName} showPatient />
      ) : (
        <Text>Your account is not linked to a practitioner record, so it has no messages.</Text>
      )}
    </Stack>
  );
}
