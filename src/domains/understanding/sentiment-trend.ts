/**
 * Where a conversation's mood went: the sentiment scores (-1..1) of its customer messages, in
 * order, reduced to improving / worsening / steady.
 *
 * Method: `start` is the mean score of the first third of the messages and `end` the mean of the
 * last third (each third is ceil(n / 3) messages, so with 2 messages they are the first and the
 * last, and with 3 the middle one counts for neither). The trend is `end - start` against a
 * dead-band of DEAD_BAND: a move smaller than that is steady. Means of thirds rather than a
 * least-squares slope because a support conversation's arc is "how it opened vs how it closed",
 * and one odd message in the middle should not tilt it; the thirds also give `start` and `end`
 * figures a person can read. Fewer than 2 scores is steady (start = end = the score, or 0).
 * Non-finite scores are ignored.
 */
export type SentimentTrend = { label: 'improving' | 'worsening' | 'steady'; start: number; end: number };

/** The smallest change of mean score that counts as a trend (VADER's own neutral band is ±0.05 per message). */
export const DEAD_BAND = 0.15;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function sentimentTrend(scores: number[]): SentimentTrend {
  const s = scores.filter(Number.isFinite);
  if (s.length === 0) return { label: 'steady', start: 0, end: 0 };
  if (s.length === 1) return { label: 'steady', start: s[0], end: s[0] };
  const k = Math.ceil(s.length / 3);
  const start = mean(s.slice(0, k));
  const end = mean(s.slice(-k));
  const delta = end - start;
  return { label: delta > DEAD_BAND ? 'improving' : delta < -DEAD_BAND ? 'worsening' : 'steady', start, end };
}
