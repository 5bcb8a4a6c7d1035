import { createRoute, z } from '@hono/zod-openapi';
import { getAttachment } from '../../domains/channels/index.ts';
import { router, errors, IdParam } from '../context.ts';

/** Files attached to messages, served only inside their workspace; always as a download, never rendered by the browser. */
export function attachmentRoutes() {
  const r = router();
  r.openapi(createRoute({
    method: 'get', path: '/attachments/{id}', tags: ['attachments'], summary: 'Download a message attachment (404 outside its workspace)',
    request: { params: IdParam },
    responses: { 200: { description: 'The file', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } }, ...errors },
  }), async (c) => {
    const { attachment, body } = await getAttachment({ ctx: c.get('ctx'), id: c.req.valid('param').id });
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': attachment.contentType,
        'content-length': String(attachment.size),
        'content-disposition': `attachment; filename="${attachment.filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, max-age=3600',
      },
    }) as any;
  });
  return r;
}
