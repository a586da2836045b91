// GET /notifications: a server-sent event stream of what concerns the signed-in user (a task
// assigned to them, a message to them), for the web app. Authenticated like every route; the
// opening of the stream is written to the audit log before anything is sent (fail closed). A
// comment line every 25 seconds keeps proxies from closing an idle stream.
import type { FastifyInstance } from 'fastify';
import type { AccessService } from '../../access/access-service.js';
import { messageParticipation } from '../../access/policy/build-access-guard.js';
import { auditEntryFor } from '../http/audit-entry.js';
import type { NotificationHub } from '../http/notification-hub.js';
import { principalOf } from '../http/request-context.js';

const HEARTBEAT_MS = 25_000;

export function registerNotificationsRoute(app: FastifyInstance, access: AccessService, hub: NotificationHub): void {
  const open = new Set<{ end(): void }>();
  // Streams never end by themselves: end them when the server stops, or closing would wait forever.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });

  app.get('/notifications', async (req, reply) => {
    const principal = principalOf(req);
    const references = messageParticipation(principal, await access.decisions.get(principal)).references;
    req.audit.kind = 'notifications';
    req.audit.action = 'E';
    await access.trail.record(auditEntryFor(req, 200));
    // The stream is ours from here: no other hook writes to it.
    req.audit.enabled = false;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': connected\n\n');
    open.add(res);
    const remove = hub.add({
      references,
      send: (event) => res.write(`event: ${event.reason}\ndata: ${JSON.stringify(event)}\n\n`),
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    req.raw.on('close', () => {
      clearInterval(heartbeat);
      remove();
      open.delete(res);
    });
  });
}
