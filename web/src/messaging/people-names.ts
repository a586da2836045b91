// Who wrote a message and whom a thread is about, as a person reads it: "Maya Okafor, Care
// coordinator", "Linda Brennan, caregiver", "Harold Brennan, patient" — never a reference string.
// The names come with the messages (`_include` of sender and subject, the practitioners' roles by
// `_revinclude:iterate`), read under the reader's own access.
import type { Practitioner, PractitionerRole, Reference, Resource } from '@medplum/fhirtypes';
import { formatConcept, formatName } from '../format/fhir-text.js';

/** Reference (`Type/id`) to what to call them. */
export type People = ReadonlyMap<string, { readonly name: string; readonly role?: string }>;

export function peopleFrom(resources: readonly Resource[]): People {
  const roles = new Map<string, string>();
  for (const r of resources) {
    if (r.resourceType !== 'PractitionerRole') continue;
    const role = r as PractitionerRole;
    const who = role.practitioner?.reference;
    const what = role.code?.[0] ? formatConcept(role.code[0]) : undefined;
    if (who && what && !roles.has(who)) roles.set(who, what);
  }
  const people = new Map<string, { name: string; role?: string }>();
  for (const r of resources) {
    const ref = `${r.resourceType}/${r.id}`;
    if (r.resourceType === 'Practitioner') {
      const role = roles.get(ref);
      people.set(ref, { name: formatName((r as Practitioner).name), ...(role ? { role } : {}) });
    } else if (r.resourceType === 'Patient') people.set(ref, { name: formatName(r.name), role: 'patient' });
    else if (r.resourceType === 'RelatedPerson') people.set(ref, { name: formatName(r.name), role: 'caregiver' });
    else if (r.resourceType === 'Organization') people.set(ref, { name: r.name ?? 'An organization' });
  }
  return people;
}

/** What generic word stands for someone whose record the reader cannot see. */
const UNKNOWN: Record<string, string> = {
  Practitioner: 'A member of the care team',
  PractitionerRole: 'A member of the care team',
  Patient: 'The patient',
  RelatedPerson: 'A caregiver',
  Organization: 'An organization',
  Device: 'Careloop',
};

/** "You", "Maya Okafor, Care coordinator", the reference's display, or a word for who they are. */
export function personLabel(ref: Reference | undefined, people: People, me?: string): string {
  if (me && ref?.reference === me) return 'You';
  const known = ref?.reference ? people.get(ref.reference) : undefined;
  if (known) return known.role ? `${known.name}, ${known.role}` : known.name;
  if (ref?.display) return ref.display;
  const type = ref?.reference?.split('/')[0] ?? '';
  return UNKNOWN[type] ?? 'Someone';
}
