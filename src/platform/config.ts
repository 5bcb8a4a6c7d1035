import { resolve } from 'node:path';

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  smtpPort: number;
  /** The URL providers call us at (behind a proxy); signatures that sign the URL use it. */
  publicUrl?: string;
  /** `Secure` session cookies: on by default when publicUrl is https (CANDOR_SECURE_COOKIES=0 turns them off, =1 on). */
  secureCookies: boolean;
  /** The workspace whose status page `/status` and `/api/v2/` serve (CANDOR_PUBLIC_STATUS; default the demo's). */
  publicStatusSlug: string;
  /** CIDRs of the proxies whose X-Forwarded-For / Forwarded are believed (CANDOR_TRUSTED_PROXIES); none by default. */
  trustedProxies?: string;
};

/** Everything Candor reads from the environment, in one place. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 4000);
  const host = env.HOST ?? '0.0.0.0';
  const publicUrl = env.CANDOR_PUBLIC_URL || undefined;
  return {
    port,
    host,
    dataDir: resolve(env.CANDOR_DATA_DIR ?? './.candor'),
    databaseUrl: env.DATABASE_URL || undefined,
    smtpPort: Number(env.CANDOR_SMTP_PORT ?? 2525),
    publicUrl,
    secureCookies: env.CANDOR_SECURE_COOKIES === '1' || (env.CANDOR_SECURE_COOKIES !== '0' && !!publicUrl?.startsWith('https:')),
    publicStatusSlug: env.CANDOR_PUBLIC_STATUS || 'fibrelink',
    trustedProxies: env.CANDOR_TRUSTED_PROXIES || undefined,
  };
}
