// The patient's medication schedule after reconciliation, in words they can follow: each medicine
// with what it is for (the prescriber's reason, else the curated plain-language purpose), how much
// and at which times of day, in sections "New", "Changed", "Keep taking" and "Stopped — do not
// take", in the patient's preferred language where a translation exists (English and Spanish).
// Pure.
import { drugKnowledge } from './drug-knowledge.js';
import type { TimeOfDay } from './read-dosage.js';

export type Language = 'en' | 'es';

export interface ScheduleInput {
  readonly name: string;
  readonly ingredients: readonly string[];
  readonly action: 'continue' | 'modify' | 'stop' | 'new' | 'hold';
  /** For a pause: until when, and why (the decision's reason). */
  readonly until?: string | undefined;
  readonly doseText: string;
  readonly timesOfDay: readonly TimeOfDay[];
  readonly asNeeded: boolean;
  readonly reason?: string | undefined;
  /** What it was before, for a change ("was 40 mg twice daily"). */
  readonly before?: string | undefined;
}

export interface ScheduleLine {
  readonly name: string;
  readonly purpose: string | undefined;
  readonly how: string;
  readonly when: string;
  readonly note?: string;
}

export interface ScheduleSection {
  readonly key: 'new' | 'changed' | 'same' | 'paused' | 'stopped';
  readonly title: string;
  readonly lines: readonly ScheduleLine[];
}

export interface MedicationSchedule {
  readonly language: Language;
  readonly title: string;
  readonly sections: readonly ScheduleSection[];
}

const WORDS: Readonly<Record<Language, Record<string, string>>> = {
  en: {
    title: 'My medicines',
    new: 'New — start taking',
    changed: 'Changed — take the new way',
    same: 'Keep taking',
    paused: 'Paused — do not take for now',
    pauseUntil: 'Pause until',
    stopped: 'Stopped — do not take',
    morning: 'morning',
    midday: 'midday',
    evening: 'evening',
    bedtime: 'bedtime',
    asNeeded: 'only when needed',
    asDirected: 'as your care team told you',
    was: 'before',
    stoppedNote: 'Do not take this any more',
  },
  es: {
    title: 'Mis medicamentos',
    new: 'Nuevo — empiece a tomarlo',
    changed: 'Cambiado — tómelo de la nueva forma',
    same: 'Siga tomando',
    paused: 'En pausa — no lo tome por ahora',
    pauseUntil: 'Pausa hasta',
    stopped: 'Suspendido — no lo tome',
    morning: 'mañana',
    midday: 'mediodía',
    evening: 'tarde',
    bedtime: 'al acostarse',
    asNeeded: 'solo cuando lo necesite',
    asDirected: 'como le indicó su equipo de atención',
    was: 'antes',
    stoppedNote: 'Ya no tome este medicamento',
  },
};

export function scheduleLanguage(code: string | undefined): Language {
  return code?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export function buildSchedule(inputs: readonly ScheduleInput[], language: Language): MedicationSchedule {
  const w = WORDS[language];
  const purposeOf = (i: ScheduleInput) =>
    i.reason ??
    i.ingredients.map((n) => drugKnowledge().purposes.get(n)?.[language]).find((p): p is string => Boolean(p));
  const line = (i: ScheduleInput): ScheduleLine => ({
    name: i.name,
    purpose: purposeOf(i),
    how: i.doseText,
    when: i.asNeeded
      ? (w.asNeeded as string)
      : i.timesOfDay.length
        ? i.timesOfDay.map((t) => w[t]).join(', ')
        : (w.asDirected as string),
    ...(i.action === 'modify' && i.before ? { note: `${w.was}: ${i.before}` } : {}),
    ...(i.action === 'stop' ? { note: w.stoppedNote as string } : {}),
    // "Pause until the antibiotic course ends (clarithromycin raises the statin level)": not "stop".
    ...(i.action === 'hold'
      ? { note: `${w.pauseUntil} ${i.until ?? (w.asDirected as string)}${i.reason ? ` (${i.reason})` : ''}` }
      : {}),
  });
  const section = (key: ScheduleSection['key'], action: ScheduleInput['action']): ScheduleSection => ({
    key,
    title: w[key] as string,
    lines: inputs
      .filter((i) => i.action === action)
      .map(line)
      .sort((a, b) => a.name.localeCompare(b.name)),
  });
  return {
    language,
    title: w.title as string,
    sections: [
      section('new', 'new'),
      section('changed', 'modify'),
      section('same', 'continue'),
      section('paused', 'hold'),
      section('stopped', 'stop'),
    ].filter((s) => s.lines.length > 0),
  };
}
