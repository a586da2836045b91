// My patients: search by name, birth date or identifier; a sortable list, twenty at a time, with the
// signals that matter (open urgent work, overdue work, a recent hospital stay). The server decides
// who "my patients" are: the list is whatever this user's access reaches.

import { Badge, Button, Group, Stack, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import type { Bundle, Encounter, Patient, Task } from '@medplum/fhirtypes';
import { type FormEvent, useState } from 'react';
import { entriesOf, followLink, linkOf, searchEvery, searchResources } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { ScrollRegion } from '../components/scroll-region.js';
import { ageOn, clinicDayOffset, formatDate, formatName, referenceId, todayIso } from '../format/fhir-text.js';
import { Link } from '../shell/router.js';
import { patientSearchParams } from './panel-search.js';
import { describeDue, URGENT_COLOR, URGENT_PRIORITIES } from './task-due.js';
import { loadWorklist } from './worklist-client.js';

const PAGE_SIZE = 20;
type SortKey = 'name' | 'birthdate' | 'signals';

interface Row {
  readonly patient: Patient;
  readonly urgent: number;
  readonly overdue: number;
  readonly recentStay: Encounter | undefined;
}

const SERVER_SORT: Record<Exclude<SortKey, 'signals'>, string> = { name: 'family,given', birthdate: 'birthdate' };

async function loadPage(search: string, sort: SortKey, descending: boolean, pageUrl: string | undefined) {
  const bundle: Bundle = pageUrl
    ? await followLink(pageUrl)
    : await searchResources('Patient', {
        ...patientSearchParams(search),
        _sort: sort === 'signals' ? 'family,given' : `${descending ? '-' : ''}${SERVER_SORT[sort]}`,
        _count: PAGE_SIZE,
        _total: 'accurate',
      });
  const patients = entriesOf<Patient>(bundle, 'Patient');
  const refs = patients.map((p) => `Patient/${p.id}`).join(',');
  const monthAgo = clinicDayOffset(-30);
  const [tasks, stays] = refs
    ? await Promise.all([
        // The open tasks (the server's statuses) and recent stays of this page's patients only.
        loadWorklist({ panel: true, patient: refs }),
        searchEvery('Encounter', { patient: refs, class: 'IMP,EMER,ACUTE', date: `ge${monthAgo}` }),
      ])
    : [undefined, undefined];
  const taskList = tasks ? entriesOf<Task>(tasks, 'Task') : [];
  const stayList = stays ? entriesOf<Encounter>(stays, 'Encounter') : [];
  const rows: Row[] = patients.map((patient) => {
    const mine = taskList.filter((t) => referenceId(t.for, 'Patient') === patient.id);
    return {
      patient,
      urgent: mine.filter((t) => URGENT_PRIORITIES.includes(t.priority ?? 'routine')).length,
      overdue: mine.filter((t) => describeDue(t).overdue).length,
      recentStay: stayList.find((e) => referenceId(e.subject, 'Patient') === patient.id),
    };
  });
  if (sort === 'signals') {
    const weight = (r: Row) => r.urgent * 100 + r.overdue * 10 + (r.recentStay ? 1 : 0);
    rows.sort((a, b) => (descending ? weight(a) - weight(b) : weight(b) - weight(a)));
  }
  return { rows, total: bundle.total, next: linkOf(bundle, 'next'), previous: linkOf(bundle, 'previous') };
}

function SortHeader({
  label,
  column,
  sort,
  descending,
  onSort,
}: {
  label: string;
  column: SortKey;
  sort: SortKey;
  descending: boolean;
  onSort: (c: SortKey) => void;
}) {
  const active = sort === column;
  return (
    <Table.Th scope="col" aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'}>
      <UnstyledButton onClick={() => onSort(column)} fw={700} fz="sm">
        {label} {active ? (descending ? '▼' : '▲') : ''}
      </UnstyledButton>
    </Table.Th>
  );
}

export function PanelPage() {
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<SortKey>('name');
  const [descending, setDescending] = useState(false);
  const [pageUrl, setPageUrl] = useState<string | undefined>();
  const query = useQuery(['panel', search, sort, descending, pageUrl], () =>
    loadPage(search, sort, descending, pageUrl),
  );
  const today = todayIso();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPageUrl(undefined);
    setSearch(draft);
  };
  const onSort = (column: SortKey) => {
    setPageUrl(undefined);
    if (column === sort) setDescending((d) => !d);
    else {
      setSort(column);
      setDescending(false);
    }
  };

  return (
    <Stack>
      <Title order={1}>Patients</Title>
      <form onSubmit={submit} aria-label="Find a patient">
        <Group align="flex-end">
          <TextInput
            label="Find a patient"
            description="Name, birth date (YYYY-MM-DD) or identifier"
            value={draft}
            onChange={(e) => setDraft(e.currentTarget.value)}
            style={{ flex: 1, minWidth: 220 }}
          />
          <Button type="submit">Search</Button>
          {search && (
            <Button
              variant="default"
              onClick={() => {
                setDraft('');
                setSearch('');
                setPageUrl(undefined);
              }}
            >
              Clear
            </Button>
          )}
        </Group>
      </form>
      <QueryView query={query} label="patients">
        {(d) =>
          d.rows.length === 0 ? (
            <EmptyState>{search ? `No patients match “${search}”.` : 'No patients yet.'}</EmptyState>
          ) : (
            <>
              <ScrollRegion label="Patients" minWidth={560}>
                <Table striped highlightOnHover aria-label="Patients" fz="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <SortHeader label="Name" column="name" sort={sort} descending={descending} onSort={onSort} />
                      <SortHeader label="Born" column="birthdate" sort={sort} descending={descending} onSort={onSort} />
                      <SortHeader
                        label="Signals"
                        column="signals"
                        sort={sort}
                        descending={descending}
                        onSort={onSort}
                      />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.rows.map((r) => (
                      <Table.Tr key={r.patient.id}>
                        <Table.Td>
                          <Link to={`/patients/${encodeURIComponent(r.patient.id ?? '')}`} fw={600} size="sm">
                            {formatName(r.patient.name)}
                          </Link>
                        </Table.Td>
                        <Table.Td>
                          {formatDate(r.patient.birthDate)}
                          {ageOn(r.patient.birthDate, today) !== undefined
                            ? ` (${ageOn(r.patient.birthDate, today)})`
                            : ''}
                        </Table.Td>
                        <Table.Td>
                          <Group gap={4}>
                            {r.urgent > 0 && <Badge color={URGENT_COLOR}>{r.urgent} urgent</Badge>}
                            {r.overdue > 0 && <Badge color="red.9">{r.overdue} overdue</Badge>}
                            {r.recentStay && (
                              <Badge color="blue.9">
                                {r.recentStay.period?.end
                                  ? `discharged ${formatDate(r.recentStay.period.end)}`
                                  : 'in hospital'}
                              </Badge>
                            )}
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollRegion>
              <Group justify="space-between">
                <Text size="sm">{d.total !== undefined ? `${d.total} patient${d.total === 1 ? '' : 's'}` : ''}</Text>
                <Group gap="xs">
                  <Button variant="default" size="xs" disabled={!d.previous} onClick={() => setPageUrl(d.previous)}>
                    Previous
                  </Button>
                  <Button variant="default" size="xs" disabled={!d.next} onClick={() => setPageUrl(d.next)}>
                    Next
                  </Button>
                </Group>
              </Group>
            </>
          )
        }
      </QueryView>
    </Stack>
  );
}
