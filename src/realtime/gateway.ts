import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import { actorCtx } from '../platform/ctx.ts';
import { newId } from '../platform/ids.ts';
import type { Platform } from '../platform/platform.ts';
import { RealtimeConnection, type ConnectionLimits } from './connection.ts';
import { RealtimeHub } from './hub.ts';
import { authenticateUpgrade, rejectUpgrade } from './upgrade-auth.ts';

export const REALTIME_PATH = '/api/v1/realtime';

/** Another WebSocket endpoint served through this gateway's upgrade listener (the web chat's visitor socket). */
export type SocketEndpoint = {
  path: string;
  open(app: Platform): { upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, requestId: string): Promise<void>; close(): Promise<void> };
};
/** Registered by the modules that own them, at import; each is opened once per attachRealtime. */
export const socketEndpoints: SocketEndpoint[] = [];

export type RealtimeOptions = Partial<ConnectionLimits> & { heartbeatMs?: number; closeTimeoutMs?: number };
export type Realtime = { hub: RealtimeHub; close(): Promise<void> };

/**
 * The realtime gateway: a WebSocket endpoint at /api/v1/realtime on the node's HTTP server.
 *
 * Authenticate on upgrade (session cookie, `Authorization: Bearer` API key or `?access_token=`),
 * else 401. Then JSON text frames:
 *   → {type:'subscribe', topic:'inbox'|'conversation:<uuid>'|'customer:<uuid>', id?}
 *   ← {type:'subscribed', topic, id} | {type:'error', code, message, id, topic}
 *   → {type:'unsubscribe', topic, id?}      ← {type:'unsubscribed', topic, id}
 *   → {type:'ping', id?}                    ← {type:'pong', id}   (for clients that cannot see WebSocket pings)
 *   ← {type:'event', topic, event}          a DomainEvent after its transaction committed, once per matching topic
 * Events committed before 'subscribed' arrives are not replayed: subscribe, then read the current state.
 */
export function attachRealtime(server: Server, app: Platform, opts: RealtimeOptions = {}): Realtime {
  const limits: ConnectionLimits = {
    maxBufferedBytes: opts.maxBufferedBytes ?? 1024 * 1024,
    maxTopics: opts.maxTopics ?? 200,
    maxQueuedFrames: opts.maxQueuedFrames ?? 32,
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false });
  const hub = new RealtimeHub(app.bus);
  const endpoints = new Map(socketEndpoints.map((e) => [e.path, e.open(app)]));
  let closing = false;

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const requestId = newId();
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    const endpoint = endpoints.get(url.pathname);
    if (endpoint) return endpoint.upgrade(req, socket, head, requestId);
    if (url.pathname !== REALTIME_PATH) return rejectUpgrade(socket, 'not_found', `No WebSocket endpoint at ${url.pathname}`, requestId);
    if (closing) return rejectUpgrade(socket, 'unavailable', 'This node is shutting down', requestId);
    const who = await authenticateUpgrade(app, req, url);
    if (who === 'bad_origin') return rejectUpgrade(socket, 'forbidden', 'A cookie-authenticated socket must come from this site (Origin)', requestId);
    if (!who) return rejectUpgrade(socket, 'unauthenticated', 'Sign in first, or pass an API key (Authorization: Bearer or ?access_token=)', requestId);
    if (closing || socket.destroyed) { socket.destroy(); return; }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new RealtimeConnection(ws, actorCtx(app, who.workspaceId, who.actor, requestId), limits);
      hub.add(conn);
      ws.on('close', () => hub.remove(conn));
      ws.on('error', (err) => app.log.debug({ err, connection: requestId }, 'realtime: socket error'));
    });
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrade(req, socket, head).catch((err) => {
      app.log.error({ err }, 'realtime: upgrade failed');
      rejectUpgrade(socket, 'internal', 'Something went wrong on our side', 'unknown');
    });
  };
  server.on('upgrade', onUpgrade);

  const heartbeat = setInterval(() => { for (const c of hub.connections()) c.heartbeat(); }, opts.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return {
    hub,
    /** Refuses new sockets and closes the open ones with 1001 (going away); clients reconnect to another node. */
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(heartbeat);
      server.off('upgrade', onUpgrade);
      const timeout = opts.closeTimeoutMs ?? 3000;
      await Promise.all(hub.connections().map(({ ws }) => new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        const force = setTimeout(() => ws.terminate(), timeout);
        ws.once('close', () => { clearTimeout(force); resolve(); });
        ws.close(1001, 'server shutting down');
      })));
      await Promise.all([...endpoints.values()].map((e) => e.close()));
      hub.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
