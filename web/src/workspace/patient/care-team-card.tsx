// The patient's care team: who does what, and how to reach them.

import { List, Text } from '@mantine/core';
import type { CareTeam, Organization, Practitioner, RelatedPerson } from '@medplum/fhirtypes';
import type { ReactNode } from 'react';
import { EmptyState } from '../../components/query-view.js';
import { SectionCard } from '../../components/section-card.js';
import { formatConcept, formatName } from '../../format/fhir-text.js';

type Member = Practitioner | RelatedPerson | Organization;

function nameOf(member: Member | undefined, fallback: string | undefined): string {
  if (!member) return fallback ?? 'Unknown';
  return member.resourceType === 'Organization' ? (member.name ?? 'Organization') : formatName(member.name);
}

export function CareTeamCard({
  teams,
  members,
  level,
  editor,
}: {
  teams: CareTeam[];
  members: Map<string, Member>;
  level?: 2 | 3;
  /** Shown under the list (the workspace's membership controls). */
  editor?: ReactNode;
}) {
  const participants = teams.flatMap((t) => t.participant ?? []);
  return (
    <SectionCard title="Care team" level={level}>
      {participants.length === 0 ? (
        <EmptyState>No care team yet.</EmptyState>
      ) : (
        <List spacing={6} listStyleType="none" p={0}>
          {participants.map((p) => {
            const ref = p.member?.reference;
            const member = ref ? members.get(ref) : undefined;
            const contact = member?.telecom?.find((t) => t.system === 'phone' || t.system === 'email')?.value;
            return (
              <List.Item key={`${ref ?? p.member?.display}-${formatConcept(p.role?.[0])}`}>
                <Text size="sm" fw={600}>
                  {nameOf(member, p.member?.display)}
                </Text>
                <Text size="xs" c="gray.7">
                  {formatConcept(p.role?.[0]) || 'Member'}
                  {contact ? ` · ${contact}` : ''}
                </Text>
              </List.Item>
            );
          })}
        </List>
      )}
      {editor}
    </SectionCard>
  );
}
