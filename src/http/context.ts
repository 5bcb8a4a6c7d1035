import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Ctx } from '../platform/ctx.ts';
import { AppError } from '../platform/errors.ts';

export type Env = { Variables: { ctx: Ctx; requestId: string; principal: string; sessionToken?: string; clientIp: string } };

/** Every router is built the same way: zod validation failures become one clear 400 naming the fields. */
export function router() {
  return new OpenAPIHono<Env>({
    defaultHook: (result) => {
      if (!result.success) {
        const fields = result.error.issues.map((i) => ({ path: i.path.join('.') || result.target, message: i.message }));
        throw new AppError('validation_failed', fields.map((f) => `${f.path}: ${f.message}`).join('; '), { fields });
      }
    },
  });
}

export const ErrorSchema = z.object({
  code: z.string(), message: z.string(), requestId: z.string(), details: z.record(z.string(), z.unknown()).optional(),
}).openapi('Error');

export const json = <T extends z.ZodType>(schema: T, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
export const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const err = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });

/** The error responses every authenticated route can give. */
export const errors = {
  400: err('Invalid input; details.fields names each field'),
  401: err('Not signed in'),
  403: err('Not allowed'),
  404: err('Not found in this workspace'),
  409: err('Conflict'),
  429: err('Rate limited; see Retry-After'),
};

export const page = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() }).openapi(name);

export const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
export const PageQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).optional(), cursor: z.string().optional() });
