// Message threads with the people I write with: each thread in order, new messages marked, a reply
// box under each; a message is marked read when I choose to. What is typed stays if sending fails.

import { Alert, Badge, Button, Card, Group, Stack, Text, Textarea } from '@mantine/core';
import type { Communication, Reference } from '@medplum/fhirtypes';
import { useState } from 'react';
import { createResource, entriesOf, postFhir, searchEvery } from '../api/fhir-client.js';
import { useAction, useQuery } from '../api/use-query.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { formatDateTime } from '../format/fhir-text.js';
import { NOT_INTERNAL_NOTE } from './internal-note.js';
import { groupThreads, isUnread, replyRecipients, type Thread } from './message-threads.js';
import { type People, peopleFrom, personLabel } from './people-names.js';

/** The messages I send or receive, with the names of their senders and patients (see people-names.ts). */
export async function loadMessages(me: string): Promise<{ messages: Communication[]; people: People }> {
  const names = {
    'category:not': NOT_INTERNAL_NOTE,
    _include: ['Communication:sender', 'Communication:subject'],
    '_revinclude:iterate': 'PractitionerRole:practitioner',
    _sort: '-sent',
  };
  const [to, from] = await Promise.all([
    searchEvery('Communication', { recipient: me, ...names }),
    searchEvery('Communication', { sender: me, ...names }),
  ]);
  const included = [...(to.entry ?? []), ...(from.entry ?? [])].flatMap((e) => (e.resource ? [e.resource] : []));
  return {
    messages: [...entriesOf<Communication>(to, 'Communication'), ...entriesOf<Communication>(from, 'Communication')],
    people: peopleFrom(included),
  };
}

export async function sendMessage(input: {
  from: string;
  fromName: string;
  to: readonly string[];
  subject: Reference | undefined;
  text: string;
  thread?: Thread;
}): Promise<Communication> {
  const last = input.thread?.messages.at(-1);
  return createResource<Communication>({
    resourceType: 'Communication',
    status: 'completed',
    sender: { reference: input.from, display: input.fromName },
    recipient: input.to.map((reference) => ({ reference })),
    ...(input.subject ? { subject: input.subject } : {}),
    sent: new Date().toISOString(),
    payload: [{ contentString: input.text }],
    ...(input.thread && last?.id
      ? { partOf: [{ reference: input.thread.root }], inResponseTo: [{ reference: `Communication/${last.id}` }] }
      : {}),
  } as Communication);
}

function ReplyBox({ me, myName, thread, onSent }: { me: string; myName: string; thread: Thread; onSent: () => void }) {
  const [text, setText] = useState('');
  const send = useAction(
    () =>
      sendMessage({
        from: me,
        fromName: myName,
        to: replyRecipients(thread, me),
        subject: thread.messages[0]?.subject,
        text: text.trim(),
        thread,
      }),
    {
      onSuccess: () => {
        setText('');
        onSent();
      },
    },
  );
  return (
    <Stack gap={4}>
      <Textarea label="Reply" autosize minRows={2} value={text} onChange={(e) => setText(e.currentTarget.value)} />
      {send.error && (
        <Text size="sm" c="red.9" role="alert">
          Not sent: {send.error}
        </Text>
      )}
      <Group justify="flex-end">
        <Button size="xs" loading={send.busy} disabled={!text.trim()} onClick={() => send.run()}>
          Send reply
        </Button>
      </Group>
    </Stack>
  );
}

