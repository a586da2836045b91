// The patient's care as one list, newest first: stays and visits, diagnoses, medicines started,
// documents and the days measurements were taken.
import type { Observation } from '@medplum/fhirtypes';
import { formatConcept } from '../../format/fhir-text.js';
import type { PatientSummary } from './load-patient-summary.js';

export interface TimelineItem {
  readonly date: string;
  readonly kind: 'encounter' | 'condition' | 'medication' | 'document' | 'observation';
  readonly text: string;
}

function encounterLabel(classCode: string | undefined): string {
  switch (classCode) {
    case 'IMP':
    case 'ACUTE':
    case 'NONAC':
      return 'Hospital stay';
    case 'EMER':
      return 'Emergency visit';
    case 'HH':
      return 'Home visit';
    case 'VR':
      return 'Virtual visit';
    default:
      return 'Visit';
  }
}

export function buildTimeline(
  s: Pick<PatientSummary, 'encounters' | 'conditions' | 'medications' | 'documents' | 'observations'>,
): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const e of s.encounters) {
    const label = encounterLabel(e.class?.code);
    const reason = formatConcept(e.reasonCode?.[0]);
    if (e.period?.start)
      items.push({
        date: e.period.start,
        kind: 'encounter',
        text: `${label} began${reason ? `: ${reason}` : ''}`,
      });
    if (e.period?.end && label === 'Hospital stay')
      items.push({ date: e.period.end, kind: 'encounter', text: `Discharged${reason ? ` (${reason})` : ''}` });
  }
  for (const c of s.conditions) {
    const date = c.onsetDateTime ?? c.recordedDate;
    if (date) items.push({ date, kind: 'condition', text: `Diagnosed: ${formatConcept(c.code)}` });
  }
  const prescribed = new Map<string, string[]>();
  for (const m of s.medications) {
    const day = m.authoredOn?.slice(0, 10);
    if (day) prescribed.set(day, [...(prescribed.get(day) ?? []), formatConcept(m.medicationCodeableConcept)]);
  }
  for (const [day, names] of prescribed)
    items.push({
      date: day,
      kind: 'medication',
      text:
        names.length === 1
          ? `Prescribed: ${names[0]}`
          : `${names.length} medicines prescribed: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`,
    });
  for (const d of s.documents)
    if (d.date)
      items.push({ date: d.date, kind: 'document', text: `Document: ${d.description ?? formatConcept(d.type)}` });
  const byDay = new Map<string, Observation[]>();
  for (const o of s.observations) {
    const day = (o.effectiveDateTime ?? o.issued ?? '').slice(0, 10);
    if (day) byDay.set(day, [...(byDay.get(day) ?? []), o]);
  }
  for (const [day, list] of byDay) {
    const names = [...new Set(list.map((o) => formatConcept(o.code)))];
    items.push({
      date: day,
      kind: 'observation',
      text: `${list.length} result${list.length === 1 ? '' : 's'}: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`,
    });
  }
  return items.sort((a, b) => b.date.localeCompare(a.date));
}
