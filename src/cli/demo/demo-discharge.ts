// Harold Brennan's discharge orders from his heart failure stay, as a hospital would send them
// (MedicationRequest, category discharge): most of his home medicines continued, and the kinds of
// change a reconciliation must catch — a frequency change with its reason, lisinopril also given
// as a combination tablet, metformin switched from extended- to immediate-release, acetaminophen
// left off, and clarithromycin started beside his simvastatin (an ONC high-priority pair).
import type { BundleEntry, MedicationRequest } from '@medplum/fhirtypes';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
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
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
              code: 'discharge',
              display: 'Discharge',
            },
          ],
        },
      ],
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
