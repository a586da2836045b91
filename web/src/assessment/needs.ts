// The patient's needs profile (GET Patient/{id}/$needs) as the screens use it.
import type { Coding, Parameters } from '@medplum/fhirtypes';
import { part, parts } from '../api/parameters.js';

export interface InstrumentStatus {
  readonly questionnaire: string;
  readonly slug: string;
  readonly title: string;
  readonly result?: string;
  readonly score?: number;
  readonly band?: Coding;
  readonly date?: string;
  readonly positive?: boolean;
  readonly due: string;
  readonly overdue: boolean;
}

export interface Proposal {
  readonly kind: string;
  readonly text: string;
}

export interface OpenConcern {
  readonly condition: string;
  readonly text: string;
  readonly proposals: readonly Proposal[];
}

export interface DomainNeeds {
  readonly domain: string;
  readonly instruments: readonly InstrumentStatus[];
  readonly concerns: readonly OpenConcern[];
}

export function parseNeeds(params: Parameters): DomainNeeds[] {
  return (params.parameter ?? []).map((d) => {
    return {
      domain: part(d, 'code')?.valueCode ?? '',
      instruments: parts(d, 'instrument').map((p) => {
        const q = part(p, 'questionnaire')?.valueCanonical ?? '';
        const score = part(p, 'score')?.valueInteger;
        const band = part(p, 'band')?.valueCoding;
        const result = part(p, 'result')?.valueReference?.reference;
        const date = part(p, 'date')?.valueDateTime;
        const positive = part(p, 'positive')?.valueBoolean;
        return {
          questionnaire: q,
          slug: q.split('/').pop() ?? q,
          title: part(p, 'title')?.valueString ?? q,
          ...(result ? { result } : {}),
          ...(score !== undefined ? { score } : {}),
          ...(band ? { band } : {}),
          ...(date ? { date } : {}),
          ...(positive !== undefined ? { positive } : {}),
          due: part(p, 'due')?.valueDate ?? '',
          overdue: part(p, 'overdue')?.valueBoolean ?? false,
        };
      }),
      concerns: parts(d, 'concern').map((p) => ({
        condition: part(p, 'condition')?.valueReference?.reference ?? '',
        text: part(p, 'text')?.valueString ?? '',
        proposals: parts(p, 'proposal').map((x) => ({
          kind: part(x, 'kind')?.valueCode ?? '',
          text: part(x, 'text')?.valueString ?? '',
        })),
      })),
    };
  });
}
