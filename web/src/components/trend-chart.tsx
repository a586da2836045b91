// A small line chart of one measurement over time, drawn as SVG. The numbers are also in a table for
// screen readers (and anyone who wants the values), since a chart alone is not accessible.
import { Box, Text, VisuallyHidden } from '@mantine/core';
import { formatDate } from '../format/fhir-text.js';

export interface TrendPoint {
  readonly date: string;
  readonly value: number;
}

const WIDTH = 320;
const HEIGHT = 90;
const PAD = 8;

export function TrendChart({ title, unit, points }: { title: string; unit: string; points: readonly TrendPoint[] }) {
  const sorted = [...points].sort((a, b) => a.date.localeCompare(b.date));
  const times = sorted.map((p) => Date.parse(p.date));
  const values = sorted.map((p) => p.value);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const [v0, v1] = [Math.min(...values), Math.max(...values)];
  const x = (t: number) => PAD + ((t - t0) / Math.max(1, t1 - t0)) * (WIDTH - 2 * PAD);
  const y = (v: number) => HEIGHT - PAD - ((v - v0) / Math.max(1e-9, v1 - v0)) * (HEIGHT - 2 * PAD);
  const line = sorted
    .map((p, i) => `${i ? 'L' : 'M'}${x(times[i] ?? 0).toFixed(1)},${y(p.value).toFixed(1)}`)
    .join(' ');
  const last = sorted[sorted.length - 1];
  const first = sorted[0];
  return (
    <Box>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      <Text size="xs" c="gray.7">
        {first && last
          ? `${formatNumber(first.value)} → ${formatNumber(last.value)} ${unit} (${formatDate(first.date)} – ${formatDate(last.date)})`
          : ''}
      </Text>
      <svg width="100%" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title} trend`}>
        <path d={line} fill="none" stroke="var(--mantine-color-teal-8)" strokeWidth={2} />
        {sorted.map((p, i) => (
          <circle key={p.date} cx={x(times[i] ?? 0)} cy={y(p.value)} r={2.5} fill="var(--mantine-color-teal-8)" />
        ))}
      </svg>
      <VisuallyHidden>
        <table>
          <caption>{title}</caption>
          <tbody>
            {sorted.map((p) => (
              <tr key={p.date}>
                <td>{formatDate(p.date)}</td>
                <td>
                  {formatNumber(p.value)} {unit}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </VisuallyHidden>
    </Box>
  );
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}
