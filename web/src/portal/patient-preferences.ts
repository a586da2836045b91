// A patient's preferences as the whole care team sees them, kept on the Patient resource:
// - language: Patient.communication with preferred = true (BCP-47 codes, urn:ietf:bcp:47);
// - contact method: extension .../preferred-contact-method, a code of
//   http://careloop.org/fhir/CodeSystem/contact-method (content/terminology);
// - best times to reach them: extension .../contact-times, in their own words ("weekday mornings");
// - what matters most (the "What Matters" M of the Age-Friendly Health Systems 4Ms):
//   extension .../what-matters-most, in the patient's own words.
import type { Extension, Patient } from '@medplum/fhirtypes';

export const CONTACT_METHOD_URL = 'http://careloop.org/fhir/StructureDefinition/preferred-contact-method';
export const WHAT_MATTERS_URL = 'http://careloop.org/fhir/StructureDefinition/what-matters-most';
export const CONTACT_TIMES_URL = 'http://careloop.org/fhir/StructureDefinition/contact-times';
export const CONTACT_METHOD_SYSTEM = 'http://careloop.org/fhir/CodeSystem/contact-method';
const BCP47 = 'urn:ietf:bcp:47';

export const CONTACT_METHODS = [
  { value: 'phone', label: 'Phone call' },
  { value: 'sms', label: 'Text message' },
  { value: 'email', label: 'Email' },
  { value: 'mail', label: 'Letter' },
  { value: 'portal', label: 'Portal message' },
] as const;

export const LANGUAGES = [
  { value: 'en', label: 'English' },
  { value: 'es', label: 'Spanish' },
  { value: 'zh', label: 'Chinese' },
  { value: 'vi', label: 'Vietnamese' },
  { value: 'tl', label: 'Tagalog' },
  { value: 'ar', label: 'Arabic' },
  { value: 'fr', label: 'French' },
  { value: 'ht', label: 'Haitian Creole' },
  { value: 'ko', label: 'Korean' },
  { value: 'ru', label: 'Russian' },
  { value: 'pt', label: 'Portuguese' },
  { value: 'pl', label: 'Polish' },
  { value: 'so', label: 'Somali' },
  { value: 'de', label: 'German' },
] as const;

export interface Preferences {
  readonly language: string;
  readonly contactMethod: string;
  readonly contactTimes: string;
  readonly whatMattersMost: string;
}

export function readPreferences(patient: Patient): Preferences {
  const preferred = patient.communication?.find((c) => c.preferred) ?? patient.communication?.[0];
  return {
    language: preferred?.language.coding?.[0]?.code ?? '',
    contactMethod: patient.extension?.find((e) => e.url === CONTACT_METHOD_URL)?.valueCoding?.code ?? '',
    contactTimes: patient.extension?.find((e) => e.url === CONTACT_TIMES_URL)?.valueString ?? '',
    whatMattersMost: patient.extension?.find((e) => e.url === WHAT_MATTERS_URL)?.valueString ?? '',
  };
}

export function labelOf(list: readonly { value: string; label: string }[], value: string): string {
  return list.find((i) => i.value === value)?.label ?? value;
}

/** The patient with these preferences; everything else on the record is kept as it was. */
export function applyPreferences(patient: Patient, prefs: Preferences): Patient {
  const ours = [CONTACT_METHOD_URL, CONTACT_TIMES_URL, WHAT_MATTERS_URL];
  const others = (patient.extension ?? []).filter((e) => !ours.includes(e.url));
  const extension: Extension[] = [...others];
  if (prefs.contactMethod)
    extension.push({
      url: CONTACT_METHOD_URL,
      valueCoding: {
        system: CONTACT_METHOD_SYSTEM,
        code: prefs.contactMethod,
        display: labelOf(CONTACT_METHODS, prefs.contactMethod),
      },
    });
  const times = prefs.contactTimes.trim();
  if (times) extension.push({ url: CONTACT_TIMES_URL, valueString: times });
  const words = prefs.whatMattersMost.trim();
  if (words) extension.push({ url: WHAT_MATTERS_URL, valueString: words });
  const communication = (patient.communication ?? [])
    .filter((c) => c.language.coding?.[0]?.code !== prefs.language)
    .map((c) => ({ ...c, preferred: false }));
  if (prefs.language)
    communication.unshift({
      language: {
        coding: [{ system: BCP47, code: prefs.language, display: labelOf(LANGUAGES, prefs.language) }],
        text: labelOf(LANGUAGES, prefs.language),
      },
      preferred: true,
    });
  const next: Patient = { ...patient, extension, communication };
  if (!extension.length) delete next.extension;
  if (!communication.length) delete next.communication;
  return next;
}
