// The web app's live notifications: a stream per signed-in user tells them of a task assigned to
// them and a message to them, nothing about others' work.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HAROLD, startDemoServer, tokenOf } from '../security/demo-server.js';
import { bearer, http, type TestServer } from '../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startDemoServer();
});
afterAll(async () => {
  await server?.close();
});

/** Opens the stream and collects what arrives. */
async function listen(user: string) {
  const controller = new AbortController();
  const res = await fetch(`${server.url}/notifications`, {
    headers: bearer(await tokenOf(server, user)),
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  let text = '';
  const reader = res.body?.getReader();
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) return;
        text += decoder.decode(chunk.value);
      }
    } catch {
      // aborted
    }
  })();
  return { received: () => text, close: () => controller.abort() };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 30));
};

it('streams to each user what concerns them', async () => {
  const coordinator = await listen('coordinator');
  const pharmacist = await listen('pharmacist');
  const task = await http<{ id: string }>('POST', `${server.fhir}/Task`, {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    description: 'Call Harold',
    for: { reference: `Patient/${HAROLD}` },
    owner: { reference: 'Practitioner/demo-coordinator' },
  });
  const pcp = bearer(await tokenOf(server, 'pcp'));
  const message = await http<{ id: string }>(
    'POST',
    `${server.fhir}/Communication`,
    {
      resourceType: 'Communication',
      status: 'completed',
      subject: { reference: `Patient/${HAROLD}` },
      sender: { reference: 'Practitioner/demo-pcp' },
      recipient: [{ reference: 'Practitioner/demo-coordinator' }],
      payload: [{ contentString: 'Please call Harold' }],
    },
    pcp,
  );
  expect(message.status).toBe(201);
  await until(() => coordinator.received().includes(message.body.id));
  expect(coordinator.received()).toContain(
    `event: task-assigned\ndata: {"type":"Task","id":"${task.body.id}","reason":"task-assigned"}`,
  );
  expect(coordinator.received()).toContain(
    `event: message\ndata: {"type":"Communication","id":"${message.body.id}","reason":"message"}`,
  );
  expect(pharmacist.received()).not.toContain(task.body.id);
  expect(pharmacist.received()).not.toContain(message.body.id);
  coordinator.close();
  pharmacist.close();
});

it('needs a signed-in user', async () => {
  expect((await fetch(`${server.url}/notifications`)).status).toBe(401);
});
