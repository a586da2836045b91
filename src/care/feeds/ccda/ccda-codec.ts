// C-CDA R2.1 documents read into FHIR, with the maintained converter (@medplum/ccda, the same family
// as the FHIR types and HL7 v2 library Careloop uses) and fast-xml-parser's validator for XML that
// is not well formed. Careloop's own reading only where the converter falls short:
// - the document must be a CDA ClinicalDocument in the US Realm Header (C-CDA R2.1 §1.1, template
//   2.16.840.1.113883.10.20.22.1.1) with an id and a recordTarget, or it is refused naming the element;
// - a header with one `participant` reaches the converter as an object, not a list (it then fails
//   "not iterable"): it is given as a list;
// - the Discharge Medications section (LOINC 10183-2, template 2.16.840.1.113883.10.20.22.2.11.1)
//   holds Discharge Medication acts (2.16.840.1.113883.10.20.22.4.35) the converter skips: their
//   Medication Activities become discharge MedicationRequests here (dischargeMedicationsOf).
import {
  type Ccda,
  type CcdaSubstanceAdministration,
  convertCcdaToFhir,
  convertCcdaToXml,
  convertFhirToCcda,
  convertXmlToCcda,
  mapCcdaCodeToCodeableConcept,
} from '@medplum/ccda';
import type { Bundle, CodeableConcept, Composition, MedicationRequest, Patient } from '@medplum/fhirtypes';
import { XMLValidator } from 'fast-xml-parser';
import { DISCHARGE_ORDER_CATEGORY } from '../../medrec/discharge-order.js';

/** What is wrong with a document, for an OperationOutcome: the element (or line and column) and why. */
export interface CcdaProblem {
  readonly element: string;
  readonly text: string;
}

export interface CcdaDocument {
  /** ClinicalDocument/id as `root^extension`: the same document sent again has the same id. */
  readonly id: string;
  readonly rootId: { readonly root: string; readonly extension: string | undefined };
  /** The document type (ClinicalDocument/code, LOINC): 18842-5 discharge summary, 34133-9 CCD... */
  readonly type: CodeableConcept | undefined;
  readonly title: string | undefined;
  readonly effective: string | undefined;
  readonly custodian: string | undefined;
  readonly author: string | undefined;
  /** The converter's FHIR document (Composition first, Patient, and the sections' resources). */
  readonly bundle: Bundle;
  readonly patient: Patient;
  /** Discharge Medications section entries the converter leaves out (see above). */
  readonly dischargeMedications: readonly MedicationRequest[];
  /** Each section's narrative as plain text, by its LOINC code. */
  readonly narratives: readonly { readonly code: string; readonly title: string; readonly text: string }[];
}

export type CcdaReading =
  | { readonly ok: true; readonly document: CcdaDocument }
  | { readonly ok: false; readonly problem: CcdaProblem };

const US_REALM_HEADER = '2.16.840.1.113883.10.20.22.1.1';
/** C-CDA R2.1 document-level templates (Volume 2, §1). */
const CCDA_DOCUMENTS = '2.16.840.1.113883.10.20.22.1.';
const DISCHARGE_MEDICATIONS = ['10183-2', '75311-1'];
const LOINC_OID = '2.16.840.1.113883.6.1';

const refuse = (element: string, text: string): CcdaReading => ({ ok: false, problem: { element, text } });

