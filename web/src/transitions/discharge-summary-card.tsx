// The hospital's discharge summary on the episode page, once it has arrived (C-CDA import links it
// to the episode): the hospital course and the discharge instructions in its own words, and the
// discharge medications that opened the reconciliation.
import { List, Stack, Text, Title } from '@mantine/core';
import type { Bundle, DocumentReference, MedicationRequest } from '@medplum/fhirtypes';
import { entriesOf, searchResources } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { SectionCard } from '../components/section-card.js';
import { formatConcept, formatDateTime } from '../format/fhir-text.js';
import { Link } from '../shell/router.js';

const decode = (data: string | undefined) =>
  data ? new TextDecoder().decode(Uint8Array.from(atob(data), (c) => c.charCodeAt(0))) : '';

async function loadSummary(episodeId: string, patientId: string, stay: string | undefined) {
  const [documents, medications] = await Promise.all([
    searchResources('DocumentReference', { related: `EpisodeOfCare/${episodeId}`, _sort: '-date' }),
    stay
      ? searchResources('MedicationRequest', { patient: patientId, category: 'discharge', encounter: stay })
      : Promise.resolve<Bundle>({ resourceType: 'Bundle', type: 'searchset' }),
  ]);
  return {
    documents: entriesOf<DocumentReference>(documents, 'DocumentReference'),
    medications: entriesOf<MedicationRequest>(medications, 'MedicationRequest'),
  };
}

export function DischargeSummaryCard({
  episodeId,
  patientId,
  stay,
}: {
  episodeId: string;
  patientId: string;
  stay: string | undefined;
}) {
  const query = useQuery(['discharge-summary', episodeId], () => loadSummary(episodeId, patientId, stay));
  return (
    <SectionCard title="Discharge summary">
      <QueryView query={query} label="the discharge summary">
        {({ documents, medications }) =>
          documents.length === 0 ? (
            <EmptyState>The hospital's discharge summary has not arrived.</EmptyState>
          ) : (
            <Stack gap="xs">
              {documents.map((d) => (
                <Stack key={d.id} gap={4}>
                  <Text size="sm">
                    <Link
                      to={`/patients/${encodeURIComponent(patientId)}/documents/${encodeURIComponent(d.id ?? '')}`}
                      size="sm"
                    >
                      {d.description ?? (formatConcept(d.type) || 'Discharge summary')}
                    </Link>{' '}
                    · {formatDateTime(d.date)}
                    {d.custodian?.display ? ` · ${d.custodian.display}` : ''}
                  </Text>
                  {(d.content ?? [])
                    .filter((c) => c.attachment.contentType === 'text/plain')
                    .map((c) => (
                      <div key={c.attachment.title}>
                        <Title order={3} size="h6">
                          {c.attachment.title}
                        </Title>
                        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                          {decode(c.attachment.data)}
                        </Text>
                      </div>
                    ))}
                </Stack>
              ))}
              <Title order={3} size="h6">
                Discharge medications
              </Title>
              {medications.length === 0 ? (
                <EmptyState>None listed in the summary.</EmptyState>
              ) : (
                <List size="sm" spacing={2}>
                  {medications.map((m) => (
                    <List.Item key={m.id}>
                      {formatConcept(m.medicationCodeableConcept)}
                      {m.dosageInstruction?.[0]?.text ? ` — ${m.dosageInstruction[0].text}` : ''}
                    </List.Item>
                  ))}
                </List>
              )}
              <Link to={`/patients/${encodeURIComponent(patientId)}/medrec`} size="sm">
                Reconcile the medications
              </Link>
            </Stack>
          )
        }
      </QueryView>
    </SectionCard>
  );
}
