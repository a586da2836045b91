// Observations and results: a trend chart for each measurement taken more than once (weights,
// blood pressure, labs), and the latest value of everything else.

import { SimpleGrid, Table, Text } from '@mantine/core';
import type { Observation } from '@medplum/fhirtypes';
import { EmptyState } from '../../components/query-view.js';
import { SectionCard } from '../../components/section-card.js';
import { TrendChart } from '../../components/trend-chart.js';
import { formatConcept, formatDate, formatQuantity } from '../../format/fhir-text.js';
import { buildSeries } from './observation-trends.js';

function valueText(o: Observation): string {
  if (o.valueQuantity) return formatQuantity(o.valueQuantity);
  if (o.valueInteger !== undefined) return String(o.valueInteger);
  if (o.valueCodeableConcept) return formatConcept(o.valueCodeableConcept);
  if (o.valueString) return o.valueString;
  if (o.component?.length)
    return o.component
      .map((c) => formatQuantity(c.valueQuantity))
      .filter(Boolean)
      .join(' / ');
  return '';
}

export function ObservationsCard({ observations, level }: { observations: Observation[]; level?: 2 | 3 }) {
  const trends = buildSeries(observations)
    .filter((s) => s.points.length >= 2)
    .slice(0, 4);
  const latest = new Map<string, Observation>();
  for (const o of observations) {
    const key = o.code.coding?.[0]?.code ?? formatConcept(o.code);
    if (!latest.has(key)) latest.set(key, o);
  }
  return (
    <SectionCard title="Observations and results" level={level}>
      <Text size="xs" c="dimmed" mb="xs">
        The last 12 months.
      </Text>
      {observations.length === 0 ? (
        <EmptyState>No observations or results.</EmptyState>
      ) : (
        <>
          {trends.length > 0 && (
            <SimpleGrid cols={{ base: 1, md: 2 }} mb="sm">
              {trends.map((s) => (
                <TrendChart key={s.code} title={s.title} unit={s.unit} points={s.points} />
              ))}
            </SimpleGrid>
          )}
          <Table striped withTableBorder={false} fz="sm" aria-label="Latest results">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Test</Table.Th>
                <Table.Th scope="col">Latest</Table.Th>
                <Table.Th scope="col">Date</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...latest.values()].slice(0, 12).map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>{formatConcept(o.code)}</Table.Td>
                  <Table.Td>
                    {valueText(o) || (
                      <Text span c="gray.7">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{formatDate(o.effectiveDateTime ?? o.issued)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </SectionCard>
  );
}
