import { z } from '@hono/zod-openapi';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { parseInput } from '../../platform/errors.ts';
import { smsSegments } from './segments.ts';

export const SmsSegmentsInput = z.object({
  text: z.string().max(10_000).default('').openapi({ param: { name: 'text', in: 'query' }, example: 'Your fibre is back: 1 Gbit/s restored at 14:05.' }),
});

export const SmsSegmentsSchema = z.object({
  encoding: z.enum(['GSM-7', 'UCS-2']),
  segments: z.number().int(),
  charsPerSegment: z.number().int(),
  units: z.number().int(),
}).openapi('SmsSegments');

/** The segment count an agent sees under an SMS reply: the same rules the API and the web app use. */
export function countSmsSegments({ ctx, input }: { ctx: Ctx; input: z.input<typeof SmsSegmentsInput> }) {
  authorize(ctx, 'conversations:read');
  return smsSegments(parseInput(SmsSegmentsInput, input).text);
}
