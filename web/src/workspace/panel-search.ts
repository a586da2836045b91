// What the patient search box means: a birth date (YYYY-MM-DD), an identifier (has a digit), or a name.
import type { SearchParams } from '../api/fhir-client.js';

export function patientSearchParams(text: string): SearchParams {
  const q = text.trim();
  if (!q) return {};
  if (/^\d{4}-\d{2}-\d{2}$/.test(q)) return { birthdate: q };
  if (/\d/.test(q)) return { identifier: q };
  return { name: q };
}
