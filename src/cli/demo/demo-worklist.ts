// The demo organization's day: the coordinator's and physicians' tasks (due, overdue, urgent), a
// patient admitted yesterday, discharge summaries, blood pressure and heart rate readings, a
// safety flag and one patient's preferences. Dates are relative to `now`, like the rest of the demo.
import type { BundleEntry, Resource } from '@medplum/fhirtypes';
import { addDays } from '../../care/calendar/calendar-days.js';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { PLANNED_END_URL } from '../../care/transitions/expected-discharge.js';

const DAY = 86_400_000;
const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const TASK_TYPE = 'http://careloop.org/fhir/CodeSystem/task-type';

const put = (resource: Resource & { id: string }): BundleEntry => ({
  fullUrl: `${resource.resourceType}/${resource.id}`,
  resource,
  request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
});

interface DemoTask {
  readonly id: string;
  /** A code of http://careloop.org/fhir/CodeSystem/task-type (content/terminology). */
  readonly type: string;
  readonly patient: string;
  readonly owner: string;
  readonly description: string;
  readonly dueInDays: number;
  readonly priority: 'routine' | 'urgent' | 'asap' | 'stat';
  readonly status: 'requested' | 'accepted' | 'in-progress';
}

// Hand-made work the team wrote themselves. The TCM contact, visit and reconciliation tasks of the
// demo's discharges are not here: the discharges raise them (src/care/transitions/tcm-tasks.ts).
const TASKS: readonly DemoTask[] = [
  {
    id: 'demo-task-harold-weight',
    type: 'outreach-call',
    patient: 'demo-harold-brennan',
    owner: 'demo-coordinator',
    description: 'Weight up 2.4 kg since discharge: call about swelling and breathlessness',
    dueInDays: 0,
    priority: 'asap',
    status: 'requested',
  },
  {
    id: 'demo-task-walter-homehealth',
    type: 'general',
    patient: 'demo-walter-kim',
    owner: 'demo-coordinator',
    description: 'Confirm the home health start of care',
    dueInDays: -1,
    priority: 'routine',
    status: 'in-progress',
  },
  {
    id: 'demo-task-gloria-referral',
    type: 'referral-follow-up',
    patient: 'demo-gloria-mensah',
    owner: 'demo-coordinator',
    description: 'Referral to behavioral health: no appointment booked yet',
    dueInDays: -3,
    priority: 'routine',
    status: 'accepted',
  },
  {
    id: 'demo-task-arthur-review',
    type: 'care-plan-review',
    patient: 'demo-arthur-lindqvist',
    owner: 'demo-coordinator',
    description: 'Annual care plan review',
    dueInDays: 14,
    priority: 'routine',
    status: 'requested',
  },
];

const PHONES: Record<string, string> = {
  'demo-coordinator': '555-0140',
  'demo-pcp': '555-0141',
  'demo-pharmacist': '555-0142',
  'demo-cardiologist': '555-0150',
};

/** Contact numbers for the demo practitioners (merged into their Practitioner resources). */
export function demoPractitionerPhone(id: string): string | undefined {
  return PHONES[id];
}

