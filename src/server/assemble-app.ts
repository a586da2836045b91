// One Careloop server over an open store: the access service, the repository (whose commits keep
// the access decisions fresh), the job runner and the HTTP server. `careloop serve` and the API
// tests assemble it the same way.
import type { FastifyInstance } from 'fastify';
import { type AccessService, openAccessService } from '../access/access-service.js';
import { startAnchorWriter } from '../access/audit/audit-anchor.js';
import type { AuthSettings } from '../access/auth/auth-context.js';
import { installInstruments } from '../care/assessment/install-instruments.js';
import { type ClinicClock, createClinicClock } from '../care/calendar/clinic-clock.js';
import { DEFAULT_REVIEW_DAYS } from '../care/careplan/plans-due-for-review.js';
import { callScript } from '../care/transitions/call-script.js';
import {
  APPOINTMENT_REMINDERS_JOB,
  appointmentRemindersHandler,
  scheduleAppointmentReminders,
} from '../jobs/appointment-reminders/appointment-reminder-job.js';
import { BULK_EXPORT_JOB, bulkExportHandler } from '../jobs/bulk-export/bulk-export-job.js';
import {
  CARE_PLAN_REVIEW_JOB,
  carePlanReviewHandler,
  scheduleReviewSweep,
} from '../jobs/care-plan-review/care-plan-review-job.js';
import { type JobRunner, startJobRunner } from '../jobs/job-runner.js';
import {
  REFERRAL_FOLLOW_UP_JOB,
  referralFollowUpHandler,
  scheduleReferralSweep,
} from '../jobs/referral-follow-up/referral-follow-up-job.js';
import {
  createSubscriptionDispatcher,
  DEFAULT_DELIVERY,
  type DeliveryOptions,
  NOTIFY_JOB,
  notifyHandler,
} from '../jobs/subscriptions/notify-subscribers.js';
import {
  HANDSHAKE_JOB,
  HEARTBEAT_JOB,
  handshakeHandler,
  heartbeatHandler,
} from '../jobs/subscriptions/topic-notifications.js';
import {
  DEFAULT_REMINDER_HOUR,
  scheduleReminderSweep,
  TASK_REMINDERS_JOB,
  taskRemindersHandler,
} from '../jobs/task-reminders/task-reminders-job.js';
import {
  scheduleTransitionClose,
  TRANSITION_CLOSE_JOB,
  transitionCloseHandler,
} from '../jobs/transition-close/transition-close-job.js';
import { createFhirRepository, type FhirRepository } from '../store/repository/create-fhir-repository.js';
import { placeReferencingResources } from '../store/repository/place-referencing-resources.js';
import type { Store } from '../store/store.js';
import { buildServer } from './build-server.js';
import { careHooks } from './care-hooks.js';
import { createHl7Receiver } from './feeds/receive-hl7.js';
import { createNotificationHub } from './http/notification-hub.js';
import { listenMllp, type MllpListener } from './mllp/mllp-transport.js';

export interface AppOptions {
  readonly secretKey: Buffer;
  readonly exportRoot: string;
  readonly version: string;
  readonly baseUrl?: string | undefined;
  readonly authSettings?: Partial<AuthSettings>;
  readonly corsOrigins?: readonly string[];
  readonly authRateLimit?: number;
  /** API requests per user or client per minute (0: no limit). */
  readonly apiRateLimit?: number;
  /** Cookies are marked Secure (the public URL is https). */
  readonly secureCookies?: boolean;
  readonly logger?: boolean;
  /** Where the log goes (tests read it). */
  readonly logStream?: { write(line: string): void };
  readonly jobIntervalMs?: number;
  /** Days after which an active care plan not reviewed raises a review task (default 90). */
  readonly planReviewDays?: number;
  /** Hour of the clinic's day of the daily worklist and appointment reminders (default 8). */
  readonly reminderHour?: number;
  /** The clinic's clock: its time zone and now (default: America/New_York, the system clock). */
  readonly clock?: ClinicClock;
  /** The audit log's checkpoint file (append-only, outside the database); none when absent. */
  readonly auditAnchorFile?: string | undefined;
  /** Retry timing of Subscription deliveries (tests shorten it). */
  readonly subscriptionDelivery?: Partial<DeliveryOptions>;
  /** The organization that manages the patients hospital feeds and documents register. */
  readonly feedOrganization?: string | undefined;
  /** The HL7 v2 MLLP listener (hospital ADT feeds): where it listens; none when absent. */
  readonly mllp?: { readonly port: number; readonly host: string };
}

