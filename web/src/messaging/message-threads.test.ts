import type { Communication } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { groupThreads, isUnread, READ_BY, replyRecipients } from './message-threads.js';

const m = (id: string, sent: string, from: string, to: string[], root?: string): Communication => ({
  resourceType: 'Communication',
  id,
  status: 'completed',
  sent,
  sender: { reference: from },
  recipient: to.map((reference) => ({ reference })),
  ...(root ? { partOf: [{ reference: root }] } : {}),
});

describe('message threads', () => {
  const messages = [
    m('a', '2026-11-25T09:00:00Z', 'Practitioner/c', ['Patient/h']),
    m('b', '2026-11-25T10:00:00Z', 'Patient/h', ['Practitioner/c'], 'Communication/a'),
    m('x', '2026-11-24T10:00:00Z', 'Practitioner/p', ['Practitioner/c']),
    m('b', '2026-11-25T10:00:00Z', 'Patient/h', ['Practitioner/c'], 'Communication/a'),
  ];

  it('groups replies under their first message, newest thread first, without duplicates', () => {
    expect(groupThreads(messages).map((t) => [t.root, t.messages.map((x) => x.id)])).toEqual([
      ['Communication/a', ['a', 'b']],
      ['Communication/x', ['x']],
    ]);
  });

  it('replies to everyone in the thread but me', () => {
    const [thread] = groupThreads(messages);
    if (!thread) throw new Error('no thread');
    expect(replyRecipients(thread, 'Patient/h')).toEqual(['Practitioner/c']);
  });

  it('a message to me is unread until I read it', () => {
    const msg = m('a', '', 'Practitioner/c', ['Patient/h']);
    expect(isUnread(msg, 'Patient/h')).toBe(true);
    expect(isUnread(msg, 'Practitioner/c')).toBe(false);
    const read = {
      ...msg,
      extension: [{ url: READ_BY, extension: [{ url: 'who', valueReference: { reference: 'Patient/h' } }] }],
    };
    expect(isUnread(read, 'Patient/h')).toBe(false);
  });
});
