// What one can do with a task from the worklist: start it, mark it done, hand it to a colleague, or
// add a comment (Task.note, with author and time). Each is an update of the Task with If-Match, so
// two people acting at once cannot overwrite each other (the second is told to reload).

import { Button, Group, Menu, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import type { Practitioner, Task } from '@medplum/fhirtypes';
import { useState } from 'react';
import { entriesOf, searchEvery, updateResource } from '../api/fhir-client.js';
import { useUser } from '../auth/session.js';
import { formatName } from '../format/fhir-text.js';

type Dialog = 'comment' | 'reassign' | undefined;

export function TaskActions({ task, onChanged }: { task: Task; onChanged: () => void }) {
  const user = useUser();
  const [dialog, setDialog] = useState<Dialog>();
  const [comment, setComment] = useState('');
  const [people, setPeople] = useState<Practitioner[]>([]);
  const [owner, setOwner] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  const label = task.description ?? 'task';

  const save = (next: Task) =>
    updateResource<Task>({ ...next, lastModified: new Date().toISOString() }).then(
      () => {
        setDialog(undefined);
        setError(undefined);
        onChanged();
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button size="compact-xs" variant="default" aria-label={`Actions for: ${label}`}>
            Actions
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {task.status !== 'in-progress' && (
            <Menu.Item onClick={() => void save({ ...task, status: 'in-progress' })}>Start</Menu.Item>
          )}
          <Menu.Item onClick={() => void save({ ...task, status: 'completed' })}>Mark done</Menu.Item>
          <Menu.Item onClick={() => setDialog('comment')}>Add a comment</Menu.Item>
          <Menu.Item
            onClick={() => {
              setDialog('reassign');
              void searchEvery('Practitioner').then((b) => setPeople(entriesOf<Practitioner>(b, 'Practitioner')));
            }}
          >
            Reassign
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {error && !dialog && (
        <Text size="xs" c="red.9" role="alert">
          {error}
        </Text>
      )}
      <Modal opened={dialog === 'comment'} onClose={() => setDialog(undefined)} title={`Comment on: ${label}`}>
        <Stack>
          {(task.note ?? []).map((n) => (
            <Text key={`${n.time}-${n.text}`} size="sm">
              <Text span size="xs" c="gray.7">
                {n.authorReference?.display ?? n.authorString ?? 'Someone'} · {n.time?.slice(0, 16).replace('T', ' ')}:{' '}
              </Text>
              {n.text}
            </Text>
          ))}
          <Textarea
            label="Comment"
            autosize
            minRows={2}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
          />
          {error && (
            <Text size="sm" c="red.9" role="alert">
              {error}
            </Text>
          )}
          <Group justify="flex-end">
            <Button
              disabled={!comment.trim()}
              onClick={() =>
                void save({
                  ...task,
                  note: [
                    ...(task.note ?? []),
                    {
                      text: comment.trim(),
                      time: new Date().toISOString(),
                      ...(user.fhirUser
                        ? { authorReference: { reference: user.fhirUser, display: user.displayName } }
                        : { authorString: user.displayName }),
                    },
                  ],
                }).then(() => setComment(''))
              }
            >
              Add comment
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={dialog === 'reassign'} onClose={() => setDialog(undefined)} title={`Reassign: ${label}`}>
        <Stack>
          <Select
            label="New owner"
            searchable
            data={people.map((p) => ({ value: `Practitioner/${p.id}`, label: formatName(p.name) }))}
            value={owner}
            onChange={setOwner}
          />
          {error && (
            <Text size="sm" c="red.9" role="alert">
              {error}
            </Text>
          )}
          <Group justify="flex-end">
            <Button
              disabled={!owner}
              onClick={() => {
                const person = people.find((p) => `Practitioner/${p.id}` === owner);
                void save({
                  ...task,
                  owner: { reference: owner ?? '', ...(person ? { display: formatName(person.name) } : {}) },
                  status: task.status === 'in-progress' ? 'requested' : task.status,
                });
              }}
            >
              Reassign
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
