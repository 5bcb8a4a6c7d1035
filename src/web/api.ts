import type { z } from '@hono/zod-openapi';
import type { ConversationSchema, MessageSchema } from '../domains/conversations/conversations.schemas.ts';
import type { CustomerSchema, TimelineEntrySchema } from '../domains/customers/customers.schemas.ts';
import type { AgentSchema, WorkspaceSettingsSchema } from '../domains/workspaces/workspaces.schemas.ts';

// The shapes come from the same zod schemas the API validates with (type-only: nothing of the
// server ends up in the bundle).
export type Conversation = z.infer<typeof ConversationSchema>;
export type ConversationStatus = Conversation['status'];
export type Message = z.infer<typeof MessageSchema>;
export type Customer = z.infer<typeof CustomerSchema>;
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;
export type Agent = z.infer<typeof AgentSchema>;
export type WorkspaceSettings = z.infer<typeof WorkspaceSettingsSchema>;
export type Workspace = { id: string; slug: string; name: string; settings: WorkspaceSettings };
export type Me = { agent: Agent; workspace: { id: string; slug: string; name: string } };
export type Team = { id: string; name: string };
export type ApiKey = { id: string; name: string; scopes: string[]; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
export type Page<T> = { data: T[]; nextCursor: string | null };
export type List<T> = { data: T[] };

/** An API failure, carrying the `{ code, message, requestId, details }` body the server sends. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly requestId?: string, readonly details?: unknown) {
    super(message);
    this.name = 'ApiError';
  }
}

type Options = { method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; body?: unknown; idempotencyKey?: string; signal?: AbortSignal };

let onUnauthenticated: (() => void) | undefined;
/** Called when a request answers 401 (the session ended): the shell goes back to sign-in. */
export function setUnauthenticatedHandler(fn: (() => void) | undefined) { onUnauthenticated = fn; }

/** Calls /api/v1 with the session cookie; resolves to the JSON body or throws an ApiError. */
export async function api<T>(path: string, opts: Options = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method: opts.method ?? 'GET', credentials: 'include', headers, signal: opts.signal,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'Cannot reach Candor. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: any = null;
  try { data = text ? JSON.parse(text) : null; } catch { /* not JSON: handled below */ }
  if (!res.ok) {
    const message = typeof data?.message === 'string' && data.message ? data.message : `Request failed (${res.status} ${res.statusText})`;
    const error = new ApiError(res.status, data?.code ?? 'http_error', message, data?.requestId, data?.details);
    if (res.status === 401 && path !== '/auth/login') onUnauthenticated?.();
    throw error;
  }
  return data as T;
}

/** A key for Idempotency-Key headers, so a retried send never posts twice. */
export function newKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto && window.isSecureContext) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/** The message to show a person for any thrown error. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
