import type { Platform } from '../../src/platform/platform.ts';
import { JobRunner } from '../../src/platform/jobs.ts';
import { deliveryJob } from '../../src/domains/conversations/index.ts';
import { sendersFrom } from '../../src/channels/registry.ts';
import type { ChannelAdapter } from '../../src/channels/adapter.ts';

/**
 * The outbound delivery worker for the given adapters (every registered one when omitted), never
 * polling on its own: a test calls drain() to send what is queued, at the moment it chooses.
 */
export function deliveryRunner(app: Platform, adapters?: ChannelAdapter[]): JobRunner {
  const runner = new JobRunner(app, { pollMs: 60_000, batch: 50, lockMs: 60_000 });
  runner.register('outbound.deliver', deliveryJob(sendersFrom(adapters)));
  return runner;
}
