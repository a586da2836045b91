// The receiving organization's view (a referral partner: a community organization or a clinic):
// the referrals sent to it, newest first, and the answer to each — accept or decline (with the
// reason), start (scheduled or under way), and complete with the outcome, which goes back to the
// sender as a report (DocumentReference) that the Task names as its output. The server enforces the
// order of states; this page offers only the next ones.

import { Button, Group, Modal, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import type { DocumentReference, Patient, ServiceRequest, Task } from '@medplum/fhirtypes';
import { useState } from 'react';
import { createResource, entriesOf, searchEvery, updateResource } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { DataTable } from '../components/data-table.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { SectionCard } from '../components/section-card.js';
import { ReadSummaryButton } from '../documents/transition-summary.js';
import { formatConcept, formatDate, formatName } from '../format/fhir-text.js';
import { describeState, STATE_COLORS } from './referral-words.js';

interface Inbox {
  readonly tasks: Task[];
  readonly requests: Map<string, ServiceRequest>;
  readonly patients: Map<string, Patient>;
}

async function loadInbox(): Promise<Inbox> {
  // The server shows a partner only the referrals sent to them (and those patients' demographics).
  const bundle = await searchEvery('Task', {
    code: 'http://hl7.org/fhir/CodeSystem/task-code|fulfill',
    _include: ['Task:focus', 'Task:patient'],
    _sort: '-authored-on',
  });
  return {
    tasks: entriesOf<Task>(bundle, 'Task'),
    requests: new Map(entriesOf<ServiceRequest>(bundle, 'ServiceRequest').map((r) => [`ServiceRequest/${r.id}`, r])),
    patients: new Map(entriesOf<Patient>(bundle, 'Patient').map((p) => [`Patient/${p.id}`, p])),
  };
}

type Dialog = { task: Task; kind: 'decline' | 'fail' | 'complete' } | undefined;

/** UTF-8 text as base64 (Attachment.data). */
function toBase64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function Answer({ task, onChanged, open }: { task: Task; onChanged: () => void; open: (d: Dialog) => void }) {
  const [error, setError] = useState<string | undefined>();
  const move = (status: Task['status']) =>
    updateResource<Task>({ ...task, status, lastModified: new Date().toISOString() }).then(onChanged, (e: unknown) =>
      setError(e instanceof Error ? e.message : String(e)),
    );
  const what = formatConcept(task.code) && task.description ? task.description : 'referral';
  return (
    <Stack gap={2}>
      <Group gap={4} wrap="nowrap">
        {(task.status === 'requested' || task.status === 'received') && (
          <>
            <Button size="compact-xs" onClick={() => void move('accepted')} aria-label={`Accept: ${what}`}>
              Accept
            </Button>
            <Button
              size="compact-xs"
              variant="default"
              onClick={() => open({ task, kind: 'decline' })}
              aria-label={`Decline: ${what}`}
            >
              Decline
            </Button>
          </>
        )}
        {task.status === 'accepted' && (
          <Button
            size="compact-xs"
            variant="default"
            onClick={() => void move('in-progress')}
            aria-label={`Start: ${what}`}
          >
            Start
          </Button>
        )}
        {task.status === 'in-progress' && (
          <Button
            size="compact-xs"
            variant="default"
            onClick={() => void move('on-hold')}
            aria-label={`Put on hold: ${what}`}
          >
            Put on hold
          </Button>
        )}
        {task.status === 'on-hold' && (
          <Button
            size="compact-xs"
            variant="default"
            onClick={() => void move('in-progress')}
            aria-label={`Resume: ${what}`}
          >
            Resume
          </Button>
        )}
        {(task.status === 'accepted' || task.status === 'in-progress') && (
          <Button size="compact-xs" onClick={() => open({ task, kind: 'complete' })} aria-label={`Complete: ${what}`}>
            Complete
          </Button>
        )}
        {(task.status === 'accepted' || task.status === 'in-progress' || task.status === 'on-hold') && (
          <Button
            size="compact-xs"
            variant="default"
            onClick={() => open({ task, kind: 'fail' })}
            aria-label={`Could not complete: ${what}`}
          >
            Could not complete
          </Button>
        )}
      </Group>
      {error && (
        <Text size="xs" c="red.9" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}

function AnswerDialog({ dialog, close, onChanged }: { dialog: Dialog; close: () => void; onChanged: () => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  if (!dialog) return null;
  const { task, kind } = dialog;
  const save = async () => {
    try {
      if (kind === 'decline' || kind === 'fail') {
        await updateResource<Task>({
          ...task,
          status: kind === 'decline' ? 'rejected' : 'failed',
          statusReason: { text },
        });
      } else {
        const report = await createResource<DocumentReference>({
          resourceType: 'DocumentReference',
          status: 'current',
          description: text,
          ...(task.for ? { subject: task.for } : {}),
          ...(task.owner ? { author: [task.owner] } : {}),
          date: new Date().toISOString(),
          content: [
            {
              attachment: {
                contentType: 'text/plain',
                title: 'Referral outcome',
                data: toBase64(text),
              },
            },
          ],
        } as DocumentReference);
        await updateResource<Task>({
          ...task,
          status: 'completed',
          output: [
            {
              type: { text: 'Outcome report' },
              valueReference: { reference: `DocumentReference/${report.id}`, display: text },
            },
          ],
        });
      }
      setText('');
      close();
      onChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <Modal
      opened
      onClose={close}
      title={
        kind === 'decline'
          ? 'Decline the referral'
          : kind === 'fail'
            ? 'The referral could not be completed'
            : 'Complete the referral'
      }
    >
      <Stack>
        <Textarea
          label={
            kind === 'decline'
              ? 'Why you cannot take it'
              : kind === 'fail'
                ? 'Why it could not be completed'
                : 'Outcome (what was done for the patient)'
          }
          autosize
          minRows={3}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        {error && (
          <Text size="sm" c="red.9" role="alert">
            {error}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Back
          </Button>
          <Button disabled={!text.trim()} onClick={() => void save()}>
            {kind === 'decline' ? 'Decline' : kind === 'fail' ? 'Record it' : 'Send the outcome'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function PartnerPage() {
  const query = useQuery(['referral-inbox'], loadInbox);
  const [dialog, setDialog] = useState<Dialog>();
  return (
    <Stack>
      <Title order={1}>Referrals to us</Title>
      <SectionCard title="Referrals received">
        <QueryView query={query} label="referrals">
          {(inbox) =>
            inbox.tasks.length === 0 ? (
              <EmptyState>No referrals have been sent to you.</EmptyState>
            ) : (
              <DataTable
                label="Referrals received"
                minWidth={640}
                columns={['Patient', 'Referral', 'Sent', 'State', { hidden: 'Answer' }]}
              >
                {inbox.tasks.map((t) => {
                  const request = inbox.requests.get(t.focus?.reference ?? '');
                  const patient = inbox.patients.get(t.for?.reference ?? '');
                  return (
                    <Table.Tr key={t.id}>
                      <Table.Td>
                        <Text size="sm" fw={600}>
                          {patient ? formatName(patient.name) : 'Patient'}
                        </Text>
                        {patient?.telecom?.[0]?.value && <Text size="xs">{patient.telecom[0].value}</Text>}
                      </Table.Td>
                      <Table.Td>
                        {request ? formatConcept(request.code) : t.description}
                        {request?.note?.[0]?.text && <Text size="xs">{request.note[0].text}</Text>}
                        {request ? <ReadSummaryButton request={request} /> : null}
                      </Table.Td>
                      <Table.Td>{formatDate(t.authoredOn)}</Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={600} c={STATE_COLORS[t.status] ?? 'blue.9'}>
                          {request ? describeState({ request, task: t }) : t.status}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Answer task={t} onChanged={query.reload} open={setDialog} />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </DataTable>
            )
          }
        </QueryView>
      </SectionCard>
      <AnswerDialog dialog={dialog} close={() => setDialog(undefined)} onChanged={query.reload} />
    </Stack>
  );
}
