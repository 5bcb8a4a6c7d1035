import { randomBytes } from 'node:crypto';
import type { Platform } from '../src/platform/platform.ts';
import { systemCtx, type Ctx } from '../src/platform/ctx.ts';
import { createWorkspace, createApiKey } from '../src/domains/workspaces/index.ts';

export type BenchWorkspace = { id: string; slug: string; ctx: Ctx };

/** A fresh tenant for one figure, so figures do not read each other's rows. */
export async function benchWorkspace(app: Platform, label: string): Promise<BenchWorkspace> {
  const slug = `bench-${label.toLowerCase()}-${randomBytes(3).toString("hex")}`;
  const ws = await createWorkspace({ ctx: systemCtx(app, ''), input: { slug, name: `Bench ${label}` } });
  return { id: ws.id, slug, ctx: systemCtx(app, ws.id, 'bench') };
}

/** An all-scopes API key for HTTP figures; the token is what clients send as Bearer. */
export async function benchApiKey(w: BenchWorkspace): Promise<string> {
  return (await createApiKey({ ctx: w.ctx, input: { name: 'bench', scopes: ['*'] } })).token;
}

/** Message text of roughly the given length, varied so it does not compress to nothing. */
export function bodyText(n: number, len = 160): string {
  const words = ['my', 'fibre', 'connection', 'dropped', 'again', 'router', 'lights', 'blinking', 'since', 'this', 'morning', 'please', 'help', 'invoice', 'speed', 'slow', 'engineer', 'visit'];
  let s = `#${n}`;
  for (let i = 0; s.length < len; i++) s += ' ' + words[(n * 7 + i * 13) % words.length];
  return s.slice(0, len);
}
