import { createRoute } from '@hono/zod-openapi';
import { countSmsSegments, SmsSegmentsInput, SmsSegmentsSchema } from '../../channels/sms/count-segments.ts';
import { router, json, errors } from '../context.ts';

export function smsRoutes() {
  const r = router();
  r.openapi(createRoute({
    method: 'get', path: '/channels/sms/segments', tags: ['channels'],
    summary: 'How many SMS segments a text costs (GSM-7 160/153, UCS-2 70/67)',
    request: { query: SmsSegmentsInput }, responses: { 200: json(SmsSegmentsSchema), ...errors },
  }), (c) => c.json(countSmsSegments({ ctx: c.get('ctx'), input: c.req.valid('query') }), 200));
  return r;
}
