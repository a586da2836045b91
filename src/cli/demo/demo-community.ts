// The demo's community resource directory and clinic calendars: invented community organizations
// with their services (categories of need, languages, eligibility, hours, a site with coordinates),
// a referral partner organization with a user, the practitioners' languages, and free slots for the
// next two weeks. Places are invented towns at invented coordinates; every name is made up.
import type {
  BundleEntry,
  HealthcareService,
  Location,
  Organization,
  Resource,
  Schedule,
  Slot,
} from '@medplum/fhirtypes';
import { addDays, weekdayOf } from '../../care/calendar/calendar-days.js';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import { SDOH_CATEGORY_SYSTEM } from '../../care/directory/find-services.js';

const DAY = 86_400_000;

const put = (resource: Resource & { id: string }): BundleEntry => ({
  fullUrl: `${resource.resourceType}/${resource.id}`,
  resource,
  request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
});

/** The invented towns of the demo, with invented coordinates (about 10-20 km apart). */
export const DEMO_TOWNS: Readonly<Record<string, { latitude: number; longitude: number }>> = {
  Riverbend: { latitude: 44.94, longitude: -123.03 },
  Millbrook: { latitude: 45.02, longitude: -122.95 },
  Eastport: { latitude: 44.85, longitude: -122.8 },
  Cedar: { latitude: 45.3, longitude: -122.6 },
};

const LANG: Readonly<Record<string, string>> = {
  en: 'English',
  es: 'Spanish',
  vi: 'Vietnamese',
  ru: 'Russian',
};

interface DemoService {
  readonly id: string;
  readonly org: string;
  readonly orgName: string;
  readonly name: string;
  readonly needs: readonly string[];
  readonly languages: readonly string[];
  readonly town: string;
  /** Offset from the town centre, in degrees (a street away). */
  readonly offset: readonly [number, number];
  readonly eligibility: string;
  readonly hours: { days: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat')[]; start: string; end: string };
  readonly phone: string;
}

export const DEMO_PARTNER_ORG = 'demo-food-bank';

const SERVICES: readonly DemoService[] = [
  {
    id: 'demo-service-food-pantry',
    org: DEMO_PARTNER_ORG,
    orgName: 'Riverbend Community Food Bank',
    name: 'Weekly food pantry and SNAP enrollment help',
    needs: ['food-insecurity'],
    languages: ['en', 'es'],
    town: 'Riverbend',
    offset: [0.01, 0.005],
    eligibility: 'Anyone living in the county; no documents needed for the pantry',
    hours: { days: ['tue', 'thu', 'sat'], start: '09:00:00', end: '13:00:00' },
    phone: '555-0301',
  },
  {
    id: 'demo-service-meals',
    org: 'demo-senior-center',
    orgName: 'Millbrook Senior Center',
    name: 'Home-delivered meals for older adults',
    needs: ['food-insecurity'],
    languages: ['en'],
    town: 'Millbrook',
    offset: [0.004, -0.006],
    eligibility: 'Adults 60 and over who cannot shop or cook for themselves',
    hours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00:00', end: '16:00:00' },
    phone: '555-0302',
  },
  {
    id: 'demo-service-despensa',
    org: 'demo-iglesia',
    orgName: 'Eastport Family Resource Center',
    name: 'Despensa de alimentos (food pantry)',
    needs: ['food-insecurity'],
    languages: ['es', 'en'],
    town: 'Eastport',
    offset: [-0.003, 0.004],
    eligibility: 'Families with children or adults over 55; proof of address',
    hours: { days: ['wed', 'sat'], start: '10:00:00', end: '14:00:00' },
    phone: '555-0303',
  },
  {
    id: 'demo-service-housing',
    org: 'demo-housing-alliance',
    orgName: 'Valley Housing Alliance',
    name: 'Rental assistance and eviction prevention',
    needs: ['housing-instability', 'inadequate-housing'],
    languages: ['en', 'es', 'vi'],
    town: 'Riverbend',
    offset: [-0.008, 0.002],
    eligibility: 'Household income under 60% of area median; a notice or overdue rent',
    hours: { days: ['mon', 'wed', 'fri'], start: '09:00:00', end: '17:00:00' },
    phone: '555-0304',
  },
  {
    id: 'demo-service-rides',
    org: 'demo-senior-center',
    orgName: 'Millbrook Senior Center',
    name: 'Volunteer rides to medical appointments',
    needs: ['transportation-insecurity'],
    languages: ['en', 'ru'],
    town: 'Millbrook',
    offset: [0.004, -0.006],
    eligibility: 'Adults 60 and over or with a disability; book 3 days ahead',
    hours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '07:00:00', end: '18:00:00' },
    phone: '555-0305',
  },
  {
    id: 'demo-service-energy',
    org: 'demo-community-action',
    orgName: 'Cedar County Community Action',
    name: 'Energy bill assistance (LIHEAP) and weatherization',
    needs: ['utility-insecurity'],
    languages: ['en', 'es'],
    town: 'Cedar',
    offset: [0, 0],
    eligibility: 'Household income under 60% of state median; a current utility bill',
    hours: { days: ['mon', 'tue', 'wed', 'thu'], start: '09:00:00', end: '16:00:00' },
    phone: '555-0306',
  },
  {
    id: 'demo-service-safety',
    org: 'demo-safe-harbor',
    orgName: 'Safe Harbor Advocacy',
    name: 'Confidential advocacy and safety planning',
    needs: ['interpersonal-safety'],
    languages: ['en', 'es'],
    town: 'Eastport',
    offset: [0.002, 0.002],
    eligibility: 'Anyone experiencing abuse or threats at home; 24-hour line',
    hours: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '00:00:00', end: '23:59:00' },
    phone: '555-0307',
  },
];

