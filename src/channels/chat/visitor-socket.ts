import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import { systemCtx } from '../../platform/ctx.ts';
import { isUuid } from '../../platform/ids.ts';
import type { Platform } from '../../platform/platform.ts';
import { loadChannel, type ChannelRow } from '../../domains/channels/index.ts';
import { rejectUpgrade } from '../../realtime/upgrade-auth.ts';
import { chatConfigOf, originAllowed } from './chat-config.ts';
import { VisitorConnection, CLOSE, defaultVisitorLimits, type VisitorLimits } from './visitor-connection.ts';
import { VisitorHub } from './visitor-hub.ts';
import { VisitorGate, gateLimitsFromEnv, type GateLimits } from './visitor-gate.ts';
import { clientAddress } from '../../platform/client-address.ts';

/** Where the widget connects: `?workspace=<uuid>&channel=<uuid>` name the chat channel. */
export const CHAT_SOCKET_PATH = '/api/v1/chat/socket';

export type ChatSockets = {
  hub: VisitorHub;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, requestId: string): Promise<void>;
  close(): Promise<void>;
};

async function chatChannel(app: Platform, workspaceId: string | null, channelId: string | null): Promise<ChannelRow | null> {
  if (!workspaceId || !channelId || !isUuid(workspaceId) || !isUuid(channelId)) return null;
  try {
    const channel = await loadChannel(systemCtx(app, workspaceId), channelId);
    return channel.kind === 'chat' && channel.active ? channel : null;
  } catch {
    return null;
  }
}

/**
 * The web chat's visitor sockets on this node, served through the realtime gateway's upgrade
 * listener. The upgrade must name an active chat channel of the workspace (else 404, with nothing
 * stored) and come from an allowed origin when the channel lists some (else 403). Who the visitor
 * is comes in the first frame, not the URL, so credentials stay out of access logs.
 */
export function openChatSockets(app: Platform, opts: Partial<VisitorLimits> & Partial<GateLimits> & { heartbeatMs?: number; closeTimeoutMs?: number } = {}): ChatSockets {
  const limits: VisitorLimits = { ...defaultVisitorLimits, ...opts };
  const fromEnv = gateLimitsFromEnv();
  const gate = new VisitorGate({
    maxSocketsPerAddress: opts.maxSocketsPerAddress ?? fromEnv.maxSocketsPerAddress,
    maxSocketsPerChannel: opts.maxSocketsPerChannel ?? fromEnv.maxSocketsPerChannel,
    newVisitorsPerAddressPerHour: opts.newVisitorsPerAddressPerHour ?? fromEnv.newVisitorsPerAddressPerHour,
    newVisitorsPerChannelPerMinute: opts.newVisitorsPerChannelPerMinute ?? fromEnv.newVisitorsPerChannelPerMinute,
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024, perMessageDeflate: false });
  const hub = new VisitorHub(app);
  const open = new Set<VisitorConnection>();
  let closing = false;

  const heartbeat = setInterval(() => { for (const c of open) c.heartbeat(); }, opts.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return {
    hub,
    async upgrade(req, socket, head, requestId) {
      if (closing) return rejectUpgrade(socket, 'unavailable', 'This node is shutting down', requestId);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const channel = await chatChannel(app, url.searchParams.get('workspace'), url.searchParams.get('channel'));
      if (!channel) return rejectUpgrade(socket, 'not_found', 'No active chat channel here: check data-workspace and data-channel', requestId);
      const cfg = chatConfigOf(channel);
      if (!originAllowed(cfg, req.headers.origin)) return rejectUpgrade(socket, 'forbidden', 'This page may not open this chat (Origin not in allowedOrigins)', requestId);
      const address = clientAddress(req.socket.remoteAddress, req.headers);
      const full = gate.admit(address, channel.id);
      if (full) {
        return rejectUpgrade(socket, 'rate_limited', full === 'address' ? 'Too many chat sockets from this address' : 'This chat has too many visitors right now; try again soon', requestId);
      }
      if (closing || socket.destroyed) { gate.release(address, channel.id); socket.destroy(); return; }
      let released = false;
      const release = () => { if (!released) { released = true; gate.release(address, channel.id); } };
      socket.once('close', release);
      wss.handleUpgrade(req, socket, head, (ws) => {
        const ctx = { ...systemCtx(app, channel.workspaceId, `channel:${channel.id}`), requestId };
        const conn = new VisitorConnection(ws, ctx, channel, cfg, hub, limits, () => gate.newVisitor(address, channel.id));
        open.add(conn);
        ws.on('close', () => { open.delete(conn); release(); });
        ws.on('error', (err) => app.log.debug({ err, connection: requestId }, 'chat: socket error'));
      });
    },
    /** Closes every visitor socket with 1001 (the widget reconnects, to another node behind a balancer). */
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(heartbeat);
      const timeout = opts.closeTimeoutMs ?? 3000;
      await Promise.all([...open].map(({ ws }) => new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        const force = setTimeout(() => ws.terminate(), timeout);
        ws.once('close', () => { clearTimeout(force); resolve(); });
        ws.close(CLOSE.shutdown, 'server shutting down');
      })));
      hub.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