/** Plain text of an XHTML narrative: blocks and rows on their own lines, cells apart, no markup. */
export function narrativeText(xhtml: string): string {
  return xhtml
    .replace(/\s+/g, ' ')
    .replace(/<(?:br|\/p|\/tr|\/li|\/paragraph|\/h\d|\/div)\b[^>]*>/gi, '\n')
    .replace(/<\/t[dh]>/gi, '\t')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/**
 * A CDA timestamp (HL7 V3 TS: YYYYMMDDHHMMSS.UUUU[+|-ZZzz], any precision) as a FHIR date or dateTime.
 * The converter writes a time without seconds as `10:30:-0800`, which FHIR refuses; this reads the
 * TS itself: a date alone stays a date, a time gets its seconds and a zone with a colon.
 */
export function cdaDateTime(ts: string | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})?(\d{2})?(?:(\d{2})(\d{2})?(\d{2})?(\.\d+)?)?([+-]\d{2})?(\d{2})?$/.exec(ts?.trim() ?? '');
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac, zh, zm] = m;
  const date = [y, mo, d].filter(Boolean).join('-');
  if (!h || !d) return date;
  const zone = zh ? `${zh}:${zm ?? '00'}` : 'Z';
  return `${date}T${h}:${mi ?? '00'}:${sec ?? '00'}${frac ?? ''}${zone}`;
}

/** The converter's dateTimes mended (see cdaDateTime), and `undefined` members dropped (JSON round trip). */
function mendBundle(bundle: Bundle): Bundle {
  const text = JSON.stringify(bundle, (_k, v: unknown) =>
    typeof v === 'string'
      ? v.replace(
          /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}):(?:(\d{2})(\.\d+)?)?([+-]\d{2}):?(\d{2})$/,
          (_m, hm, sec, frac, zh, zm) => `${hm}:${sec ?? '00'}${frac ?? ''}${zh}:${zm}`,
        )
      : v,
  );
  return JSON.parse(text) as Bundle;
}

const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function dosageText(sa: CcdaSubstanceAdministration): string | undefined {
  const dose = sa.doseQuantity;
  const parts: string[] = [];
  if (dose?.['@_value'])
    parts.push([dose['@_value'], dose['@_unit'] && dose['@_unit'] !== '1' ? dose['@_unit'] : ''].join(' ').trim());
  const route = sa.routeCode?.['@_displayName'];
  if (route) parts.push(route.toLowerCase());
  for (const t of sa.effectiveTime ?? []) {
    const period = (t as { period?: { '@_value'?: string; '@_unit'?: string } }).period;
    if (period?.['@_value']) parts.push(`every ${period['@_value']} ${period['@_unit'] ?? ''}`.trim());
  }
  return parts.length ? parts.join(', ') : undefined;
}

/** The Medication Activities of the Discharge Medications section, as discharge orders. */
function dischargeMedicationsOf(ccda: Ccda, patient: string): MedicationRequest[] {
  const out: MedicationRequest[] = [];
  for (const component of asList(ccda.component?.structuredBody?.component)) {
    for (const section of asList(component.section)) {
      if (!DISCHARGE_MEDICATIONS.includes(section.code?.['@_code'] ?? '')) continue;
      for (const entry of asList(section.entry)) {
        // Directly, or inside a Discharge Medication act (4.35) as its SUBJ entryRelationship.
        const activities = [
          ...asList(entry.substanceAdministration),
          ...asList(entry.act).flatMap((act) =>
            asList(act.entryRelationship).flatMap((r) => asList(r.substanceAdministration)),
          ),
        ];
        for (const sa of activities) {
          const material = asList(sa.consumable?.manufacturedProduct).flatMap((p) => asList(p.manufacturedMaterial))[0];
          const code = asList(material?.code)[0];
          const concept = mapCcdaCodeToCodeableConcept(code);
          if (!concept) continue;
          const low = cdaDateTime(asList(sa.effectiveTime).find((t) => t.low)?.low?.['@_value']);
          const dosage = dosageText(sa);
          out.push({
            resourceType: 'MedicationRequest',
            id: sa.id?.[0]?.['@_root'] ?? `discharge-${out.length + 1}`,
            status: sa.statusCode?.['@_code'] === 'completed' ? 'completed' : 'active',
            intent: 'order',
            category: [DISCHARGE_ORDER_CATEGORY],
            medicationCodeableConcept: concept,
            subject: { reference: patient },
            ...(low ? { authoredOn: low } : {}),
            ...(dosage ? { dosageInstruction: [{ text: dosage }] } : {}),
          });
        }
      }
    }
  }
  return out;
}

