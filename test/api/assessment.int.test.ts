// Assessment over HTTP, as a FHIR client that knows nothing of Careloop would do it: post a completed
// QuestionnaireResponse, read back what the server derived from it.
import type { Bundle, Condition, Flag, Observation, QuestionnaireResponse, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installInstruments } from '../../src/care/assessment/install-instruments.js';
import { HAROLD, ROSA, startDemoServer, tokenOf } from '../security/demo-server.js';
import { bearer, http, type TestServer } from '../support/test-server.js';

const L = 'http://loinc.org';
const PHQ9 = 'http://careloop.org/fhir/Questionnaire/phq-9';
const ITEMS = ['44250-9', '44255-8', '44259-0', '44254-1', '44251-7', '44258-2', '44252-5', '44253-3', '44260-8'];
const CODE = ['LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'];

let server: TestServer;
beforeAll(async () => {
  server = await startDemoServer();
});
afterAll(async () => {
  await server?.close();
});

function phq9(patient: string, scores: readonly number[], omit?: string): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    questionnaire: PHQ9,
    status: 'completed',
    subject: { reference: `Patient/${patient}` },
    authored: new Date().toISOString(),
    item: ITEMS.filter((i) => i !== omit).map((linkId) => ({
      linkId,
      answer: [{ valueCoding: { system: L, code: CODE[scores[ITEMS.indexOf(linkId)] ?? 0] } }],
    })),
  };
}

const entries = <T>(b: Bundle) => (b.entry ?? []).map((e) => e.resource as T);

