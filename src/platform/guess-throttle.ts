/**
 * Slows guessing of a secret (a password, a one-time code, a reset token) without letting a
 * stranger lock its owner out. Three counts of failures, each forgotten `windowMs` after its last
 * failure:
 *
 * - per (account, address): `freePerPair` failures cost nothing; after that every further try from
 *   that address for that account waits `baseDelayMs · 2^(n − free)`, up to `maxDelayMs`.
 * - per account, over every address (the global ceiling): past `accountCeiling` failures the free
 *   allowance of every pair drops to one, so an attacker spread over many addresses gets one guess
 *   per address and then the growing delays. A new address still gets its first try: the owner
 *   signing in from a new place gets in, and a success clears that pair.
 * - per address, over accounts (password spraying): an address that failed for more than
 *   `sprayAccounts` different accounts waits the growing delay before any try, whatever account.
 *
 * Never a hard lock: every wait ends, and no count that a stranger can raise stops the owner's
 * first try from an address the stranger does not share. Kept in this node's memory, bounded.
 */
export type GuessThrottleOptions = {
  freePerPair: number;
  accountCeiling: number;
  sprayAccounts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  windowMs: number;
  /** Most records kept per count; the stalest go first past it. */
  maxEntries: number;
};

export const defaultGuessThrottle: GuessThrottleOptions = {
  freePerPair: 5, accountCeiling: 20, sprayAccounts: 5, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, windowMs: 60 * 60_000, maxEntries: 100_000,
};

type Count = { n: number; last: number };
type Spray = { accounts: Set<string>; last: number };

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; reason: 'pair' | 'spray' };

export class GuessThrottle {
  private readonly opts: GuessThrottleOptions;
  private readonly pairs = new Map<string, Count>();
  private readonly accounts = new Map<string, Count>();
  private readonly addresses = new Map<string, Spray>();

  constructor(opts: Partial<GuessThrottleOptions> = {}) {
    this.opts = { ...defaultGuessThrottle, ...opts };
  }

  /** May this address try a guess for this account now? Ask before checking the secret. */
  check(account: string, address: string, now = Date.now()): ThrottleVerdict {
    const o = this.opts;
    const spray = this.fresh(this.addresses, address, now);
    if (spray && spray.accounts.size > o.sprayAccounts) {
      const wait = this.delay(spray.accounts.size - o.sprayAccounts) - (now - spray.last);
      if (wait > 0) return { allowed: false, retryAfterSeconds: Math.ceil(wait / 1000), reason: 'spray' };
    }
    const pair = this.fresh(this.pairs, pairKey(account, address), now);
    if (!pair) return { allowed: true };
    const acct = this.fresh(this.accounts, account, now);
    const free = acct && acct.n >= o.accountCeiling ? 1 : o.freePerPair;
    if (pair.n < free) return { allowed: true };
    const wait = this.delay(pair.n - free + 1) - (now - pair.last);
    return wait > 0 ? { allowed: false, retryAfterSeconds: Math.ceil(wait / 1000), reason: 'pair' } : { allowed: true };
  }

  /** A wrong guess. */
  fail(account: string, address: string, now = Date.now()): void {
    bump(this.pairs, pairKey(account, address), now, this.opts);
    bump(this.accounts, account, now, this.opts);
    let s = this.fresh(this.addresses, address, now);
    if (!s) { s = { accounts: new Set(), last: now }; trim(this.addresses, this.opts.maxEntries); this.addresses.set(address, s); }
    if (s.accounts.size < 10_000) s.accounts.add(account);
    s.last = now;
  }

  /** A right guess: this address is the owner's; its failures for the account are forgotten. */
  succeed(account: string, address: string): void {
    this.pairs.delete(pairKey(account, address));
  }

  private delay(excess: number): number {
    return Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** Math.min(excess - 1, 30));
  }

  private fresh<T extends { last: number }>(map: Map<string, T>, key: string, now: number): T | undefined {
    const v = map.get(key);
    if (v && now - v.last > this.opts.windowMs) { map.delete(key); return undefined; }
    return v;
  }
}

const pairKey = (account: string, address: string) => `${account}\u0000${address}`;

function bump(map: Map<string, Count>, key: string, now: number, o: GuessThrottleOptions): void {
  const c = map.get(key);
  if (c && now - c.last <= o.windowMs) { c.n++; c.last = now; map.delete(key); map.set(key, c); return; }
  trim(map, o.maxEntries);
  map.set(key, { n: 1, last: now });
}

/** Maps iterate in insertion order and bump re-inserts: the first keys are the stalest. */
function trim(map: Map<string, unknown>, max: number): void {
  if (map.size < max) return;
  let drop = Math.max(1, Math.floor(max / 10));
  for (const k of map.keys()) { map.delete(k); if (--drop <= 0) break; }
}
