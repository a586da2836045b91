// The discharge readiness checklist (content/transitions/readiness-items.json: the Project RED
// components and the Care Transitions Intervention pillars), each item's state computed from the
// record where the data exists — the reconciliation completed, the follow-up appointment booked in
// the window the risk requires, the post-acute referral accepted, the discharge summary on file —
// and otherwise done when the team records it (a Procedure coded with the item). Each open item
// says what blocks it. Pure.
import { readFileSync } from 'node:fs';
import type {
  Appointment,
  DocumentReference,
  List,
  Patient,
  Procedure,
  ServiceRequest,
  Task,
} from '@medplum/fhirtypes';
import { addDays } from '../calendar/calendar-days.js';

export const READINESS_SYSTEM = 'http://careloop.org/fhir/CodeSystem/transition-item';

interface ItemDefinition {
  readonly id: string;
  readonly label: string;
  readonly red?: number;
  readonly cti?: string;
  readonly owner: string;
  readonly evidence: string;
}

let definitions: readonly ItemDefinition[] | undefined;
export function readinessDefinitions(): readonly ItemDefinition[] {
  definitions ??= (
    JSON.parse(readFileSync(new URL('../../../content/transitions/readiness-items.json', import.meta.url), 'utf8')) as {
      items: ItemDefinition[];
    }
  ).items;
  return definitions;
}

export type ItemState = 'done' | 'open' | 'not-needed';

export interface ReadinessItem extends ItemDefinition {
  readonly state: ItemState;
  /** What shows it done, or what blocks it. */
  readonly detail: string;
}

export interface ReadinessInput {
  readonly admittedAt: string;
  /** The discharge date, or the expected one while still admitted (undefined: not known yet). */
  readonly dischargeDate: string | undefined;
  /** The clinic's day of an instant. */
  readonly dateOf: (instant: string) => string;
  readonly highRisk: boolean;
  readonly disposition: string | undefined;
  readonly patient: Patient;
  readonly appointments: readonly Appointment[];
  readonly referrals: readonly { request: ServiceRequest; task: Task | undefined }[];
  readonly reconciliations: readonly List[];
  readonly procedures: readonly Procedure[];
  readonly documents: readonly DocumentReference[];
}

const DISCHARGE_SUMMARY = '18842-5';
const POST_ACUTE = /home health|rehab|physical therapy|equipment|transport|nursing|meals/i;

export function assessReadiness(input: ReadinessInput): ReadinessItem[] {
  const since = input.dateOf(input.admittedAt);
  const windowDays = input.highRisk ? 7 : 14;
  const discharge = input.dischargeDate;
  const windowEnd = discharge ? addDays(discharge, windowDays) : undefined;
  return readinessDefinitions().map((def): ReadinessItem => {
    const result = (state: ItemState, detail: string): ReadinessItem => ({ ...def, state, detail });
    switch (def.evidence) {
      case 'language': {
        const lang = input.patient.communication?.find((c) => c.preferred) ?? input.patient.communication?.[0];
        return lang
          ? result(
              'done',
              `Preferred language: ${lang.language.text ?? lang.language.coding?.[0]?.display ?? lang.language.coding?.[0]?.code}`,
            )
          : result('open', 'The preferred language is not recorded');
      }
      case 'follow-up-appointment': {
        // After the discharge, never during the stay: unknown until the expected discharge is recorded.
        if (!discharge || !windowEnd)
          return result(
            'open',
            'No expected discharge date recorded: the follow-up is booked for after it (Encounter plannedEndDate)',
          );
        const booked = input.appointments.find(
          (a) =>
            ['booked', 'arrived', 'fulfilled', 'checked-in'].includes(a.status) &&
            a.start &&
            input.dateOf(a.start) >= discharge &&
            input.dateOf(a.start) <= windowEnd,
        );
        return booked
          ? result('done', `Booked for ${input.dateOf(booked.start as string)}, within ${windowDays} days of discharge`)
          : result(
              'open',
              `No follow-up appointment booked by ${windowEnd} (${windowDays} days after discharge${input.highRisk ? ', high risk' : ''})`,
            );
      }
      case 'post-acute-services': {
        const postAcute = input.referrals.filter((r) =>
          POST_ACUTE.test(`${r.request.code?.text ?? ''} ${r.request.code?.coding?.[0]?.display ?? ''}`),
        );
        const accepted = postAcute.find((r) => ['accepted', 'in-progress', 'completed'].includes(r.task?.status ?? ''));
        if (accepted) return result('done', `${accepted.request.code?.text ?? 'Referral'}: ${accepted.task?.status}`);
        if (postAcute.length)
          return result('open', `${postAcute[0]?.request.code?.text ?? 'Referral'} sent, not yet accepted`);
        const needs = input.disposition === 'hh' || input.disposition === 'home-health';
        return needs
          ? result('open', 'Discharge to home health: no referral sent yet')
          : result('not-needed', 'No post-acute services needed for this discharge');
      }
      case 'medication-reconciliation': {
        const done = input.reconciliations.find((l) => l.mode === 'snapshot' && (l.date ?? '') >= since);
        return done
          ? result(
              'done',
              `Reconciled ${done.date ? input.dateOf(done.date) : ''}; the schedule is in the patient's portal`,
            )
          : result('open', 'Medications not yet reconciled for this stay');
      }
      case 'discharge-summary': {
        const summary = input.documents.find(
          (d) =>
            d.type?.coding?.some((c) => c.code === DISCHARGE_SUMMARY) || /discharge summary/i.test(d.description ?? ''),
        );
        return summary
          ? result('done', `On file: ${summary.description ?? 'discharge summary'}`)
          : result('open', 'No discharge summary on file');
      }
      default: {
        const recorded = input.procedures.find(
          (p) =>
            p.status === 'completed' &&
            p.code?.coding?.some((c) => c.system === READINESS_SYSTEM && c.code === def.id) &&
            (p.performedDateTime ?? '') >= since,
        );
        return recorded
          ? result(
              'done',
              `Recorded ${recorded.performedDateTime ? input.dateOf(recorded.performedDateTime) : ''}${recorded.performer?.[0]?.actor.display ? ` by ${recorded.performer[0].actor.display}` : ''}`,
            )
          : result('open', `Not yet recorded (${def.owner})`);
      }
    }
  });
}
