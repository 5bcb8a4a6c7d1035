import type { Context } from 'hono';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { authenticateGrant } from '../domains/portal/index.ts';
import { actorCtx } from '../platform/ctx.ts';
import type { Platform } from '../platform/platform.ts';
import type { Env } from '../http/context.ts';
import { buildMcpServer } from './mcp-server.ts';

const refuse = (c: Context<Env>, status: 401 | 405, message: string) =>
  c.json({ jsonrpc: '2.0', error: { code: -32001, message }, id: null }, status, status === 401 ? { 'WWW-Authenticate': 'Bearer realm="candor", error="invalid_token"' } : {});

/**
 * `/mcp`: the MCP server for a customer's own AI assistant, streamable HTTP in stateless mode
 * (a server and a transport per request: nothing to share between nodes). The bearer token is an
 * assistant grant (`cag_…`); a revoked or expired one is refused before anything else, on every
 * request, so a revocation ends access at once.
 */
export function mcpHandler(app: Platform) {
  return async (c: Context<Env>) => {
    if (c.req.method !== 'POST' && c.req.method !== 'GET' && c.req.method !== 'DELETE') return refuse(c, 405, 'Method not allowed');
    const header = c.req.header('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const who = token ? await authenticateGrant({ app, token }) : null;
    if (!who) return refuse(c, 401, token ? 'This assistant grant is invalid, revoked or expired' : 'Bring an assistant grant: Authorization: Bearer cag_…');
    const ctx = actorCtx(app, who.workspaceId, who.actor, c.get('requestId'));
    const server = buildMcpServer(ctx);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    const parsedBody = c.req.method === 'POST' ? await c.req.json().catch(() => undefined) : undefined;
    try {
      return await transport.handleRequest(c.req.raw, { parsedBody });
    } finally {
      void server.close().catch(() => {});
    }
  };
}
