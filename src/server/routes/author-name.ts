// The name a decision or record is attributed to: the signed-in person's FHIR name ("Maria Lopez,
// RN"), read through their own access, else their account name.
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';

export async function authorName(
  fhir: FhirRepository,
  fhirUser: string | undefined,
  fallback: string,
): Promise<string> {
  const [type, id] = (fhirUser ?? '').split('/');
  if (!type || !id) return fallback;
  const person = await fhir.read(type, id).then(
    (v) =>
      JSON.parse(v.json as string) as {
        name?: { text?: string; given?: string[]; family?: string; suffix?: string[] }[];
      },
    () => undefined,
  );
  const n = person?.name?.[0];
  if (!n) return fallback;
  return n.text ?? [[...(n.given ?? []), n.family].filter(Boolean).join(' '), ...(n.suffix ?? [])].join(', ');
}
