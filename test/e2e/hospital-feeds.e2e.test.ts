// A hospital stay as the hospital tells it, followed in the browser: Arthur's admission (ADT A01
// over MLLP) puts him on the transitions board, his discharge (A03) starts the TCM clock, and the
// hospital's discharge summary (C-CDA) shows its hospital course on the episode page with the
// discharge medications that open the reconciliation. The coordinator's feed review is empty.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sendMllp } from '../../src/server/mllp/mllp-transport.js';
import { smallDocument } from '../support/ccda-document.js';
import { sharedDataDir } from '../support/shared-data.js';
import { http } from '../support/test-server.js';
import { accessibilityViolations, newPage, screenshot, settled, signIn } from './support/browser.js';
import { withDemoBrowser } from './support/demo-browser.js';

const demo = withDemoBrowser({ mllp: true });
const ARTHUR = 'demo-arthur-lindqvist';
/** The hospital's medical record number for Arthur (its assigning authority is an OID). */
const HOSPITAL_MRN = { system: 'urn:oid:2.16.840.1.113883.19.5.99999.2', value: '998991' };

it('from an admission over MLLP to the board, the TCM clock and the discharge summary’s reconciliation', async () => {
  const { server } = demo;
  // The program recorded the hospital's number for Arthur when he enrolled.
  const stored = JSON.parse((await server.repository.read('Patient', ARTHUR)).json ?? '{}');
  await server.repository.update('Patient', ARTHUR, {
    ...stored,
    identifier: [...(stored.identifier ?? []), HOSPITAL_MRN],
  });
  const day = (offset: number) =>
    new Date(server.clock.now() + offset * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const adt = (event: string, control: string, discharge = '', disposition = '') =>
    [
      `MSH|^~\\&|EPIC|MERCY|CARELOOP|CLINIC|${day(0)}0900||ADT^${event}|${control}|P|2.5.1`,
      'PID|1||998991^^^&2.16.840.1.113883.19.5.99999.2&ISO^MR||Lindqvist^Arthur||19661108|M',
      `PV1|1|I|4E^401^A^MERCY||||1234^Okafor^Grace|||||||7|||||E2E-1^^^MERCY^VN${'|'.repeat(17)}${disposition}${'|'.repeat(8)}${day(-2)}0800|${discharge}`,
    ].join('\r');

  const page = await newPage(demo.browser);
  await signIn(page, server.url, 'coordinator');
  expect(await sendMllp('127.0.0.1', server.mllpPort as number, adt('A01', 'e2e-1'))).toContain('MSA|AA|e2e-1');
  await page.getByRole('link', { name: 'Transitions' }).click();
  await page.getByRole('list', { name: 'In hospital — planning discharge' }).getByText('Arthur Lindqvist').waitFor();

  expect(await sendMllp('127.0.0.1', server.mllpPort as number, adt('A03', 'e2e-2', `${day(0)}1000`, '01'))).toContain(
    'MSA|AA|e2e-2',
  );
  await page.reload();
  const contactDue = page.getByRole('list', { name: 'Discharged — contact due' });
  await contactDue.getByText('Arthur Lindqvist').waitFor();
  await contactDue.getByRole('link', { name: 'Arthur Lindqvist' }).click();
  await page.getByRole('heading', { name: 'TCM clock' }).waitFor();
  await page.getByText("The hospital's discharge summary has not arrived.").waitFor();

  // The hospital's discharge summary (HL7's example, about Arthur here).
  const summary = readFileSync(join(sharedDataDir(), 'ccda', 'DS__hl7-c-cda-examples__Discharge_Summary.xml'), 'utf8')
    .replace(/<given>Isabella<\/given>/g, '<given>Arthur</given>')
    .replace(
      /<family>Jones<\/family>(\s*<\/name>\s*<administrativeGenderCode code=")F"/,
      '<family>Lindqvist</family>$1M"',
    )
    .replace('<birthTime value="20050501"/>', '<birthTime value="19661108"/>');
  const imported = await http('POST', `${server.fhir}/$import-ccda`, summary, {
    'content-type': 'application/cda+xml',
  });
  expect(imported.status, imported.text).toBe(201);

  await page.reload();
  const card = page.getByRole('region', { name: 'Discharge summary' });
  await card.getByText('ibuprofen 600 MG Oral Tablet').waitFor();
  expect((await card.innerText()).toUpperCase()).toContain('HOSPITAL COURSE');
  await settled(page);
  expect(await accessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'episode-discharge-summary');

  // The whole document, readable in the workspace.
  await card
    .getByRole('link', { name: /Discharge Summary/i })
    .first()
    .click();
  await page.getByRole('heading', { name: /Discharge Summary/i, level: 1 }).waitFor();
  await page.getByRole('heading', { name: /HOSPITAL COURSE/i }).waitFor();
  await page.goBack();

  await page
    .getByRole('region', { name: 'Discharge summary' })
    .getByRole('link', { name: 'Reconcile the medications' })
    .click();
  await page.getByRole('button', { name: 'Start reconciliation' }).click();
  const table = page.getByRole('table', { name: 'Medications side by side' });
  await table
    .getByText(/ibuprofen 600 MG Oral Tablet/)
    .first()
    .waitFor();

  await page.getByRole('link', { name: 'Feed review' }).click();
  await page.getByText('No hospital message is waiting for a decision.').waitFor();
  await page.context().close();
});

it('a patient sends a document from another provider; the care team accepts it into the record', async () => {
  const { server } = demo;
  const patient = await newPage(demo.browser);
  await signIn(patient, server.url, 'patient');
  const card = patient.getByRole('region', { name: 'Documents from other providers' });
  await card.waitFor();
  await card.getByLabel('File').setInputFiles({
    name: 'summary.xml',
    mimeType: 'application/xml',
    buffer: Buffer.from(smallDocument('portal-e2e-1', '999-22-0001', 'Harold', 'Brennan', '19470314')),
  });
  await card.getByRole('textbox', { name: 'What is it?' }).fill('Summary from the Eastport clinic');
  await card.getByRole('button', { name: 'Send to my care team' }).click();
  await card.getByText(/Summary from the Eastport clinic · .* · waiting for your care team/).waitFor();
  await settled(patient);
  expect(await accessibilityViolations(patient)).toEqual([]);

  const coordinator = await newPage(demo.browser);
  await signIn(coordinator, server.url, 'coordinator');
  await coordinator.goto(`${server.url}/patients/demo-harold-brennan`);
  const documents = coordinator.getByRole('region', { name: 'Documents' });
  await documents.getByText('Sent by the patient').waitFor();
  await documents.getByRole('button', { name: 'Accept into the record' }).click();
  await documents.getByText('Sent by the patient').waitFor({ state: 'detached' });
  await documents.getByRole('link', { name: 'Discharge Summary' }).first().waitFor();

  await patient.reload();
  await patient
    .getByRole('region', { name: 'Documents from other providers' })
    .getByText(/Summary from the Eastport clinic · .* · accepted by your care team/)
    .waitFor();
  await patient.context().close();
  await coordinator.context().close();
});

it('the coordinator links a doubtful admission to the patient it is about, and sees what was refused', async () => {
  const { server } = demo;
  const day = new Date(server.clock.now()).toISOString().slice(0, 10).replace(/-/g, '');
  const doubtful = [
    `MSH|^~\\&|EPIC|MERCY|CARELOOP|CLINIC|${day}0900||ADT^A01|e2e-review-1|P|2.5.1`,
    'PID|1||H-4411^^^MERCY^MR||Brennan^Harold||19470314|M',
    `PV1|1|I|4E^401^A^MERCY||||||||||||||||E2E-R1^^^MERCY^VN${'|'.repeat(25)}${day}0800`,
  ].join('\r');
  expect(await sendMllp('127.0.0.1', server.mllpPort as number, doubtful)).toContain('MSA|AA|e2e-review-1');
  // A stranger's admission without a visit number: refused, naming PV1-19.
  const broken = doubtful
    .replace('e2e-review-1', 'e2e-review-2')
    .replace('H-4411^^^MERCY^MR||Brennan^Harold||19470314|M', 'S-1^^^MERCY^MR||Stranger^Sam||19800101|M')
    .replace(/\rPV1.*$/, '\rPV1|1|I|4E');
  expect(await sendMllp('127.0.0.1', server.mllpPort as number, broken)).toContain('MSA|AE|e2e-review-2');

  const page = await newPage(demo.browser);
  await signIn(page, server.url, 'coordinator');
  await page.getByRole('link', { name: 'Feed review' }).click();
  await page.getByRole('heading', { name: 'ADT^A01 from EPIC^MERCY' }).waitFor();
  await page.getByText('A patient with this name and birth date is known under another identifier').waitFor();
  const refused = page.getByRole('table', { name: 'Refused messages and documents' });
  await refused.getByRole('cell', { name: 'PV1-19', exact: true }).waitFor();
  await settled(page);
  expect(await accessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'feed-review');
  await page.getByRole('button', { name: 'This is Harold Brennan' }).click();
  await page.getByText('No hospital message is waiting for a decision.').waitFor();
  await page.getByRole('link', { name: 'Transitions' }).click();
  await page.getByRole('list', { name: 'In hospital — planning discharge' }).getByText('Harold Brennan').waitFor();
  await page.context().close();
});

it('a transition summary travels with a referral: the coordinator attaches it, the food bank reads it', async () => {
  const { server } = demo;
  const referral = await http('POST', `${server.fhir}/ServiceRequest`, {
    resourceType: 'ServiceRequest',
    status: 'active',
    intent: 'order',
    category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' }] }],
    code: { text: 'Home-delivered meals after the hospital stay' },
    subject: { reference: 'Patient/demo-harold-brennan' },
    requester: { reference: 'Practitioner/demo-coordinator' },
    performer: [{ reference: 'Organization/demo-food-bank', display: 'Riverbend Community Food Bank' }],
    authoredOn: new Date(server.clock.now()).toISOString(),
  });
  expect(referral.status, referral.text).toBe(201);

  const coordinator = await newPage(demo.browser);
  await signIn(coordinator, server.url, 'coordinator');
  await coordinator.goto(`${server.url}/patients/demo-harold-brennan`);
  const referrals = coordinator.getByRole('region', { name: 'Referrals' });
  const row = referrals.getByRole('row').filter({ hasText: 'Home-delivered meals after the hospital stay' });
  await row.getByRole('button', { name: 'Attach transition summary' }).click();
  await row.getByText(/^Summary attached/).waitFor();
  await coordinator.context().close();

  const partner = await newPage(demo.browser);
  await signIn(partner, server.url, 'foodbank');
  const received = partner.getByRole('row').filter({ hasText: 'Home-delivered meals after the hospital stay' });
  await received.getByRole('button', { name: 'Read the transition summary' }).click();
  const dialog = partner.getByRole('dialog', { name: 'Transition summary' });
  await dialog.getByText('Home-delivered meals after the hospital stay').first().waitFor();
  await dialog.getByRole('heading', { name: /Problems/i }).waitFor();
  await settled(partner);
  expect(await accessibilityViolations(partner)).toEqual([]);
  await partner.context().close();
});
