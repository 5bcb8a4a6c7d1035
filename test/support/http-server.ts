import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

/** Serves a Hono app on a real socket (127.0.0.1, a free port): for what in-process requests lack (the peer address, body streaming). */
export async function listen(app: { fetch: (req: Request, env?: unknown) => Response | Promise<Response> }): Promise<{ url: string; close(): Promise<void> }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch as any, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => { (server as any).closeAllConnections?.(); server.close(() => resolve()); }) };
}
