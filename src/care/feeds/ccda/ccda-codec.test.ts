import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../../../test/support/shared-data.js';
import { cdaDateTime, narrativeText, readCcda } from './ccda-codec.js';

const dir = join(sharedDataDir(), 'ccda');
const samples = readdirSync(dir).filter((f) => f.endsWith('.xml'));
const sample = (name: string) => readFileSync(join(dir, name), 'utf8');

describe('readCcda', () => {
  it.each(samples)('reads %s: its id, type and patient', (name) => {
    const reading = readCcda(sample(name));
    if (!reading.ok) throw new Error(`${reading.problem.element}: ${reading.problem.text}`);
    expect(reading.document.id).toMatch(/^[0-9.]+\^|^[0-9a-f-]{36}\^/i);
    expect(reading.document.type?.coding?.[0]?.system).toBe('http://loinc.org');
    expect(reading.document.patient.name?.length).toBeGreaterThan(0);
  });

  it('takes the discharge medications the converter skips, and the hospital course in words', () => {
    const reading = readCcda(sample('DS__hl7-c-cda-examples__Discharge_Summary.xml'));
    if (!reading.ok) throw new Error(reading.problem.text);
    const [med] = reading.document.dischargeMedications;
    expect(med?.medicationCodeableConcept?.coding?.[0]).toMatchObject({
      system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
      code: '197806',
    });
    expect(med?.category?.[0]?.coding?.[0]?.code).toBe('discharge');
    expect(med?.dosageInstruction?.[0]?.text).toBe('1, oral route of administration, every 6 h');
    expect(reading.document.type?.coding?.[0]?.code).toBe('18842-5');
    expect(reading.document.narratives.map((n) => n.code)).toContain('8648-8');
  });

  it.each([
    [
      'truncated XML',
      sample('DS__onc-2015-testdata__170.315_b2_ciri__r21_sample1_ds_v11.xml').slice(0, 20000),
      /^line \d+, column \d+$/,
    ],
    ['not XML', 'hello world', /^line 1, column 1$/],
    ['empty', '', /^line 1/],
    ['another XML document', '<?xml version="1.0"?><note><to>x</to></note>', /^note$/],
    [
      'a CDA outside the US Realm Header',
      '<ClinicalDocument xmlns="urn:hl7-org:v3"><templateId root="1.2.3"/><id root="1.2"/></ClinicalDocument>',
      /^ClinicalDocument\/templateId$/,
    ],
    [
      'a document without a patient',
      '<ClinicalDocument xmlns="urn:hl7-org:v3"><templateId root="2.16.840.1.113883.10.20.22.1.1"/><id root="1.2"/></ClinicalDocument>',
      /^ClinicalDocument\/recordTarget$/,
    ],
  ])('refuses %s, naming where', (_, xml, element) => {
    const reading = readCcda(xml);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.problem.element).toMatch(element);
  });
});

describe('cdaDateTime', () => {
  it.each([
    ['20150622', '2015-06-22'],
    ['201506', '2015-06'],
    ['201409161300-0500', '2014-09-16T13:00:00-05:00'],
    ['20140916130512+0130', '2014-09-16T13:05:12+01:30'],
    ['20140916130512.25', '2014-09-16T13:05:12.25Z'],
    ['2014091613', '2014-09-16T13:00:00Z'],
    ['not a date', undefined],
    [undefined, undefined],
  ])('%s -> %s', (ts, fhir) => expect(cdaDateTime(ts)).toBe(fhir));
});

describe('narrativeText', () => {
  it.each([
    ['<div><p>One</p><p>Two &amp; three</p></div>', 'One\nTwo & three'],
    ['<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>', 'a b\nc'],
    ['<div>x<br/>y &lt;script&gt;</div>', 'x\ny <script>'],
    ['<p>wrapped\n   in the source</p>', 'wrapped in the source'],
  ])('%s', (html, text) => expect(narrativeText(html)).toBe(text));
});
