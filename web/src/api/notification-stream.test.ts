import { expect, it } from 'vitest';
import { parseEvents } from './notification-stream.js';

it('reads whole events and keeps an unfinished one for the next chunk', () => {
  const first = parseEvents(
    ': connected\n\nevent: message\ndata: {"type":"Communication","id":"m1","reason":"message"}\n\nevent: task-ass',
  );
  expect(first.events).toEqual([{ type: 'Communication', id: 'm1', reason: 'message' }]);
  const second = parseEvents(
    `${first.rest}igned\ndata: {"type":"Task","id":"t1","reason":"task-assigned"}\n\n: keep-alive\n\n`,
  );
  expect(second.events).toEqual([{ type: 'Task', id: 't1', reason: 'task-assigned' }]);
  expect(second.rest).toBe('');
});
