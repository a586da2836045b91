// The post-discharge call script (content/transitions/post-discharge-call.json, a Questionnaire)
// and what its answers set off: a warning sign or feeling worse goes to the physician at once,
// missing medicines or not knowing what changed to the pharmacist, no appointment known, no
// transport, home services not started or not knowing who to call to the coordinator. Pure.
import { readFileSync } from 'node:fs';
import type {
  Questionnaire,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
  Reference,
  Task,
} from '@medplum/fhirtypes';
import { followUpTask } from '../worklist/follow-up-task.js';

export const CALL_SCRIPT_URL = 'http://careloop.org/fhir/Questionnaire/post-discharge-call';

let script: Questionnaire | undefined;
export function callScript(): Questionnaire {
  script ??= JSON.parse(
    readFileSync(new URL('../../../content/transitions/post-discharge-call.json', import.meta.url), 'utf8'),
  ) as Questionnaire;
  return script;
}

type Role = 'pcp' | 'pharmacist' | 'coordinator';

interface Trigger {
  readonly when: (answers: Answers) => boolean;
  readonly role: Role;
  readonly priority: Task['priority'];
  readonly code: string;
  readonly text: (answers: Answers) => string;
}

type Answers = ReadonlyMap<string, QuestionnaireResponseItem['answer']>;

const bool = (a: Answers, id: string) => a.get(id)?.[0]?.valueBoolean;
const coding = (a: Answers, id: string) => a.get(id)?.[0]?.valueCoding?.code;

const TRIGGERS: readonly Trigger[] = [
  {
    when: (a) => bool(a, 'warning-signs') === true || coding(a, 'feeling') === 'worse',
    role: 'pcp',
    priority: 'stat',
    code: 'safety-assessment',
    text: (a) =>
      `Post-discharge call: ${bool(a, 'warning-signs') ? `warning signs reported${a.get('warning-signs-which')?.[0]?.valueString ? ` (${a.get('warning-signs-which')?.[0]?.valueString})` : ''}` : 'feeling worse since discharge'}. Assess today.`,
  },
  {
    when: (a) => bool(a, 'has-medicines') === false,
    role: 'pharmacist',
    priority: 'urgent',
    code: 'medication-reconciliation',
    text: () => 'Post-discharge call: the patient does not have all their medicines. Sort out the prescriptions today.',
  },
  {
    when: (a) => bool(a, 'understands-changes') === false,
    role: 'pharmacist',
    priority: 'routine',
    code: 'medication-reconciliation',
    text: () =>
      'Post-discharge call: the patient is unsure which medicines changed or stopped. Go over the schedule with them.',
  },
  {
    when: (a) => bool(a, 'appointment-known') === false,
    role: 'coordinator',
    priority: 'urgent',
    code: 'appointment-follow-up',
    text: () => 'Post-discharge call: the patient does not know their follow-up appointment. Confirm or book it.',
  },
  {
    when: (a) => bool(a, 'transport') === false,
    role: 'coordinator',
    priority: 'urgent',
    code: 'referral-follow-up',
    text: () => 'Post-discharge call: no transport to the follow-up appointment. Arrange a ride.',
  },
  {
    when: (a) => coding(a, 'services-started') === 'no',
    role: 'coordinator',
    priority: 'urgent',
    code: 'referral-follow-up',
    text: () => 'Post-discharge call: home services have not started. Call the agency.',
  },
  {
    when: (a) => bool(a, 'who-to-call') === false,
    role: 'coordinator',
    priority: 'routine',
    code: 'outreach-call',
    text: () => 'Post-discharge call: the patient does not know who to call. Review the after-hospital plan with them.',
  },
];

function answersOf(response: QuestionnaireResponse): Answers {
  const out = new Map<string, QuestionnaireResponseItem['answer']>();
  const walk = (items: readonly QuestionnaireResponseItem[] | undefined) => {
    for (const i of items ?? []) {
      out.set(i.linkId, i.answer);
      walk(i.item);
      for (const a of i.answer ?? []) walk(a.item);
    }
  };
  walk(response.item);
  return out;
}

export function callFollowUps(
  response: QuestionnaireResponse & { id: string },
  owners: Partial<Record<Role, Reference>>,
  at: string,
  today: string,
): Task[] {
  const answers = answersOf(response);
  return TRIGGERS.filter((t) => t.when(answers)).map((t) =>
    followUpTask({
      code: t.code,
      description: t.text(answers),
      patient: response.subject,
      focus: `QuestionnaireResponse/${response.id}`,
      owner: owners[t.role] ?? owners.coordinator,
      priority: t.priority,
      at,
      due: today,
    }),
  );
}
