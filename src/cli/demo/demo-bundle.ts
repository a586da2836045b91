// The demo organization as one FHIR transaction: the clinic, a hospital and another practice, four
// practitioners with their roles, and the patients of demo-patients.ts with their care teams,
// problems, medications, hospital stays, allergies, observations, consents and caregivers. Every
// date is relative to `now`, so the hospital stays are always recent.
import type { Address, Bundle, BundleEntry, Coding, Patient, Resource } from '@medplum/fhirtypes';
import { ACT_CODE } from '../../access/policy/sensitive-labels.js';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { DEMO_PRACTITIONER_LANGUAGES, DEMO_TOWNS, demoCommunityEntries } from './demo-community.js';
import { demoDischargeEntries, demoFollowUpEntries } from './demo-discharge.js';
import { DEMO_PATIENTS, type DemoPatient } from './demo-patients.js';
import { demoPractitionerPhone, demoWorklistEntries } from './demo-worklist.js';

/** FHIR admit-source (v2 0023) "emd": from the accident and emergency department. */
const EMERGENCY_ADMIT_SOURCE = {
  system: 'http://terminology.hl7.org/CodeSystem/admit-source',
  code: 'emd',
  display: 'From accident/emergency department',
};

const SNOMED = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const LOINC = 'http://loinc.org';
const DAY = 86_400_000;

const label = (code: 'PSY' | 'ETH' | undefined): { meta?: { security: Coding[] } } =>
  code
    ? {
        meta: {
          security: [
            {
              system: ACT_CODE,
              code,
              display:
                code === 'PSY'
                  ? 'psychiatry disorder information sensitivity'
                  : 'substance abuse information sensitivity',
            },
          ],
        },
      }
    : {};

const put = (resource: Resource & { id: string }): BundleEntry => ({
  fullUrl: `${resource.resourceType}/${resource.id}`,
  resource,
  request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
});

const ORGANIZATIONS = [
  { id: 'demo-clinic', name: 'Riverbend Community Health', type: 'prov', display: 'Healthcare Provider' },
  { id: 'demo-hospital', name: 'Lakeside General Hospital', type: 'prov', display: 'Healthcare Provider' },
  { id: 'demo-other-practice', name: 'Eastport Heart Associates', type: 'prov', display: 'Healthcare Provider' },
];

const PRACTITIONERS = [
  {
    id: 'demo-coordinator',
    given: 'Maya',
    family: 'Okafor',
    suffix: 'RN',
    org: 'demo-clinic',
    role: 'Care coordinator',
    snomed: '224535009',
    roleDisplay: 'Registered nurse',
  },
  {
    id: 'demo-pcp',
    given: 'Samuel',
    family: 'Reyes',
    suffix: 'MD',
    org: 'demo-clinic',
    role: 'Primary care physician',
    snomed: '62247001',
    roleDisplay: 'General practitioner',
  },
  {
    id: 'demo-pharmacist',
    given: 'Priya',
    family: 'Natarajan',
    suffix: 'PharmD',
    org: 'demo-clinic',
    role: 'Clinical pharmacist',
    snomed: '46255001',
    roleDisplay: 'Pharmacist',
  },
  {
    id: 'demo-cardiologist',
    given: 'Elena',
    family: 'Vasquez',
    suffix: 'MD',
    org: 'demo-other-practice',
    role: 'Cardiologist',
    snomed: '17561000',
    roleDisplay: 'Cardiologist',
  },
] as const;

const CARE_TEAM_MEMBER: Record<DemoPatient['careTeam'][number], string> = {
  coordinator: 'demo-coordinator',
  pcp: 'demo-pcp',
  pharmacist: 'demo-pharmacist',
  cardiologist: 'demo-cardiologist',
};

/**
 * Caregivers: one person (Linda Brennan) with proxy access for her father and her aunt. For her
 * father she also holds a healthcare power of attorney (v3 RoleCode HPOWATT): legal authority to
 * consent for him; for her aunt she helps without it.
 */
export const DEMO_CAREGIVERS = [
  {
    id: 'demo-caregiver-harold',
    patient: 'demo-harold-brennan',
    relationship: 'DAU',
    display: 'daughter',
    authority: { code: 'HPOWATT', display: 'healthcare power of attorney' },
  },
  { id: 'demo-caregiver-rosa', patient: 'demo-rosa-delgado', relationship: 'NIECE', display: 'niece' },
] as const;

function directoryEntries(): BundleEntry[] {
  return [
    ...ORGANIZATIONS.map((o) =>
      put({
        resourceType: 'Organization',
        id: o.id,
        active: true,
        type: [
          {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: o.type, display: o.display },
            ],
          },
        ],
        name: o.name,
      }),
    ),
    ...PRACTITIONERS.flatMap((p) => [
      put({
        resourceType: 'Practitioner',
        id: p.id,
        active: true,
        name: [{ given: [p.given], family: p.family, suffix: [p.suffix] }],
        telecom: [{ system: 'phone', value: demoPractitionerPhone(p.id) ?? '555-0100', use: 'work' }],
        communication: (DEMO_PRACTITIONER_LANGUAGES[p.id] ?? ['en']).map((code) => ({
          coding: [{ system: 'urn:ietf:bcp:47', code }],
        })),
      }),
      put({
        resourceType: 'PractitionerRole',
        id: `${p.id}-role`,
        active: true,
        practitioner: { reference: `Practitioner/${p.id}`, display: `${p.given} ${p.family}, ${p.suffix}` },
        organization: { reference: `Organization/${p.org}` },
        code: [{ coding: [{ system: SNOMED, code: p.snomed, display: p.roleDisplay }], text: p.role }],
      }),
    ]),
  ];
}

