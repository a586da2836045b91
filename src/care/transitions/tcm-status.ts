// Whether an episode met the TCM requirements and which code its documentation supports (CMS TCM
// FAQs, 2016): the interactive contact within 2 business days (or two or more timely but
// unsuccessful attempts), the face-to-face visit within 7 days (99496, high complexity) or 14 days
// (99495, moderate or high), and medication reconciliation no later than that visit. Contact
// attempts are Communications about the episode, with their channel (v3 ParticipationMode) and
// outcome (completed, or not-done with the reason). Pure.
import type { Communication, Encounter, List } from '@medplum/fhirtypes';
import { addDays, daysBetween } from '../calendar/calendar-days.js';
import type { EpisodeFacts } from './episode-resources.js';

/** Interactive channels: telephone, video, in person, electronic (portal or e-mail messages). */
export const INTERACTIVE_MODES: readonly string[] = [
  'PHONE',
  'VIDEOCONF',
  'FACE',
  'ONLINEWRIT',
  'EMAILWRIT',
  'ELECTRONIC',
];

/** Visit classes that count as face-to-face (ambulatory, home health, virtual). */
const VISIT_CLASSES = ['AMB', 'HH', 'VR'];

export interface ContactAttempt {
  readonly at: string;
  readonly channel: string;
  readonly successful: boolean;
  readonly timely: boolean;
  readonly note: string | undefined;
}

export interface TcmStatus {
  readonly eligible: boolean;
  readonly contact: { readonly met: boolean; readonly attempts: readonly ContactAttempt[]; readonly detail: string };
  readonly faceToFace: {
    readonly date: string | undefined;
    readonly withinDays: number | undefined;
    readonly detail: string;
  };
  readonly medicationReconciliation: {
    readonly date: string | undefined;
    readonly met: boolean;
    readonly detail: string;
  };
  readonly code: '99496' | '99495' | 'none';
  readonly reasons: readonly string[];
}

/** Attempts less than this far apart are one attempt (a redial is not a second try). */
const SEPARATE_MS = 60 * 60_000;

/**
 * The unsuccessful attempts that count towards "two or more separate attempts" (CMS TCM FAQs, 2016:
 * the attempts must be separate and documented): each with a note of what happened, and at least an
 * hour after the previous one counted.
 */
export function separateAttempts(failures: readonly ContactAttempt[]): ContactAttempt[] {
  const counted: ContactAttempt[] = [];
  for (const a of [...failures].filter((f) => f.note?.trim()).sort((x, y) => x.at.localeCompare(y.at))) {
    const last = counted.at(-1);
    if (!last || Date.parse(a.at) - Date.parse(last.at) >= SEPARATE_MS) counted.push(a);
  }
  return counted;
}

/** `dateOf` is the clinic clock's: a call at 20:00 in New York on the due day is on the due day. */
export function contactAttempts(
  contacts: readonly Communication[],
  contactDue: string | undefined,
  dateOf: (instant: string) => string,
): ContactAttempt[] {
  return contacts
    .filter((c) => (c.medium ?? []).some((m) => m.coding?.some((x) => INTERACTIVE_MODES.includes(x.code ?? ''))))
    .map((c) => {
      const at = c.sent ?? c.meta?.lastUpdated ?? '';
      return {
        at,
        channel: c.medium?.[0]?.coding?.[0]?.code ?? '',
        successful: c.status === 'completed',
        timely: contactDue !== undefined && at !== '' && dateOf(at) <= contactDue,
        note: c.statusReason?.text ?? c.payload?.[0]?.contentString,
      };
    })
    .sort((a, b) => a.at.localeCompare(b.at));
}

