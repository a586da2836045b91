// Live notifications for the web app (server-sent events): who is connected, and after each commit
// which of them a write concerns — a Task now owned by them, a message addressed to them (or to a
// patient they act for). An event names only the resource and why; the app reads the resource with
// the user's own token. Connections are per server process: with several servers, each tells its
// own connections about the writes it commits (see README).
import type { Communication, Task } from '@medplum/fhirtypes';
import { isInternalNote } from '../../access/policy/internal-notes.js';
import type { WriteEvent } from '../../store/repository/repository-context.js';

export interface NotificationEvent {
  readonly type: 'Task' | 'Communication';
  readonly id: string;
  readonly reason: 'task-assigned' | 'message';
}

export interface Listener {
  /** The references the user is (their fhirUser, and the patients a caregiver acts for). */
  readonly references: readonly string[];
  send(event: NotificationEvent): void;
}

/** The notifications a commit brings, each with the references it is for. */
export function notificationsFor(events: readonly WriteEvent[]): { to: string[]; event: NotificationEvent }[] {
  const out: { to: string[]; event: NotificationEvent }[] = [];
  for (const e of events) {
    if (!e.resource || e.interaction === 'delete') continue;
    if (e.resourceType === 'Task') {
      const owner = (e.resource as Task).owner?.reference;
      const before = (e.previous as Task | undefined)?.owner?.reference;
      if (owner && owner !== before)
        out.push({ to: [owner], event: { type: 'Task', id: e.id, reason: 'task-assigned' } });
    } else if (
      e.resourceType === 'Communication' &&
      e.interaction === 'create' &&
      // A note for the care team is no message: nobody is told of it as one.
      !isInternalNote(e.resource as Communication)
    ) {
      const to = ((e.resource as Communication).recipient ?? []).map((r) => r.reference ?? '').filter(Boolean);
      if (to.length) out.push({ to, event: { type: 'Communication', id: e.id, reason: 'message' } });
    }
  }
  return out;
}

export function createNotificationHub() {
  const listeners = new Set<Listener>();
  return {
    add(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onCommit(events: readonly WriteEvent[]): void {
      if (listeners.size === 0) return;
      for (const { to, event } of notificationsFor(events))
        for (const l of listeners) if (l.references.some((r) => to.includes(r))) l.send(event);
    },
    get size(): number {
      return listeners.size;
    },
  };
}

export type NotificationHub = ReturnType<typeof createNotificationHub>;