const NEED_DISPLAY: Readonly<Record<string, string>> = {
  'food-insecurity': 'Food insecurity',
  'housing-instability': 'Housing instability',
  'inadequate-housing': 'Inadequate housing',
  'transportation-insecurity': 'Transportation insecurity',
  'utility-insecurity': 'Utility insecurity',
  'interpersonal-safety': 'Interpersonal safety',
};

function communityEntries(): BundleEntry[] {
  const orgs = new Map<string, string>();
  for (const s of SERVICES) orgs.set(s.org, s.orgName);
  const entries: BundleEntry[] = [...orgs].map(([id, name]) =>
    put({
      resourceType: 'Organization',
      id,
      active: true,
      type: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/organization-type',
              code: 'cg',
              display: 'Community Group',
            },
          ],
        },
      ],
      name,
    } satisfies Organization & { id: string }),
  );
  for (const s of SERVICES) {
    const town = DEMO_TOWNS[s.town] as { latitude: number; longitude: number };
    const locationId = `${s.id}-site`;
    entries.push(
      put({
        resourceType: 'Location',
        id: locationId,
        status: 'active',
        name: `${s.orgName} (${s.town})`,
        address: { city: s.town, state: 'OR', country: 'US' },
        position: {
          latitude: Math.round((town.latitude + s.offset[0]) * 1e5) / 1e5,
          longitude: Math.round((town.longitude + s.offset[1]) * 1e5) / 1e5,
        },
        managingOrganization: { reference: `Organization/${s.org}` },
      } satisfies Location & { id: string }),
      put({
        resourceType: 'HealthcareService',
        id: s.id,
        active: true,
        providedBy: { reference: `Organization/${s.org}`, display: s.orgName },
        category: s.needs.map((n) => ({
          coding: [{ system: SDOH_CATEGORY_SYSTEM, code: n, display: NEED_DISPLAY[n] ?? n }],
          text: NEED_DISPLAY[n] ?? n,
        })),
        name: s.name,
        location: [{ reference: `Location/${locationId}` }],
        telecom: [{ system: 'phone', value: s.phone, use: 'work' }],
        communication: s.languages.map((l) => ({
          coding: [{ system: 'urn:ietf:bcp:47', code: l, display: LANG[l] ?? l }],
          text: LANG[l] ?? l,
        })),
        eligibility: [{ comment: s.eligibility }],
        availableTime: [{ daysOfWeek: s.hours.days, availableStartTime: s.hours.start, availableEndTime: s.hours.end }],
      } satisfies HealthcareService & { id: string }),
    );
  }
  // The food bank's intake worker, who signs in as the referral partner (user `foodbank`).
  entries.push(
    put({
      resourceType: 'Practitioner',
      id: 'demo-food-bank-intake',
      active: true,
      name: [{ given: ['Teresa'], family: 'Alvarado' }],
      communication: [
        { coding: [{ system: 'urn:ietf:bcp:47', code: 'es' }] },
        { coding: [{ system: 'urn:ietf:bcp:47', code: 'en' }] },
      ],
    }),
    put({
      resourceType: 'PractitionerRole',
      id: 'demo-food-bank-intake-role',
      active: true,
      practitioner: { reference: 'Practitioner/demo-food-bank-intake', display: 'Teresa Alvarado' },
      organization: { reference: `Organization/${DEMO_PARTNER_ORG}`, display: 'Riverbend Community Food Bank' },
      code: [{ text: 'Intake coordinator' }],
    }),
  );
  return entries;
}

