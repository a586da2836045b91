// The Transitional Care Management clock (CMS, CPT 99495 and 99496; Medicare Claims Processing
// Manual and the CMS TCM FAQs, 2016): the 30-day period starts on the day of discharge and runs
// for the next 29 days; an interactive contact (phone, video, in person or electronic) is due
// within 2 business days after the discharge day (Monday to Friday except federal holidays); the
// face-to-face visit within 7 calendar days of discharge for high-complexity medical decision making
// (99496) or within 14 for moderate (99495); medication reconciliation no later than the date of the
// face-to-face visit. TCM follows a discharge to a community setting only. Pure.
import { addBusinessDays, addDays } from '../calendar/calendar-days.js';

export type Complexity = 'high' | 'moderate';

export interface TcmClock {
  readonly dischargeDate: string;
  readonly contactDue: string;
  readonly faceToFaceDue: string;
  readonly medicationReconciliationDue: string;
  /** The last day of the 30-day period (discharge day + 29). */
  readonly periodEnd: string;
  readonly complexity: Complexity;
}

export function tcmClock(dischargeDate: string, complexity: Complexity): TcmClock {
  const faceToFaceDue = addDays(dischargeDate, complexity === 'high' ? 7 : 14);
  return {
    dischargeDate,
    contactDue: addBusinessDays(dischargeDate, 2),
    faceToFaceDue,
    medicationReconciliationDue: faceToFaceDue,
    periodEnd: addDays(dischargeDate, 29),
    complexity,
  };
}

/**
 * Discharge dispositions to a community setting (FHIR discharge-disposition codes, plus Careloop's
 * demo "hh" home health and "assisted-living"): home, an alternative home, home health, assisted
 * living, and leaving against advice (the patient goes home). Not: skilled nursing, rehabilitation,
 * long-term care, another hospital, psychiatric hospital, hospice facility, death.
 */
const COMMUNITY = new Set(['home', 'alt-home', 'hh', 'home-health', 'assisted-living', 'aadvice']);

export function isCommunityDischarge(disposition: string | undefined): boolean {
  return disposition !== undefined && COMMUNITY.has(disposition);
}

/** Outreach cadence by risk: the day-2 contact for everyone, weekly calls for high risk, a last call near day 25. */
export function outreachDays(highRisk: boolean): number[] {
  return highRisk ? [7, 14, 21, 25] : [25];
}
