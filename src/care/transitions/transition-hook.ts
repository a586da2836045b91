// Transitions of care, in the writing transaction of the Encounter that tells of them: an inpatient
// or observation Encounter opens a transition episode (once, whatever the number or order of the
// messages: the episode is found by the Encounter it came from) and gives the care coordinator a
// discharge-planning task; its discharge (status finished, period.end and a discharge disposition)
// moves the episode to post-discharge with the LACE score, and, for a discharge to the community
// with no TCM in the last 30 days, the dated TCM tasks and outreach calls. A new admission within
// 30 days of a discharge is linked to that episode as its readmission.
import type { Condition, Encounter, EpisodeOfCare, Task } from '@medplum/fhirtypes';
import type { WriteHook } from '../../store/care-api.js';
import { addDays, addMonths, daysBetween } from '../calendar/calendar-days.js';
import type { ClinicClock } from '../calendar/clinic-clock.js';
import { cancelTask } from '../careplan/replan-tasks.js';
import { careTeamRoles } from '../careteam/team-roles.js';
import { isFromDocument } from '../feeds/ccda/document-tag.js';
import { followUpTask } from '../worklist/follow-up-task.js';
import { OPEN_TASK_STATUSES } from '../worklist/order-worklist.js';
import {
  dischargedEpisode,
  ENCOUNTER_IDENTIFIER,
  EPISODE_TYPE,
  newEpisode,
  phaseOf,
  READMISSION_OF_URL,
  READMISSION_URL,
  readEpisode,
  TRANSITION_CLASSES,
  undischargedEpisode,
  withExtension,
} from './episode-resources.js';
import { isEmergentAdmission, priorEmergencyVisits } from './lace-arrival.js';
import { lengthOfStay, scoreLace } from './lace-index.js';
import { isCommunityDischarge, tcmClock } from './tcm-clock.js';
import { suggestComplexity } from './tcm-complexity.js';
import { tcmTasks } from './tcm-tasks.js';

/** The tasks a discharge makes (tcm-tasks.ts and the follow-up booking), taken back with it. */
const DISCHARGE_TASK_CODES: ReadonlySet<string> = new Set([
  'book-follow-up',
  'post-discharge-contact',
  'post-discharge-visit',
  'medication-reconciliation',
  'outreach-call',
]);

/** Cancels the open tasks about an episode (only those with these codes, when given). */
async function cancelOpenTasks(
  tx: Parameters<WriteHook>[1],
  repo: Parameters<WriteHook>[2],
  focus: string,
  codes: ReadonlySet<string> | undefined,
  at: string,
): Promise<void> {
  const tasks = await tx.searchEvery<Task>('Task', [
    ['focus', focus],
    ['status', OPEN_TASK_STATUSES.join(',')],
  ]);
  for (const task of tasks) {
    if (codes && !task.code?.coding?.some((c) => c.code && codes.has(c.code))) continue;
    const cancelled = cancelTask(task, 'The hospital cancelled the admission or discharge', undefined, at);
    if (cancelled) await repo.update({ ...cancelled, id: task.id } as Task & { id: string });
  }
}

