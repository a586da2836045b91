// Puts the shipped instruments into the database at start, each once per url and version (a
// conditional create), so a new Careloop version adds its new versions beside the old ones that
// existing responses point at.
import type { FhirRepository } from '../../store/repository/create-fhir-repository.js';
import { shippedQuestionnaires } from './assessment-content.js';

export async function installInstruments(repository: FhirRepository): Promise<number> {
  let created = 0;
  for (const q of shippedQuestionnaires()) {
    const { id: _id, ...body } = q;
    const result = await repository.create(body, {
      ifNoneExist: `url=${encodeURIComponent(q.url ?? '')}&version=${encodeURIComponent(q.version ?? '')}`,
    });
    if (result.created) created++;
  }
  return created;
}
