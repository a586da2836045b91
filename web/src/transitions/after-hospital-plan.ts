// The patient's after-hospital plan (AHRQ Project RED) as the server answers it
// (EpisodeOfCare/$after-hospital-plan), read into what the portal card shows.
import type { Parameters } from '@medplum/fhirtypes';
import { named, part } from '../api/parameters.js';

export interface AfterHospitalPlanView {
  /** When the patient left the hospital; undefined while still there. */
  readonly dischargeDate: string | undefined;
  readonly whoToCall: readonly { role: string; name: string; phone: string | undefined }[];
  readonly appointments: readonly { when: string; what: string; with: string | undefined }[];
  readonly pendingTests: readonly string[];
  readonly warningSigns: readonly string[];
}

export function readAfterHospitalPlan(body: Parameters): AfterHospitalPlanView {
  return {
    dischargeDate: named(body, 'dischargeDate')[0]?.valueDate,
    whoToCall: named(body, 'whoToCall').map((c) => ({
      role: part(c, 'role')?.valueString ?? '',
      name: part(c, 'name')?.valueString ?? '',
      phone: part(c, 'phone')?.valueString,
    })),
    appointments: named(body, 'appointment').map((a) => ({
      when: part(a, 'when')?.valueDateTime ?? '',
      what: part(a, 'what')?.valueString ?? '',
      with: part(a, 'with')?.valueString,
    })),
    pendingTests: named(body, 'pendingTest').map((t) => t.valueString ?? ''),
    warningSigns: named(body, 'warningSign').map((w) => w.valueString ?? ''),
  };
}
