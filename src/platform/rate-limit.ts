/** A token bucket per key, in this process's memory: `burst` requests at once, refilled at `perSecond`. */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly burst: number, private readonly perSecond: number) {}

  /** Takes one token; returns 0 when allowed, else the seconds to wait. */
  take(key: string, now = Date.now()): number {
    let b = this.buckets.get(key);
    if (!b) { b = { tokens: this.burst, at: now }; this.buckets.set(key, b); }
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    if (b.tokens >= 1) { b.tokens -= 1; return 0; }
    if (this.buckets.size > 100_000) this.buckets.clear();
    return Math.ceil((1 - b.tokens) / this.perSecond);
  }
}
