// The measures dashboard: transitions (contact within 2 business days, follow-up within 7 and 14
// days, 30-day readmissions) by LACE risk band, and referral loop closure by destination, each as a
// bar chart with its numbers and the AHRQ Care Coordination Measures Atlas domain it serves.

import { Group, Stack, Table, Text, Title } from '@mantine/core';
import type { MeasureReport } from '@medplum/fhirtypes';
import { getFhir } from '../api/fhir-client.js';
import { useQuery } from '../api/use-query.js';
import { EmptyState, QueryView } from '../components/query-view.js';
import { SectionCard } from '../components/section-card.js';

interface Bar {
  readonly label: string;
  readonly numerator: number;
  readonly denominator: number;
  readonly rate: number | undefined;
}

function Bars({ bars, label }: { bars: readonly Bar[]; label: string }) {
  return (
    <figure aria-label={label} style={{ margin: 0 }}>
      <Stack gap={6}>
        {bars.map((b) => (
          <Group key={b.label} gap="xs" wrap="nowrap">
            <Text size="sm" w={150}>
              {b.label}
            </Text>
            <svg
              width="240"
              height="16"
              role="img"
              aria-label={`${b.label}: ${b.rate === undefined ? 'no data' : `${Math.round(b.rate * 100)}%`}`}
            >
              <rect width="240" height="16" fill="#e9ecef" />
              <rect width={Math.round((b.rate ?? 0) * 240)} height="16" fill="#0b7a5a" />
            </svg>
            <Text size="sm" w={120}>
              {b.rate === undefined ? 'no data' : `${Math.round(b.rate * 100)}% (${b.numerator}/${b.denominator})`}
            </Text>
          </Group>
        ))}
      </Stack>
    </figure>
  );
}

async function loadMeasures() {
  const [transitions, referrals] = await Promise.all([
    getFhir<MeasureReport>('EpisodeOfCare/$transition-measures'),
    getFhir<MeasureReport>('ServiceRequest/$referral-measure'),
  ]);
  return { transitions, referrals };
}

export function MeasuresPage() {
  const query = useQuery(['measures'], loadMeasures);
  return (
    <Stack>
      <Title order={1}>Measures</Title>
      <QueryView query={query} label="the measures">
        {({ transitions, referrals }) => {
          const groups = transitions.group ?? [];
          const ids = [...new Set(groups.map((g) => g.code?.coding?.[0]?.code ?? ''))];
          return (
            <Stack>
              {ids.map((id) => {
                const mine = groups.filter((g) => g.code?.coding?.[0]?.code === id);
                const first = mine[0];
                const name = first?.code?.text?.replace(/ \(.*\)$/, '') ?? id;
                const domain = first?.extension?.find((e) => e.url.endsWith('atlas-domain'))?.valueString;
                return (
                  <SectionCard key={id} title={name}>
                    <Text size="xs" mb="xs">
                      AHRQ Care Coordination Measures Atlas: {domain}
                    </Text>
                    <Bars
                      label={name}
                      bars={mine.map((g) => ({
                        label:
                          g.extension?.find((e) => e.url.endsWith('risk-band'))?.valueCode === 'all'
                            ? 'All discharges'
                            : `${g.extension?.find((e) => e.url.endsWith('risk-band'))?.valueCode} risk`,
                        numerator: g.population?.[0]?.count ?? 0,
                        denominator: g.population?.[1]?.count ?? 0,
                        rate: g.measureScore?.value,
                      }))}
                    />
                  </SectionCard>
                );
              })}
              <SectionCard title="Referral loop closure">
                <Text size="xs" mb="xs">
                  AHRQ Care Coordination Measures Atlas: Link to community resources
                </Text>
                {(referrals.group ?? []).length === 0 ? (
                  <EmptyState>No referrals sent yet.</EmptyState>
                ) : (
                  <Table fz="sm" aria-label="Referral loop closure">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">Destination</Table.Th>
                        <Table.Th scope="col">Sent</Table.Th>
                        <Table.Th scope="col">Closed</Table.Th>
                        <Table.Th scope="col">Median days to close</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {(referrals.group ?? []).map((g) => (
                        <Table.Tr key={g.code?.text}>
                          <Table.Td>{g.code?.text}</Table.Td>
                          <Table.Td>{g.population?.[0]?.count}</Table.Td>
                          <Table.Td>
                            {g.population?.[1]?.count} ({Math.round((g.measureScore?.value ?? 0) * 100)}%)
                          </Table.Td>
                          <Table.Td>
                            {g.extension?.find((e) => e.url.endsWith('median-days-to-close'))?.valueDecimal ?? '—'}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </SectionCard>
            </Stack>
          );
        }}
      </QueryView>
    </Stack>
  );
}