export function transitionHook(clinic: ClinicClock): WriteHook {
  return async (event, tx, repo) => {
    if (event.resourceType !== 'Encounter' || !event.resource || event.interaction === 'delete') return;
    const encounter = event.resource as Encounter;
    if (!TRANSITION_CLASSES.includes(encounter.class?.code ?? '')) return;
    // A stay a document tells of (a CCD's encounter list) is history: no episode, no tasks.
    if (isFromDocument(encounter)) return;
    const patient = encounter.subject?.reference?.startsWith('Patient/')
      ? encounter.subject.reference.slice(8)
      : undefined;
    if (!patient) return;
    const at = clinic.nowIso();
    const encounterRef = `Encounter/${event.id}`;

    const episodes = await tx.searchEvery<EpisodeOfCare>('EpisodeOfCare', [['patient', patient]]);
    const transitions = episodes.filter((e) =>
      e.type?.some((t) => t.coding?.some((c) => c.code === EPISODE_TYPE.code)),
    );
    let episode = transitions.find((e) =>
      e.identifier?.some((i) => i.system === ENCOUNTER_IDENTIFIER && i.value === encounterRef),
    );
    const cancelled = encounter.status === 'cancelled' || encounter.status === 'entered-in-error';
    // A cancelled admission (ADT A11, or a stay entered in error): its episode and open tasks go too.
    if (cancelled) {
      if (episode && episode.status !== 'cancelled' && episode.status !== 'entered-in-error') {
        await repo.update({ ...episode, id: episode.id, status: 'cancelled' } as EpisodeOfCare & { id: string });
        await cancelOpenTasks(tx, repo, `EpisodeOfCare/${episode.id}`, undefined, at);
      }
      return;
    }
    // A cancelled discharge (ADT A13): the stay is open again; the discharge, LACE, TCM clock and the
    // tasks the discharge made are taken back. A later discharge starts them anew.
    if (
      episode &&
      phaseOf(episode) === 'post-discharge' &&
      encounter.status === 'in-progress' &&
      !encounter.period?.end
    ) {
      await repo.update({ ...undischargedEpisode(episode), id: episode.id } as EpisodeOfCare & { id: string });
      await cancelOpenTasks(tx, repo, `EpisodeOfCare/${episode.id}`, DISCHARGE_TASK_CODES, at);
      return;
    }
    const roles = await careTeamRoles(tx, patient);

    if (!episode) {
      const admitted = encounter.period?.start ?? at;
      // A readmission: another transition discharged within the 30 days before this admission.
      const previous = transitions.find((e) => {
        const d = readEpisode(e).dischargeDate;
        return d !== undefined && d <= clinic.dateOf(admitted) && daysBetween(d, clinic.dateOf(admitted)) <= 30;
      });
      let fresh = newEpisode({
        patient,
        encounter: encounterRef,
        start: admitted,
        careManager: roles.coordinator,
        organization: encounter.serviceProvider?.reference,
      });
      if (previous?.id) {
        fresh = withExtension(fresh, {
          url: READMISSION_OF_URL,
          valueReference: { reference: `EpisodeOfCare/${previous.id}` },
        });
        await repo.update({
          ...withExtension(previous, { url: READMISSION_URL, valueReference: { reference: encounterRef } }),
          id: previous.id,
        } as EpisodeOfCare & { id: string });
      }
      const created = (await repo.create(fresh)).resource as EpisodeOfCare;
      episode = created;
      await repo.create(
        followUpTask({
          code: 'discharge-planning',
          display: 'Discharge planning',
          description: `Admitted${encounter.serviceProvider?.display ? ` to ${encounter.serviceProvider.display}` : ''}${previous ? ' (a readmission within 30 days)' : ''}: start discharge planning`,
          patient,
          focus: `EpisodeOfCare/${created.id}`,
          owner: roles.coordinator,
          priority: 'urgent',
          at,
          due: clinic.today(),
        }),
      );
    }

    const discharged =
      encounter.status === 'finished' && encounter.period?.end && encounter.hospitalization?.dischargeDisposition;
    if (!discharged || phaseOf(episode) !== 'admitted') return;
    const end = encounter.period?.end as string;
    const dischargeDate = clinic.dateOf(end);
    const disposition = encounter.hospitalization?.dischargeDisposition?.coding?.[0]?.code;
    const sixMonthsBefore = addMonths(clinic.dateOf(encounter.period?.start ?? end), -6);
    const [conditions, emergencies] = await Promise.all([
      tx.searchEvery<Condition>('Condition', [
        ['patient', patient],
        ['clinical-status', 'active'],
      ]),
      tx.searchEvery<Encounter>('Encounter', [
        ['patient', patient],
        ['class', 'EMER'],
        ['date', `ge${sixMonthsBefore}`],
      ]),
    ]);
    const admittedAt = encounter.period?.start ?? end;
    const lace = scoreLace({
      lengthOfStayDays: lengthOfStay(clinic.dateOf(admittedAt), dischargeDate),
      emergent: isEmergentAdmission(encounter, emergencies),
      conditions,
      edVisitsPrior6Months: priorEmergencyVisits(encounter, emergencies),
    });
    const community = isCommunityDischarge(disposition);
    const recentTcm = transitions.some((e) => {
      if (e.id === episode?.id) return false;
      const facts = readEpisode(e);
      return (
        facts.tcm?.eligible === true &&
        facts.dischargeDate !== undefined &&
        addDays(facts.dischargeDate, 29) >= dischargeDate
      );
    });
    const tcm = community && !recentTcm ? tcmClock(dischargeDate, suggestComplexity(lace.band)) : undefined;
    const noTcmReason = !community
      ? `Discharged to ${disposition ?? 'an unknown setting'}, not to the community: no TCM`
      : recentTcm
        ? 'A TCM period already runs for this patient (one TCM per 30 days)'
        : undefined;
    const updated = dischargedEpisode(episode, { date: dischargeDate, disposition, lace, tcm, noTcmReason });
    await repo.update({ ...updated, id: episode.id } as EpisodeOfCare & { id: string });
    // Discharged with no follow-up appointment booked for after the discharge (Project RED: the
    // appointment is made before discharge): the coordinator books it now; the board flags the
    // episode while this task is open, and the booking closes it (close-met-tasks.ts).
    const followUpBooked = await tx.anyMatch('Appointment', [
      ['patient', patient],
      ['date', `ge${end}`],
      ['status', 'proposed,pending,booked,arrived,checked-in'],
    ]);
    if (!followUpBooked) {
      const days = lace.band === 'high' ? 7 : 14;
      await repo.create(
        followUpTask({
          code: 'book-follow-up',
          display: 'Book the follow-up appointment',
          description: `Discharged ${dischargeDate} with no follow-up appointment booked: book a visit within ${days} days (by ${addDays(dischargeDate, days)})`,
          patient,
          focus: `EpisodeOfCare/${episode.id}`,
          owner: roles.coordinator,
          priority: 'urgent',
          at,
          due: clinic.today(),
          from: dischargeDate,
        }),
      );
    }
    if (tcm)
      for (const t of tcmTasks({
        clock: tcm,
        highRisk: lace.band === 'high',
        patient,
        episode: `EpisodeOfCare/${episode.id}`,
        owners: roles,
        at,
      }))
        await repo.create(t);
  };
}
