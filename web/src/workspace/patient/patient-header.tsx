// Who the patient is and what they prefer: the first thing everyone on the team should see.

import { Badge, Group, Stack, Text, Title } from '@mantine/core';
import type { Patient } from '@medplum/fhirtypes';
import { ageOn, formatDate, formatName, todayIso } from '../../format/fhir-text.js';
import { CONTACT_METHODS, LANGUAGES, labelOf, readPreferences } from '../../portal/patient-preferences.js';

export function PatientHeader({ patient }: { patient: Patient }) {
  const prefs = readPreferences(patient);
  const age = ageOn(patient.birthDate, todayIso());
  const phone = patient.telecom?.find((t) => t.system === 'phone')?.value;
  const mrn = patient.identifier?.[0]?.value;
  return (
    <Stack gap={4} mb="md">
      <Title order={1}>{formatName(patient.name)}</Title>
      <Group gap="md">
        <Text size="sm">
          {patient.gender ? `${patient.gender[0]?.toUpperCase()}${patient.gender.slice(1)}` : ''}
          {age !== undefined ? `, ${age} years` : ''} · born {formatDate(patient.birthDate)}
        </Text>
        {mrn && <Text size="sm">ID {mrn}</Text>}
        {phone && <Text size="sm">Phone {phone}</Text>}
        {patient.address?.[0]?.city && <Text size="sm">{patient.address[0].city}</Text>}
      </Group>
      <Group gap="xs" aria-label="Preferences">
        <Badge variant="outline" color="teal.9" tt="none">
          Language: {prefs.language ? labelOf(LANGUAGES, prefs.language) : 'not given'}
        </Badge>
        <Badge variant="outline" color="teal.9" tt="none">
          Contact by: {prefs.contactMethod ? labelOf(CONTACT_METHODS, prefs.contactMethod) : 'not given'}
        </Badge>
        {prefs.contactTimes && (
          <Badge variant="outline" color="teal.9" tt="none">
            Best times: {prefs.contactTimes}
          </Badge>
        )}
      </Group>
      {prefs.whatMattersMost && (
        <Text size="sm">
          <Text span fw={600}>
            What matters most:{' '}
          </Text>
          {prefs.whatMattersMost}
        </Text>
      )}
    </Stack>
  );
}
