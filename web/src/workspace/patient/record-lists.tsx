// The lists of a patient's record: problems, medications, allergies, encounters, documents, open
// work. Each says so when it is empty.

import { Badge, Group, List, Text } from '@mantine/core';
import type {
  AllergyIntolerance,
  Condition,
  DocumentReference,
  Encounter,
  MedicationRequest,
  MedicationStatement,
  Task,
} from '@medplum/fhirtypes';
import type { ReactNode } from 'react';
import { EmptyState } from '../../components/query-view.js';
import { SectionCard } from '../../components/section-card.js';
import { formatConcept, formatDate, formatDose } from '../../format/fhir-text.js';
import { Link } from '../../shell/router.js';
import { describeDue, PRIORITY_COLORS } from '../task-due.js';

type Level = { level?: 2 | 3 };

function isActive(c: Condition): boolean {
  const status = c.clinicalStatus?.coding?.[0]?.code;
  return !status || status === 'active' || status === 'recurrence' || status === 'relapse';
}

export function ProblemsCard({ conditions, level }: { conditions: Condition[] } & Level) {
  const active = conditions.filter(isActive);
  const past = conditions.length - active.length;
  return (
    <SectionCard title="Problems and concerns" level={level}>
      {active.length === 0 ? (
        <EmptyState>No active problems recorded.</EmptyState>
      ) : (
        <List spacing={4} size="sm">
          {active.map((c) => (
            <List.Item key={c.id}>
              {formatConcept(c.code)}
              {c.onsetDateTime && (
                <Text span size="xs" c="gray.7">
                  {' '}
                  since {formatDate(c.onsetDateTime)}
                </Text>
              )}
            </List.Item>
          ))}
        </List>
      )}
      {past > 0 && (
        <Text size="xs" c="gray.7" mt="xs">
          {past} resolved or inactive
        </Text>
      )}
    </SectionCard>
  );
}

/** A statement the patient (or their caregiver) made, rather than the care team's reconciled list. */
const byPatient = (m: MedicationStatement) => /^(Patient|RelatedPerson)\//.test(m.informationSource?.reference ?? '');