export function demoWorklistEntries(clock: ClinicClock): BundleEntry[] {
  const now = clock.now();
  const iso = (daysFromNow: number): string => new Date(now + daysFromNow * DAY).toISOString();
  const day = (daysFromNow: number): string => addDays(clock.today(), daysFromNow);
  const subject = (id: string) => ({ reference: `Patient/${id}` });
  const entries: BundleEntry[] = TASKS.map((t) =>
    put({
      resourceType: 'Task',
      id: t.id,
      status: t.status,
      intent: 'order',
      priority: t.priority,
      code: { coding: [{ system: TASK_TYPE, code: t.type }] },
      description: t.description,
      for: subject(t.patient),
      owner: { reference: `Practitioner/${t.owner}` },
      authoredOn: iso(-2),
      // The due date is Task.restriction.period.end, Careloop's worklist convention.
      restriction: { period: { end: day(t.dueInDays) } },
    }),
  );
  // Admitted yesterday and still in hospital: the "new admissions" a coordinator must hear about.
  entries.push(
    put({
      resourceType: 'Encounter',
      id: 'demo-nadia-petrov-stay-1',
      status: 'in-progress',
      class: {
        system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
        code: 'IMP',
        display: 'inpatient encounter',
      },
      type: [{ coding: [{ system: SNOMED, code: '32485007', display: 'Hospital admission' }] }],
      subject: subject('demo-nadia-petrov'),
      period: { start: iso(-1) },
      // Expected home in two days (R5 Encounter.plannedEndDate): her follow-up is booked after it.
      extension: [{ url: PLANNED_END_URL, valueDateTime: iso(2) }],
      reasonCode: [{ coding: [{ system: SNOMED, code: '233604007', display: 'Pneumonia' }], text: 'Pneumonia' }],
      // Admitted through the emergency department (FHIR admit-source, v2 0023 "emd").
      hospitalization: {
        admitSource: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/admit-source',
              code: 'emd',
              display: 'From accident/emergency department',
            },
          ],
        },
      },
      serviceProvider: { reference: 'Organization/demo-hospital', display: 'Lakeside General Hospital' },
    }),
  );
  for (const [patient, daysAgo] of [
    ['demo-harold-brennan', 2],
    ['demo-rosa-delgado', 1],
    ['demo-walter-kim', 3],
  ] as const) {
    entries.push(
      put({
        resourceType: 'DocumentReference',
        id: `${patient}-discharge-summary`,
        status: 'current',
        type: { coding: [{ system: LOINC, code: '18842-5', display: 'Discharge summary' }], text: 'Discharge summary' },
        subject: subject(patient),
        date: iso(-daysAgo),
        description: 'Discharge summary from Lakeside General Hospital',
        content: [
          {
            attachment: {
              contentType: 'text/plain',
              title: 'Discharge summary',
              // "Discharge summary: see the hospital record." (demo text, base64)
              data: 'RGlzY2hhcmdlIHN1bW1hcnk6IHNlZSB0aGUgaG9zcGl0YWwgcmVjb3JkLg==',
            },
          },
        ],
      }),
    );
  }
  // Blood pressure and heart rate for Harold over the last week (vital signs profile codes).
  const vitals = [
    [6, 142, 88, 96],
    [4, 128, 80, 84],
    [2, 124, 78, 78],
    [1, 130, 82, 80],
    [0, 136, 84, 88],
  ] as const;
  for (const [daysAgo, systolic, diastolic, pulse] of vitals) {
    const category = [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] },
    ];
    const mmHg = (value: number) => ({ value, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' });
    entries.push(
      put({
        resourceType: 'Observation',
        id: `demo-harold-brennan-bp-${daysAgo}`,
        status: 'final',
        category,
        code: { coding: [{ system: LOINC, code: '85354-9', display: 'Blood pressure panel' }], text: 'Blood pressure' },
        subject: subject('demo-harold-brennan'),
        effectiveDateTime: iso(-daysAgo),
        component: [
          {
            code: { coding: [{ system: LOINC, code: '8480-6', display: 'Systolic blood pressure' }] },
            valueQuantity: mmHg(systolic),
          },
          {
            code: { coding: [{ system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' }] },
            valueQuantity: mmHg(diastolic),
          },
        ],
      }),
      put({
        resourceType: 'Observation',
        id: `demo-harold-brennan-pulse-${daysAgo}`,
        status: 'final',
        category,
        code: { coding: [{ system: LOINC, code: '8867-4', display: 'Heart rate' }], text: 'Heart rate' },
        subject: subject('demo-harold-brennan'),
        effectiveDateTime: iso(-daysAgo),
        valueQuantity: { value: pulse, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
      }),
    );
  }
  entries.push(
    put({
      resourceType: 'Flag',
      id: 'demo-harold-brennan-fall-risk',
      status: 'active',
      category: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'safety', display: 'Safety' },
          ],
        },
      ],
      code: {
        coding: [{ system: SNOMED, code: '129839007', display: 'At risk for falls' }],
        text: 'At risk for falls',
      },
      subject: subject('demo-harold-brennan'),
      period: { start: day(-2) },
    }),
  );
  return entries;
}
