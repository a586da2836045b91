// The daily worklist reminder: for each owner, the open tasks due today and those overdue, in
// worklist order, as one message (Communication, category "reminder" of the HL7 communication-category
// code system) so that it arrives where every message arrives — the Messages page, live
// notifications and any Subscription on Communication. Pure: tasks and today are passed in.
import type { Communication, Reference, Task } from '@medplum/fhirtypes';
import { REMINDER_CATEGORY } from '../messaging/reminder-category.js';
import { dueDateOf, OPEN_TASK_STATUSES, orderWorklist } from './order-worklist.js';

export interface TaskReminder {
  readonly owner: Reference;
  readonly overdue: readonly Task[];
  readonly dueToday: readonly Task[];
}

const DAY = 86_400_000;

/** One reminder per owner with open tasks due today or earlier; owners ordered by reference. */
export function planTaskReminders(tasks: readonly Task[], today: string): TaskReminder[] {
  const byOwner = new Map<string, { owner: Reference; tasks: Task[] }>();
  for (const task of tasks) {
    const owner = task.owner?.reference;
    const due = dueDateOf(task);
    if (!owner || !due || due > today || !OPEN_TASK_STATUSES.includes(task.status)) continue;
    const entry = byOwner.get(owner) ?? { owner: task.owner as Reference, tasks: [] };
    entry.tasks.push(task);
    byOwner.set(owner, entry);
  }
  return [...byOwner.keys()].sort().map((key) => {
    const { owner, tasks: mine } = byOwner.get(key) as { owner: Reference; tasks: Task[] };
    const ordered = orderWorklist(mine, today);
    return {
      owner,
      overdue: ordered.filter((t) => (dueDateOf(t) as string) < today),
      dueToday: ordered.filter((t) => dueDateOf(t) === today),
    };
  });
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

function describeTask(task: Task): string {
  return task.description ?? task.code?.text ?? task.code?.coding?.[0]?.display ?? 'Task';
}

/** The reminder as words a coordinator reads at a glance: counts first, then each task. */
export function describeReminder(reminder: TaskReminder, today: string): string {
  const counts = [
    reminder.overdue.length ? `${reminder.overdue.length} overdue` : '',
    reminder.dueToday.length ? `${reminder.dueToday.length} due today` : '',
  ].filter(Boolean);
  const lines = [`Worklist reminder for ${today}: ${counts.join(', ')}.`];
  for (const t of reminder.overdue) {
    const due = dueDateOf(t) as string;
    const days = daysBetween(due, today);
    lines.push(`- Overdue ${days} day${days === 1 ? '' : 's'} (due ${due}): ${describeTask(t)}`);
  }
  for (const t of reminder.dueToday) lines.push(`- Due today: ${describeTask(t)}`);
  return lines.join('\n');
}

export function reminderCommunication(reminder: TaskReminder, today: string, sentAt: string): Communication {
  const tasks = [...reminder.overdue, ...reminder.dueToday];
  return {
    resourceType: 'Communication',
    status: 'completed',
    category: [REMINDER_CATEGORY],
    priority: reminder.overdue.length ? 'urgent' : 'routine',
    // Sent by Careloop itself: a display without a reference (nobody to reply to).
    sender: { display: 'Careloop worklist' },
    recipient: [
      {
        ...(reminder.owner.reference ? { reference: reminder.owner.reference } : {}),
        ...(reminder.owner.display ? { display: reminder.owner.display } : {}),
      },
    ],
    about: tasks.map((t) => ({ reference: `Task/${t.id}` })),
    sent: sentAt,
    payload: [{ contentString: describeReminder(reminder, today) }],
  };
}
