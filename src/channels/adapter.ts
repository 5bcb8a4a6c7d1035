import type { Ctx } from '../platform/ctx.ts';
import type { ChannelKind } from '../db/schema/index.ts';
import type { ChannelRow } from '../domains/channels/index.ts';
import type { MessageRow } from '../domains/conversations/index.ts';

/** A provider's HTTP call to `/hooks/{workspaceId}/{channelId}{subpath}`, with the body as sent (for signatures). */
export type WebhookCall = {
  /** System ctx of the channel's workspace; the actor is `channel:<id>`. */
  ctx: Ctx;
  channel: ChannelRow;
  request: Request;
  rawBody: Buffer;
  /** The URL as the provider called it (behind a proxy: CANDOR_PUBLIC_URL + path), for signature schemes that sign it. */
  publicUrl: string;
  subpath: string;
};

/**
 * One channel kind's translation layer, kept thin: verify the provider's signature, turn its
 * payload into receiveMessages / updateDeliveryStatus calls, and send replies in its format.
 * Webhooks commit before they answer 2xx; an invalid signature answers 401 and stores nothing.
 */
export interface ChannelAdapter {
  kind: ChannelKind;
  webhook?(call: WebhookCall): Promise<Response>;
  send?(ctx: Ctx, channel: ChannelRow, message: MessageRow): Promise<{ externalId?: string }>;
}

export const jsonResponse = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
