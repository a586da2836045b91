// Appointments on the patient page (and, read-only, in the portal): what is coming, with arrived,
// no-show and cancel in the workspace; and booking from free slots ranked for the patient (a
// clinician who speaks their language, at the times they like). A slot taken meanwhile is refused
// by the server (409) and the list is offered again.

import { Badge, Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import type { Appointment, Bundle } from '@medplum/fhirtypes';
import { useState } from 'react';
import { createResource, entriesOf, FhirError, getFhir, searchEvery, updateResource } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { ScrollRegion } from '../components/scroll-region.js';
import { SectionCard } from '../components/section-card.js';
import { clinicDayOffset, formatConcept, formatName } from '../format/fhir-text.js';
import { bookingFor, describeSlotTime, type OfferedSlot, offeredSlots } from './slot-words.js';

const CLINICIANS = [
  { value: '', label: 'Any clinician' },
  { value: 'Practitioner/demo-pcp', label: 'Primary care' },
  { value: 'Practitioner/demo-cardiologist', label: 'Cardiology' },
];

async function loadAppointments(patientId: string): Promise<Appointment[]> {
  const since = clinicDayOffset(-7);
  const bundle = await searchEvery('Appointment', { patient: patientId, date: `ge${since}`, _sort: 'date' });
  return entriesOf<Appointment>(bundle, 'Appointment');
}

const withWhom = (a: Appointment) =>
  (a.participant ?? [])
    .map((p) => p.actor)
    .filter((x) => x && !x.reference?.startsWith('Patient/'))
    .map((x) => x?.display ?? x?.reference)
    .join(', ');

function AppointmentsTable({
  appointments,
  label,
  onChange,
}: {
  appointments: Appointment[];
  label: string;
  onChange?: (() => void) | undefined;
}) {
  const [error, setError] = useState<string | undefined>();
  if (appointments.length === 0) return <EmptyState>No appointments.</EmptyState>;
  const set = (a: Appointment, status: Appointment['status']) =>
    updateResource<Appointment>({ ...a, status }).then(
      () => onChange?.(),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  return (
    <ScrollRegion label={label} minWidth={520}>
      {error && (
        <Text size="sm" c="red.9" role="alert">
          {error}
        </Text>
      )}
      <Table fz="sm" striped aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">With</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            {onChange && (
              <Table.Th scope="col">
                <span className="visually-hidden">Actions</span>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {appointments.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>
                {a.start ? describeSlotTime(a.start) : ''}
                {a.description && <Text size="xs">{a.description}</Text>}
              </Table.Td>
              <Table.Td>{withWhom(a) || formatConcept(a.serviceType?.[0])}</Table.Td>
              <Table.Td>
                <Badge
                  size="sm"
                  variant="outline"
                  color={a.status === 'booked' ? 'blue.9' : a.status === 'noshow' ? 'red.9' : 'gray.7'}
                >
                  {a.status === 'noshow' ? 'no-show' : a.status}
                </Badge>
              </Table.Td>
              {onChange && (
                <Table.Td>
                  {a.status === 'booked' && (
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" variant="default" onClick={() => void set(a, 'arrived')}>
                        Arrived
                      </Button>
                      <Button size="compact-xs" variant="default" onClick={() => void set(a, 'noshow')}>
                        No-show
                      </Button>
                      <Button size="compact-xs" variant="default" onClick={() => void set(a, 'cancelled')}>
                        Cancel
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}

function BookingPanel({ patientId, onBooked }: { patientId: string; onBooked: () => void }) {
  const [clinician, setClinician] = useState<string | null>('');
  const [offered, setOffered] = useState<OfferedSlot[] | undefined>();
  const [message, setMessage] = useState<{ text: string; error: boolean } | undefined>();
  const find = () =>
    getFhir<Bundle>(
      `Slot/$find?patient=${encodeURIComponent(patientId)}${clinician ? `&practitioner=${encodeURIComponent(clinician)}` : ''}&_count=8`,
    ).then(
      (b) => setOffered(offeredSlots(b)),
      (e: unknown) => setMessage({ text: e instanceof Error ? e.message : String(e), error: true }),
    );
  const book = (o: OfferedSlot) => {
    const name = o.practitioner ? formatName(o.practitioner.name) : '';
    createResource(bookingFor(patientId, o, name, 'Follow-up visit')).then(
      () => {
        setMessage({ text: `Booked ${describeSlotTime(o.slot.start)}${name ? ` with ${name}` : ''}.`, error: false });
        setOffered(undefined);
        onBooked();
      },
      (e: unknown) => {
        const taken = e instanceof FhirError && e.status === 409;
        setMessage({ text: taken ? 'That time was just taken. Choose another.' : String(e), error: true });
        void find();
      },
    );
  };
  return (
    <Stack gap="xs">
      <Group align="end" gap="xs">
        <Select label="Clinician" data={CLINICIANS} value={clinician} onChange={setClinician} w={200} />
        <Button onClick={() => void find()}>Find free times</Button>
      </Group>
      {message && (
        <Text size="sm" c={message.error ? 'red.9' : undefined} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </Text>
      )}
      {offered && offered.length === 0 && <EmptyState>No free times in the next two weeks.</EmptyState>}
      {offered && offered.length > 0 && (
        <ul aria-label="Free times" className="plain-list">
          {offered.map((o) => (
            <li key={o.slot.id}>
              <Group justify="space-between" wrap="nowrap" py={4}>
                <div>
                  <Text size="sm" fw={600}>
                    {describeSlotTime(o.slot.start)}
                  </Text>
                  <Text size="xs">
                    {o.practitioner ? formatName(o.practitioner.name) : ''}
                    {o.reasons ? ` · ${o.reasons}` : ''}
                  </Text>
                </div>
                <Button size="compact-sm" onClick={() => book(o)} aria-label={`Book ${describeSlotTime(o.slot.start)}`}>
                  Book
                </Button>
              </Group>
            </li>
          ))}
        </ul>
      )}
    </Stack>
  );
}

export function AppointmentsCard({ patientId, portal }: { patientId: string; portal: boolean }) {
  const query = useQuery(['appointments', patientId], () => loadAppointments(patientId));
  const [booking, setBooking] = useState(false);
  const label = portal ? 'My appointments' : 'Appointments';
  return (
    <SectionCard title={label}>
      <Stack gap="sm">
        <QueryView query={query} label="appointments">
          {(list) => (
            <AppointmentsTable appointments={list} label={label} onChange={portal ? undefined : query.reload} />
          )}
        </QueryView>
        {!portal &&
          (booking ? (
            <BookingPanel patientId={patientId} onBooked={query.reload} />
          ) : (
            <Group>
              <Button variant="default" size="xs" onClick={() => setBooking(true)}>
                Book an appointment
              </Button>
            </Group>
          ))}
      </Stack>
    </SectionCard>
  );
}
