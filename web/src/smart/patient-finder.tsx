// A clinician's standalone app launch asks which patient: they search their own patients by name,
// identifier or birth date (the FHIR API with their token: only records they may open are found),
// and pick one. The server checks the choice again when they allow the app.

import { Radio, Stack, Text, TextInput } from '@mantine/core';
import type { Patient } from '@medplum/fhirtypes';
import { useState } from 'react';
import { entriesOf, linkOf, searchResources } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { formatName } from '../format/fhir-text.js';
import { patientSearchParams } from '../workspace/panel-search.js';

/** Matches shown at once; more are there to narrow down, and the list says so. */
const SHOWN = 10;

export function PatientFinder({ value, onChange }: { value: string | null; onChange: (reference: string) => void }) {
  const [text, setText] = useState('');
  const params = patientSearchParams(text);
  const found = useQuery(['smart-find-patient', text], async () => {
    if (Object.keys(params).length === 0) return { patients: [] as Patient[], more: false };
    const bundle = await searchResources('Patient', { ...params, _sort: 'family,given', _count: String(SHOWN) });
    return { patients: entriesOf<Patient>(bundle, 'Patient'), more: linkOf(bundle, 'next') !== undefined };
  });
  return (
    <Stack gap="xs">
      <TextInput
        label="Find the patient"
        description="A name, an identifier or a birth date (YYYY-MM-DD)"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
      />
      {found.status === 'done' && (
        <Radio.Group label="The patient the app is for" value={value} onChange={onChange}>
          <Stack gap={4} mt={4}>
            {found.data.patients.map((p) => (
              <Radio
                key={p.id}
                value={`Patient/${p.id}`}
                label={`${formatName(p.name)}${p.birthDate ? `, born ${p.birthDate}` : ''}`}
              />
            ))}
          </Stack>
        </Radio.Group>
      )}
      {found.status === 'done' && text.trim() && found.data.patients.length === 0 && (
        <Text size="sm">None of your patients matches.</Text>
      )}
      {found.status === 'done' && found.data.more && (
        <Text size="sm">The first {SHOWN} matches are shown: type more to narrow them down.</Text>
      )}
    </Stack>
  );
}
