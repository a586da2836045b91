// Renders a Questionnaire's choice items as a form (one answer: radio buttons; several: checkboxes)
// and hands back the QuestionnaireResponse items. Unanswered required items are named before
// anything is sent; a refusal from the server is shown with the answers kept.

import { Alert, Button, Checkbox, Group, Radio, Stack, Text } from '@mantine/core';
import type { Coding, Questionnaire, QuestionnaireItem, QuestionnaireResponseItem } from '@medplum/fhirtypes';
import { type FormEvent, useState } from 'react';
import { useAction } from '../api/use-query.js';
import { applyExclusive, exclusiveCodes } from './exclusive-answers.js';

type Chosen = Readonly<Record<string, readonly Coding[]>>;

function optionsOf(item: QuestionnaireItem): Coding[] {
  return (item.answerOption ?? []).map((o) => o.valueCoding).filter((c): c is Coding => c !== undefined);
}

const keyOf = (c: Coding) => `${c.system ?? ''}|${c.code ?? ''}`;

export function toResponseItems(questionnaire: Questionnaire, chosen: Chosen): QuestionnaireResponseItem[] {
  return (questionnaire.item ?? [])
    .filter((item) => (chosen[item.linkId]?.length ?? 0) > 0)
    .map((item) => ({
      linkId: item.linkId,
      ...(item.text ? { text: item.text } : {}),
      answer: (chosen[item.linkId] ?? []).map((c) => ({ valueCoding: c })),
    }));
}

export function unanswered(questionnaire: Questionnaire, chosen: Chosen): QuestionnaireItem[] {
  return (questionnaire.item ?? []).filter(
    (i) => i.required && i.type === 'choice' && !(chosen[i.linkId]?.length ?? 0),
  );
}

export function QuestionnaireForm({
  questionnaire,
  onSubmit,
}: {
  questionnaire: Questionnaire;
  /** Resolves when saved; rejects with an error whose message is shown. */
  onSubmit: (items: QuestionnaireResponseItem[]) => Promise<void>;
}) {
  const [chosen, setChosen] = useState<Chosen>({});
  const [gapsError, setGapsError] = useState<string | undefined>();
  const [missing, setMissing] = useState<ReadonlySet<string>>(new Set());
  const send = useAction(onSubmit);
  const busy = send.busy;
  const error = gapsError ?? send.error;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const gaps = unanswered(questionnaire, chosen);
    setMissing(new Set(gaps.map((g) => g.linkId)));
    setGapsError(gaps.length ? `Please answer: ${gaps.map((g) => g.text).join('; ')}` : undefined);
    if (gaps.length) return;
    send.run(toResponseItems(questionnaire, chosen));
  };

  return (
    <form onSubmit={submit} aria-label={questionnaire.title ?? 'Questionnaire'} noValidate>
      <Stack gap="lg">
        {(questionnaire.item ?? []).map((item, index) => {
          const options = optionsOf(item);
          const label = `${index + 1}. ${item.text ?? item.linkId}`;
          const invalid = missing.has(item.linkId) ? 'Please answer this question' : undefined;
          if (item.repeats)
            return (
              <Checkbox.Group
                key={item.linkId}
                label={label}
                withAsterisk={item.required}
                error={invalid}
                value={(chosen[item.linkId] ?? []).map(keyOf)}
                onChange={(keys) => {
                  // "None of the above" excludes the other answers (questionnaire-optionExclusive).
                  const codeOf = (key: string) => options.find((o) => keyOf(o) === key)?.code ?? key;
                  const before = (chosen[item.linkId] ?? []).map((o) => o.code ?? '');
                  const kept = applyExclusive(before, keys.map(codeOf), exclusiveCodes(item));
                  setChosen({ ...chosen, [item.linkId]: options.filter((o) => kept.includes(o.code ?? '')) });
                }}
              >
                <Stack gap={6} mt={6}>
                  {options.map((o) => (
                    <Checkbox key={keyOf(o)} value={keyOf(o)} label={o.display ?? o.code} />
                  ))}
                </Stack>
              </Checkbox.Group>
            );
          return (
            <Radio.Group
              key={item.linkId}
              label={label}
              withAsterisk={item.required}
              error={invalid}
              value={chosen[item.linkId]?.[0] ? keyOf(chosen[item.linkId]?.[0] as Coding) : null}
              onChange={(key) => setChosen({ ...chosen, [item.linkId]: options.filter((o) => keyOf(o) === key) })}
            >
              <Stack gap={6} mt={6}>
                {options.map((o) => (
                  <Radio key={keyOf(o)} value={keyOf(o)} label={o.display ?? o.code} />
                ))}
              </Stack>
            </Radio.Group>
          );
        })}
        {error && (
          <Alert color="red" role="alert" title="Not saved yet">
            <Text size="sm">{error}</Text>
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            Submit answers
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
