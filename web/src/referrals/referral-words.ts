// A referral's state in a coordinator's and a patient's words, and the data behind the referral
// screens: each referral (ServiceRequest) with its fulfilment Task, and what the directory found.
import type { Bundle, HealthcareService, Location, ServiceRequest, Task } from '@medplum/fhirtypes';

export const REFERRAL_CATEGORY = { system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' };
export const DISTANCE_URL = 'http://careloop.org/fhir/StructureDefinition/distance-km';

export const STATE_WORDS: Readonly<Record<string, string>> = {
  draft: 'Not sent',
  requested: 'Sent, waiting to be received',
  received: 'Received, waiting for an answer',
  accepted: 'Accepted, not yet scheduled',
  'in-progress': 'Under way',
  'on-hold': 'On hold',
  completed: 'Completed, outcome back',
  rejected: 'Declined',
  failed: 'Could not be completed',
  cancelled: 'Cancelled',
};

export const STATE_COLORS: Readonly<Record<string, string>> = {
  completed: '#1b6e34',
  rejected: 'red.9',
  failed: 'red.9',
  cancelled: 'gray.7',
};

export interface ReferralRow {
  readonly request: ServiceRequest;
  readonly task: Task | undefined;
}

/** Each referral request with its fulfilment task (focus), newest first. */
export function pairReferrals(requests: readonly ServiceRequest[], tasks: readonly Task[]): ReferralRow[] {
  const byFocus = new Map(tasks.map((t) => [t.focus?.reference ?? '', t]));
  return requests
    .filter((r) => r.category?.some((c) => c.coding?.some((x) => x.code === REFERRAL_CATEGORY.code)))
    .map((request) => ({ request, task: byFocus.get(`ServiceRequest/${request.id}`) }))
    .sort((a, b) => (b.request.authoredOn ?? '').localeCompare(a.request.authoredOn ?? ''));
}

export function describeState(row: ReferralRow): string {
  const status = row.task?.status ?? (row.request.status === 'draft' ? 'draft' : 'requested');
  const words = STATE_WORDS[status] ?? status;
  const reason = row.task?.statusReason?.text;
  return (status === 'rejected' || status === 'failed' || status === 'on-hold') && reason
    ? `${words}: ${reason}`
    : words;
}

export function outcomeOf(task: Task | undefined): string | undefined {
  const output = task?.output?.[0];
  if (!output) return undefined;
  return output.valueString ?? output.valueReference?.display ?? output.type.text;
}

export interface FoundService {
  readonly service: HealthcareService;
  readonly location: Location | undefined;
  readonly distanceKm: number | undefined;
}

export function foundServices(bundle: Bundle): FoundService[] {
  const locations = new Map(
    (bundle.entry ?? [])
      .filter((e) => e.resource?.resourceType === 'Location')
      .map((e) => [`Location/${e.resource?.id}`, e.resource as Location]),
  );
  return (bundle.entry ?? [])
    .filter((e) => e.search?.mode === 'match' && e.resource?.resourceType === 'HealthcareService')
    .map((e) => {
      const service = e.resource as HealthcareService;
      const distance = e.search?.extension?.find((x) => x.url === DISTANCE_URL)?.valueDecimal;
      return {
        service,
        location: service.location?.map((l) => locations.get(l.reference ?? '')).find(Boolean),
        distanceKm: distance,
      };
    });
}

/** "Tue, Thu, Sat 9:00–13:00" from HealthcareService.availableTime. */
export function describeHours(service: HealthcareService): string {
  const names: Record<string, string> = {
    mon: 'Mon',
    tue: 'Tue',
    wed: 'Wed',
    thu: 'Thu',
    fri: 'Fri',
    sat: 'Sat',
    sun: 'Sun',
  };
  return (service.availableTime ?? [])
    .map((t) => {
      const days = (t.daysOfWeek ?? []).map((d) => names[d] ?? d).join(', ');
      const time = (v: string | undefined) => (v ? v.slice(0, 5).replace(/^0/, '') : '');
      const hours = t.allDay ? 'all day' : `${time(t.availableStartTime)}–${time(t.availableEndTime)}`;
      return `${days} ${hours}`.trim();
    })
    .join('; ');
}

/** A referral to a directory service, for the need it serves. */
export function referralTo(input: {
  service: HealthcareService;
  patientId: string;
  requester: string | undefined;
  need: string | undefined;
  priority: ServiceRequest['priority'];
  note?: string;
}): ServiceRequest {
  const org = input.service.providedBy;
  return {
    resourceType: 'ServiceRequest',
    status: 'active',
    intent: 'order',
    priority: input.priority,
    category: [{ coding: [REFERRAL_CATEGORY] }],
    code: { text: input.service.name ?? 'Community service' },
    subject: { reference: `Patient/${input.patientId}` },
    authoredOn: new Date().toISOString(),
    ...(input.requester ? { requester: { reference: input.requester } } : {}),
    ...(org ? { performer: [org] } : {}),
    ...(input.need ? { reasonReference: [{ reference: input.need }] } : {}),
    supportingInfo: [{ reference: `HealthcareService/${input.service.id}`, display: input.service.name }],
    ...(input.note ? { note: [{ text: input.note }] } : {}),
  } as ServiceRequest;
}
