// Secure messages grouped into threads (a reply names its thread's first message in partOf), newest
// thread first, each in the order written; and who a reply goes to (everyone in the thread but me).
import type { Communication } from '@medplum/fhirtypes';

export const READ_BY = 'http://careloop.org/fhir/StructureDefinition/read-by';

export interface Thread {
  readonly root: string;
  readonly messages: Communication[];
  readonly latest: string;
}

export function groupThreads(messages: readonly Communication[]): Thread[] {
  const byRoot = new Map<string, Communication[]>();
  const seen = new Set<string>();
  for (const m of messages) {
    if (!m.id || seen.has(m.id)) continue;
    seen.add(m.id);
    const root = m.partOf?.[0]?.reference ?? `Communication/${m.id}`;
    byRoot.set(root, [...(byRoot.get(root) ?? []), m]);
  }
  return [...byRoot.entries()]
    .map(([root, list]) => {
      const sorted = list.sort((a, b) => (a.sent ?? '').localeCompare(b.sent ?? ''));
      return { root, messages: sorted, latest: sorted.at(-1)?.sent ?? '' };
    })
    .sort((a, b) => b.latest.localeCompare(a.latest));
}

export function replyRecipients(thread: Thread, me: string): string[] {
  const people = new Set<string>();
  for (const m of thread.messages) {
    if (m.sender?.reference) people.add(m.sender.reference);
    for (const r of m.recipient ?? []) if (r.reference) people.add(r.reference);
  }
  people.delete(me);
  return [...people];
}

export function isUnread(message: Communication, me: string): boolean {
  const toMe = (message.recipient ?? []).some((r) => r.reference === me);
  const read = (message.extension ?? []).some(
    (e) => e.url === READ_BY && e.extension?.some((x) => x.url === 'who' && x.valueReference?.reference === me),
  );
  return toMe && !read;
}
