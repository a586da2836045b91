// Medication reconciliation over HTTP: Harold's home list against his discharge orders (every
// discrepancy kind the demo holds, the high ones blocking completion, decisions with their author,
// the reconciled List, DetectedIssues and schedule read back, the portal's schedule); and a Synthea
// patient's medications against a discharge list.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Bundle,
  DetectedIssue,
  List,
  MedicationStatement,
  Parameters,
  ParametersParameter,
} from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAROLD, startDemoServer, tokenOf } from '../security/demo-server.js';
import { decisionFor, decisionParameters } from '../support/medrec-decisions.js';
import { sharedData } from '../support/shared-data.js';
import { bearer, http, startTestServer, type TestServer } from '../support/test-server.js';

const part = (p: ParametersParameter, name: string) => p.part?.find((x) => x.name === name);
const params = (body: Parameters, name: string) => (body.parameter ?? []).filter((p) => p.name === name);
const discrepancies = (body: Parameters) =>
  params(body, 'discrepancy').map((d) => ({
    kind: part(d, 'kind')?.valueCode,
    severity: part(d, 'severity')?.valueCode,
    text: part(d, 'text')?.valueString ?? '',
    items: (d.part ?? []).filter((x) => x.name === 'item').map((x) => x.valueString),
    classification: part(d, 'classification')?.valueCode,
  }));
const decide = decisionParameters;

