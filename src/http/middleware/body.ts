import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../platform/errors.ts';

const JSONISH = /^application\/([a-z.+-]*\+)?json|^text\/|^application\/x-www-form-urlencoded/i;

function tooLarge(maxBytes: number) {
  return new AppError('payload_too_large', `Request body is over the limit of ${maxBytes} bytes`, { maxBytes });
}

/**
 * Reads a request body once, straight from Node's IncomingMessage, refusing more than `maxBytes`
 * with 413. The bytes are handed to Hono as its body cache (`c.req.json()`, `.text()` and
 * `.arrayBuffer()` return them without building a web Request and stream per request, which cost
 * more CPU than the JSON itself) and to @hono/node-server as `rawBody` (`c.req.raw` is built from
 * these same bytes if a route asks for it, e.g. a webhook checking its signature).
 * In-process requests (`app.request()` in tests) have no IncomingMessage and pass untouched.
 */
export function readBody(maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (!incoming || c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    if (Number(incoming.headers['content-length'] ?? 0) > maxBytes) throw tooLarge(maxBytes);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of incoming as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge(maxBytes);
      chunks.push(chunk);
    }
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
    (incoming as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
    if (JSONISH.test(incoming.headers['content-type'] ?? '')) {
      // Hono keeps promises in bodyCache (its type says values): see HonoRequest#cachedBody.
      const cache = c.req.bodyCache as Record<string, Promise<unknown>>;
      cache.text = Promise.resolve(body.toString('utf8'));
      cache.arrayBuffer = Promise.resolve(body.buffer.slice(body.byteOffset, body.byteOffset + body.length));
    }
    await next();
  };
}
