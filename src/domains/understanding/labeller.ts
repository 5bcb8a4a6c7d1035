import type { Platform } from '../../platform/platform.ts';
import { labelPendingMessages } from './label-messages.ts';

/**
 * The background worker that labels customer messages: told by `message.created` events (from
 * any node), and sweeping every few seconds for what an event did not announce (messages that
 * arrived while no model was live, or before a crash). Labels arrive within seconds of a message.
 */
export class Labeller {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopping = false;
  private unsubscribe?: () => void;

  constructor(private readonly app: Platform, private readonly opts = { sweepMs: 3000, debounceMs: 50 }) {}

  start(): void {
    this.stopping = false;
    this.unsubscribe = this.app.bus.subscribe((e) => {
      if ((e.type === 'message.created' && e.data.direction === 'in') || e.type === 'reasons.model_promoted') this.kick();
    });
    this.timer = setInterval(() => this.kick(), this.opts.sweepMs);
    this.timer.unref();
    this.kick();
  }

  /** Ask for a pass soon; calls within the debounce window share one pass. */
  kick(): void {
    if (this.stopping) return;
    if (this.running) { this.again = true; return; }
    this.running = new Promise<void>((r) => setTimeout(r, this.opts.debounceMs)).then(async () => { await this.drain(); }).finally(() => {
      this.running = undefined;
      if (this.again && !this.stopping) { this.again = false; this.kick(); }
    });
  }

  /** Labels until nothing is waiting (or nothing more can be labelled now); returns how many. */
  async drain(): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const n = await labelPendingMessages(this.app);
        total += n;
        if (!n || this.stopping) break;
      }
    } catch (err) {
      this.app.log.error({ err }, 'labeller pass failed');
    }
    return total;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
