// Harold Brennan's discharge orders from his heart failure stay, as a hospital would send them
// (MedicationRequest, category discharge): most of his home medicines continued, and the kinds of
// change a reconciliation must catch — a frequency change with its reason, lisinopril also given
// as a combination tablet, metformin switched from extended- to immediate-release, acetaminophen
// left off, and clarithromycin started beside his simvastatin (an ONC high-priority pair).
import type { Appointment, BundleEntry, MedicationRequest } from '@medplum/fhirtypes';
import { addDays, weekdayOf } from '../../care/calendar/calendar-days.js';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { DISCHARGE_ORDER_CATEGORY } from '../../care/medrec/discharge-order.js';
import { DEMO_PATIENTS } from './demo-patients.js';

const DAY = 86_400_000;
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

interface Order {
  readonly rxcui: string;
  readonly name: string;
  readonly dose: string;
  readonly note?: string;
}

const CHANGED: Readonly<Record<string, Order | null>> = {
  'Furosemide 40 mg oral tablet': {
    rxcui: '313988',
    name: 'Furosemide 40 mg oral tablet',
    dose: '40 mg by mouth once daily',
    note: 'Reduced to once daily: back at dry weight (84 kg) on discharge',
  },
  'Metformin hydrochloride 500 mg extended-release tablet': {
    rxcui: '861007',
    name: 'Metformin hydrochloride 500 mg oral tablet',
    dose: '500 mg by mouth twice daily with meals',
  },
  'Acetaminophen 500 mg oral tablet': null,
};

const ADDED: readonly Order[] = [
  {
    rxcui: '197885',
    name: 'Hydrochlorothiazide 12.5 MG / Lisinopril 10 MG Oral Tablet',
    dose: '1 tablet by mouth once daily',
  },
  {
    rxcui: '197517',
    name: 'Clarithromycin 500 mg oral tablet',
    dose: '500 mg by mouth twice daily for 7 days',
    note: 'Community-acquired pneumonia found on admission',
  },
];

export function demoDischargeEntries(clock: ClinicClock): BundleEntry[] {
  const now = clock.now();
  const harold = DEMO_PATIENTS.find((p) => p.id === 'demo-harold-brennan');
  const stay = harold?.stays[0];
  if (!harold || !stay) return [];
  const authoredOn = new Date(now - stay.dischargedDaysAgo * DAY).toISOString();
  const orders: Order[] = [
    ...harold.medications.flatMap((m): Order[] => {
      const changed = CHANGED[m.name];
      if (changed === null) return [];
      return [changed ?? { rxcui: m.rxcui, name: m.name, dose: m.dose }];
    }),
    ...ADDED,
  ];
  return orders.map((o, i) => {
    const resource: MedicationRequest & { id: string } = {
      resourceType: 'MedicationRequest',
      id: `demo-harold-brennan-discharge-${i + 1}`,
      status: 'active',
      intent: 'order',
      category: [DISCHARGE_ORDER_CATEGORY],
      medicationCodeableConcept: { coding: [{ system: RXNORM, code: o.rxcui, display: o.name }], text: o.name },
      subject: { reference: 'Patient/demo-harold-brennan', display: 'Harold Brennan' },
      encounter: { reference: 'Encounter/demo-harold-brennan-stay-1' },
      authoredOn,
      requester: { display: 'Lakeside General Hospital, hospitalist' },
      dosageInstruction: [{ text: o.dose }],
      ...(o.note ? { note: [{ text: o.note }] } : {}),
    };
    return {
      fullUrl: `MedicationRequest/${resource.id}`,
      resource,
      request: { method: 'PUT', url: `MedicationRequest/${resource.id}` },
    };
  });
}

/**
 * Rosa Delgado's follow-up with her physician, booked in the first free morning slot two or more
 * days after her discharge: her episode shows the follow-up booked, while Harold's and Gloria's
 * discharges show on the board as "No follow-up booked" until the coordinator books theirs.
 */
export function demoFollowUpEntries(clock: ClinicClock): BundleEntry[] {
  let day = addDays(clock.today(), 2);
  while (weekdayOf(day) === 0 || weekdayOf(day) === 6) day = addDays(day, 1);
  const appointment: Appointment & { id: string } = {
    resourceType: 'Appointment',
    id: 'demo-rosa-delgado-follow-up',
    status: 'booked',
    description: 'Follow-up after the hospital stay',
    slot: [{ reference: `Slot/demo-pcp-slot-${day}-1000` }],
    start: clock.wallClock(day, '10:00'),
    end: clock.wallClock(day, '10:30'),
    participant: [
      { actor: { reference: 'Patient/demo-rosa-delgado', display: 'Rosa Delgado' }, status: 'accepted' },
      { actor: { reference: 'Practitioner/demo-pcp' }, status: 'accepted' },
    ],
  };
  return [{ resource: appointment, request: { method: 'PUT', url: `Appointment/${appointment.id}` } }];
}
