// The portal's "Documents from other providers": a patient (or their caregiver) uploads a letter or
// a record from another provider — a C-CDA (.xml) or a PDF — and sees whether their care team has
// accepted it. A C-CDA becomes part of the record once accepted (the server imports it then).
import { Alert, Button, Group, List, Stack, Text, TextInput } from '@mantine/core';
import type { DocumentReference } from '@medplum/fhirtypes';
import { useState } from 'react';
import { createResource, entriesOf, searchResources } from '../api/fhir-client.js';
import { useAction, useQuery } from '../api/use-query.js';
import { useUser } from '../auth/session.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { SectionCard } from '../components/section-card.js';
import { formatDate } from '../format/fhir-text.js';

/** Files a browser may send (the server keeps any, imports C-CDA). */
const KINDS: Readonly<Record<string, string>> = { xml: 'application/cda+xml', pdf: 'application/pdf' };
const MAX_BYTES = 10 * 1024 * 1024;

function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsDataURL(file);
  });
}

export function UploadDocumentCard({ patientId }: { patientId: string }) {
  const user = useUser();
  const author = user.fhirUser ?? `Patient/${patientId}`;
  const query = useQuery(['uploads', patientId], async () =>
    entriesOf<DocumentReference>(
      await searchResources('DocumentReference', { patient: patientId, author, _sort: '-date' }),
      'DocumentReference',
    ),
  );
  const [file, setFile] = useState<File | undefined>();
  const [description, setDescription] = useState('');
  const upload = useAction(
    async () => {
      if (!file) return;
      const kind = KINDS[file.name.split('.').pop()?.toLowerCase() ?? ''];
      if (!kind) throw new Error('Choose a C-CDA document (.xml) or a PDF');
      if (file.size > MAX_BYTES) throw new Error('The file is larger than 10 MB');
      await createResource<DocumentReference>({
        resourceType: 'DocumentReference',
        status: 'current',
        docStatus: 'preliminary',
        subject: { reference: `Patient/${patientId}` },
        author: [{ reference: author }],
        date: new Date().toISOString(),
        description: description.trim() || file.name,
        content: [{ attachment: { contentType: kind, title: file.name, data: await readAsBase64(file) } }],
      });
    },
    {
      onSuccess: () => {
        setFile(undefined);
        setDescription('');
        query.reload();
      },
    },
  );
  return (
    <SectionCard title="Documents from other providers">
      <Stack gap="xs">
        <Text size="sm">
          Share a letter or a record from another doctor or hospital (a PDF, or a C-CDA document ending in .xml). Your
          care team looks at it before it becomes part of your record.
        </Text>
        <label htmlFor="upload-file">
          <Text size="sm" fw={500}>
            File
          </Text>
        </label>
        <input
          id="upload-file"
          type="file"
          accept=".xml,.pdf,application/pdf,application/xml"
          onChange={(e) => setFile(e.currentTarget.files?.[0])}
        />
        <TextInput label="What is it?" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
        <Group>
          <Button size="xs" disabled={!file} loading={upload.busy} onClick={() => upload.run()}>
            Send to my care team
          </Button>
        </Group>
        {upload.error ? (
          <Alert color="red" role="alert" title="Not sent">
            {upload.error}
          </Alert>
        ) : null}
        <QueryView query={query} label="your documents">
          {(uploads) =>
            uploads.length === 0 ? (
              <EmptyState>You have not sent any documents.</EmptyState>
            ) : (
              <List size="sm" spacing={2} aria-label="Documents you sent">
                {uploads.map((d) => (
                  <List.Item key={d.id}>
                    {d.description ?? 'Document'} · {formatDate(d.date)} ·{' '}
                    {d.docStatus === 'preliminary' ? 'waiting for your care team' : 'accepted by your care team'}
                  </List.Item>
                ))}
              </List>
            )
          }
        </QueryView>
      </Stack>
    </SectionCard>
  );
}
