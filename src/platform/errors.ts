/** The closed set of error codes; each maps to one HTTP status, once, here. */
export const errorStatus = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  idempotency_mismatch: 422,
  /** Well-formed, but not something this resource can take (a secret name its channel kind does not read). */
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'You may not do this') => new AppError('forbidden', message);
export const invalid = (field: string, message: string) =>
  new AppError('validation_failed', `${field}: ${message}`, { fields: [{ path: field, message }] });

type Parser<T> = { safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } };

/** Validates a verb's input; failures become one validation_failed error naming every field. */
export function parseInput<T>(schema: Parser<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || 'input', message: i.message }));
  throw new AppError('validation_failed', fields.map((f) => `${f.path}: ${f.message}`).join('; '), { fields });
}
