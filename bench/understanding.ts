// Sentiment + language detection over realistic customer messages, on one core, no database.
// `node --import tsx bench/understanding.ts` runs it alone; benchSentimentLanguage() is for bench/run.ts.
import { fileURLToPath } from 'node:url';

export type SentimentLanguageBench = {
  messages: number; meanChars: number;
  loadMs: number; heapMB: number; rssMB: number;
  /** Each alone over every message (sentiment scoring all of them as English), then both as the labeller calls them. */
  sentimentUs: number; languageUs: number; bothUs: number; messagesPerSecond: number;
  /** Both, over English messages of 250–300 characters (the budget's "typical message" at its longest). */
  long300Us: number;
  /** CPU time for the same two runs (includes V8's GC helper threads). */
  bothCpuUs: number; long300CpuUs: number;
  negative: number; neutral: number; positive: number; languages: Record<string, number>;
};

const EN = {
  open: ['Hi,', 'Hello there,', 'Good morning,', 'Hey', '', 'Hi team,'],
  issue: ['my internet has been down since yesterday', 'the wifi keeps dropping every few minutes', 'I was charged twice this month', 'the TV box is not working again',
    'I want to cancel my contract', 'what is my bill this month?', 'the engineer never showed up', 'my speed is really slow in the evenings',
    'can I upgrade to the faster plan', 'I moved house and need to transfer my service', 'all sorted now, the router works again'],
  detail: ['I already restarted the router twice.', 'This is the third time this week!', 'I work from home so this is a real problem.', 'My account number is 44821973.',
    'The light on the modem is blinking orange.', 'Nobody answered the phone when I called.', 'It was fine until last Tuesday.', ''],
  close: ['Thanks', 'Please help.', 'Can someone call me back?', 'Thanks for the quick help, really appreciated!', 'Very frustrating.', ''],
};
const NL = {
  open: ['Hoi,', 'Goedemorgen,', 'Hallo,', ''],
  issue: ['mijn internet doet het niet meer sinds gisteren', 'de wifi valt steeds weg', 'er is twee keer afgeschreven deze maand', 'ik wil mijn abonnement opzeggen',
    'wat kost mijn abonnement per maand?', 'de monteur is niet gekomen', 'het werkt weer, bedankt'],
  detail: ['Ik heb de router al twee keer opnieuw opgestart.', 'Dit is al de derde keer deze week!', 'Ik werk thuis dus dit is echt vervelend.', 'Het lampje knippert oranje.', ''],
  close: ['Bedankt', 'Kunnen jullie me terugbellen?', 'Groetjes', ''],
};
const DE = { open: ['Hallo,', 'Guten Tag,'], issue: ['mein Internet funktioniert seit gestern nicht mehr', 'ich möchte meinen Vertrag kündigen'], detail: ['Ich habe den Router schon neu gestartet.', ''], close: ['Danke', 'Bitte um Rückruf.'] };
const FR = { open: ['Bonjour,'], issue: ['ma connexion coupe tout le temps', 'je veux résilier mon abonnement'], detail: ["J'ai déjà redémarré la box.", ''], close: ['Merci', ''] };

/** English messages of 250–300 characters, made of the same parts. */
export function longMessages(n: number): string[] {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T,>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const out: string[] = [];
  while (out.length < n) {
    let m = `${pick(EN.open)} ${pick(EN.issue)}.`;
    while (m.length < 250) m += ` ${pick([...EN.detail, ...EN.close, pick(EN.issue) + '.'])}`;
    if (m.length <= 300) out.push(m.trim());
  }
  return out;
}

/** A deterministic mix: 60% English, 30% Dutch, 5% German, 5% French; 1–4 parts, ~20–250 characters. */
export function realisticMessages(n: number): string[] {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T,>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    const lang = r < 0.6 ? EN : r < 0.9 ? NL : r < 0.95 ? DE : FR;
    const parts = rnd() < 0.3 ? [pick(lang.issue)] : [pick(lang.open), pick(lang.issue) + '.', pick(lang.detail), pick(lang.close)];
    out.push(parts.filter(Boolean).join(' '));
  }
  return out;
}

