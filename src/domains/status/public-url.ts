/** Where the public reaches this install (CANDOR_PUBLIC_URL behind a proxy; else the local port). */
export const publicBase = () => (process.env.CANDOR_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 4000}`).replace(/\/$/, '');

/** A workspace's public status page. */
export const publicStatusUrl = (slug: string) => `${publicBase()}/status/${slug}`;
