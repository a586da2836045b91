// Reading the FHIR Parameters the server's operations answer with: one helper for every decoder
// (reconciliation, transitions, needs, the after-hospital plan, care plan history).
import type { Parameters, ParametersParameter } from '@medplum/fhirtypes';

/** The top-level parameters of that name. */
export const named = (body: Parameters | undefined, name: string): ParametersParameter[] =>
  (body?.parameter ?? []).filter((p) => p.name === name);

/** The first part of that name. */
export const part = (p: ParametersParameter | undefined, name: string): ParametersParameter | undefined =>
  p?.part?.find((x) => x.name === name);

/** Every part of that name. */
export const parts = (p: ParametersParameter | undefined, name: string): ParametersParameter[] =>
  (p?.part ?? []).filter((x) => x.name === name);