/** The same representation the portal writes (web/src/portal/patient-preferences.ts). */
function preferencesOf(prefs: NonNullable<DemoPatient['preferences']>): Partial<Patient> {
  return {
    communication: [
      {
        language: { coding: [{ system: 'urn:ietf:bcp:47', ...prefs.language }], text: prefs.language.display },
        preferred: true,
      },
    ],
    extension: [
      {
        url: 'http://careloop.org/fhir/StructureDefinition/preferred-contact-method',
        valueCoding: { system: 'http://careloop.org/fhir/CodeSystem/contact-method', ...prefs.contactMethod },
      },
      ...(prefs.contactTimes
        ? [{ url: 'http://careloop.org/fhir/StructureDefinition/contact-times', valueString: prefs.contactTimes }]
        : []),
      ...(prefs.whatMattersMost
        ? [
            {
              url: 'http://careloop.org/fhir/StructureDefinition/what-matters-most',
              valueString: prefs.whatMattersMost,
            },
          ]
        : []),
    ],
  };
}

/** The home address with invented coordinates near the invented town's centre (FHIR geolocation extension). */
function homeAddress(p: DemoPatient): Address {
  const town = DEMO_TOWNS[p.city] ?? { latitude: 44.94, longitude: -123.03 };
  const n = DEMO_PATIENTS.indexOf(p);
  const round = (x: number) => Math.round(x * 1e5) / 1e5;
  return {
    use: 'home',
    city: p.city,
    state: 'OR',
    country: 'US',
    extension: [
      {
        url: 'http://hl7.org/fhir/StructureDefinition/geolocation',
        extension: [
          { url: 'latitude', valueDecimal: round(town.latitude + ((n % 3) - 1) * 0.006) },
          { url: 'longitude', valueDecimal: round(town.longitude + ((n % 4) - 1.5) * 0.005) },
        ],
      },
    ],
  };
}

