// Changing who is on the patient's care team (CareTeam $add-member and $end-member): the team's
// access to the record follows at once, and the change is in the plan's history.

import { Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import type { CareTeam, Parameters, Practitioner } from '@medplum/fhirtypes';
import { useState } from 'react';
import { entriesOf, invokeOperation, searchEvery } from '../../api/fhir-client.js';
import { useQuery } from '../../api/use-query.js';
import { formatName, todayIso } from '../../format/fhir-text.js';

export function CareTeamEditor({ team, onChanged }: { team: CareTeam; onChanged: () => void }) {
  const directory = useQuery(['practitioners'], async () =>
    entriesOf<Practitioner>(await searchEvery('Practitioner'), 'Practitioner'),
  );
  const [member, setMember] = useState<string | null>(null);
  const [role, setRole] = useState('');
  const [error, setError] = useState<string | undefined>();
  const today = todayIso();
  // A membership ending today is over (the server ends access at once: the period's end is a date).
  const current = (team.participant ?? []).filter(
    (p) => p.member?.reference?.startsWith('Practitioner/') && (!p.period?.end || p.period.end > today),
  );
  const act = (name: string, parameter: NonNullable<Parameters['parameter']>) =>
    invokeOperation(`CareTeam/${team.id}/$${name}`, { resourceType: 'Parameters', parameter }).then(
      () => {
        setError(undefined);
        onChanged();
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  const people = directory.status === 'done' ? directory.data : [];
  return (
    <Stack gap="xs" mt="sm" aria-label="Change the care team">
      {current.map((p) => (
        <Group key={p.member?.reference} justify="space-between" wrap="nowrap">
          <Text size="xs">{p.member?.display ?? p.member?.reference}</Text>
          <Button
            size="compact-xs"
            variant="default"
            aria-label={`End ${p.member?.display ?? p.member?.reference}'s membership`}
            onClick={() =>
              void act('end-member', [{ name: 'member', valueReference: { reference: p.member?.reference } }])
            }
          >
            End
          </Button>
        </Group>
      ))}
      <Select
        label="Add to the team"
        placeholder="Choose a clinician"
        searchable
        data={people.map((p) => ({ value: `Practitioner/${p.id}`, label: formatName(p.name) }))}
        value={member}
        onChange={setMember}
      />
      <TextInput
        label="Their role"
        placeholder="e.g. Home health nurse"
        value={role}
        onChange={(e) => setRole(e.currentTarget.value)}
      />
      <Button
        size="xs"
        disabled={!member || !role.trim()}
        onClick={() => {
          const person = people.find((p) => `Practitioner/${p.id}` === member);
          void act('add-member', [
            {
              name: 'member',
              valueReference: { reference: member ?? '', display: person ? formatName(person.name) : undefined },
            },
            { name: 'role', valueString: role.trim() },
          ]).then(() => {
            setMember(null);
            setRole('');
          });
        }}
      >
        Add member
      </Button>
      {error && (
        <Text size="sm" c="red.9" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}
