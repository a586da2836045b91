// Medication reconciliation in the workspace, side by side: each medication across the lists (home,
// the patient's own, inpatient, discharge, pharmacy), what the lists propose, the discrepancies in
// plain words with their severity, and a decision per medication with its reason. Completion is
// refused while a high-severity discrepancy is undecided (the server says which); once complete,
// the patient's schedule is shown as they will see it.

import { Alert, Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { Bundle, List, Parameters, Patient } from '@medplum/fhirtypes';
import { useState } from 'react';
import { entriesOf, getFhir, invokeOperation, readResource, searchResources } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { QueryView } from '../components/query-view.js';
import { ScrollRegion } from '../components/scroll-region.js';
import { SectionCard } from '../components/section-card.js';
import { formatDate, formatDateTime, formatName } from '../format/fhir-text.js';
import { Link } from '../shell/router.js';
import {
  blocking,
  KIND_NAMES,
  type RecItem,
  type RecView,
  readReconciliation,
  readSchedule,
  type ScheduleView,
  SOURCE_NAMES,
  sourcesOf,
} from './medrec-view.js';
import { ScheduleTable } from './schedule-card.js';

const SEVERITY_COLORS: Record<string, string> = { high: 'red.9', moderate: '#a84300', low: 'gray.7' };
const ACTIONS = [
  { value: 'continue', label: 'Continue' },
  { value: 'modify', label: 'Modify' },
  { value: 'stop', label: 'Stop' },
  { value: 'hold', label: 'Hold (pause)' },
  { value: 'new', label: 'New' },
];

/** The latest reconciliation: in progress, or the completed one with who completed it. */
async function loadCurrent(patientId: string): Promise<RecView | undefined> {
  const lists: Bundle = await searchResources('List', {
    patient: patientId,
    code: 'http://careloop.org/fhir/CodeSystem/list-kind|medication-reconciliation',
    _sort: '-date',
    _count: 1,
  });
  const latest = entriesOf<List>(lists, 'List')[0];
  if (!latest?.id) return undefined;
  return readReconciliation(await getFhir<Parameters>(`List/${latest.id}/$reconciliation`));
}

function DecisionForm({ view, item, onSaved }: { view: RecView; item: RecItem; onSaved: (v: RecView) => void }) {
  const [action, setAction] = useState<string | null>(item.decision?.action ?? item.proposed);
  const [reason, setReason] = useState(item.decision?.reason ?? '');
  const [dose, setDose] = useState(item.decision?.dose ?? '');
  const [until, setUntil] = useState(item.decision?.until ?? '');
  const [error, setError] = useState<string | undefined>();
  const save = () =>
    invokeOperation<Parameters>(`${view.list}/$record-decision`, {
      resourceType: 'Parameters',
      parameter: [
        { name: 'item', valueString: item.key },
        { name: 'action', valueCode: action ?? '' },
        { name: 'reason', valueString: reason },
        ...(action === 'modify' && dose ? [{ name: 'dose', valueString: dose }] : []),
        ...(action === 'hold' && until ? [{ name: 'until', valueString: until }] : []),
      ],
    }).then(
      (body) => {
        setError(undefined);
        onSaved(readReconciliation(body));
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  return (
    <Stack gap={4}>
      <Group gap={4} align="end" wrap="nowrap">
        <Select
          aria-label={`Decision for ${item.display}`}
          data={ACTIONS}
          value={action}
          onChange={setAction}
          w={110}
          size="xs"
          allowDeselect={false}
        />
        <TextInput
          aria-label={`Reason for ${item.display}`}
          placeholder="Reason"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          size="xs"
          w={200}
        />
        <Button
          size="compact-xs"
          onClick={() => void save()}
          disabled={!reason.trim() || (action === 'hold' && !until.trim())}
          aria-label={`Save decision for ${item.display}`}
        >
          Save
        </Button>
      </Group>
      {action === 'modify' && (
        <TextInput
          aria-label={`New dose for ${item.display}`}
          placeholder="New dose and times"
          value={dose}
          onChange={(e) => setDose(e.currentTarget.value)}
          size="xs"
          w={314}
        />
      )}
      {action === 'hold' && (
        <TextInput
          aria-label={`Paused until, for ${item.display}`}
          placeholder="Until (a date, or when the course ends)"
          value={until}
          onChange={(e) => setUntil(e.currentTarget.value)}
          size="xs"
          w={314}
        />
      )}
      {item.decision && (
        <Text size="xs">
          Decided: {item.decision.action}
          {item.decision.until ? ` until ${item.decision.until}` : ''} — {item.decision.reason} ({item.decision.author})
        </Text>
      )}
      {error && (
        <Text size="xs" c="red.9" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}

function ReconciliationTable({ view, onChange }: { view: RecView; onChange: (v: RecView) => void }) {
  const sources = sourcesOf(view);
  return (
    <ScrollRegion label="Medications side by side" minWidth={980}>
      <Table fz="sm" striped aria-label="Medications side by side" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            {sources.map((s) => (
              <Table.Th scope="col" key={s}>
                {SOURCE_NAMES[s]}
              </Table.Th>
            ))}
            <Table.Th scope="col">Discrepancies</Table.Th>
            <Table.Th scope="col">Decision</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {view.items.map((item) => {
            const issues = view.discrepancies.filter((d) => d.items.includes(item.key));
            return (
              <Table.Tr key={item.key}>
                {sources.map((s) => {
                  const here = item.entries.filter((e) => e.source === s);
                  return (
                    <Table.Td key={s}>
                      {here.length === 0 ? (
                        <Text size="xs" c="gray.7">
                          —
                        </Text>
                      ) : (
                        here.map((e) => (
                          <div key={e.ref}>
                            <Text size="sm" fw={600}>
                              {e.text}
                            </Text>
                            <Text size="xs">
                              {e.dosage}
                              {e.status !== 'active' ? ` (${e.status})` : ''}
                            </Text>
                          </div>
                        ))
                      )}
                    </Table.Td>
                  );
                })}
                <Table.Td>
                  <Stack gap={4}>
                    {issues.map((d) => (
                      <div key={`${d.kind}-${d.text}`}>
                        <Badge size="xs" variant="outline" color={SEVERITY_COLORS[d.severity] ?? 'gray.7'}>
                          {d.severity} · {KIND_NAMES[d.kind] ?? d.kind}
                        </Badge>
                        <Text size="xs">{d.text}</Text>
                        {d.classification && (
                          <Text size="xs" fs="italic">
                            {d.classification.replace(/-/g, ', ')}
                          </Text>
                        )}
                      </div>
                    ))}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  {view.status === 'in-progress' ? (
                    <DecisionForm view={view} item={item} onSaved={onChange} />
                  ) : (
                    <Text size="xs">
                      {item.decision ? `${item.decision.action}: ${item.decision.reason}` : item.proposed}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}

export function MedrecPage({ patientId }: { patientId: string }) {
  const query = useQuery(['reconciliation', patientId], () => loadCurrent(patientId));
  // Whose lists these are, on the screen where a mix-up would do harm (two identifiers: name and
  // birth date, as The Joint Commission's NPSG.01.01.01 asks before any medication decision).
  const patient = useQuery(['Patient', patientId], () => readResource<Patient>('Patient', patientId));
  const [view, setView] = useState<RecView | undefined>();
  const [schedule, setSchedule] = useState<ScheduleView | undefined>();
  const [problems, setProblems] = useState<string[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [fresh, setFresh] = useState(false);
  const start = () =>
    invokeOperation<Parameters>(`Patient/${encodeURIComponent(patientId)}/$reconcile-medications`, {
      resourceType: 'Parameters',
    }).then(
      (body) => setView(readReconciliation(body)),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  const complete = (current: RecView) => {
    const open = blocking(current);
    if (open.length) {
      setProblems(open.map((d) => d.text));
      return;
    }
    invokeOperation<Parameters>(`${current.list}/$complete-reconciliation`, { resourceType: 'Parameters' }).then(
      (body) => {
        setProblems(undefined);
        setSchedule(readSchedule(body));
        setView({ ...current, status: 'completed' });
        // Read back who completed it and when, as the server recorded them.
        void getFhir<Parameters>(`${current.list}/$reconciliation`).then((v) => setView(readReconciliation(v)));
      },
      (e: unknown) => setProblems([e instanceof Error ? e.message : String(e)]),
    );
  };
  return (
    <Stack>
      <Link to={`/patients/${encodeURIComponent(patientId)}`} size="sm">
        ← Back to the patient
      </Link>
      <Title order={1}>Medication reconciliation</Title>
      {patient.status === 'done' && (
        <Text size="sm" fw={600}>
          {formatName(patient.data.name)}
          {patient.data.birthDate ? `, born ${formatDate(patient.data.birthDate)}` : ''}
        </Text>
      )}
      <QueryView query={query} label="the reconciliation">
        {(loaded) => {
          const current = view ?? (fresh ? undefined : loaded);
          if (!current)
            return (
              <SectionCard title="Compare the lists">
                <Stack gap="xs">
                  <Text size="sm">
                    Compares every medication list on the record — home list, the patient’s own list, inpatient and
                    discharge orders, pharmacy fills — and the allergies.
                  </Text>
                  {error && (
                    <Text size="sm" c="red.9" role="alert">
                      {error}
                    </Text>
                  )}
                  <Group>
                    <Button onClick={() => void start()}>Start reconciliation</Button>
                  </Group>
                </Stack>
              </SectionCard>
            );
          const high = current.discrepancies.filter((d) => d.severity === 'high').length;
          return (
            <Stack>
              <Text size="sm">
                {current.items.length} medications, {current.discrepancies.length} discrepancies ({high} high severity).
                {current.status === 'in-progress'
                  ? ' Decide each medication with a reason; high-severity ones must be decided before completing.'
                  : ''}
              </Text>
              {current.status === 'completed' && (
                <Group justify="space-between">
                  <Text size="sm" fw={600}>
                    Completed{current.completedAt ? ` ${formatDateTime(current.completedAt)}` : ''}
                    {current.completedBy ? ` by ${current.completedBy}` : ''}.
                  </Text>
                  <Button
                    variant="default"
                    onClick={() => {
                      setView(undefined);
                      setSchedule(undefined);
                      setFresh(true);
                    }}
                  >
                    Start a new reconciliation
                  </Button>
                </Group>
              )}
              <ReconciliationTable view={current} onChange={setView} />
              {problems && (
                <Alert color="red" title="Not complete yet: decide these first" role="alert">
                  <ul>
                    {problems.map((p) => (
                      <li key={p}>
                        <Text size="sm">{p}</Text>
                      </li>
                    ))}
                  </ul>
                </Alert>
              )}
              {current.status === 'in-progress' && (
                <Group>
                  <Button onClick={() => complete(current)}>Complete reconciliation</Button>
                </Group>
              )}
              {schedule && (
                <SectionCard title="The patient’s schedule">
                  <ScheduleTable schedule={schedule} />
                </SectionCard>
              )}
            </Stack>
          );
        }}
      </QueryView>
    </Stack>
  );
}
