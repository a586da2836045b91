// The patient's needs profile (GET Patient/{id}/$needs) as the screens use it.
import type { Coding, Parameters, ParametersParameter } from '@medplum/fhirtypes';

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

const value = (parts: readonly ParametersParameter[] | undefined, name: string) => parts?.find((p) => p.name === name);

export function parseNeeds(params: Parameters): DomainNeeds[] {
  return (params.parameter ?? []).map((d) => {
    const parts = d.part ?? [];
    return {
      domain: value(parts, 'code')?.valueCode ?? '',
      instruments: parts
        .filter((p) => p.name === 'instrument')
        .map((p) => {
          const q = value(p.part, 'questionnaire')?.valueCanonical ?? '';
          const score = value(p.part, 'score')?.valueInteger;
          const band = value(p.part, 'band')?.valueCoding;
          const result = value(p.part, 'result')?.valueReference?.reference;
          const date = value(p.part, 'date')?.valueDateTime;
          const positive = value(p.part, 'positive')?.valueBoolean;
          return {
            questionnaire: q,
            slug: q.split('/').pop() ?? q,
            title: value(p.part, 'title')?.valueString ?? q,
            ...(result ? { result } : {}),
            ...(score !== undefined ? { score } : {}),
            ...(band ? { band } : {}),
            ...(date ? { date } : {}),
            ...(positive !== undefined ? { positive } : {}),
            due: value(p.part, 'due')?.valueDate ?? '',
            overdue: value(p.part, 'overdue')?.valueBoolean ?? false,
          };
        }),
      concerns: parts
        .filter((p) => p.name === 'concern')
        .map((p) => ({
          condition: value(p.part, 'condition')?.valueReference?.reference ?? '',
          text: value(p.part, 'text')?.valueString ?? '',
          proposals: (p.part ?? [])
            .filter((x) => x.name === 'proposal')
            .map((x) => ({
              kind: value(x.part, 'kind')?.valueCode ?? '',
              text: value(x.part, 'text')?.valueString ?? '',
            })),
        })),
    };
  });
}