/** Wall milliseconds; `cpu` gets this process's CPU milliseconds for the same run (steadier on a busy machine). */
let lastCpuMs = 0;
const time = (f: () => void) => {
  const c0 = process.cpuUsage(); const t0 = performance.now(); f(); const wall = performance.now() - t0;
  const c = process.cpuUsage(c0); lastCpuMs = (c.user + c.system) / 1000;
  return wall;
};

export async function benchSentimentLanguage(n = 20_000): Promise<SentimentLanguageBench> {
  const messages = realisticMessages(n);
  globalThis.gc?.();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const { analyseSentiment } = await import('../src/domains/understanding/sentiment.ts');
  const { initLanguage, detectLanguage } = await import('../src/domains/understanding/language.ts');
  await initLanguage();
  analyseSentiment('warm up'); detectLanguage('warm up');
  const loadMs = performance.now() - t0;
  globalThis.gc?.();
  const after = process.memoryUsage();

  // Warm the JIT on a tenth, then time each half alone and both together, as the labeller calls them.
  for (const m of messages.slice(0, n / 10)) { analyseSentiment(m); detectLanguage(m); }
  const sentimentMs = time(() => { for (const m of messages) analyseSentiment(m); });
  const languageMs = time(() => { for (const m of messages) detectLanguage(m); });
  const labels = { negative: 0, neutral: 0, positive: 0 };
  const languages: Record<string, number> = {};
  // As the labeller should call them: the language first, then sentiment told the language
  // (neutral for non-English text, which VADER would misread).
  let bothCpuMs = 0;
  const bothMs = time(() => {
    for (const m of messages) {
      const l = detectLanguage(m);
      labels[analyseSentiment(m, l).label]++;
      languages[l ?? 'null'] = (languages[l ?? 'null'] ?? 0) + 1;
    }
  });
  bothCpuMs = lastCpuMs;
  const long = longMessages(Math.max(1000, n / 10));
  for (const m of long.slice(0, 200)) analyseSentiment(m, detectLanguage(m));
  const longMs = time(() => { for (const m of long) analyseSentiment(m, detectLanguage(m)); });
  const longCpuMs = lastCpuMs;
  const us = (ms: number) => Math.round((ms * 1000 / n) * 10) / 10;
  return {
    messages: n, meanChars: Math.round(messages.reduce((a, m) => a + m.length, 0) / n),
    loadMs: Math.round(loadMs), heapMB: Math.round((after.heapUsed - before.heapUsed) / 1e5) / 10, rssMB: Math.round((after.rss - before.rss) / 1e5) / 10,
    sentimentUs: us(sentimentMs), languageUs: us(languageMs), bothUs: us(bothMs), messagesPerSecond: Math.round(n / (bothMs / 1000)),
    long300Us: Math.round((longMs * 1000 / long.length) * 10) / 10,
    bothCpuUs: us(bothCpuMs), long300CpuUs: Math.round((longCpuMs * 1000 / long.length) * 10) / 10,
    ...labels, languages,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await benchSentimentLanguage(Number(process.argv[2]) || 20_000);
  console.log(`sentiment + language over ${r.messages.toLocaleString('en-US')} messages (mean ${r.meanChars} chars): ` +
    `${r.bothUs} µs/message (CPU ${r.bothCpuUs} µs; ${r.messagesPerSecond.toLocaleString('en-US')} msg/s; sentiment ${r.sentimentUs} µs, language ${r.languageUs} µs); ` +
    `250–300-char English messages ${r.long300Us} µs (CPU ${r.long300CpuUs} µs); load ${r.loadMs} ms, heap +${r.heapMB} MB, RSS +${r.rssMB} MB` + (globalThis.gc ? '' : ' (run with --expose-gc for steadier memory figures)'));
  console.log(`labels: ${r.negative} negative, ${r.neutral} neutral, ${r.positive} positive; languages: ${JSON.stringify(r.languages)}`);
}
