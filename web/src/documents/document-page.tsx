// One clinical document of a patient's record, readable: what it is, who sent it and when, and each
// section in words (the stored C-CDA, read by clinical-document.ts). A document that is not a
// C-CDA (a PDF a patient uploaded) is offered as its file.
import { Anchor, Stack, Text, Title } from '@mantine/core';
import type { Binary, DocumentReference } from '@medplum/fhirtypes';
import { readResource } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { SectionCard } from '../components/section-card.js';
import { formatConcept, formatDateTime } from '../format/fhir-text.js';
import { Link } from '../shell/router.js';
import { readableSections } from './clinical-document.js';

const decode = (data: string | undefined) =>
  data ? new TextDecoder().decode(Uint8Array.from(atob(data), (c) => c.charCodeAt(0))) : '';

async function loadDocument(id: string) {
  const document = await readResource<DocumentReference>('DocumentReference', id);
  const main = document.content?.[0]?.attachment;
  const binaryId = main?.url?.startsWith('Binary/') ? main.url.slice('Binary/'.length) : undefined;
  const binary = binaryId ? await readResource<Binary>('Binary', binaryId) : undefined;
  const isCda = /xml/.test(main?.contentType ?? '');
  return { document, sections: isCda && binary ? readableSections(decode(binary.data)) : [], binary, isCda };
}

export function DocumentPage({ patientId, id }: { patientId: string; id: string }) {
  const query = useQuery(['document', id], () => loadDocument(id));
  return (
    <QueryView query={query} label="the document">
      {({ document, sections, binary, isCda }) => (
        <Stack>
          <Link to={`/patients/${encodeURIComponent(patientId)}`} size="sm">
            ← Back to the record
          </Link>
          <Title order={1}>{document.description ?? (formatConcept(document.type) || 'Document')}</Title>
          <Text size="sm">
            {formatConcept(document.type)} · received {formatDateTime(document.date)}
            {document.custodian?.display ? ` · from ${document.custodian.display}` : ''}
            {document.author?.[0]?.display ? ` · by ${document.author[0].display}` : ''}
          </Text>
          {!isCda && binary?.data ? (
            <Anchor href={`data:${binary.contentType};base64,${binary.data}`} download="document">
              Download the file
            </Anchor>
          ) : null}
          {isCda && sections.length === 0 ? <EmptyState>This document has no readable sections.</EmptyState> : null}
          {sections.map((s) => (
            <SectionCard key={s.key} title={s.title}>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {s.text || '—'}
              </Text>
            </SectionCard>
          ))}
        </Stack>
      )}
    </QueryView>
  );
}
