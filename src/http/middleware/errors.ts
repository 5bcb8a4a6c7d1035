import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError } from '../../platform/errors.ts';
import type { Env } from '../context.ts';

/** Maps any thrown error to `{ code, message, requestId, details? }` with the code's one status. */
export function errorResponse(err: unknown, c: Context<Env>) {
  const requestId = c.get('requestId') ?? 'unknown';
  let e: AppError;
  if (err instanceof AppError) e = err;
  else if (err instanceof HTTPException) {
    // The validators' own refusals (a body that is not JSON at all): the field is the body.
    e = err.status === 401 ? new AppError('unauthenticated', err.message) : err.status === 404 ? new AppError('not_found', err.message)
      : new AppError('validation_failed', `body: ${err.message}`, { fields: [{ path: 'body', message: err.message }] });
  }
  else if (err instanceof SyntaxError) e = new AppError('validation_failed', 'body: not valid JSON', { fields: [{ path: 'body', message: 'malformed JSON' }] });
  else if (isZodError(err)) {
    const fields = err.issues.map((i: any) => ({ path: i.path.join('.'), message: i.message }));
    e = new AppError('validation_failed', fields.map((f: any) => `${f.path}: ${f.message}`).join('; '), { fields });
  } else {
    c.var.ctx?.app.log.error({ err, requestId }, 'unhandled error');
    e = new AppError('internal', 'Something went wrong on our side; the request id helps us find it');
  }
  return c.json({ code: e.code, message: e.message, requestId, ...(e.details ? { details: e.details } : {}) }, e.status as any);
}

const isZodError = (err: unknown): err is { issues: any[] } =>
  typeof err === 'object' && err !== null && (err as any).name === 'ZodError' && Array.isArray((err as any).issues);