describe('assessment over HTTP', () => {
  it('installs the six instruments once, by url and version', async () => {
    const res = await http<Bundle>('GET', `${server.fhir}/Questionnaire?url=${encodeURIComponent(PHQ9)}`);
    expect(res.body.entry).toHaveLength(1);
    expect(await installInstruments(server.repository)).toBe(0);
    const all = await http<Bundle>('GET', `${server.fhir}/Questionnaire?_summary=count`);
    // The six instruments and the post-discharge call script.
    expect(all.body.total).toBe(7);
  });

  it('scores a completed PHQ-9: total and band, the item 9 finding, concerns, and a stat task for the coordinator', async () => {
    const posted = await http<QuestionnaireResponse>(
      'POST',
      `${server.fhir}/QuestionnaireResponse`,
      phq9(HAROLD, [3, 3, 3, 1, 0, 0, 0, 0, 1]),
    );
    expect(posted.status).toBe(201);
    const derived = await http<Bundle>(
      'GET',
      `${server.fhir}/Observation?derived-from=QuestionnaireResponse/${posted.body.id}`,
    );
    const observations = entries<Observation>(derived.body);
    const total = observations.find((o) => o.code.coding?.[0]?.code === '44261-6');
    expect(total).toMatchObject({
      valueInteger: 11,
      interpretation: [{ coding: [{ code: 'moderate' }] }, { coding: [{ code: 'POS' }] }],
      status: 'final',
    });
    const item9 = observations.find((o) => o.code.coding?.[0]?.code === '44260-8');
    expect(item9?.interpretation?.[0]?.coding?.[0]?.code).toBe('POS');

    const concerns = entries<Condition>(
      (await http<Bundle>('GET', `${server.fhir}/Condition?patient=${HAROLD}&category=health-concern`)).body,
    );
    expect(concerns.map((c) => c.code?.coding?.[0]?.code).sort()).toEqual(['depression-symptoms', 'self-harm-risk']);
    expect(
      concerns.find((c) => c.code?.coding?.[0]?.code === 'depression-symptoms')?.evidence?.[0]?.detail?.[0]?.reference,
    ).toBe(`Observation/${total?.id}`);

    const tasks = entries<Task>(
      (await http<Bundle>('GET', `${server.fhir}/Task?patient=${HAROLD}&priority=stat`)).body,
    );
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ owner: { reference: 'Practitioner/demo-coordinator' }, status: 'requested' });
    const flags = entries<Flag>((await http<Bundle>('GET', `${server.fhir}/Flag?patient=${HAROLD}`)).body);
    expect(flags.some((f) => f.code.text?.includes('self-harm'))).toBe(true);

    // A second positive response adds its Observations but no second concern of the same kind.
    const again = await http('POST', `${server.fhir}/QuestionnaireResponse`, phq9(HAROLD, [3, 3, 3, 3, 0, 0, 0, 0, 0]));
    expect(again.status).toBe(201);
    const after = entries<Condition>(
      (await http<Bundle>('GET', `${server.fhir}/Condition?patient=${HAROLD}&category=health-concern`)).body,
    );
    expect(after).toHaveLength(2);
  });

  it('refuses an incomplete response with a 422 naming the item, and stores nothing', async () => {
    const before = (await http<Bundle>('GET', `${server.fhir}/QuestionnaireResponse?patient=${ROSA}&_summary=count`))
      .body.total;
    const res = await http<{ issue: { expression?: string[] }[] }>(
      'POST',
      `${server.fhir}/QuestionnaireResponse`,
      phq9(ROSA, [1, 1, 1, 1, 1, 1, 1, 1, 0], '44252-5'),
    );
    expect(res.status).toBe(422);
    expect(res.body.issue[0]?.expression?.[0]).toContain("linkId='44252-5'");
    const wrongCode = phq9(ROSA, Array(9).fill(0));
    const first = wrongCode.item?.[0]?.answer?.[0]?.valueCoding;
    if (first) first.code = 'LA0000-0';
    expect((await http('POST', `${server.fhir}/QuestionnaireResponse`, wrongCode)).status).toBe(422);
    const after = (await http<Bundle>('GET', `${server.fhir}/QuestionnaireResponse?patient=${ROSA}&_summary=count`))
      .body.total;
    expect(after).toBe(before);
    expect(
      (await http<Bundle>('GET', `${server.fhir}/Observation?patient=${ROSA}&code=${L}|44261-6&_summary=count`)).body
        .total,
    ).toBe(0);
  });

  it('stores a response to another questionnaire without scoring it', async () => {
    const res = await http<QuestionnaireResponse>('POST', `${server.fhir}/QuestionnaireResponse`, {
      resourceType: 'QuestionnaireResponse',
      questionnaire: 'http://example.org/Questionnaire/local-intake',
      status: 'completed',
      subject: { reference: `Patient/${ROSA}` },
      item: [{ linkId: 'q1', answer: [{ valueString: 'fine' }] }],
    });
    expect(res.status).toBe(201);
    const derived = await http<Bundle>(
      'GET',
      `${server.fhir}/Observation?derived-from=QuestionnaireResponse/${res.body.id}&_summary=count`,
    );
    expect(derived.body.total).toBe(0);
  });

  it('a patient fills in a PHQ-9 in the portal; the scores are theirs to see', async () => {
    const token = bearer(await tokenOf(server, 'patient'));
    const res = await http<QuestionnaireResponse>(
      'POST',
      `${server.fhir}/QuestionnaireResponse`,
      phq9(HAROLD, Array(9).fill(0)),
      token,
    );
    expect(res.status).toBe(201);
    const mine = await http<Bundle>(
      'GET',
      `${server.fhir}/Observation?derived-from=QuestionnaireResponse/${res.body.id}`,
      undefined,
      token,
    );
    expect(entries<Observation>(mine.body).map((o) => [o.code.coding?.[0]?.code, o.valueInteger ?? null])).toEqual([
      ['44261-6', 0],
      ['44260-8', null],
    ]);
  });
});

