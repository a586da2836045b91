// The server's live notifications (GET /notifications, server-sent events) read with fetch, because
// EventSource cannot send the Authorization header. Reconnects after a drop, with a fresh token.
import { currentToken } from './token-store.js';

export interface LiveEvent {
  readonly type: string;
  readonly id: string;
  readonly reason: 'task-assigned' | 'message';
}

/** The events in a chunk of an event stream; returns them and what is left of an unfinished one. */
export function parseEvents(buffer: string): { events: LiveEvent[]; rest: string } {
  const blocks = buffer.split('\n\n');
  const rest = blocks.pop() ?? '';
  const events: LiveEvent[] = [];
  for (const block of blocks) {
    const data = block
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trim())
      .join('\n');
    if (!data) continue;
    try {
      events.push(JSON.parse(data) as LiveEvent);
    } catch {
      // Not ours: ignore.
    }
  }
  return { events, rest };
}

export function startNotificationStream(
  onEvent: (e: LiveEvent) => void,
  onConnected: (connected: boolean) => void = () => {},
): () => void {
  let stopped = false;
  let controller: AbortController | undefined;
  const run = async () => {
    while (!stopped) {
      try {
        const token = await currentToken();
        if (!token) return;
        controller = new AbortController();
        const res = await fetch('/notifications', {
          headers: { authorization: `Bearer ${token}` },
          signal: controller.signal,
        });
        if (res.ok && res.body && !stopped) {
          onConnected(true);
          const reader = res.body.getReader();
          const decoder = new TextDecoder();
          let buffer = '';
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            const parsed = parseEvents(buffer + decoder.decode(value, { stream: true }));
            buffer = parsed.rest;
            for (const e of parsed.events) onEvent(e);
          }
        }
      } catch {
        // Dropped or aborted: try again below unless stopped.
      }
      if (!stopped) onConnected(false);
      if (!stopped) await new Promise((r) => setTimeout(r, 5000));
    }
  };
  void run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