function patientEntries(p: DemoPatient, clock: ClinicClock): BundleEntry[] {
  const now = clock.now();
  const subject = { reference: `Patient/${p.id}`, display: `${p.given} ${p.family}` };
  const iso = (daysAgo: number): string => new Date(now - daysAgo * DAY).toISOString();
  const entries: BundleEntry[] = [
    put({
      resourceType: 'Patient',
      id: p.id,
      active: true,
      identifier: [{ system: 'http://careloop.org/fhir/demo/mrn', value: `MRN-${100_001 + DEMO_PATIENTS.indexOf(p)}` }],
      name: [{ use: 'official', given: [p.given], family: p.family }],
      telecom: [{ system: 'phone', value: p.phone, use: 'home' }],
      gender: p.gender,
      birthDate: p.birthDate,
      address: [homeAddress(p)],
      managingOrganization: { reference: `Organization/${p.organization}` },
      ...(p.careTeam.includes('pcp') ? { generalPractitioner: [{ reference: 'Practitioner/demo-pcp' }] } : {}),
      ...(p.preferences ? preferencesOf(p.preferences) : {}),
    }),
  ];
  const caregivers = DEMO_CAREGIVERS.filter((c) => c.patient === p.id);
  for (const c of caregivers) {
    entries.push(
      put({
        resourceType: 'RelatedPerson',
        id: c.id,
        active: true,
        patient: { reference: `Patient/${p.id}` },
        relationship: [
          {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: c.relationship, display: c.display },
            ],
          },
          ...('authority' in c
            ? [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', ...c.authority }] }]
            : []),
        ],
        name: [{ given: ['Linda'], family: 'Brennan' }],
        telecom: [{ system: 'phone', value: '555-0199', use: 'mobile' }],
      }),
    );
  }
  entries.push(
    put({
      resourceType: 'CareTeam',
      id: `${p.id}-team`,
      status: 'active',
      name: `${p.given} ${p.family}'s care team`,
      subject,
      period: { start: iso(400) },
      participant: [
        ...p.careTeam.map((m) => {
          const who = PRACTITIONERS.find((x) => x.id === CARE_TEAM_MEMBER[m]);
          return {
            role: [{ text: who?.role ?? m }],
            member: {
              reference: `Practitioner/${CARE_TEAM_MEMBER[m]}`,
              display: who ? `${who.given} ${who.family}` : m,
            },
          };
        }),
        { role: [{ text: 'Patient' }], member: subject },
        ...caregivers.map((c) => ({
          role: [{ text: 'Caregiver' }],
          member: { reference: `RelatedPerson/${c.id}`, display: 'Linda Brennan' },
        })),
      ],
      managingOrganization: [{ reference: `Organization/${p.organization}` }],
    }),
  );
  p.conditions.forEach((c, i) => {
    entries.push(
      put({
        resourceType: 'Condition',
        id: `${p.id}-condition-${i + 1}`,
        ...label(c.sensitive),
        clinicalStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
        },
        verificationStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }],
        },
        category: [
          {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/condition-category',
                code: 'problem-list-item',
                display: 'Problem List Item',
              },
            ],
          },
        ],
        code: { coding: [{ system: SNOMED, code: c.snomed, display: c.name }], text: c.name },
        subject,
        recordedDate: clock.dateOf(iso(300 - i * 20)),
      }),
    );
  });
  p.medications.forEach((m, i) => {
    entries.push(
      put({
        resourceType: 'MedicationRequest',
        id: `${p.id}-med-${i + 1}`,
        ...label(m.sensitive),
        status: 'active',
        intent: 'order',
        medicationCodeableConcept: { coding: [{ system: RXNORM, code: m.rxcui, display: m.name }], text: m.name },
        subject,
        authoredOn: iso(p.stays[0] ? p.stays[0].dischargedDaysAgo : 90),
        requester: { reference: `Practitioner/${p.careTeam.includes('pcp') ? 'demo-pcp' : 'demo-cardiologist'}` },
        dosageInstruction: [{ text: m.dose }],
      }),
    );
  });
  p.stays.forEach((s, i) => {
    entries.push(
      put({
        resourceType: 'Encounter',
        id: `${p.id}-stay-${i + 1}`,
        status: 'finished',
        class: {
          system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
          code: 'IMP',
          display: 'inpatient encounter',
        },
        type: [{ coding: [{ system: SNOMED, code: '32485007', display: 'Hospital admission' }] }],
        subject,
        period: { start: iso(s.admittedDaysAgo), end: iso(s.dischargedDaysAgo) },
        reasonCode: [
          { coding: [{ system: SNOMED, code: s.reason.snomed, display: s.reason.name }], text: s.reason.name },
        ],
        hospitalization: {
          // Heart failure, a COPD exacerbation, a hip fracture: each came in through the emergency
          // department, an acute admission for LACE's A (not elective).
          admitSource: { coding: [EMERGENCY_ADMIT_SOURCE] },
          dischargeDisposition: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition',
                code: s.disposition.code,
                display: s.disposition.display,
              },
            ],
          },
        },
        serviceProvider: { reference: 'Organization/demo-hospital', display: 'Lakeside General Hospital' },
      }),
    );
  });
  p.allergies.forEach((a, i) => {
    entries.push(
      put({
        resourceType: 'AllergyIntolerance',
        id: `${p.id}-allergy-${i + 1}`,
        clinicalStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }],
        },
        verificationStatus: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' },
          ],
        },
        code: {
          coding: [{ system: a.system === 'snomed' ? SNOMED : RXNORM, code: a.code, display: a.name }],
          text: a.name,
        },
        patient: subject,
      }),
    );
  });
  // Daily weights since discharge for the heart-failure patients: the numbers a coordinator watches.
  if (p.conditions.some((c) => c.snomed === '42343007') && p.stays[0]) {
    for (let d = p.stays[0].dischargedDaysAgo; d >= 0; d--) {
      entries.push(
        put({
          resourceType: 'Observation',
          id: `${p.id}-weight-${d}`,
          status: 'final',
          category: [
            { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] },
          ],
          code: { coding: [{ system: LOINC, code: '29463-7', display: 'Body weight' }] },
          subject,
          effectiveDateTime: iso(d),
          valueQuantity: {
            value: 84.2 + (p.stays[0].dischargedDaysAgo - d) * 0.6,
            unit: 'kg',
            system: 'http://unitsofmeasure.org',
            code: 'kg',
          },
        }),
      );
    }
  }
  for (const code of p.consentsTo ?? []) {
    entries.push(
      put({
        resourceType: 'Consent',
        id: `${p.id}-consent-${code.toLowerCase()}`,
        status: 'active',
        scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
        category: [{ coding: [{ system: LOINC, code: '59284-0', display: 'Patient Consent' }] }],
        patient: subject,
        dateTime: iso(200),
        policyRule: { coding: [{ system: ACT_CODE, code: 'OPTIN' }] },
        provision: {
          type: 'permit',
          actor: [
            {
              role: {
                coding: [
                  {
                    system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
                    code: 'IRCP',
                    display: 'information recipient',
                  },
                ],
              },
              reference: { reference: 'Practitioner/demo-pcp' },
            },
          ],
          securityLabel: [{ system: ACT_CODE, code }],
        },
      }),
    );
  }
  return entries;
}

export function demoBundle(clock: ClinicClock): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      ...directoryEntries(),
      ...DEMO_PATIENTS.flatMap((p) => patientEntries(p, clock)),
      ...demoWorklistEntries(clock),
      ...demoCommunityEntries(clock),
      ...demoDischargeEntries(clock),
      ...demoFollowUpEntries(clock),
    ],
  };
}
