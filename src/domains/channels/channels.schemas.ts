import { z } from '@hono/zod-openapi';
import { channelKinds } from '../../db/schema/index.ts';

export const CreateChannelInput = z.object({
  kind: z.enum(channelKinds),
  name: z.string().min(1).max(100),
  config: z.record(z.string(), z.unknown()).default({}),
  secrets: z.record(z.string(), z.string()).default({}),
}).openapi('CreateChannel');

export const UpdateChannelInput = z.object({
  name: z.string().min(1).max(100).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  secrets: z.record(z.string(), z.string()).optional(),
  active: z.boolean().optional(),
}).openapi('UpdateChannel');

export const ChannelSchema = z.object({
  id: z.string().uuid(), kind: z.enum(channelKinds), name: z.string(), config: z.record(z.string(), z.unknown()),
  secretNames: z.array(z.string()), active: z.boolean(), webhookPath: z.string(), createdAt: z.string(),
}).openapi('Channel');