describe('Harold: home list against discharge orders', () => {
  let server: TestServer;
  const as: Record<string, Record<string, string>> = {};
  beforeAll(async () => {
    server = await startDemoServer();
    for (const user of ['pharmacist', 'patient']) as[user] = bearer(await tokenOf(server, user));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('finds and explains each discrepancy, blocks on the high ones, and completes with decisions', async () => {
    const started = await http<Parameters>(
      'POST',
      `${server.fhir}/Patient/${HAROLD}/$reconcile-medications`,
      undefined,
      as.pharmacist,
    );
    expect(started.status, started.text).toBe(201);
    const listRef = params(started.body, 'reconciliation')[0]?.valueReference?.reference as string;
    const found = discrepancies(started.body);
    const kinds = new Set(found.map((d) => d.kind));
    for (const k of ['drug-interaction', 'duplication', 'frequency-change', 'route-form-change', 'omission'])
      expect(kinds.has(k), `${k} in ${[...kinds].join(', ')}`).toBe(true);
    const ddi = found.find((d) => d.kind === 'drug-interaction' && d.text.includes('clarithromycin with simvastatin'));
    expect(ddi?.severity).toBe('high');
    expect(found.find((d) => d.kind === 'omission')?.text).toContain('Acetaminophen');
    expect(found[0]?.severity).toBe('high');

    // Stored as DetectedIssues other systems can read.
    const issues = await http<Bundle>(
      'GET',
      `${server.fhir}/DetectedIssue?patient=${HAROLD}&_count=100`,
      undefined,
      as.pharmacist,
    );
    expect((issues.body.entry ?? []).length).toBe(found.length);

    const blocked = await http(`POST`, `${server.fhir}/${listRef}/$complete-reconciliation`, undefined, as.pharmacist);
    expect(blocked.status).toBe(422);
    expect(blocked.text).toContain('clarithromycin with simvastatin');

    const noReason = await http(
      'POST',
      `${server.fhir}/${listRef}/$record-decision`,
      decide('simvastatin', 'stop', ''),
      as.pharmacist,
    );
    expect(noReason.status).toBe(400);
    const high = found.filter((d) => d.severity === 'high').flatMap((d) => d.items as string[]);
    // A hold needs its end: refused without it.
    const endless = await http(
      'POST',
      `${server.fhir}/${listRef}/$record-decision`,
      decide('simvastatin', 'hold', 'x'),
      as.pharmacist,
    );
    expect(endless.status).toBe(400);
    expect(endless.text).toContain('until');
    for (const item of new Set(high)) {
      const [action, reason, until] = decisionFor(item);
      const res = await http<Parameters>(
        'POST',
        `${server.fhir}/${listRef}/$record-decision`,
        decide(item, action, reason, undefined, until),
        as.pharmacist,
      );
      expect(res.status, res.text).toBe(200);
    }
    const furosemide = await http<Parameters>(
      'POST',
      `${server.fhir}/${listRef}/$record-decision`,
      decide('furosemide', 'modify', 'Dry weight reached', '40 mg by mouth once daily'),
      as.pharmacist,
    );
    const decided = discrepancies(furosemide.body);
    expect(decided.find((d) => d.kind === 'frequency-change')?.classification).toBe('intentional-documented');
    expect(decided.find((d) => d.kind === 'drug-interaction' && d.text.includes('simvastatin'))?.classification).toBe(
      'unintentional',
    );

    const done = await http<Parameters>(
      'POST',
      `${server.fhir}/${listRef}/$complete-reconciliation`,
      undefined,
      as.pharmacist,
    );
    expect(done.status, done.text).toBe(200);
    const sections = params(done.body, 'section').map((s) => part(s, 'title')?.valueString);
    expect(sections).toEqual([
      'New — start taking',
      'Changed — take the new way',
      'Keep taking',
      'Paused — do not take for now',
      'Stopped — do not take',
    ]);
    // Held, not stopped: the patient reads when to take it again and why.
    const paused = params(done.body, 'section').find((s) => part(s, 'key')?.valueCode === 'paused');
    expect(JSON.stringify(paused)).toContain('Simvastatin');
    expect(JSON.stringify(paused)).toContain(
      'Pause until the clarithromycin course ends (clarithromycin raises the simvastatin level)',
    );
    const stopped = params(done.body, 'section').find((s) => part(s, 'key')?.valueCode === 'stopped');
    expect(JSON.stringify(stopped)).not.toContain('Simvastatin');
    // The completed reconciliation names who completed it.
    const after = await http<Parameters>('GET', `${server.fhir}/${listRef}/$reconciliation`, undefined, as.pharmacist);
    expect(params(after.body, 'status')[0]?.valueCode).toBe('completed');
    expect(params(after.body, 'completedBy')[0]?.valueString).toBe('Priya Natarajan, PharmD (pharmacist)');

    // The reconciled List, its MedicationStatements, the final DetectedIssues and the author.
    const saved = await http<List>('GET', `${server.fhir}/${listRef}`, undefined, as.pharmacist);
    expect(saved.body.mode).toBe('snapshot');
    expect(saved.body.entry?.every((e) => e.item.reference?.startsWith('MedicationStatement/'))).toBe(true);
    expect(JSON.stringify(saved.body)).toContain('Priya Natarajan');
    const statements = await http<Bundle>(
      'GET',
      `${server.fhir}/MedicationStatement?patient=${HAROLD}&status=active`,
      undefined,
      as.pharmacist,
    );
    const names = (statements.body.entry ?? []).map(
      (e) => (e.resource as MedicationStatement).medicationCodeableConcept?.text,
    );
    expect(names).toContain('Clarithromycin 500 mg oral tablet');
    expect(names).not.toContain('Simvastatin 40 mg oral tablet');
    const final = await http<Bundle>(
      'GET',
      `${server.fhir}/DetectedIssue?patient=${HAROLD}&status=final`,
      undefined,
      as.pharmacist,
    );
    const mitigated = (final.body.entry ?? [])
      .map((e) => e.resource as DetectedIssue)
      .filter((i) => i.mitigation?.length);
    expect(mitigated.length).toBeGreaterThan(0);
    const provenance = await http<Bundle>(
      'GET',
      `${server.fhir}/Provenance?target=${listRef}`,
      undefined,
      as.pharmacist,
    );
    expect(provenance.body.entry?.[0]?.resource).toMatchObject({ agent: [{ role: [{ text: 'pharmacist' }] }] });

    // Completed once; the patient reads the schedule in the portal.
    expect(
      (await http('POST', `${server.fhir}/${listRef}/$complete-reconciliation`, undefined, as.pharmacist)).status,
    ).toBe(422);
    const schedule = await http<Parameters>(
      'GET',
      `${server.fhir}/Patient/${HAROLD}/$medication-schedule`,
      undefined,
      as.patient,
    );
    expect(schedule.status, schedule.text).toBe(200);
    expect(params(schedule.body, 'title')[0]?.valueString).toBe('My medicines');
    const spanish = await http<Parameters>(
      'GET',
      `${server.fhir}/Patient/${HAROLD}/$medication-schedule?language=es`,
      undefined,
      as.patient,
    );
    expect(params(spanish.body, 'title')[0]?.valueString).toBe('Mis medicamentos');
  });
});

describe('a Synthea patient against a discharge list', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('reconciles, decides and reads back the List and the schedule', async () => {
    const dir = sharedData('synthea');
    const file = readdirSync(dir).find((f) => f.startsWith('Jena_Terry')) ?? '';
    const bundle = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Bundle;
    const loaded = await http<Bundle>('POST', server.fhir, bundle);
    expect(loaded.status, loaded.text.slice(0, 300)).toBe(200);
    const patients = await http<Bundle>('GET', `${server.fhir}/Patient?_count=1`);
    const patient = patients.body.entry?.[0]?.resource?.id as string;
    const discharge = (text: string, dose: string) => ({
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      category: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category', code: 'discharge' }] },
      ],
      medicationCodeableConcept: { text },
      subject: { reference: `Patient/${patient}` },
      dosageInstruction: [{ text: dose }],
    });
    for (const [text, dose] of <[string, string][]>[
      ['24 HR metoprolol succinate 100 MG Extended Release Oral Tablet', '100 mg by mouth once daily'],
      ['Hydrochlorothiazide 12.5 MG Oral Tablet', '12.5 mg by mouth once daily'],
      ['Furosemide 40 MG Oral Tablet', '40 mg by mouth once daily'],
      ['Simvastatin 10 MG Oral Tablet', '10 mg at bedtime'],
      ['Aspirin 81 MG Oral Tablet', '81 mg by mouth once daily'],
    ])
      expect((await http('POST', `${server.fhir}/MedicationRequest`, discharge(text, dose))).status).toBe(201);
    const started = await http<Parameters>('POST', `${server.fhir}/Patient/${patient}/$reconcile-medications`);
    expect(started.status, started.text).toBe(201);
    const found = discrepancies(started.body);
    expect(found.some((d) => d.kind === 'dose-change' && d.text.includes('25 mg') && d.text.includes('12.5 mg'))).toBe(
      true,
    );
    expect(found.some((d) => d.kind === 'new-medication' && d.text.includes('Aspirin'))).toBe(true);
    // "Simvistatin" (a typo in the sample) is still simvastatin: no omission of it.
    expect(found.some((d) => d.kind === 'omission' && /simv/i.test(d.text))).toBe(false);
    const listRef = params(started.body, 'reconciliation')[0]?.valueReference?.reference as string;
    for (const d of found.filter((x) => x.severity === 'high'))
      for (const item of d.items)
        await http(
          'POST',
          `${server.fhir}/${listRef}/$record-decision`,
          decide(item as string, 'continue', 'Reviewed'),
        );
    const done = await http<Parameters>('POST', `${server.fhir}/${listRef}/$complete-reconciliation`);
    expect(done.status, done.text).toBe(200);
    const list = await http<List>('GET', `${server.fhir}/${listRef}`);
    expect(list.body.mode).toBe('snapshot');
    const schedule = await http<Parameters>('GET', `${server.fhir}/Patient/${patient}/$medication-schedule`);
    expect(schedule.status).toBe(200);
    expect(JSON.stringify(schedule.body)).toContain('Aspirin 81 MG Oral Tablet');
  });
});
