const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dayAndTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });

/** "just now", "5 min. ago", "yesterday", then a date. */
export function relativeTime(iso: string, now = Date.now()): string {
  const ms = new Date(iso).getTime() - now;
  const s = Math.round(ms / 1000);
  if (Math.abs(s) < 45) return 'just now';
  const m = Math.round(s / 60);
  if (Math.abs(m) < 60) return rtf.format(m, 'minute');
  const h = Math.round(m / 60);
  if (Math.abs(h) < 24) return rtf.format(h, 'hour');
  const d = Math.round(h / 24);
  if (Math.abs(d) < 7) return rtf.format(d, 'day');
  return dayAndTime.format(new Date(iso));
}

export const fullDate = (iso: string) => full.format(new Date(iso));

/** A message's time: the clock time today, else the day and time. */
export function messageTime(iso: string): string {
  const d = new Date(iso);
  return d.toDateString() === new Date().toDateString() ? timeOnly.format(d) : dayAndTime.format(d);
}

export const shortId = (id: string) => id.slice(0, 8);

export const channelLabel: Record<string, string> = {
  email: 'Email', chat: 'Chat', whatsapp: 'WhatsApp', telegram: 'Telegram', sms: 'SMS', messenger: 'Messenger',
  voice: 'Voice', social: 'Social', portal: 'Portal', api: 'API',
};

export const weekday = (day: number) => ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][day] ?? `Day ${day}`;

export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
