// Puts the shipped instruments into the database at start, each once per url and version (a
// conditional create), so a new Careloop version adds its new versions beside the old ones that
// existing responses point at.
import type { Questionnaire } from '@medplum/fhirtypes';
import { OutcomeError } from '../../fhir/outcome.js';
import type { FhirRepository } from '../../store/care-api.js';
import { shippedQuestionnaires } from './assessment-content.js';

/** Also installs `more` (forms of other parts of Careloop, such as the post-discharge call script). */
export async function installInstruments(
  repository: FhirRepository,
  more: readonly Questionnaire[] = [],
): Promise<number> {
  let created = 0;
  for (const q of [...shippedQuestionnaires(), ...more]) {
    const { id: _id, ...body } = q;
    try {
      const result = await repository.create(body, {
        ifNoneExist: `url=${encodeURIComponent(q.url ?? '')}&version=${encodeURIComponent(q.version ?? '')}`,
      });
      if (result.created) created++;
    } catch (err) {
      // A database where servers that started together installed a form twice (before installs were
      // serialized) still starts: the form is there.
      if (!(err instanceof OutcomeError && err.status === 412)) throw err;
    }
  }
  return created;
}
