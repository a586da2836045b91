// Who has looked at my record: the accounting of disclosures from the audit log (the server shows a
// patient only the entries about their own record, without other patients or query text). People
// are shown by name where their record is one the patient may read (the care team, the caregiver).

import { Table, Text } from '@mantine/core';
import type { AuditEvent, Patient, Practitioner, RelatedPerson } from '@medplum/fhirtypes';
import { entriesOf, readResource, searchResources } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { DataTable } from '../components/data-table.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { SectionCard } from '../components/section-card.js';
import { formatDateTime, formatName } from '../format/fhir-text.js';
import { roleName } from '../shell/app-frame.js';
import { groupAccessEvents } from './group-access-events.js';

const ACTIONS: Record<string, string> = {
  C: 'added to',
  R: 'opened',
  U: 'changed',
  D: 'removed from',
  E: 'looked through',
};

async function loadAccess(patientId: string) {
  const events = entriesOf<AuditEvent>(
    // The newest events first: the 30 latest lines are grouped from them (the card says so).
    await searchResources('AuditEvent', { patient: patientId, _sort: '-date', _count: 200 }),
    'AuditEvent',
  );
  const lines = groupAccessEvents(events).slice(0, 30);
  const names = new Map<string, string>();
  await Promise.all(
    [...new Set(lines.map((l) => l.reference).filter((r): r is string => Boolean(r)))].map(async (ref) => {
      const [type, id] = ref.split('/');
      if (!id || (type !== 'Practitioner' && type !== 'RelatedPerson' && type !== 'Patient')) return;
      try {
        names.set(ref, formatName((await readResource<Practitioner | RelatedPerson | Patient>(type, id)).name));
      } catch {
        // Not readable by this user: the account name stays.
      }
    }),
  );
  return lines.map((l) => ({ ...l, who: (l.reference && names.get(l.reference)) || l.who }));
}

export function AccessLog({ patientId }: { patientId: string }) {
  const query = useQuery(['access-log', patientId], () => loadAccess(patientId));
  return (
    <SectionCard title="Who has looked at this record">
      <QueryView query={query} label="the access history">
        {(lines) =>
          lines.length === 0 ? (
            <EmptyState>No one has accessed this record yet.</EmptyState>
          ) : (
            <>
              <Text size="xs" c="dimmed" mb="xs">
                The latest {lines.length} entries.
              </Text>
              <DataTable label="Who has looked at this record" minWidth={420} columns={['When', 'Who', 'What']}>
                {lines.map((l) => (
                  <Table.Tr key={`${l.when}-${l.who}-${l.action}`}>
                    <Table.Td>{formatDateTime(l.when)}</Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {l.who}
                        {l.via ? ` (with the app ${l.via})` : ''}
                      </Text>
                      {l.role && (
                        <Text size="xs" c="gray.7">
                          {roleName(l.role)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {ACTIONS[l.action] ?? 'used'} the record
                      {l.count > 1 ? ` (${l.count} times)` : ''}
                      {l.refused ? ', refused' : ''}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </DataTable>
            </>
          )
        }
      </QueryView>
    </SectionCard>
  );
}
