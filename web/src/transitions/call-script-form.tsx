// The post-discharge call, asked in order from the call script (a Questionnaire the server ships):
// choices, yes/no and free text. Saving stores the answers (the server raises tasks for answers
// that signal trouble) and logs the call as a successful telephone contact for the TCM clock.

import { Button, Radio, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type {
  Bundle,
  Communication,
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
  Task,
} from '@medplum/fhirtypes';
import { useState } from 'react';
import { createResource, entriesOf, searchResources } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { useUser } from '../auth/session.js';
import { QueryView } from '../components/query-view.js';
import { INTERNAL_NOTE } from '../messaging/internal-note.js';

const SCRIPT_URL = 'http://careloop.org/fhir/Questionnaire/post-discharge-call';

type Answer = boolean | string | { code: string; display?: string } | undefined;

function enabled(item: QuestionnaireItem, answers: Record<string, Answer>): boolean {
  return (item.enableWhen ?? []).every((w) => answers[w.question] === w.answerBoolean);
}

export function CallScriptForm({
  patientId,
  episodeId,
  onSaved,
}: {
  patientId: string;
  episodeId: string;
  onSaved: () => void;
}) {
  const user = useUser();
  const query = useQuery(['call-script'], async () => {
    const b: Bundle = await searchResources('Questionnaire', { url: SCRIPT_URL, _count: 1 });
    const q = entriesOf<Questionnaire>(b, 'Questionnaire')[0];
    if (!q) throw new Error('The call script is not installed');
    return q;
  });
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [raised, setRaised] = useState<Task[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const set = (id: string, v: Answer) => setAnswers((a) => ({ ...a, [id]: v }));
  const save = async (q: Questionnaire) => {
    try {
      const item: QuestionnaireResponseItem[] = (q.item ?? [])
        .filter((i) => answers[i.linkId] !== undefined && answers[i.linkId] !== '' && enabled(i, answers))
        .map((i) => {
          const v = answers[i.linkId];
          return {
            linkId: i.linkId,
            text: i.text,
            answer: [
              typeof v === 'boolean'
                ? { valueBoolean: v }
                : typeof v === 'string'
                  ? { valueString: v }
                  : { valueCoding: v as { code: string } },
            ],
          };
        });
      const saved = await createResource<QuestionnaireResponse>({
        resourceType: 'QuestionnaireResponse',
        questionnaire: `${q.url}|${q.version}`,
        status: 'completed',
        subject: { reference: `Patient/${patientId}` },
        authored: new Date().toISOString(),
        ...(user.fhirUser ? { author: { reference: user.fhirUser } } : {}),
        item,
      });
      await createResource<Communication>({
        resourceType: 'Communication',
        // A record for the care team and the TCM clock, not a message to the patient.
        category: [{ coding: [INTERNAL_NOTE] }],
        status: 'completed',
        subject: { reference: `Patient/${patientId}` },
        about: [{ reference: `EpisodeOfCare/${episodeId}` }, { reference: `QuestionnaireResponse/${saved.id}` }],
        medium: [
          {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode',
                code: 'PHONE',
                display: 'telephone',
              },
            ],
          },
        ],
        ...(user.fhirUser ? { sender: { reference: user.fhirUser } } : {}),
        sent: new Date().toISOString(),
        payload: [{ contentString: 'Post-discharge call completed (call script)' }],
      });
      const tasks = await searchResources('Task', { focus: `QuestionnaireResponse/${saved.id}` });
      setRaised(entriesOf<Task>(tasks, 'Task'));
      setError(undefined);
      onSaved();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  if (raised)
    return (
      <Stack gap={4} role="status">
        <Text size="sm" fw={600}>
          Call saved.{' '}
          {raised.length
            ? `${raised.length} task${raised.length === 1 ? '' : 's'} raised:`
            : 'Nothing needs follow-up.'}
        </Text>
        {raised.map((t) => (
          <Text size="sm" key={t.id}>
            {t.priority}: {t.description}
          </Text>
        ))}
      </Stack>
    );
  return (
    <QueryView query={query} label="the call script">
      {(q) => (
        <Stack gap="sm">
          {(q.item ?? [])
            .filter((i) => enabled(i, answers))
            .map((i) =>
              i.type === 'boolean' ? (
                <Radio.Group
                  key={i.linkId}
                  label={i.text}
                  value={answers[i.linkId] === undefined ? '' : String(answers[i.linkId])}
                  onChange={(v) => set(i.linkId, v === 'true')}
                >
                  <Stack gap={2} mt={4}>
                    <Radio value="true" label="Yes" />
                    <Radio value="false" label="No" />
                  </Stack>
                </Radio.Group>
              ) : i.type === 'choice' ? (
                <Radio.Group
                  key={i.linkId}
                  label={i.text}
                  value={(answers[i.linkId] as { code?: string } | undefined)?.code ?? ''}
                  onChange={(v) =>
                    set(
                      i.linkId,
                      i.answerOption?.find((o) => o.valueCoding?.code === v)?.valueCoding as { code: string },
                    )
                  }
                >
                  <Stack gap={2} mt={4}>
                    {(i.answerOption ?? []).map((o) => (
                      <Radio
                        key={o.valueCoding?.code}
                        value={o.valueCoding?.code ?? ''}
                        label={o.valueCoding?.display}
                      />
                    ))}
                  </Stack>
                </Radio.Group>
              ) : i.type === 'text' ? (
                <Textarea
                  key={i.linkId}
                  label={i.text}
                  value={(answers[i.linkId] as string) ?? ''}
                  onChange={(e) => set(i.linkId, e.currentTarget.value)}
                />
              ) : (
                <TextInput
                  key={i.linkId}
                  label={i.text}
                  value={(answers[i.linkId] as string) ?? ''}
                  onChange={(e) => set(i.linkId, e.currentTarget.value)}
                />
              ),
            )}
          {error && (
            <Text size="sm" c="red.9" role="alert">
              {error}
            </Text>
          )}
          <Button onClick={() => void save(q)} w="fit-content">
            Save the call
          </Button>
        </Stack>
      )}
    </QueryView>
  );
}
