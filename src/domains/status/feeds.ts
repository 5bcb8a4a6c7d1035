import type { StatusPageData, PageIncident } from './page-data.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const words: Record<string, string> = {
  investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved', postmortem: 'Postmortem',
  scheduled: 'Scheduled', in_progress: 'In progress', verifying: 'Verifying', completed: 'Completed',
};

/** An incident's updates as the entry's HTML, newest first, as Statuspage's feeds write them. */
function entryHtml(i: PageIncident, tz: string): string {
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' });
  return i.updates.map((u) => `<p><small>${esc(fmt.format(u.displayAt))}</small><br><strong>${esc(words[u.status] ?? u.status)}</strong> - ${esc(u.body)}</p>`).join('');
}

const feedItems = (d: StatusPageData) => [...d.incidents, ...d.maintenances].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime()).slice(0, 50);

/** Atom 1.0 feed of incidents and maintenance (history.atom). */
export function atomFeed(d: StatusPageData, pageUrl: string): string {
  const items = feedItems(d);
  const updated = new Date(d.updatedAt).toISOString();
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <id>tag:candor,2026:${esc(d.workspace.id)}:history</id>
  <link rel="alternate" type="text/html" href="${esc(pageUrl)}"/>
  <link rel="self" type="application/atom+xml" href="${esc(pageUrl)}/history.atom"/>
  <title>${esc(d.workspace.name)} Status - Incident History</title>
  <updated>${updated}</updated>
  <author><name>${esc(d.workspace.name)}</name></author>
${items.map((i) => `  <entry>
    <id>tag:candor,2026:Incident/${esc(i.id)}</id>
    <published>${i.createdAt.toISOString()}</published>
    <updated>${i.updatedAt.toISOString()}</updated>
    <link rel="alternate" type="text/html" href="${esc(pageUrl)}#incident-${esc(i.id)}"/>
    <title>${esc(i.name)}</title>
    <content type="html">${esc(entryHtml(i, d.workspace.timezone))}</content>
  </entry>`).join('\n')}
</feed>
`;
}

/** RSS 2.0 feed of the same (history.rss). */
export function rssFeed(d: StatusPageData, pageUrl: string): string {
  const items = feedItems(d);
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${esc(d.workspace.name)} Status - Incident History</title>
    <link>${esc(pageUrl)}</link>
    <atom:link href="${esc(pageUrl)}/history.rss" rel="self" type="application/rss+xml"/>
    <description>Statuspage</description>
    <pubDate>${new Date(d.updatedAt).toUTCString()}</pubDate>
${items.map((i) => `    <item>
      <title>${esc(i.name)}</title>
      <description>${esc(entryHtml(i, d.workspace.timezone))}</description>
      <pubDate>${i.createdAt.toUTCString()}</pubDate>
      <link>${esc(pageUrl)}#incident-${esc(i.id)}</link>
      <guid isPermaLink="false">${esc(i.id)}</guid>
    </item>`).join('\n')}
  </channel>
</rss>
`;
}
