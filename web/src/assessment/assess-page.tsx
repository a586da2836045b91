// Filling in an instrument for a patient: in the workspace by a care team member, or in the portal by
// the patient (or their caregiver). The server scores it as it saves it; the page then shows the
// score, the band and what was found.

import { Alert, Badge, Card, List, Stack, Text, Title } from '@mantine/core';
import type { Observation, Patient, Questionnaire, QuestionnaireResponse } from '@medplum/fhirtypes';
import { useState } from 'react';
import { createResource, entriesOf, readResource, searchResources } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { useUser } from '../auth/session.js';
import { QueryView } from '../components/query-view.js';
import { formatConcept, formatName } from '../format/fhir-text.js';
import { Link } from '../shell/router.js';
import { QuestionnaireForm } from './questionnaire-form.js';

export const QUESTIONNAIRE_BASE = 'http://careloop.org/fhir/Questionnaire/';
const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

/** The instruction each instrument opens with (PHQ and GAD-7 as printed on the forms). */
const LEADS: Record<string, string> = {
  'phq-9': 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
  'phq-2': 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
  'gad-7': 'Over the last 2 weeks, how often have you been bothered by the following problems?',
  'ahc-hrsn': 'Each question asks about the past 12 months unless it says otherwise.',
  'katz-adl': 'For each activity, choose what describes the person today.',
  'lawton-iadl': 'For each activity, choose the level that describes the person today.',
};

async function loadForm(patientId: string, slug: string) {
  const [patient, found] = await Promise.all([
    readResource<Patient>('Patient', patientId),
    searchResources('Questionnaire', { url: `${QUESTIONNAIRE_BASE}${slug}`, _sort: '-_lastUpdated', _count: 1 }),
  ]);
  const questionnaire = entriesOf<Questionnaire>(found, 'Questionnaire')[0];
  if (!questionnaire) throw new Error(`There is no instrument called ${slug}.`);
  return { patient, questionnaire };
}

function isPositive(o: Observation): boolean {
  return (o.interpretation ?? []).some((i) => i.coding?.some((c) => c.system === INTERPRETATION && c.code === 'POS'));
}

function ResultView({ observations, portal }: { observations: Observation[]; portal: boolean }) {
  const [total, ...findings] = observations;
  const band = total?.interpretation?.find((i) => !i.coding?.some((c) => c.system === INTERPRETATION));
  const selfHarm = findings.find((o) => o.code.coding?.[0]?.code === '44260-8' && isPositive(o));
  const positive = findings.filter((o) => isPositive(o) && o !== selfHarm);
  return (
    <Stack data-testid="assessment-result">
      {selfHarm &&
        (portal ? (
          <Alert color="red" role="alert" title="Please reach out now">
            You said you have had thoughts of being better off dead or of hurting yourself. Your care team will call you
            today. If you are in danger or thinking of acting on these thoughts, call or text 988 (Suicide & Crisis
            Lifeline) or call 911 now.
          </Alert>
        ) : (
          <Alert color="red" role="alert" title="Same-day safety assessment needed">
            Item 9 (thoughts of self-harm) was answered above “not at all”. A stat task for the care coordinator and a
            flag on the record were created.
          </Alert>
        ))}
      <Card withBorder>
        <Text size="sm">{formatConcept(total?.code)}</Text>
        <Title order={2} size="h3">
          Score {total?.valueInteger ?? '—'}
          {band ? ` · ${band.text ?? formatConcept(band)}` : ''}
        </Title>
        {total && isPositive(total) && (
          <Badge color="red.9" mt="xs">
            Positive
          </Badge>
        )}
      </Card>
      {positive.length > 0 && (
        <Card withBorder>
          <Text fw={600}>Found</Text>
          <List size="sm">
            {positive.map((o) => (
              <List.Item key={o.id}>
                {formatConcept(o.code)}
                {o.component?.length ? `: ${o.component.map((c) => formatConcept(c.code)).join(', ')}` : ''}
              </List.Item>
            ))}
          </List>
        </Card>
      )}
    </Stack>
  );
}

export function AssessPage({ patientId, slug, portal }: { patientId: string; slug: string; portal: boolean }) {
  const user = useUser();
  const query = useQuery(['assessment-form', patientId, slug], () => loadForm(patientId, slug));
  const [result, setResult] = useState<Observation[] | undefined>();
  const back = portal ? `/portal/${encodeURIComponent(patientId)}` : `/patients/${encodeURIComponent(patientId)}`;

  return (
    <QueryView query={query} label="the form">
      {({ patient, questionnaire }) => (
        <Stack maw={760}>
          <Link to={back} size="sm">
            ← {portal ? 'Back to the record' : `Back to ${formatName(patient.name)}`}
          </Link>
          <Title order={1}>{questionnaire.title}</Title>
          <Text size="sm">For {formatName(patient.name)}.</Text>
          {LEADS[slug] && <Text fw={600}>{LEADS[slug]}</Text>}
          {result ? (
            <ResultView observations={result} portal={portal} />
          ) : (
            <QuestionnaireForm
              questionnaire={questionnaire}
              onSubmit={async (items) => {
                const saved = await createResource<QuestionnaireResponse>({
                  resourceType: 'QuestionnaireResponse',
                  questionnaire: `${questionnaire.url}|${questionnaire.version}`,
                  status: 'completed',
                  subject: { reference: `Patient/${patientId}` },
                  authored: new Date().toISOString(),
                  ...(user.fhirUser ? { author: { reference: user.fhirUser } } : {}),
                  item: items,
                });
                const derived = await searchResources('Observation', {
                  'derived-from': `QuestionnaireResponse/${saved.id}`,
                  _sort: '_lastUpdated',
                });
                setResult(entriesOf<Observation>(derived, 'Observation'));
              }}
            />
          )}
          {questionnaire.copyright && (
            <Text size="xs" c="gray.7">
              {questionnaire.copyright}
            </Text>
          )}
        </Stack>
      )}
    </QueryView>
  );
}