export interface App {
  readonly server: FastifyInstance;
  readonly access: AccessService;
  readonly repository: FhirRepository;
  readonly jobs: JobRunner;
  /** The clinic's clock every route, hook and job of this server takes its dates from. */
  readonly clock: ClinicClock;
  /** The MLLP listener, when one was asked for (its port: the one given, or the one chosen for 0). */
  readonly mllp: MllpListener | undefined;
  close(): Promise<void>;
}

export async function assembleApp(store: Store, options: AppOptions): Promise<App> {
  const clock = options.clock ?? createClinicClock();
  const access = await openAccessService(store, {
    secretKey: options.secretKey,
    now: clock.now,
    ...(options.authSettings ? { settings: options.authSettings } : {}),
  });
  const subscriptions = createSubscriptionDispatcher(store);
  const notifications = createNotificationHub();
  let jobs: JobRunner | undefined;
  const repository = createFhirRepository(store, {
    now: clock.now,
    onCommit: (events) => {
      access.decisions.onCommit(events);
      void subscriptions.onCommit(events, () => jobs?.poke());
      notifications.onCommit(events);
    },
    hooks: careHooks(clock, store.accounts),
  });
  await subscriptions.ready;
  // Several servers starting together on a new database install the content once, one after another.
  await store.exclusive('install-content', () => installInstruments(repository, [callScript()]));
  // Resources that name a patient but were stored outside every record by an earlier release: once.
  await store.exclusive('place-referencing-resources', () => placeReferencingResources(store, clock.now));
  // Today's care plan review sweep (once per day whatever the number of servers; each run queues the next).
  const today = clock.today();
  await scheduleReviewSweep(store, clock, today);
  // Today's worklist and appointment reminders and referral follow-ups, likewise once per day.
  const reminderHour = options.reminderHour ?? DEFAULT_REMINDER_HOUR;
  await scheduleReminderSweep(store, clock, today, reminderHour);
  await scheduleAppointmentReminders(store, clock, today, reminderHour);
  await scheduleReferralSweep(store, clock, today);
  await scheduleTransitionClose(store, clock, today);
  // Topic notifications name the server's resources by their full URLs.
  const delivery = {
    ...DEFAULT_DELIVERY,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...options.subscriptionDelivery,
  };
  const runner = startJobRunner(
    store,
    {
      [NOTIFY_JOB]: notifyHandler(delivery, clock.now),
      [HANDSHAKE_JOB]: handshakeHandler(delivery, clock.now),
      [HEARTBEAT_JOB]: heartbeatHandler(delivery, clock.now),
      [BULK_EXPORT_JOB]: bulkExportHandler(options.exportRoot),
      [CARE_PLAN_REVIEW_JOB]: carePlanReviewHandler({
        cadenceDays: options.planReviewDays ?? DEFAULT_REVIEW_DAYS,
        clock,
      }),
      [TASK_REMINDERS_JOB]: taskRemindersHandler({ hour: reminderHour, clock }),
      [APPOINTMENT_REMINDERS_JOB]: appointmentRemindersHandler({ hour: reminderHour, clock }),
      [REFERRAL_FOLLOW_UP_JOB]: referralFollowUpHandler({ clock }),
      [TRANSITION_CLOSE_JOB]: transitionCloseHandler({ clock }),
    },
    { now: clock.now, ...(options.jobIntervalMs !== undefined ? { intervalMs: options.jobIntervalMs } : {}) },
  );
  jobs = runner;
  const anchors = options.auditAnchorFile
    ? startAnchorWriter(store.audit, access.auditKey, options.auditAnchorFile)
    : undefined;
  const server = await buildServer({
    repository,
    access,
    clock,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    exportRoot: options.exportRoot,
    jobs: runner,
    notifications,
    version: options.version,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    ...(options.logStream ? { logStream: options.logStream } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.authRateLimit !== undefined ? { authRateLimit: options.authRateLimit } : {}),
    ...(options.apiRateLimit !== undefined ? { apiRateLimit: options.apiRateLimit } : {}),
    ...(options.secureCookies !== undefined ? { secureCookies: options.secureCookies } : {}),
    ...(options.feedOrganization ? { feedOrganization: options.feedOrganization } : {}),
  });
  // Hospital ADT feeds over MLLP, applied as the server applies FHIR writes (its hooks included).
  const mllp = options.mllp
    ? await listenMllp(
        options.mllp.port,
        options.mllp.host,
        createHl7Receiver({
          repository,
          trail: access.trail,
          clock,
          baseUrl: options.baseUrl ?? `http://${options.mllp.host}/fhir`,
          feedOrganization: options.feedOrganization,
        }),
      )
    : undefined;
  return {
    server,
    access,
    repository,
    jobs: runner,
    clock,
    mllp,
    close: async () => {
      await mllp?.close();
      subscriptions.stop();
      await server.close();
      await runner.stop();
      await anchors?.stop();
    },
  };
}
