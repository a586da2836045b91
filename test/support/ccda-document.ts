// A small C-CDA R2.1 discharge summary built for tests: its id and its patient are the test's to choose.
/** A small C-CDA discharge summary about one patient (identifier, name, birth date). */
export const smallDocument = (
  id: string,
  ssn: string,
  given: string,
  family: string,
  birth: string,
) => `<?xml version="1.0"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
  <realmCode code="US"/><typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
  <templateId root="2.16.840.1.113883.10.20.22.1.1" extension="2015-08-01"/>
  <templateId root="2.16.840.1.113883.10.20.22.1.8" extension="2015-08-01"/>
  <id root="2.16.840.1.113883.19.5.99999.1" extension="${id}"/>
  <code code="18842-5" codeSystem="2.16.840.1.113883.6.1" displayName="Discharge Summary"/>
  <title>Discharge Summary</title><effectiveTime value="20261201"/>
  <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
  <recordTarget><patientRole><id root="2.16.840.1.113883.4.1" extension="${ssn}"/>
    <patient><name><given>${given}</given><family>${family}</family></name>
    <administrativeGenderCode code="M" codeSystem="2.16.840.1.113883.5.1"/><birthTime value="${birth}"/></patient>
  </patientRole></recordTarget>
  <component><structuredBody><component><section>
    <templateId root="2.16.840.1.113883.10.20.22.2.5.1" extension="2015-08-01"/>
    <code code="11450-4" codeSystem="2.16.840.1.113883.6.1"/><title>Problems</title><text>None</text>
  </section></component></structuredBody></component>
</ClinicalDocument>`;
