// One transition episode: the patient and the stay, the LACE readmission risk with each component,
// the TCM clock with what is met and the code it supports, the discharge readiness checklist (items
// the record shows are ticked by themselves; the others are recorded here), the contact attempts
// and the post-discharge call script.

import { Badge, Button, Grid, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { EpisodeOfCare, Parameters, Patient, Procedure } from '@medplum/fhirtypes';
import { useState } from 'react';
import { createResource, getFhir, invokeOperation, readResource } from '../api/fhir-client.js';
import { useAction, useQuery } from '../api/use-query.js';
import { useUser } from '../auth/session.js';
import { DataTable } from '../components/data-table.js';
import { QueryView } from '../components/query-view.js';
import { SectionCard } from '../components/section-card.js';
import { formatDate, formatDateTime, formatName } from '../format/fhir-text.js';
import { INTERNAL_NOTE } from '../messaging/internal-note.js';
import { Link } from '../shell/router.js';
import { AppsCard } from '../smart/apps-card.js';
import { CallScriptForm } from './call-script-form.js';
import { DischargeSummaryCard } from './discharge-summary-card.js';
import { episodeCard, type ReadinessView, readReadiness, readTcm, type TcmView } from './transition-words.js';
import { BAND_COLORS } from './transitions-board.js';

/** The episode's identifier naming the stay it came from (src/care/transitions/episode-resources.ts). */
const TRANSITION_ENCOUNTER = 'http://careloop.org/fhir/transition-encounter';

const CHANNELS = [
  { value: 'PHONE', label: 'Phone' },
  { value: 'VIDEOCONF', label: 'Video' },
  { value: 'FACE', label: 'In person' },
  { value: 'ONLINEWRIT', label: 'Portal message' },
];

async function loadEpisode(id: string) {
  const episode = await readResource<EpisodeOfCare>('EpisodeOfCare', id);
  const card = episodeCard(episode);
  const [patient, tcm, readiness] = await Promise.all([
    readResource<Patient>('Patient', card.patient),
    getFhir<Parameters>(`EpisodeOfCare/${id}/$tcm-status`).then(readTcm),
    getFhir<Parameters>(`EpisodeOfCare/${id}/$readiness`).then(readReadiness),
  ]);
  return { episode, card, patient, tcm, readiness };
}

function LaceCard({ tcm }: { tcm: TcmView }) {
  if (!tcm.lace)
    return <SectionCard title="Readmission risk (LACE)">{<Text size="sm">Computed at discharge.</Text>}</SectionCard>;
  const l = tcm.lace;
  return (
    <SectionCard title="Readmission risk (LACE)">
      <Group gap="xs" mb="xs">
        <Text fw={700} size="xl">
          {l.total}
        </Text>
        <Badge variant="outline" color={BAND_COLORS[l.band] ?? 'gray.7'}>
          {l.band} risk
        </Badge>
      </Group>
      <Table fz="sm" aria-label="LACE components">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th scope="row">L — length of stay</Table.Th>
            <Table.Td>{l.days} days</Table.Td>
            <Table.Td>{l.L}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">A — acute admission</Table.Th>
            <Table.Td>{l.A ? 'emergent' : 'elective'}</Table.Td>
            <Table.Td>{l.A}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">C — Charlson index</Table.Th>
            <Table.Td>{l.charlson}</Table.Td>
            <Table.Td>{l.C}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">E — ED visits, 6 months</Table.Th>
            <Table.Td>{l.edVisits}</Table.Td>
            <Table.Td>{l.E}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Text size="xs" mt={4}>
        van Walraven et al., CMAJ 2010. High risk (10 or more): follow-up within 7 days and weekly calls for 30 days.
      </Text>
    </SectionCard>
  );
}

/**
 * TCM complexity is the physician's medical decision making: the physician records it, a coordinator
 * on the team physician's behalf (the server decides who may; src/care/transitions/tcm-complexity.ts).
 */
function ComplexityControl({ tcm, episodeId, onChange }: { tcm: TcmView; episodeId: string; onChange: () => void }) {
  const user = useUser();
  const forPhysician = user.role === 'coordinator' ? tcm.physician : undefined;
  const mayRecord = user.role === 'physician' || (user.role === 'coordinator' && forPhysician !== undefined);
  const {
    run: record,
    busy,
    error,
  } = useAction(
    (complexity: 'moderate' | 'high') =>
      invokeOperation(`EpisodeOfCare/${episodeId}/$record-tcm-complexity`, {
        resourceType: 'Parameters',
        parameter: [
          { name: 'complexity', valueCode: complexity },
          ...(forPhysician ? [{ name: 'onBehalfOf', valueReference: forPhysician }] : []),
        ],
      }),
    { onSuccess: onChange },
  );
  return (
    <Stack gap={4}>
      {tcm.complexity ? (
        <Text size="sm">
          <b>Complexity</b>: {tcm.complexity} (medical decision making), recorded by {tcm.complexityRecordedBy}
          {tcm.complexityOnBehalfOf ? ` on behalf of ${tcm.complexityOnBehalfOf}` : ''}
          {tcm.complexityRecordedAt ? `, ${formatDateTime(tcm.complexityRecordedAt)}` : ''}
        </Text>
      ) : (
        <Text size="sm" c="#a84300">
          <b>Complexity not recorded</b>: the physician records moderate or high medical decision making
          {tcm.suggestedComplexity ? `; LACE suggests ${tcm.suggestedComplexity}` : ''}.
        </Text>
      )}
      {mayRecord && (
        <Group gap="xs">
          <Text size="xs">
            {tcm.complexity ? 'Change' : 'Record'}
            {forPhysician ? ` on behalf of ${forPhysician.display ?? 'the physician'}` : ''}:
          </Text>
          <Button size="compact-xs" variant="default" disabled={busy} onClick={() => record('moderate')}>
            Moderate (99495)
          </Button>
          <Button size="compact-xs" variant="default" disabled={busy} onClick={() => record('high')}>
            High (99496)
          </Button>
        </Group>
      )}
      {error && (
        <Text size="xs" c="red.8" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}

function TcmCard({ tcm, episodeId, onChange }: { tcm: TcmView; episodeId: string; onChange: () => void }) {
  return (
    <SectionCard title="TCM clock">
      {!tcm.eligible ? (
        <Text size="sm">{tcm.reasons.join('; ')}</Text>
      ) : (
        <Stack gap={4}>
          <Text size="sm">
            Discharged {formatDate(tcm.dischargeDate)} · period ends {formatDate(tcm.periodEnd)}
          </Text>
          <ComplexityControl tcm={tcm} episodeId={episodeId} onChange={onChange} />
          <Text size="sm">
            <b>Contact</b> by {formatDate(tcm.contactDue)}: {tcm.contactDetail}
          </Text>
          <Text size="sm">
            <b>Face-to-face</b> by {formatDate(tcm.faceToFaceDue)}: {tcm.faceToFaceDetail}
          </Text>
          <Text size="sm">
            <b>Medications</b>: {tcm.medicationDetail}
          </Text>
          <Text size="sm" fw={700}>
            Documentation supports: {tcm.code === 'none' ? 'no TCM code yet' : `CPT ${tcm.code}`}
          </Text>
          {tcm.reasons.map((r) => (
            <Text size="xs" key={r}>
              {r}
            </Text>
          ))}
        </Stack>
      )}
    </SectionCard>
  );
}

function ReadinessCard({
  readiness,
  patientId,
  onChange,
}: {
  readiness: ReadinessView;
  patientId: string;
  onChange: () => void;
}) {
  const user = useUser();
  const record = (id: string) =>
    createResource<Procedure>({
      resourceType: 'Procedure',
      status: 'completed',
      subject: { reference: `Patient/${patientId}` },
      code: { coding: [{ system: 'http://careloop.org/fhir/CodeSystem/transition-item', code: id }] },
      performedDateTime: new Date().toISOString(),
      ...(user.fhirUser ? { performer: [{ actor: { reference: user.fhirUser, display: user.displayName } }] } : {}),
    }).then(onChange);
  return (
    <SectionCard title="Discharge readiness">
      <Text size="sm" mb="xs">
        {readiness.ready
          ? 'Ready: every item is done or not needed.'
          : `${readiness.items.filter((i) => i.state === 'open').length} items open.`}
      </Text>
      <DataTable label="Readiness checklist" minWidth={560} columns={['Item', 'State', { hidden: 'Record' }]}>
        {readiness.items.map((i) => (
          <Table.Tr key={i.id}>
            <Table.Td>
              <Text size="sm">{i.label}</Text>
              <Text size="xs" c="gray.7">
                {i.red ? `RED ${i.red}` : ''}
                {i.cti ? ` · CTI: ${i.cti.replace(/-/g, ' ')}` : ''} · {i.owner}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" fw={600} c={i.state === 'open' ? '#a84300' : undefined}>
                {i.state === 'done' ? 'Done' : i.state === 'open' ? 'Open' : 'Not needed'}
              </Text>
              <Text size="xs">{i.detail}</Text>
            </Table.Td>
            <Table.Td>
              {i.state === 'open' && i.detail.startsWith('Not yet recorded') && (
                <Button
                  size="compact-xs"
                  variant="default"
                  onClick={() => void record(i.id)}
                  aria-label={`Record done: ${i.label}`}
                >
                  Record done
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
    </SectionCard>
  );
}

function ContactLog({
  tcm,
  patientId,
  episodeId,
  onChange,
}: {
  tcm: TcmView;
  patientId: string;
  episodeId: string;
  onChange: () => void;
}) {
  const user = useUser();
  const [channel, setChannel] = useState<string | null>('PHONE');
  const [reached, setReached] = useState<string | null>('no');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>();
  const log = () =>
    createResource({
      resourceType: 'Communication',
      // A record for the care team and the TCM clock, not a message to the patient.
      category: [{ coding: [INTERNAL_NOTE] }],
      status: reached === 'yes' ? 'completed' : 'not-done',
      // An unsuccessful attempt counts only with a note of what happened (tcm-status.ts).
      ...(reached === 'no' ? { statusReason: { text: note.trim() } } : {}),
      subject: { reference: `Patient/${patientId}` },
      about: [{ reference: `EpisodeOfCare/${episodeId}` }],
      medium: [
        {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: channel ?? 'PHONE' }],
        },
      ],
      ...(user.fhirUser ? { sender: { reference: user.fhirUser } } : {}),
      sent: new Date().toISOString(),
      ...(note ? { payload: [{ contentString: note }] } : {}),
    } as never).then(
      () => {
        setNote('');
        setError(undefined);
        onChange();
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  return (
    <SectionCard title="Contact attempts">
      <Stack gap="xs">
        {tcm.attempts.length === 0 ? (
          <Text size="sm">No attempt logged yet.</Text>
        ) : (
          <ul aria-label="Contact attempts" className="plain-list">
            {tcm.attempts.map((a) => (
              <li key={a.at}>
                <Text size="sm">
                  {formatDateTime(a.at)} · {CHANNELS.find((c) => c.value === a.channel)?.label ?? a.channel} ·{' '}
                  {a.successful ? 'reached' : 'not reached'}
                  {a.timely ? '' : ' (after the 2 business days)'}
                  {a.note ? ` — ${a.note}` : ''}
                </Text>
              </li>
            ))}
          </ul>
        )}
        <Group align="end" gap="xs">
          <Select label="Channel" data={CHANNELS} value={channel} onChange={setChannel} w={150} allowDeselect={false} />
          <Select
            label="Outcome"
            data={[
              { value: 'yes', label: 'Reached' },
              { value: 'no', label: 'Not reached' },
            ]}
            value={reached}
            onChange={setReached}
            w={140}
            allowDeselect={false}
          />
          <TextInput
            label="Note"
            description={reached === 'no' ? 'What happened (required)' : undefined}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            w={220}
          />
          <Button onClick={() => void log()} disabled={reached === 'no' && !note.trim()}>
            Log attempt
          </Button>
        </Group>
        {error && (
          <Text size="sm" c="red.9" role="alert">
            {error}
          </Text>
        )}
      </Stack>
    </SectionCard>
  );
}

export function EpisodePage({ id }: { id: string }) {
  // Kept while reloading: the call script below keeps its result on screen while the TCM clock and
  // the contact log above it update (every part here takes its data from this query).
  const query = useQuery(['episode', id], () => loadEpisode(id), { keepWhileReloading: true });
  const [calling, setCalling] = useState(false);
  return (
    <QueryView query={query} label="the transition">
      {({ card, patient, tcm, readiness, episode }) => (
        <Stack>
          <Link to="/transitions" size="sm">
            ← All transitions
          </Link>
          <Title order={1}>Transition: {formatName(patient.name)}</Title>
          <Text size="sm">
            Admitted {formatDate(card.admitted)}
            {card.discharged
              ? ` · discharged ${formatDate(card.discharged)} to ${card.disposition ?? 'an unknown setting'}`
              : ' · in hospital'}{' '}
            ·{' '}
            <Link to={`/patients/${encodeURIComponent(card.patient)}`} size="sm">
              Open the record
            </Link>
          </Text>
          <Grid>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <Stack>
                <LaceCard tcm={tcm} />
                <TcmCard tcm={tcm} episodeId={id} onChange={query.reload} />
                <AppsCard patientId={card.patient} episodeId={id} />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <Stack>
                <ReadinessCard readiness={readiness} patientId={card.patient} onChange={query.reload} />
                <DischargeSummaryCard
                  episodeId={id}
                  patientId={card.patient}
                  stay={episode.identifier?.find((i) => i.system === TRANSITION_ENCOUNTER)?.value}
                />
                <ContactLog tcm={tcm} patientId={card.patient} episodeId={id} onChange={query.reload} />
                <SectionCard title="Post-discharge call">
                  {calling ? (
                    <CallScriptForm patientId={card.patient} episodeId={id} onSaved={query.reload} />
                  ) : (
                    <Button variant="default" onClick={() => setCalling(true)}>
                      Start the call script
                    </Button>
                  )}
                </SectionCard>
              </Stack>
            </Grid.Col>
          </Grid>
        </Stack>
      )}
    </QueryView>
  );
}
