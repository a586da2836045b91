// The patient's after-hospital plan (AHRQ Project RED's "after hospital care plan"), in plain
// words: when they left the hospital, who to call and their numbers, their medicines (from the
// reconciled list), their appointments, tests still pending, the warning signs for their conditions
// and what to do, and room for their questions. Pure apart from reading the shipped warning signs.
import { readFileSync } from 'node:fs';
import type { Appointment, Condition, Practitioner, ServiceRequest } from '@medplum/fhirtypes';

interface WarningSigns {
  readonly conditions: readonly { words: readonly string[]; signs: readonly string[] }[];
  readonly general: readonly string[];
}
let signs: WarningSigns | undefined;
function warningSignContent(): WarningSigns {
  signs ??= JSON.parse(
    readFileSync(new URL('../../../content/transitions/warning-signs.json', import.meta.url), 'utf8'),
  ) as WarningSigns;
  return signs;
}

export function warningSignsFor(conditions: readonly Condition[]): string[] {
  const text = conditions
    .map((c) => `${c.code?.text ?? ''} ${(c.code?.coding ?? []).map((x) => x.display).join(' ')}`.toLowerCase())
    .join(' | ');
  const specific = warningSignContent()
    .conditions.filter((c) => c.words.some((w) => text.includes(w)))
    .flatMap((c) => c.signs);
  return [...new Set([...specific, ...warningSignContent().general])];
}

export interface Contact {
  readonly role: string;
  readonly name: string;
  readonly phone: string | undefined;
}

export interface AfterHospitalPlan {
  readonly dischargeDate: string | undefined;
  readonly whoToCall: readonly Contact[];
  readonly appointments: readonly { when: string; what: string; with: string }[];
  readonly pendingTests: readonly string[];
  readonly warningSigns: readonly string[];
}

const nameOf = (p: Practitioner | undefined) =>
  p?.name?.[0]
    ? [[...(p.name[0].given ?? []), p.name[0].family].filter(Boolean).join(' '), ...(p.name[0].suffix ?? [])].join(', ')
    : '';

export function buildAfterHospitalPlan(input: {
  dischargeDate: string | undefined;
  coordinator: Practitioner | undefined;
  pcp: Practitioner | undefined;
  appointments: readonly Appointment[];
  pendingTests: readonly ServiceRequest[];
  conditions: readonly Condition[];
  today: string;
}): AfterHospitalPlan {
  const phone = (p: Practitioner | undefined) => p?.telecom?.find((t) => t.system === 'phone')?.value;
  return {
    dischargeDate: input.dischargeDate,
    whoToCall: [
      ...(input.coordinator
        ? [{ role: 'Your care coordinator', name: nameOf(input.coordinator), phone: phone(input.coordinator) }]
        : []),
      ...(input.pcp ? [{ role: 'Your primary care doctor', name: nameOf(input.pcp), phone: phone(input.pcp) }] : []),
    ],
    appointments: input.appointments
      .filter((a) => a.status === 'booked' && (a.start ?? '') >= input.today)
      .sort((a, b) => (a.start ?? '').localeCompare(b.start ?? ''))
      .map((a) => ({
        when: a.start ?? '',
        what: a.description ?? a.serviceType?.[0]?.text ?? 'Appointment',
        with: (a.participant ?? [])
          .map((p) => p.actor)
          .filter((x) => x && !x.reference?.startsWith('Patient/'))
          .map((x) => x?.display ?? '')
          .join(', '),
      })),
    pendingTests: input.pendingTests.map((t) => t.code?.text ?? t.code?.coding?.[0]?.display ?? 'A test'),
    warningSigns: warningSignsFor(input.conditions),
  };
}
