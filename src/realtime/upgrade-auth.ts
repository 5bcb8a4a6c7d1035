import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { parse as parseCookies } from 'hono/utils/cookie';
import { authenticateApiKey, authenticateSession } from '../domains/workspaces/index.ts';
import type { Actor } from '../platform/ctx.ts';
import { errorStatus, type ErrorCode } from '../platform/errors.ts';
import type { Platform } from '../platform/platform.ts';

export const SESSION_COOKIE = 'candor_session';

export type Principal = { workspaceId: string; actor: Actor };

/**
 * Who opens this socket: an API key (`Authorization: Bearer`, or `?access_token=` because
 * browsers cannot set headers on a WebSocket), else the session cookie. A cookie is sent by the
 * browser whatever page opened the socket, so with a cookie the Origin must be this host's own
 * (cross-site WebSocket hijacking); a token in the request is proof enough by itself.
 */
export async function authenticateUpgrade(app: Platform, req: IncomingMessage, url: URL): Promise<Principal | 'bad_origin' | null> {
  const header = req.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : url.searchParams.get('access_token');
  if (token) return authenticateApiKey({ app, token });
  const session = req.headers.cookie ? parseCookies(req.headers.cookie, SESSION_COOKIE)[SESSION_COOKIE] : undefined;
  if (!session) return null;
  if (!sameOrigin(req)) return 'bad_origin';
  return authenticateSession({ app, token: session });
}

function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // not a browser: nothing to hijack
  try {
    const allowed = (process.env.CANDOR_PUBLIC_URL ? [new URL(process.env.CANDOR_PUBLIC_URL).host] : []).concat(req.headers.host ?? []);
    return allowed.includes(new URL(origin).host);
  } catch {
    return false;
  }
}

/** Answers an upgrade request with a plain HTTP error in Candor's error shape, then drops the socket. */
export function rejectUpgrade(socket: Duplex, code: ErrorCode, message: string, requestId: string): void {
  if (socket.destroyed) return;
  const status = errorStatus[code];
  const body = JSON.stringify({ code, message, requestId });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\n\r\n${body}`);
  socket.once('finish', () => socket.destroy());
}
