// Transition measures by LACE risk band: of the discharges to the community, the share contacted
// within 2 business days, seen within 7 and within 14 days, and the 30-day readmission rate; each
// names the AHRQ Care Coordination Measures Atlas (2014 update) domain it serves. Pure.
import type { EpisodeFacts } from './episode-resources.js';
import type { TcmStatus } from './tcm-status.js';

export interface MeasureLine {
  readonly id: string;
  readonly name: string;
  readonly atlasDomain: string;
  readonly numerator: number;
  readonly denominator: number;
  readonly rate: number | undefined;
}

export interface BandMeasures {
  readonly band: string;
  readonly measures: readonly MeasureLine[];
}

const line = (id: string, name: string, atlasDomain: string, numerator: number, denominator: number): MeasureLine => ({
  id,
  name,
  atlasDomain,
  numerator,
  denominator,
  rate: denominator ? Math.round((numerator / denominator) * 1000) / 1000 : undefined,
});

export function transitionMeasures(episodes: readonly { facts: EpisodeFacts; status: TcmStatus }[]): BandMeasures[] {
  const discharged = episodes.filter((e) => e.facts.dischargeDate);
  const bands = ['all', 'low', 'moderate', 'high'];
  return bands.map((band) => {
    const inBand = discharged.filter((e) => band === 'all' || e.facts.lace?.band === band);
    const community = inBand.filter((e) => e.status.eligible);
    return {
      band,
      measures: [
        line(
          'contact-2-business-days',
          'Contacted within 2 business days of discharge',
          'Facilitate transitions across settings',
          community.filter((e) => e.status.contact.met).length,
          community.length,
        ),
        line(
          'follow-up-7-days',
          'Seen within 7 days of discharge',
          'Monitor, follow up, and respond to change',
          community.filter((e) => (e.status.faceToFace.withinDays ?? 99) <= 7).length,
          community.length,
        ),
        line(
          'follow-up-14-days',
          'Seen within 14 days of discharge',
          'Monitor, follow up, and respond to change',
          community.filter((e) => (e.status.faceToFace.withinDays ?? 99) <= 14).length,
          community.length,
        ),
        line(
          'readmission-30-days',
          'Readmitted within 30 days',
          'Facilitate transitions across settings',
          inBand.filter((e) => e.facts.readmission).length,
          inBand.length,
        ),
      ],
    };
  });
}
