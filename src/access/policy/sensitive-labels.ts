// Security labels that mark data as sensitive (FHIR R4 §8.17 Security Labels). Resources carrying
// one are shown only where the role and the patient's consent allow (see access-decisions.ts).
// Sources: HL7 v3 Confidentiality (R restricted, V very restricted) and the v3 ActCode
// InformationSensitivityPolicy codes; 42 CFR Part 2 (substance use disorder treatment records)
// through ETH/SUD and the 42CFRPart2 privacy-law code.

export interface SecurityLabel {
  readonly system: string;
  readonly code: string;
}

export const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
export const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

export const SENSITIVE_LABELS: readonly SecurityLabel[] = [
  { system: CONFIDENTIALITY, code: 'R' },
  { system: CONFIDENTIALITY, code: 'V' },
  { system: ACT_CODE, code: 'ETH' },
  { system: ACT_CODE, code: 'SUD' },
  { system: ACT_CODE, code: '42CFRPart2' },
  { system: ACT_CODE, code: 'PSY' },
  { system: ACT_CODE, code: 'PSYTHPN' },
  { system: ACT_CODE, code: 'BH' },
  { system: ACT_CODE, code: 'HIV' },
  { system: ACT_CODE, code: 'STD' },
  { system: ACT_CODE, code: 'SDV' },
  { system: ACT_CODE, code: 'SEX' },
  { system: ACT_CODE, code: 'GDIS' },
];

export function isSensitiveLabel(label: { system?: string; code?: string }): boolean {
  return SENSITIVE_LABELS.some((l) => l.system === label.system && l.code === label.code);
}

export const labelKey = (label: { system?: string; code?: string }): string =>
  `${label.system ?? ''}|${label.code ?? ''}`;
