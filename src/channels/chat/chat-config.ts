import { z } from 'zod';
import type { ChannelRow } from '../../domains/channels/index.ts';

/**
 * What a web chat channel's `config` holds (all optional, all safe to show: the widget receives
 * title, greeting and color). Secrets: `identitySecret`, the key the business signs its customer
 * ids with (identity verification); with it set, every visitor must be verified unless
 * `allowAnonymous` is true.
 */
export const ChatChannelConfig = z.object({
  /** The panel's heading. */
  title: z.string().trim().min(1).max(80).optional(),
  /** Shown as the first bubble of an empty conversation. */
  greeting: z.string().trim().min(1).max(500).optional(),
  /** The launcher's and the visitor's bubbles' colour. */
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional(),
  /** With an identitySecret: still let visitors who are not signed in chat anonymously. */
  allowAnonymous: z.boolean().optional(),
  /** Pages allowed to open the visitor socket (exact origins, e.g. https://shop.example); any when empty. */
  allowedOrigins: z.array(z.string().url()).max(50).optional(),
  /** The email channel offline visitors get replies through; the first active one when unset. */
  emailChannelId: z.string().uuid().optional(),
}).passthrough();
export type ChatConfig = z.infer<typeof ChatChannelConfig>;

/** The channel's config, validated; invalid fields are dropped rather than breaking the channel. */
export function chatConfigOf(channel: ChannelRow): ChatConfig {
  const r = ChatChannelConfig.safeParse(channel.config);
  if (r.success) return r.data;
  const bad = new Set(r.error.issues.map((i) => String(i.path[0])));
  const kept = Object.fromEntries(Object.entries(channel.config).filter(([k]) => !bad.has(k)));
  return ChatChannelConfig.safeParse(kept).data ?? {};
}

/** What the widget may show of the channel. */
export const widgetSettings = (cfg: ChatConfig) => ({ title: cfg.title ?? null, greeting: cfg.greeting ?? null, color: cfg.color ?? null });

/** Whether a page at this Origin may open the channel's visitor socket. */
export function originAllowed(cfg: ChatConfig, origin: string | undefined): boolean {
  if (!cfg.allowedOrigins?.length) return true;
  if (!origin) return false;
  try {
    const o = new URL(origin).origin;
    return cfg.allowedOrigins.some((a) => new URL(a).origin === o);
  } catch {
    return false;
  }
}
