import { BlockList, isIP } from 'node:net';

/**
 * The proxies whose `X-Forwarded-For` / `Forwarded` headers Candor believes: a list of CIDRs
 * (`CANDOR_TRUSTED_PROXIES=10.0.0.0/8,192.168.1.7,fd00::/8`). A bare address is a /32 (/128).
 * Without the setting no header is believed and the client is the socket's peer, so a client
 * cannot name its own address by sending the header.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(cidrs: string[]) {
    let n = 0;
    for (const raw of cidrs.map((s) => s.trim()).filter(Boolean)) {
      const [addr, bits] = raw.split('/');
      const ip = normaliseAddress(addr);
      const family = isIP(ip);
      if (!family) throw new Error(`CANDOR_TRUSTED_PROXIES: ${raw} is not an IP address or CIDR`);
      const max = family === 4 ? 32 : 128;
      const prefix = bits === undefined ? max : Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`CANDOR_TRUSTED_PROXIES: ${raw} has a bad prefix length`);
      this.list.addSubnet(ip, prefix, family === 4 ? 'ipv4' : 'ipv6');
      n++;
    }
    this.size = n;
  }

  static parse(value: string | undefined): TrustedProxies {
    return new TrustedProxies((value ?? '').split(/[\s,]+/));
  }

  has(address: string): boolean {
    const ip = normaliseAddress(address);
    const family = isIP(ip);
    return family !== 0 && this.size > 0 && this.list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; brackets and ports dropped (`[::1]:443`, `1.2.3.4:80`). */
export function normaliseAddress(raw: string): string {
  let a = raw.trim().replace(/^"|"$/g, '');
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracket) a = bracket[1];
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return (mapped ? mapped[1] : a).toLowerCase();
}

/** The addresses a `Forwarded` header names in its `for=` parameters, nearest hop last. */
function forwardedFor(header: string): string[] {
  const out: string[] = [];
  for (const element of header.split(',')) {
    const m = /(?:^|;)\s*for=("[^"]*"|[^;,\s]*)/i.exec(element);
    if (m) out.push(normaliseAddress(m[1]));
  }
  return out;
}

type Headers = { get(name: string): string | null | undefined } | Record<string, string | string[] | undefined>;
const header = (h: Headers, name: string): string | undefined => {
  if (typeof (h as { get?: unknown }).get === 'function') return (h as { get(n: string): string | null | undefined }).get(name) ?? undefined;
  const v = (h as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v.join(',') : v;
};

/**
 * The client's address. From a trusted proxy, the forwarding chain (`Forwarded` first, else
 * `X-Forwarded-For`) is read from the nearest hop outwards and the first address that is not a
 * trusted proxy is the client; from anyone else the headers are ignored and the socket's peer is
 * the client. `local` when there is no socket (in-process requests).
 */
export function clientAddress(socketAddress: string | undefined, headers: Headers, trusted: TrustedProxies = trustedProxiesFromEnv()): string {
  const peer = socketAddress ? normaliseAddress(socketAddress) : 'local';
  if (!socketAddress || !trusted.has(peer)) return peer;
  const fwd = header(headers, 'forwarded');
  const xff = header(headers, 'x-forwarded-for');
  const chain = fwd ? forwardedFor(fwd) : xff ? xff.split(',').map(normaliseAddress) : [];
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = chain[i];
    if (!isIP(hop)) return peer; // "unknown", an obfuscated name: stop at the last address we can vouch for
    if (!trusted.has(hop)) return hop;
  }
  return chain.length && isIP(chain[0]) ? chain[0] : peer;
}

let cached: { value: string | undefined; proxies: TrustedProxies } | undefined;
/** `CANDOR_TRUSTED_PROXIES`, parsed once per value. */
export function trustedProxiesFromEnv(env: NodeJS.ProcessEnv = process.env): TrustedProxies {
  const value = env.CANDOR_TRUSTED_PROXIES;
  if (!cached || cached.value !== value) cached = { value, proxies: TrustedProxies.parse(value) };
  return cached.proxies;
}
