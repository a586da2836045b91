// Observations as series a chart can draw: one per measured code (blood pressure splits into its
// systolic and diastolic components), numeric values only, oldest first.
import type { Observation } from '@medplum/fhirtypes';
import { formatConcept } from '../../format/fhir-text.js';

export interface Series {
  readonly code: string;
  readonly title: string;
  readonly unit: string;
  readonly points: { date: string; value: number }[];
}

export function buildSeries(observations: readonly Observation[]): Series[] {
  const byCode = new Map<string, Series>();
  const add = (code: string, title: string, unit: string, date: string, value: number) => {
    let series = byCode.get(code);
    if (!series) {
      series = { code, title, unit, points: [] };
      byCode.set(code, series);
    }
    series.points.push({ date, value });
  };
  for (const o of observations) {
    const date = o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued;
    if (!date || o.status === 'entered-in-error') continue;
    if (o.valueQuantity?.value !== undefined) {
      const code = o.code.coding?.[0]?.code ?? formatConcept(o.code);
      add(code, formatConcept(o.code), o.valueQuantity.unit ?? '', date, o.valueQuantity.value);
    }
    for (const c of o.component ?? []) {
      if (c.valueQuantity?.value === undefined) continue;
      const code = c.code.coding?.[0]?.code ?? formatConcept(c.code);
      add(code, formatConcept(c.code), c.valueQuantity.unit ?? '', date, c.valueQuantity.value);
    }
  }
  for (const s of byCode.values()) s.points.sort((a, b) => a.date.localeCompare(b.date));
  return [...byCode.values()].sort((a, b) => b.points.length - a.points.length || a.title.localeCompare(b.title));
}