export function tcmStatus(input: {
  facts: EpisodeFacts;
  contacts: readonly Communication[];
  visits: readonly Encounter[];
  reconciliations: readonly List[];
  /** The clinic's day of an instant (the clinic clock's `dateOf`). */
  dateOf: (instant: string) => string;
}): TcmStatus {
  const { dateOf } = input;
  const { facts } = input;
  const tcm = facts.tcm;
  const discharge = facts.dischargeDate;
  if (!tcm?.eligible || !discharge)
    return {
      eligible: false,
      contact: { met: false, attempts: [], detail: '' },
      faceToFace: { date: undefined, withinDays: undefined, detail: '' },
      medicationReconciliation: { date: undefined, met: false, detail: '' },
      code: 'none',
      reasons: [tcm?.reason ?? (discharge ? 'Not eligible for TCM' : 'Not discharged yet')],
    };
  const attempts = contactAttempts(input.contacts, tcm.contactDue, dateOf);
  const timelySuccess = attempts.find((a) => a.successful && a.timely);
  const timelyFailures = separateAttempts(attempts.filter((a) => !a.successful && a.timely)).length;
  const contactMet = Boolean(timelySuccess) || timelyFailures >= 2;
  const contactDetail = timelySuccess
    ? `Reached ${dateOf(timelySuccess.at)} by ${timelySuccess.channel.toLowerCase()}, by ${tcm.contactDue}`
    : timelyFailures >= 2
      ? `${timelyFailures} timely attempts, none successful (CMS accepts two or more)`
      : `Not reached by ${tcm.contactDue} (${attempts.length} attempt${attempts.length === 1 ? '' : 's'})`;
  const visit = input.visits
    .filter(
      (v) => VISIT_CLASSES.includes(v.class?.code ?? '') && ['finished', 'in-progress', 'arrived'].includes(v.status),
    )
    .map((v) => (v.period?.start ? dateOf(v.period.start) : ''))
    .filter((d) => d > discharge && d <= addDays(discharge, 29))
    .sort()[0];
  const withinDays = visit ? daysBetween(discharge, visit) : undefined;
  const reconciled = input.reconciliations
    .filter((l) => l.mode === 'snapshot' && l.date)
    .map((l) => dateOf(l.date as string))
    .filter((d) => d >= addDays(discharge, -30))
    .sort()[0];
  const medMet = reconciled !== undefined && (visit === undefined || reconciled <= visit);
  const reasons: string[] = [];
  if (!contactMet) reasons.push(`No interactive contact within 2 business days (by ${tcm.contactDue})`);
  if (!visit) reasons.push('No face-to-face visit yet');
  else if ((withinDays ?? 99) > 14) reasons.push(`Face-to-face visit on day ${withinDays}, after 14 days`);
  if (!medMet)
    reasons.push(reconciled ? `Medications reconciled ${reconciled}, after the visit` : 'Medications not reconciled');
  let code: TcmStatus['code'] = 'none';
  if (contactMet && visit && medMet) {
    if ((withinDays ?? 99) <= 7 && tcm.complexity === 'high') code = '99496';
    else if ((withinDays ?? 99) <= 14) code = '99495';
  }
  if (!tcm.complexity) {
    // The code follows the physician's recorded medical decision making, never the LACE band.
    code = 'none';
    reasons.push(
      `TCM complexity not recorded: the physician records moderate or high medical decision making${tcm.suggestedComplexity ? ` (LACE suggests ${tcm.suggestedComplexity})` : ''}`,
    );
  }
  if (code === '99495' && tcm.complexity === 'high' && (withinDays ?? 99) > 7)
    reasons.push('High complexity, but the visit was after day 7: 99495, not 99496');
  if (code === '99495' && tcm.complexity !== 'high' && (withinDays ?? 99) <= 7)
    reasons.push('Visit within 7 days, but moderate complexity: 99495');
  return {
    eligible: true,
    contact: { met: contactMet, attempts, detail: contactDetail },
    faceToFace: {
      date: visit,
      withinDays,
      detail: visit ? `Seen ${visit}, day ${withinDays} after discharge` : `Due by ${tcm.faceToFaceDue}`,
    },
    medicationReconciliation: {
      date: reconciled,
      met: medMet,
      detail: reconciled ? `Reconciled ${reconciled}` : `Due no later than the visit (by ${tcm.faceToFaceDue})`,
    },
    code,
    reasons,
  };
}