export function readCcda(xml: string): CcdaReading {
  const text = xml.replace(/^\uFEFF/, '');
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    return refuse(`line ${valid.err.line}, column ${valid.err.col}`, `The XML is not well formed: ${valid.err.msg}`);
  const root = /<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]/.exec(
    text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g, ''),
  );
  if (root?.[1] !== 'ClinicalDocument')
    return refuse(root?.[1] ?? '(root)', 'The document is not a CDA ClinicalDocument');
  let ccda: Ccda;
  try {
    ccda = convertXmlToCcda(text);
  } catch (err) {
    return refuse(
      'ClinicalDocument',
      `The document could not be read: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  // The US Realm Header, or only a C-CDA document template (CCD 1.2, Care Plan 1.15...: documents in
  // use often declare just that one, though each document template includes the header).
  if (!ccda.templateId?.some((t) => t['@_root'] === US_REALM_HEADER || t['@_root']?.startsWith(CCDA_DOCUMENTS)))
    return refuse(
      'ClinicalDocument/templateId',
      `The document is not a C-CDA document (US Realm Header ${US_REALM_HEADER})`,
    );
  const id = ccda.id?.[0];
  if (!id?.['@_root']) return refuse('ClinicalDocument/id', 'The document has no id');
  if (!ccda.recordTarget?.[0]?.patientRole)
    return refuse('ClinicalDocument/recordTarget', 'The document names no patient');
  if (ccda.participant && !Array.isArray(ccda.participant)) ccda.participant = [ccda.participant];
  let bundle: Bundle;
  try {
    bundle = mendBundle(convertCcdaToFhir(ccda, { ignoreUnsupportedSections: true }));
  } catch (err) {
    return refuse(
      'ClinicalDocument',
      `The document could not be converted: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  const patient = resources.find((r): r is Patient => r.resourceType === 'Patient');
  const composition = resources.find((r): r is Composition => r.resourceType === 'Composition');
  if (!patient) return refuse('ClinicalDocument/recordTarget/patientRole', 'The document names no patient');
  const code = ccda.code;
  const type =
    code?.['@_code'] && code['@_codeSystem'] === LOINC_OID
      ? {
          coding: [{ system: 'http://loinc.org', code: code['@_code'], display: code['@_displayName'] }],
          text: code['@_displayName'],
        }
      : mapCcdaCodeToCodeableConcept(code);
  const narratives = (composition?.section ?? []).flatMap((s) => {
    const sectionCode = s.code?.coding?.[0]?.code;
    const body = s.text?.div ? narrativeText(s.text.div) : '';
    return sectionCode && body ? [{ code: sectionCode, title: s.title ?? sectionCode, text: body }] : [];
  });
  return {
    ok: true,
    document: {
      id: `${id['@_root']}^${id['@_extension'] ?? ''}`,
      rootId: { root: id['@_root'], extension: id['@_extension'] },
      type,
      title: ccda.title,
      effective: cdaDateTime(ccda.effectiveTime?.[0]?.['@_value']),
      custodian: composition?.custodian?.display,
      author: composition?.author?.[0]?.display,
      bundle,
      patient,
      dischargeMedications: dischargeMedicationsOf(ccda, `Patient/${patient.id}`),
      narratives,
    },
  };
}

/**
 * A FHIR document (Composition first, then what its sections name: build-ccda-bundle.ts) written as
 * C-CDA R2.1 XML by the same converter: a CCD, or a Referral Note for a transition to the next
 * provider. Throws when the converter cannot write a resource it was given.
 */
export function writeCcda(bundle: Bundle, type: 'ccd' | 'transition'): string {
  const ccda = convertFhirToCcda(bundle, { type: type === 'transition' ? 'referral' : 'summary' });
  const xml = convertCcdaToXml(ccda);
  return xml.startsWith('<?xml') ? xml : `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
}
