// `npm start` on an empty database: the demo organization and its users, so that a first look at
// Careloop shows a working clinic. Only invented people. CARELOOP_DEMO=0 starts empty instead.
import { addUser } from '../../access/auth/users.js';
import type { ClinicClock } from '../../care/calendar/clinic-clock.js';
import type { AccountLinks, Role } from '../../store/account-store.js';
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import type { Store } from '../../store/store.js';
import { DEMO_CAREGIVERS, demoBundle } from './demo-bundle.js';
import { DEMO_PATIENTS } from './demo-patients.js';

/** Every demo user's password (the README lists it). Demo only: change or remove these users in real use. */
export const DEMO_PASSWORD = 'careloop-demo-pass';

export const DEMO_USERS: readonly { username: string; role: Role; links: AccountLinks }[] = [
  { username: 'admin', role: 'admin', links: {} },
  { username: 'coordinator', role: 'coordinator', links: { practitioner: 'Practitioner/demo-coordinator' } },
  { username: 'pcp', role: 'physician', links: { practitioner: 'Practitioner/demo-pcp' } },
  { username: 'pharmacist', role: 'pharmacist', links: { practitioner: 'Practitioner/demo-pharmacist' } },
  { username: 'foodbank', role: 'partner', links: { practitioner: 'Practitioner/demo-food-bank-intake' } },
  { username: 'patient', role: 'patient', links: { patient: 'Patient/demo-harold-brennan' } },
  {
    username: 'caregiver',
    role: 'caregiver',
    links: { relatedPersons: DEMO_CAREGIVERS.map((c) => `RelatedPerson/${c.id}`) },
  },
];

/**
 * Seeds when the database holds no resources but the shipped instruments; returns what was seeded, or undefined. Users that
 * already exist (an administrator created before the first start) are left as they are.
 */
export async function seedDemoIfEmpty(
  store: Store,
  repository: FhirRepository,
  clock: ClinicClock,
): Promise<string | undefined> {
  const now = clock.now;
  const counts = await store.countByType();
  // The instruments Careloop installs at start (Questionnaires) are not the clinic's data.
  if (Object.keys(counts).some((type) => type !== 'Questionnaire')) return undefined;
  await repository.processBundle(demoBundle(clock), '');
  for (const user of DEMO_USERS) {
    if (await store.accounts.getAccountByUsername(user.username)) continue;
    const result = await addUser({ store, now }, { ...user, password: DEMO_PASSWORD });
    if (!result.ok) throw new Error(`Demo user ${user.username}: ${result.message}`);
  }
  return `${DEMO_PATIENTS.length} patients, users ${DEMO_USERS.map((u) => u.username).join(', ')}`;
}