function ThreadCard({
  me,
  myName,
  thread,
  people,
  showPatient,
  onChange,
}: {
  me: string;
  myName: string;
  thread: Thread;
  people: People;
  /** Name the patient the thread is about (on the Messages page, where threads of many patients meet). */
  showPatient: boolean;
  onChange: () => void;
}) {
  const unread = thread.messages.filter((m) => isUnread(m, me));
  const about = thread.messages[0]?.subject;
  return (
    <Card
      withBorder
      component="article"
      aria-label={`Conversation: ${thread.messages[0]?.payload?.[0]?.contentString?.slice(0, 40) ?? ''}`}
    >
      <Stack gap="xs">
        {showPatient && about?.reference?.startsWith('Patient/') && (
          <Text size="sm" c="gray.7">
            About {people.get(about.reference)?.name ?? about.display ?? 'a patient'}
          </Text>
        )}
        {thread.messages.map((m) => (
          <div key={m.id}>
            <Group gap={6}>
              <Text size="sm" fw={600}>
                {personLabel(m.sender, people, me)}
              </Text>
              <Text size="xs" c="gray.7">
                {formatDateTime(m.sent)}
              </Text>
              {isUnread(m, me) && (
                <Badge size="xs" color="red.9">
                  new
                </Badge>
              )}
            </Group>
            <Text size="sm">
              {m.payload
                ?.map((p) => p.contentString)
                .filter(Boolean)
                .join(' ')}
            </Text>
          </div>
        ))}
        {unread.length > 0 && (
          <Group>
            <Button
              size="xs"
              variant="default"
              onClick={() =>
                void Promise.all(unread.map((m) => postFhir(`Communication/${m.id}/$mark-read`))).then(
                  onChange,
                  onChange,
                )
              }
            >
              Mark as read
            </Button>
          </Group>
        )}
        {/* Careloop's own messages (worklist reminders) have nobody to answer. */}
        {replyRecipients(thread, me).length > 0 && (
          <ReplyBox me={me} myName={myName} thread={thread} onSent={onChange} />
        )}
      </Stack>
    </Card>
  );
}

export function ThreadsView({
  me,
  myName,
  filter,
  showPatient = false,
  version = 0,
}: {
  me: string;
  myName: string;
  filter?: (m: Communication) => boolean;
  /** Name each thread's patient (the Messages page). */
  showPatient?: boolean;
  /** Changes when a message was sent elsewhere on the page, to reload. */
  version?: number;
}) {
  const query = useQuery(['messages', me, version], () => loadMessages(me));
  return (
    <QueryView query={query} label="messages">
      {({ messages, people }) => {
        // One cache of the user's messages; each view shows its own part of them.
        const threads = groupThreads(messages.filter(filter ?? (() => true)));
        if (threads.length === 0) return <EmptyState>No messages yet.</EmptyState>;
        return (
          <Stack>
            {threads.map((t) => (
              <ThreadCard
                key={t.root}
                me={me}
                myName={myName}
                thread={t}
                people={people}
                showPatient={showPatient}
                onChange={query.reload}
              />
            ))}
          </Stack>
        );
      }}
    </QueryView>
  );
}

export function ComposeMessage({
  me,
  myName,
  to,
  subject,
  label,
  onSent,
}: {
  me: string;
  myName: string;
  to: readonly string[];
  subject: Reference | undefined;
  label: string;
  onSent: () => void;
}) {
  const [text, setText] = useState('');
  const [sent, setSent] = useState(false);
  const send = useAction(() => sendMessage({ from: me, fromName: myName, to, subject, text: text.trim() }), {
    onSuccess: () => {
      setText('');
      setSent(true);
      onSent();
    },
  });
  const status = send.error
    ? { ok: false, message: `Not sent: ${send.error}` }
    : sent && !send.busy
      ? { ok: true, message: 'Message sent.' }
      : undefined;
  return (
    <Stack gap={4}>
      <Textarea label={label} autosize minRows={2} value={text} onChange={(e) => setText(e.currentTarget.value)} />
      {status && (
        <Alert color={status.ok ? 'teal' : 'red'} role={status.ok ? 'status' : 'alert'}>
          {status.message}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button
          size="xs"
          loading={send.busy}
          disabled={!text.trim() || to.length === 0}
          onClick={() => {
            setSent(false);
            send.run();
          }}
        >
          Send
        </Button>
      </Group>
    </Stack>
  );
}
