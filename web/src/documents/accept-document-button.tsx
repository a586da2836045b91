// The care team accepts a document a patient sent (POST DocumentReference/{id}/$accept): a C-CDA is
// imported into the record, a PDF kept. A refusal (a C-CDA about someone else) is said in words.
import { Button, Text } from '@mantine/core';
import type { DocumentReference, Parameters } from '@medplum/fhirtypes';
import { invokeOperation } from '../api/fhir-client.js';
import { useAction } from '../api/use-query.js';

export function AcceptDocumentButton({
  document,
  onAccepted,
}: {
  document: DocumentReference;
  onAccepted: () => void;
}) {
  const accept = useAction(
    () =>
      invokeOperation<DocumentReference>(`DocumentReference/${encodeURIComponent(document.id ?? '')}/$accept`, {
        resourceType: 'Parameters',
      } as Parameters),
    { onSuccess: onAccepted },
  );
  return (
    <>
      <Button size="compact-xs" variant="light" loading={accept.busy} onClick={() => accept.run()}>
        Accept into the record
      </Button>
      {accept.error ? (
        <Text size="xs" c="red.9" role="alert">
          {accept.error}
        </Text>
      ) : null}
    </>
  );
}