/** The clinicians' calendars: 30-minute slots on weekday mornings and afternoons for 14 days. */
function calendarEntries(clock: ClinicClock): BundleEntry[] {
  const clinicians = [
    { id: 'demo-pcp', service: { code: '124', display: 'General Practice' } },
    { id: 'demo-cardiologist', service: { code: '165', display: 'Cardiology' } },
  ];
  const entries: BundleEntry[] = [];
  const today = clock.today();
  for (const c of clinicians) {
    const scheduleId = `${c.id}-schedule`;
    entries.push(
      put({
        resourceType: 'Schedule',
        id: scheduleId,
        active: true,
        serviceType: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/service-type', ...c.service }] }],
        actor: [{ reference: `Practitioner/${c.id}` }],
        planningHorizon: {
          start: addDays(today, 1),
          end: addDays(today, 14),
        },
      } satisfies Schedule & { id: string }),
    );
    for (let d = 1; d <= 14; d++) {
      const day = addDays(today, d);
      const weekday = weekdayOf(day);
      if (weekday === 0 || weekday === 6) continue;
      for (const time of ['09:00', '09:30', '10:00', '10:30', '14:00', '14:30', '15:00', '15:30']) {
        const [h, m] = time.split(':').map(Number) as [number, number];
        const end = `${String(m === 30 ? h + 1 : h).padStart(2, '0')}:${m === 30 ? '00' : '30'}`;
        entries.push(
          put({
            resourceType: 'Slot',
            id: `${c.id}-slot-${day}-${time.replace(':', '')}`,
            schedule: { reference: `Schedule/${scheduleId}` },
            serviceType: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/service-type', ...c.service }] }],
            status: 'free',
            // The clinic's hours in the clinic's zone (CARELOOP_TIMEZONE), with that day's offset.
            start: clock.wallClock(day, time),
            end: clock.wallClock(day, end),
          } satisfies Slot & { id: string }),
        );
      }
    }
  }
  return entries;
}

/**
 * Rosa Delgado's food insecurity, found by the AHC-HRSN screen last week: a health concern with its
 * SDOH category, for which the directory proposes services (the screen-to-referral loop).
 */
function demoNeeds(now: number): BundleEntry[] {
  return [
    put({
      resourceType: 'Condition',
      id: 'demo-rosa-delgado-food-insecurity',
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
              system: 'http://hl7.org/fhir/us/core/CodeSystem/condition-category',
              code: 'health-concern',
              display: 'Health Concern',
            },
          ],
        },
        { coding: [{ system: SDOH_CATEGORY_SYSTEM, code: 'food-insecurity', display: 'Food insecurity' }] },
      ],
      code: {
        coding: [
          {
            system: 'http://careloop.org/fhir/CodeSystem/health-concern',
            code: 'food-insecurity',
            display: 'Food insecurity',
          },
          { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'Z59.41', display: 'Food insecurity' },
        ],
        text: 'Food insecurity',
      },
      subject: { reference: 'Patient/demo-rosa-delgado', display: 'Rosa Delgado' },
      recordedDate: new Date(now - 6 * DAY).toISOString(),
    }),
  ];
}

export function demoCommunityEntries(clock: ClinicClock): BundleEntry[] {
  return [...communityEntries(), ...calendarEntries(clock), ...demoNeeds(clock.now())];
}

/** Languages the demo practitioners speak (Practitioner.communication). */
export const DEMO_PRACTITIONER_LANGUAGES: Readonly<Record<string, readonly string[]>> = {
  'demo-coordinator': ['en'],
  'demo-pcp': ['en', 'es'],
  'demo-pharmacist': ['en'],
  'demo-cardiologist': ['en'],
};
