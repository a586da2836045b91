// Referrals on the patient page (and, read-only, in the portal): each referral with where it went,
// its state in words and its outcome; and in the workspace the community resource finder, which
// proposes services for the patient's open social needs (language and distance from home) and
// sends a referral to one in a click — closing the loop from screen to referral.

import { Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import type { Bundle, Condition, Patient, ServiceRequest, Task } from '@medplum/fhirtypes';
import { useState } from 'react';
import { createResource, entriesOf, getFhir, searchEvery } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { useUser } from '../auth/session.js';
import { DataTable } from '../components/data-table.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { SectionCard } from '../components/section-card.js';
import { AttachSummaryButton } from '../documents/transition-summary.js';
import { formatConcept, formatDate } from '../format/fhir-text.js';
import {
  describeHours,
  describeState,
  type FoundService,
  foundServices,
  outcomeOf,
  pairReferrals,
  type ReferralRow,
  referralTo,
  STATE_COLORS,
} from './referral-words.js';

const SDOH = 'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes';
const LANGUAGES = [
  { value: '', label: 'Any language' },
  { value: 'en', label: 'English' },
  { value: 'es', label: 'Spanish' },
  { value: 'vi', label: 'Vietnamese' },
  { value: 'ru', label: 'Russian' },
];

export async function loadReferrals(patientId: string): Promise<ReferralRow[]> {
  const [requests, tasks] = await Promise.all([
    searchEvery('ServiceRequest', { patient: patientId }),
    searchEvery('Task', { patient: patientId, code: 'http://hl7.org/fhir/CodeSystem/task-code|fulfill' }),
  ]);
  return pairReferrals(entriesOf<ServiceRequest>(requests, 'ServiceRequest'), entriesOf<Task>(tasks, 'Task'));
}

export function ReferralsTable({
  rows,
  label,
  onChanged,
}: {
  rows: ReferralRow[];
  label: string;
  /** In the workspace: the transition summary can be attached (and the list reloads after). */
  onChanged?: () => void;
}) {
  if (rows.length === 0) return <EmptyState>No referrals.</EmptyState>;
  return (
    <DataTable
      label={label}
      minWidth={560}
      columns={onChanged ? ['Referral', 'To', 'Sent', 'State', 'Summary'] : ['Referral', 'To', 'Sent', 'State']}
    >
      {rows.map((r) => {
        const status = r.task?.status ?? 'requested';
        const outcome = outcomeOf(r.task);
        return (
          <Table.Tr key={r.request.id}>
            <Table.Td>{formatConcept(r.request.code)}</Table.Td>
            <Table.Td>{r.request.performer?.[0]?.display ?? r.task?.owner?.display ?? ''}</Table.Td>
            <Table.Td>{formatDate(r.request.authoredOn)}</Table.Td>
            <Table.Td>
              <Text size="sm" fw={600} c={STATE_COLORS[status] ?? 'blue.9'}>
                {describeState(r)}
              </Text>
              {outcome && <Text size="xs">Outcome: {outcome}</Text>}
            </Table.Td>
            {onChanged ? (
              <Table.Td>
                <AttachSummaryButton request={r.request} onAttached={onChanged} />
              </Table.Td>
            ) : null}
          </Table.Tr>
        );
      })}
    </DataTable>
  );
}

interface Need {
  readonly condition: string;
  readonly category: string;
  readonly label: string;
}

function socialNeeds(conditions: readonly Condition[]): Need[] {
  return conditions.flatMap((c) =>
    (c.category ?? []).flatMap((cat) =>
      (cat.coding ?? [])
        .filter((x) => x.system === SDOH && x.code)
        .map((x) => ({ condition: `Condition/${c.id}`, category: x.code as string, label: formatConcept(c.code) })),
    ),
  );
}

function ServiceFinder({ patientId, onReferred }: { patientId: string; onReferred: () => void }) {
  const user = useUser();
  const setup = useQuery(['referral-setup', patientId], async () => {
    const [patient, conditions] = await Promise.all([
      getFhir<Patient>(`Patient/${encodeURIComponent(patientId)}`),
      searchEvery('Condition', { patient: patientId, 'clinical-status': 'active' }),
    ]);
    const language = patient.communication?.find((c) => c.preferred)?.language.coding?.[0]?.code ?? '';
    return { needs: socialNeeds(entriesOf<Condition>(conditions, 'Condition')), language };
  });
  return (
    <QueryView query={setup} label="the patient's needs">
      {(s) => (
        <FinderForm
          patientId={patientId}
          needs={s.needs}
          language={s.language}
          user={user.fhirUser}
          onReferred={onReferred}
        />
      )}
    </QueryView>
  );
}

function FinderForm({
  patientId,
  needs,
  language: preferred,
  user,
  onReferred,
}: {
  patientId: string;
  needs: Need[];
  language: string;
  user: string | undefined;
  onReferred: () => void;
}) {
  const options = [
    ...needs.map((n) => ({ value: n.category, label: `${n.label} (open need)` })),
    ...[
      ['food-insecurity', 'Food'],
      ['housing-instability', 'Housing'],
      ['transportation-insecurity', 'Transportation'],
      ['utility-insecurity', 'Utilities'],
      ['interpersonal-safety', 'Safety'],
    ]
      .filter(([v]) => !needs.some((n) => n.category === v))
      .map(([value, label]) => ({ value: value as string, label: label as string })),
  ];
  const [need, setNeed] = useState<string | null>(needs[0]?.category ?? options[0]?.value ?? null);
  const [language, setLanguage] = useState<string | null>(preferred);
  const [found, setFound] = useState<FoundService[] | undefined>();
  const [sent, setSent] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const search = () => {
    setError(undefined);
    getFhir<Bundle>(
      `HealthcareService/$find-services?patient=${encodeURIComponent(patientId)}&need=${encodeURIComponent(need ?? '')}${language ? `&language=${language}` : ''}`,
    ).then(
      (b) => setFound(foundServices(b)),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  };
  const refer = (f: FoundService) => {
    const forNeed = needs.find((n) => n.category === need)?.condition;
    createResource(
      referralTo({ service: f.service, patientId, requester: user, need: forNeed, priority: 'routine' }),
    ).then(
      () => {
        setSent(f.service.name);
        onReferred();
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  };
  return (
    <Stack gap="xs">
      <Group align="end" gap="xs">
        <Select label="Need" data={options} value={need} onChange={setNeed} allowDeselect={false} w={260} />
        <Select label="Language" data={LANGUAGES} value={language ?? ''} onChange={setLanguage} w={170} />
        <Button onClick={search} disabled={!need}>
          Find services
        </Button>
      </Group>
      {error && (
        <Text size="sm" c="red.9" role="alert">
          {error}
        </Text>
      )}
      {sent && (
        <Text size="sm" role="status">
          Referral sent to {sent}.
        </Text>
      )}
      {found && found.length === 0 && <EmptyState>No service in the directory matches.</EmptyState>}
      {found && found.length > 0 && (
        <ul aria-label="Services found" className="plain-list">
          {found.map((f) => (
            <li key={f.service.id}>
              <Group justify="space-between" align="start" wrap="nowrap" py={6}>
                <div>
                  <Text size="sm" fw={600}>
                    {f.service.name}
                  </Text>
                  <Text size="xs">
                    {f.service.providedBy?.display}
                    {f.distanceKm !== undefined ? ` · ${f.distanceKm} km from home` : ''}
                    {' · '}
                    {(f.service.communication ?? []).map((c) => c.text ?? c.coding?.[0]?.code).join(', ')}
                  </Text>
                  <Text size="xs">
                    {describeHours(f.service)}
                    {f.service.telecom?.[0]?.value ? ` · ${f.service.telecom[0].value}` : ''}
                  </Text>
                  {f.service.eligibility?.[0]?.comment && (
                    <Text size="xs">Eligibility: {f.service.eligibility[0].comment}</Text>
                  )}
                </div>
                <Button size="compact-sm" onClick={() => refer(f)} aria-label={`Refer to ${f.service.name}`}>
                  Refer
                </Button>
              </Group>
            </li>
          ))}
        </ul>
      )}
    </Stack>
  );
}

export function ReferralsCard({ patientId, portal }: { patientId: string; portal: boolean }) {
  const query = useQuery(['referrals', patientId], () => loadReferrals(patientId));
  const [finding, setFinding] = useState(false);
  return (
    <SectionCard title={portal ? 'My referrals' : 'Referrals'}>
      <Stack gap="sm">
        <QueryView query={query} label="referrals">
          {(rows) =>
            portal ? (
              <ReferralsTable rows={rows} label="My referrals" />
            ) : (
              <ReferralsTable rows={rows} label="Referrals" onChanged={query.reload} />
            )
          }
        </QueryView>
        {!portal &&
          (finding ? (
            <ServiceFinder patientId={patientId} onReferred={query.reload} />
          ) : (
            <Group>
              <Button variant="default" size="xs" onClick={() => setFinding(true)}>
                Find community resources
              </Button>
            </Group>
          ))}
      </Stack>
    </SectionCard>
  );
}
