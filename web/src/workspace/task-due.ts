// When a task is due and whether it is late. A task's due date is Task.restriction.period.end
// (Careloop's worklist convention; FHIR R4 Task has no due element). Tasks from systems that put
// it in executionPeriod.end are read from there when restriction is absent.
import type { Task } from '@medplum/fhirtypes';
import { formatDate, todayIso } from '../format/fhir-text.js';

/** A dark orange: white text on it measures 6:1 (Mantine's orange 9 only 4.3:1, under WCAG AA). */
export const URGENT_COLOR = '#a84300';

export const PRIORITY_COLORS: Record<string, string> = {
  stat: 'red.9',
  asap: URGENT_COLOR,
  urgent: URGENT_COLOR,
  routine: 'gray.8',
};

export const URGENT_PRIORITIES: readonly string[] = ['urgent', 'asap', 'stat'];

export function dueDateOf(task: Task): string | undefined {
  return task.restriction?.period?.end ?? task.executionPeriod?.end;
}

export function describeDue(
  task: Task,
  today: string = todayIso(),
): { text: string; overdue: boolean; dueToday: boolean } {
  const due = dueDateOf(task)?.slice(0, 10);
  if (!due) return { text: 'No due date', overdue: false, dueToday: false };
  if (due < today) return { text: `Overdue since ${formatDate(due)}`, overdue: true, dueToday: false };
  if (due === today) return { text: 'Due today', overdue: false, dueToday: true };
  return { text: `Due ${formatDate(due)}`, overdue: false, dueToday: false };
}
