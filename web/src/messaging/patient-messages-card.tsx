// Messages about one patient: on the patient page, the team member's conversations with the patient
// (and a new one); in the portal, the patient's conversations with their care team.

import { Stack } from '@mantine/core';
import type { CareTeam } from '@medplum/fhirtypes';
import { useState } from 'react';
import { useUser } from '../auth/session.js';
import { SectionCard } from '../components/section-card.js';
import { ComposeMessage, ThreadsView } from './threads-view.js';

/** Whom a patient writes to: the care coordinator of their team, else its first practitioner. */
export function teamContact(teams: readonly CareTeam[]): string | undefined {
  const members = teams
    .flatMap((t) => t.participant ?? [])
    .filter((p) => p.member?.reference?.startsWith('Practitioner/'));
  const coordinator = members.find((p) =>
    p.role?.some((r) => /coordinator/i.test(r.text ?? r.coding?.[0]?.display ?? '')),
  );
  return (coordinator ?? members[0])?.member?.reference;
}

export function PatientMessagesCard({
  patientId,
  patientName,
  portal,
  teams,
}: {
  patientId: string;
  patientName: string;
  portal: boolean;
  teams: readonly CareTeam[];
}) {
  const user = useUser();
  const [version, setVersion] = useState(0);
  const patient = `Patient/${patientId}`;
  const me = portal ? patient : (user.fhirUser ?? '');
  const to = portal ? [teamContact(teams)].filter((x): x is string => Boolean(x)) : [patient];
  const myName = portal && user.role === 'caregiver' ? `${user.displayName} for ${patientName}` : user.displayName;
  return (
    <SectionCard title={portal ? 'Messages with my care team' : `Messages with ${patientName}`}>
      <Stack>
        <ThreadsView
          me={me}
          myName={myName}
          version={version}
          filter={(m) =>
            m.subject?.reference === patient ||
            (m.recipient ?? []).some((r) => r.reference === patient) ||
            m.sender?.reference === patient
          }
        />
        <ComposeMessage
          me={me}
          myName={myName}
          to={to}
          subject={{ reference: patient, display: patientName }}
          label={portal ? 'Write to your care team' : `New message to ${patientName}`}
          onSent={() => setVersion((v) => v + 1)}
        />
      </Stack>
    </SectionCard>
  );
}