describe('Patient/$needs', () => {
  it('gives the latest result per instrument, the open concerns with proposals, and what is due', async () => {
    const res = await http<{
      resourceType: string;
      parameter: {
        part: {
          name: string;
          valueCode?: string;
          part?: { name: string; valueCanonical?: string; valueInteger?: number; valueString?: string }[];
        }[];
      }[];
    }>('GET', `${server.fhir}/Patient/${HAROLD}/$needs`);
    expect(res.status).toBe(200);
    expect(res.body.resourceType).toBe('Parameters');
    const behavioral = res.body.parameter.find((d) => d.part.some((p) => p.valueCode === 'behavioral'));
    const phq9 = behavioral?.part.find(
      (p) => p.name === 'instrument' && p.part?.some((x) => x.valueCanonical === PHQ9),
    );
    // The latest PHQ-9 posted above is the patient's own all-zero one.
    expect(phq9?.part?.find((x) => x.name === 'score')?.valueInteger).toBe(0);
    const concerns = behavioral?.part.filter((p) => p.name === 'concern') ?? [];
    expect(concerns.map((c) => c.part?.find((x) => x.name === 'text')?.valueString).sort()).toEqual([
      'Depressive symptoms (PHQ-9 of 10 or more)',
      'Thoughts of self-harm reported (PHQ-9 item 9)',
    ]);
    expect(concerns.every((c) => (c.part ?? []).some((x) => x.name === 'proposal'))).toBe(true);
  });

  it('sums up an AHC HRSN screen honestly: food and housing found is positive, whatever its safety part', async () => {
    const HRSN = 'http://careloop.org/fhir/Questionnaire/ahc-hrsn';
    const answer = (linkId: string, ...codes: string[]) => ({
      linkId,
      answer: codes.map((code) => ({ valueCoding: { system: L, code } })),
    });
    const posted = await http<QuestionnaireResponse>('POST', `${server.fhir}/QuestionnaireResponse`, {
      resourceType: 'QuestionnaireResponse',
      questionnaire: HRSN,
      status: 'completed',
      subject: { reference: `Patient/${HAROLD}` },
      authored: new Date().toISOString(),
      item: [
        answer('71802-3', 'LA31993-1'),
        answer('96778-6', 'LA28580-1', 'LA31998-0'),
        answer('88122-7', 'LA28397-0'),
        answer('88123-5', 'LA28398-8'),
        answer('93030-5', 'LA32-8'),
        answer('96779-4', 'LA32-8'),
        ...['95618-5', '95617-7', '95616-9', '95615-1'].map((i) => answer(i, 'LA6270-8')),
      ],
    } satisfies QuestionnaireResponse);
    expect(posted.status, posted.text).toBe(201);
    const res = await http<{
      parameter: { part: { name: string; valueCode?: string; part?: Record<string, unknown>[] }[] }[];
    }>('GET', `${server.fhir}/Patient/${HAROLD}/$needs`);
    const social = res.body.parameter.find((d) => d.part.some((p) => p.valueCode === 'social'));
    const hrsn = social?.part.find((p) => p.name === 'instrument' && p.part?.some((x) => x.valueCanonical === HRSN));
    const value = (name: string) => hrsn?.part?.find((x) => x.name === name);
    expect(value('positive')?.valueBoolean).toBe(true);
    expect(value('score')?.valueInteger).toBe(2);
    expect((value('band')?.valueCoding as { display?: string } | undefined)?.display).toBe(
      'Positive: housing problems, food insecurity',
    );
    // The safety part (HITS 4) is still reported, as a part.
    const derived = await http<Bundle>(
      'GET',
      `${server.fhir}/Observation?derived-from=QuestionnaireResponse/${posted.body.id}`,
    );
    const hits = entries<Observation>(derived.body).find((o) => o.code.coding?.[0]?.code === '95614-4');
    expect(hits?.valueInteger).toBe(4);
    expect(hits?.note?.[0]?.text).toContain('interpersonal safety part');
  });

  it('is refused for a patient outside the requester’s reach', async () => {
    const token = bearer(await tokenOf(server, 'patient'));
    expect((await http('GET', `${server.fhir}/Patient/${ROSA}/$needs`, undefined, token)).status).toBe(404);
  });
});