export function MedicationsCard({
  medications,
  selfReported,
  level,
  action,
}: { medications: MedicationRequest[]; selfReported: MedicationStatement[]; action?: ReactNode } & Level) {
  // Once reconciled, the reconciled list is the current one: the orders it came from stay on the
  // record but are not shown again beside it.
  const reconciled = selfReported.filter((m) => !byPatient(m));
  const orders = reconciled.length ? [] : medications;
  const statements = reconciled.length ? [...reconciled, ...selfReported.filter(byPatient)] : selfReported;
  return (
    <SectionCard title="Medications" level={level}>
      {action}
      {reconciled.length > 0 && (
        <Text size="xs" c="gray.7">
          The reconciled list of {formatDate(reconciled[0]?.dateAsserted)}.
        </Text>
      )}
      {orders.length + statements.length === 0 ? (
        <EmptyState>No active medications.</EmptyState>
      ) : (
        <List spacing={6} size="sm" listStyleType="none" p={0}>
          {orders.map((m) => (
            <List.Item key={m.id}>
              <Text size="sm" fw={600}>
                {formatConcept(m.medicationCodeableConcept) || m.medicationReference?.display || 'Medication'}
                {m.category?.some((c) => c.coding?.some((x) => x.code === 'discharge')) && (
                  <>
                    {' '}
                    <Badge size="xs" variant="outline" color="gray.8">
                      discharge order
                    </Badge>
                  </>
                )}
              </Text>
              <Text size="xs" c="gray.7">
                {formatDose(m.dosageInstruction) || 'No directions recorded'}
              </Text>
            </List.Item>
          ))}
          {statements.map((m) => (
            <List.Item key={m.id}>
              <Text size="sm" fw={600}>
                {formatConcept(m.medicationCodeableConcept) || 'Medication'}{' '}
                {byPatient(m) && (
                  <Badge size="xs" variant="outline" color="gray.8">
                    patient-reported
                  </Badge>
                )}
              </Text>
              <Text size="xs" c="gray.7">
                {formatDose(m.dosage) || 'No directions recorded'}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </SectionCard>
  );
}

export function AllergiesCard({ allergies, level }: { allergies: AllergyIntolerance[] } & Level) {
  return (
    <SectionCard title="Allergies" level={level}>
      {allergies.length === 0 ? (
        <EmptyState>No known allergies recorded.</EmptyState>
      ) : (
        <List spacing={4} size="sm">
          {allergies.map((a) => (
            <List.Item key={a.id}>{formatConcept(a.code)}</List.Item>
          ))}
        </List>
      )}
    </SectionCard>
  );
}

export function EncountersCard({
  encounters,
  level,
  title = 'Recent encounters',
}: { encounters: Encounter[]; title?: string } & Level) {
  return (
    <SectionCard title={title} level={level}>
      {encounters.length === 0 ? (
        <EmptyState>No encounters recorded.</EmptyState>
      ) : (
        <List spacing={6} size="sm" listStyleType="none" p={0}>
          {encounters.slice(0, 8).map((e) => (
            <List.Item key={e.id}>
              <Text size="sm" fw={600}>
                {formatConcept(e.type?.[0]) || e.class?.display || 'Encounter'}
                {e.reasonCode?.[0] ? ` — ${formatConcept(e.reasonCode[0])}` : ''}
              </Text>
              <Text size="xs" c="gray.7">
                {formatDate(e.period?.start)}
                {e.period?.end && e.period.end.slice(0, 10) !== e.period.start?.slice(0, 10)
                  ? ` to ${formatDate(e.period.end)}`
                  : ''}
                {e.serviceProvider?.display ? ` · ${e.serviceProvider.display}` : ''} · {e.status}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </SectionCard>
  );
}

/** Whether the patient (or their caregiver) sent the document and the care team has not accepted it. */
const awaitsAcceptance = (d: DocumentReference) =>
  d.docStatus === 'preliminary' && /^(Patient|RelatedPerson)\//.test(d.author?.[0]?.reference ?? '');

export function DocumentsCard({
  documents,
  level,
  patientId,
  accept,
}: {
  documents: DocumentReference[];
  patientId?: string;
  /** Shown on a document the patient sent (the care team accepts it into the record). */
  accept?: (d: DocumentReference) => ReactNode;
} & Level) {
  return (
    <SectionCard title="Documents" level={level}>
      {documents.length === 0 ? (
        <EmptyState>No documents.</EmptyState>
      ) : (
        <List spacing={4} size="sm">
          {documents.map((d) => (
            <List.Item key={d.id}>
              {patientId && d.id ? (
                <Link to={`/patients/${encodeURIComponent(patientId)}/documents/${encodeURIComponent(d.id)}`} size="sm">
                  {d.description ?? (formatConcept(d.type) || 'Document')}
                </Link>
              ) : (
                (d.description ?? formatConcept(d.type)) || 'Document'
              )}{' '}
              <Text span size="xs" c="gray.7">
                {formatDate(d.date)}
              </Text>
              {awaitsAcceptance(d) ? (
                <Group gap="xs">
                  <Badge size="xs" color="red.9">
                    Sent by the patient
                  </Badge>
                  {accept?.(d)}
                </Group>
              ) : null}
            </List.Item>
          ))}
        </List>
      )}
    </SectionCard>
  );
}

export function OpenTasksCard({ tasks, level }: { tasks: Task[] } & Level) {
  return (
    <SectionCard title="Open work" level={level}>
      {tasks.length === 0 ? (
        <EmptyState>No open tasks for this patient.</EmptyState>
      ) : (
        <List spacing={6} size="sm" listStyleType="none" p={0}>
          {tasks.map((t) => {
            const due = describeDue(t);
            return (
              <List.Item key={t.id}>
                <Group gap={6}>
                  <Text size="sm">{t.description ?? formatConcept(t.code) ?? 'Task'}</Text>
                  {t.priority && t.priority !== 'routine' && (
                    <Badge size="xs" color={PRIORITY_COLORS[t.priority]}>
                      {t.priority}
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c={due.overdue ? 'red.9' : 'gray.7'}>
                  {due.text}
                </Text>
              </List.Item>
            );
          })}
        </List>
      )}
    </SectionCard>
  );
}
