// The transition summary that travels with a referral (POST ServiceRequest/{id}/$attach-ccda): the
// coordinator attaches it, the receiving partner reads it with the referral — its sections in words.
import { Button, Modal, Stack, Text, Title } from '@mantine/core';
import type { DocumentReference, Parameters, ServiceRequest } from '@medplum/fhirtypes';
import { useState } from 'react';
import { invokeOperation } from '../api/fhir-client.js';
import { useAction } from '../api/use-query.js';
import { readableSections } from './clinical-document.js';

const ATTACHMENT = 'transition-ccda';

/** The summary attached to a referral, when there is one. */
export function attachedSummary(request: ServiceRequest): DocumentReference | undefined {
  return (request.contained ?? []).find(
    (c): c is DocumentReference => c.resourceType === 'DocumentReference' && c.id === ATTACHMENT,
  );
}

const decode = (data: string | undefined) =>
  data ? new TextDecoder().decode(Uint8Array.from(atob(data), (c) => c.charCodeAt(0))) : '';

export function AttachSummaryButton({ request, onAttached }: { request: ServiceRequest; onAttached: () => void }) {
  const attach = useAction(
    () =>
      invokeOperation<ServiceRequest>(`ServiceRequest/${encodeURIComponent(request.id ?? '')}/$attach-ccda`, {
        resourceType: 'Parameters',
      } as Parameters),
    { onSuccess: onAttached },
  );
  const attached = attachedSummary(request);
  return (
    <Stack gap={2}>
      {attached ? <Text size="xs">Summary attached {attached.date?.slice(0, 10)}</Text> : null}
      <Button size="compact-xs" variant="default" loading={attach.busy} onClick={() => attach.run()}>
        {attached ? 'Attach a fresh summary' : 'Attach transition summary'}
      </Button>
      {attach.error ? (
        <Text size="xs" c="red.9" role="alert">
          {attach.error}
        </Text>
      ) : null}
    </Stack>
  );
}

export function ReadSummaryButton({ request }: { request: ServiceRequest }) {
  const [open, setOpen] = useState(false);
  const summary = attachedSummary(request);
  if (!summary) return null;
  const sections = open ? readableSections(decode(summary.content?.[0]?.attachment.data)) : [];
  return (
    <>
      <Button size="compact-xs" variant="default" onClick={() => setOpen(true)}>
        Read the transition summary
      </Button>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title="Transition summary"
        size="lg"
        closeButtonProps={{ 'aria-label': 'Close the summary' }}
      >
        <Stack gap="sm">
          {sections.map((s) => (
            <div key={s.key}>
              <Title order={3} size="h6">
                {s.title}
              </Title>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {s.text || '—'}
              </Text>
            </div>
          ))}
        </Stack>
      </Modal>
    </>
  );
}
