/**
 * Sentiment of one customer message: a label and a signed score in -1..1.
 *
 * Engine: VADER (the `vader-sentiment` port, lexicon of ~7,500 scored words and emoticons, with
 * rules for negation, boosters such as "very", ALL-CAPS emphasis, "!" and "but"). It was measured
 * against wink-nlp + wink-eng-lite-web-model on the same hand-picked customer-service sentences:
 * wink handles negation well but has no intensity ("very very angry" scores as "angry") and no
 * contrast ("The product is great but the delivery was terrible" scores 0), and it has no way to
 * add words to its lexicon; VADER had intensity and contrast and was fast enough (about 25 µs for a
 * short message vs wink's 15 µs). So VADER it is, with a thin layer around it that this file owns:
 *
 * 1. Clauses. The message is cut into clauses (at . ! ? , ; line breaks, dashes, and before "but" /
 *    "however"). Each clause is scored by VADER and VADER's compound score is turned back into its
 *    valence sum (compound = x / sqrt(x² + 15), VADER's own normalisation), so the sums add up as
 *    VADER would add them word by word. Then VADER's "but" rule is applied across clauses: the
 *    clauses before the last contrast weigh 0.5, the rest 1.5. A contrast is an explicit "but" /
 *    "however", or, failing one, the last place where the polarity of consecutive clauses flips
 *    ("Great product, terrible delivery." is read as "Great product, but terrible delivery.").
 *    "!" (up to 4) and "??" are counted once for the whole message, as VADER does.
 * 2. Fixes for this port (1.1.3, 2018), which lags the Python original: its negation test is
 *    case-sensitive ("Not happy at all" scored +0.57, "NOT GOOD" +0.44), so negators and all-caps
 *    clauses are lower-cased first; and "no" before a word negates it ("no good"), as in VADER 3.3.
 * 3. A small domain lexicon (DOMAIN below) for how customers of a service business complain. The
 *    port has no extension mechanism (its lexicon is sealed inside a webpack bundle), so each entry
 *    is a phrase with a valence on VADER's scale (-4..4): a matched phrase is cut out of the text
 *    VADER sees and its valence is added to the clause instead (negated, × -0.74 as VADER does, when
 *    one of the 3 words before it is a negator and the entry allows it). "still" / "again" /
 *    "anymore" add VADER's booster step (0.293 each, at most 2) to a message that is already
 *    negative ("still not working", "down again"), and nothing otherwise ("thanks again!").
 *
 * Label: VADER's recommended thresholds, score ≥ 0.05 positive, ≤ -0.05 negative, else neutral.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vader from 'vader-sentiment';

const VADER = vader.SentimentIntensityAnalyzer;

/**
 * The words of VADER's lexicon, from the copy the package ships beside its bundle (the same 7,503
 * entries): a clause none of whose tokens is in it scores exactly 0, so VADER, which costs ~1 µs
 * a word, is not asked.
 */
const LEXICON = new Set(
  readFileSync(createRequire(import.meta.url).resolve('vader-sentiment/vader_lexicon.txt'), 'utf8')
    .split('\n').map((line) => line.slice(0, line.indexOf('\t'))).filter(Boolean),
);
/** VADER's own punctuation set: a token is looked up as it is and with all of these removed. */
const VADER_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** VADER looks up a token as it is or without its punctuation: true if either form is in the lexicon. */
function inLexicon(token: string): boolean {
  const t = token.toLowerCase();
  return LEXICON.has(t) || LEXICON.has(t.replace(VADER_PUNCTUATION, ''));
}

/** VADER's "isupper" and its test that some, not all, words are in capitals. */
const isUpper = (w: string) => /^[^a-z]*[A-Z]+[^a-z]*$/.test(w);
const capDifferential = (words: string[]) => { const up = words.filter(isUpper).length; return up > 0 && up < words.length; };

/**
 * VADER's valence sum for one clause, asking VADER about as few words as give the same sum. It costs
 * ~1 µs a word (it builds a map of every word with every punctuation mark), and a lexicon word's
 * valence depends only on the 3 words before it and the 2 after (negators, boosters, idioms, "kind
 * of"), plus whether the clause has some words in capitals. So VADER is given only those windows,
 * in order, with a lower-case filler word when the clause had capitals beside lower-case. A clause
 * with no lexicon word is 0 without asking; one with "but" in it (not at its start) is given whole.
 */
function vaderValence(text: string): number {
  const words = text.split(/\s/).filter((w) => w.length > 1); // VADER's own tokens
  const keep = new Uint8Array(words.length);
  let kept = 0;
  for (let i = 0; i < words.length; i++) {
    if (!inLexicon(words[i])) continue;
    for (let j = Math.max(0, i - 3); j <= Math.min(words.length - 1, i + 2); j++) if (!keep[j]) { keep[j] = 1; kept++; }
  }
  if (kept === 0) return 0;
  if (kept === words.length || words.includes('but') || words.includes('BUT')) return valenceOf(VADER.polarity_scores(text).compound);
  let windows = words.filter((_, i) => keep[i]).join(' ');
  if (capDifferential(words)) windows += ' zz';
  return valenceOf(VADER.polarity_scores(windows).compound);
}

export type Sentiment = { label: 'negative' | 'neutral' | 'positive'; score: number };

/** VADER's normalisation constant, its "but" weights, its negation scalar and its booster step. */
const ALPHA = 15;
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
const N_SCALAR = -0.74;
const BOOST = 0.293;
const THRESHOLD = 0.05;

/** `keys`: substrings one of which every match contains (lower-case); an entry is tried only on a clause holding one. */
type Entry = { re: RegExp; valence: number; negatable: boolean; keys: string[] | null };
const entry = (keys: string[] | null, source: string, valence: number, negatable = false): Entry => ({ re: new RegExp(source, 'giu'), valence, negatable, keys });

// Every entry is matched case-insensitively, in this order, on a clause with ’ made '. A matched
// phrase is not seen by VADER. Valences are on VADER's scale: "broken" is -2.1, "problem" -1.7,
// "cancel" -1.0, "great" 3.1, "please" 1.3.
const NT = "(?:is|are|was|were|do|does|did|has|have|had|wo|ca|could|would|should)n'?t|cannot|can not|not|never";
const DOMAIN: Entry[] = [
  // Things that do not work: "still not working", "doesn't connect", "nothing works", "stopped working".
  entry(['work', 'connect', 'load', 'charg', 'respond', 'turn', 'stream', 'sync', 'send', 'print'], `\\b(?:${NT}|nothing|stopped|stops|keeps? stopping)\\s+(?:(?:be|been|even|really|seem to|seems to|is|at all)\\s+)?(?:working|work|works|connecting|connect|loading|load|charging|charge|responding|respond|turning on|turn on|streaming|syncing|sending|printing)\\b`, -1.8),
  // Repairs that did not happen: "not fixed", "still hasn't been resolved" (before the positive entry).
  entry(['fixed', 'resolved', 'solved', 'sorted', 'repaired', 'restored'], `\\b(?:${NT})\\s+(?:(?:been|yet|even|really|got|gotten|being)\\s+)?(?:fixed|resolved|solved|sorted|repaired|restored)\\b`, -1.5),
  // Outages: "the internet is down", "has been down since Monday"; "no signal", "lost connection".
  entry(['down'], `\\b(?:is|are|was|were|been|be|went|goes|going|gone|keeps? going|still)\\s+down\\b|\\bdown(?=\\s+(?:again|since|for|all)\\b)`, -1.5, true),
  entry(['outage', 'disruption', 'blackout', 'no', 'los'], `\\b(?:outages?|disruptions?|blackouts?|no\\s+(?:internet|signal|connection|connectivity|service|wifi|wi-fi|power|network|reception|dial tone|broadband|coverage|tv)|(?:lost|losing|lose)\\s+(?:the\\s+|my\\s+)?(?:internet|signal|connection|wifi|wi-fi|power|network))\\b`, -1.5),
  // Flaky service: "my wifi keeps dropping", "disconnects", "buffering", "slow".
  entry(['keep', 'disconnect', 'drop', 'cut', 'offline', 'buffering', 'lag', 'unusable'], `\\bkeeps?\\s+(?:on\\s+)?(?:dropping|disconnecting|crashing|freezing|failing|rebooting|restarting|buffering|cutting out|dropping out|going off|logging me out)\\b|\\b(?:disconnect(?:s|ed|ing)?|dropp(?:ing|ed|s) out|cuts? out|cutting out|offline|buffering|lagg?(?:y|ing)|unusable)\\b`, -1.5, true),
  entry(['slow', 'sluggish'], `\\b(?:slow|sluggish)\\b`, -1.2, true),
  // Billing faults: "charged twice", "overcharged", "wrong bill".
  entry(['charg', 'billed', 'debited', 'wrong'], `\\b(?:(?:charged|billed|debited)\\s+(?:me\\s+)?(?:twice|double|two times|again|too much|wrongly|incorrectly)|over-?charg\\w*|double[- ]charg\\w*|wrong(?:ly)?\\s+(?:bill|charge|amount|invoice))\\b`, -1.5),
  // Waiting and being ignored: "still waiting", "waiting for 3 days", "nobody came", "never arrived".
  entry(['waiting', 'on hold'], `\\b(?:(?:been|still|keep|kept|am)\\s+waiting|waiting\\s+(?:for\\s+)?(?:over\\s+|more than\\s+)?(?:an?|\\d+|two|three|four|five|several|many)\\s+(?:hours?|days?|weeks?|months?)|on hold for)\\b`, -1.2),
  entry(['no', 'never', "n't", 'didnt', 'hasnt', 'havent'], `\\b(?:no\\s+(?:reply|response|answer|one\\s+(?:came|called|answered|replied|showed up))|nobody\\s+(?:came|called|answered|replied|showed up|got back)|never\\s+(?:arrived|came|showed up|replied|called back|got back|received)|(?:didn'?t|did not|hasn'?t|has not|haven'?t|have not)\\s+(?:arrived|come|shown up|show up|turn up|turned up|received|heard back|called back|got back))\\b`, -1.5),
  // Leaving: "I want to cancel", "cancel my contract", "switching providers", "cancellation".
  entry(['cancel', 'terminat', 'end', 'close', 'leave', 'switch'], `\\b(?:(?:cancel(?:l?ing|l?ed|s)?|terminate|end|close)\\s+(?:my|the|our)\\s+(?:contract|subscription|account|service|plan|membership|package)|(?:want|going|need|like)\\s+to\\s+(?:cancel|leave|switch|terminate)|switch(?:ing)?\\s+(?:to\\s+another|providers?|suppliers?)|cancell?ation)\\b`, -1.5),
  // Exasperation VADER misreads ("joke" is +1.2 in its lexicon).
  entry(['joke', 'fed up', 'sick', 'enough', 'straw', 'waste'], `\\b(?:is|what|such)\\s+a\\s+(?:total\\s+|complete\\s+)?joke\\b|\\b(?:fed up|sick (?:and tired )?of|had enough|last straw|waste of (?:time|money))\\b`, -2.0),
  // Things that work again: "all sorted now", "that fixed it", "working again", "back online".
  entry(['sorted', 'fixed', 'resolved', 'solved', 'work', 'back', 'running'], `\\b(?:(?:all|it's|its|that's|thats|is|got it|now)\\s+sorted|(?:is|it's|that|has been|got|all|you)\\s+(?:fixed|resolved|solved)|fixed\\s+it|(?:works?|working)\\s+(?:again|now|fine|perfectly|great)|back\\s+(?:up|online|on)|problem solved|issue resolved|up and running)\\b`, 1.5, true),
  entry(['no'], `\\bno\\s+(?:problem|problems|worries|issue|issues|trouble)\\b`, 0.8),
  // Politeness and requests VADER scores positive: "please" (+1.3), "can you help" (+1.7), "I'd like to" (+1.5).
  entry(['please', 'pls', 'plz'], `\\b(?:please|pls|plz)\\b`, 0),
  entry(['help'], `\\b(?:can|could|would|will)\\s+(?:you|someone|somebody|anyone|u)\\s+(?:please\\s+)?help\\b|\\b(?:need|want|like|get)\\s+(?:some\\s+|your\\s+)?help\\b|\\bhelp\\s+(?:me|us|with)\\b|\\bhelp\\s*(?:desk|line)\\b`, 0),
  entry(['like'], `(?:\\bwould|'d)\\s+like\\b|\\b(?:looks?|seems?|feels?|sounds?)\\s+like\\b`, 0),
  // A bare acknowledgement ("ok", "okay" as a whole clause; VADER: +1.2) says nothing of mood.
  entry(null, `^\\s*(?:ok|okay|k|kk|alright)\\s*$`, 0),
];

const NEGATOR = /^(?:not|no|never|none|nothing|nobody|neither|nor|without|cannot|hardly|\w+n'?t)$/i;
const NEGATOR_TOKEN = /\b(?:not|never|none|nothing|nobody|neither|nor|without|cannot|\w+n't)\b/giu;
const BOOSTERS = /\b(?:still|again|anymore|any more)\b/giu;
const CLAUSE = /[.!?,]+|;(?=\s)|\n+|\s[-–—]+\s|\s+(?=(?:but|however)\b)/iu;
const CONTRAST = /^\s*(?:but|however)\b[\s,]*/iu;

/** VADER's compound score back to the valence sum it normalised (4-decimal rounding makes |c| < 1 safe to clamp). */
function valenceOf(compound: number): number {
  const c = Math.min(Math.abs(compound), 0.9999);
  return Math.sign(compound) * c * Math.sqrt(ALPHA / (1 - c * c));
}

function negatedBefore(text: string, index: number): boolean {
  const words = text.slice(0, index).trim().split(/\s+/).slice(-3);
  return words.some((w) => NEGATOR.test(w));
}

/** One clause: its valence sum (domain phrases plus VADER on the rest) and the text VADER saw. */
function scoreClause(clause: string): { valence: number; rest: string } {
  let text = /\p{Ll}/u.test(clause) ? clause : clause.toLowerCase();
  let valence = 0;
  const lower = text.toLowerCase();
  for (const e of DOMAIN) {
    if (e.keys && !e.keys.some((k) => lower.includes(k))) continue;
    e.re.lastIndex = 0;
    if (!e.re.test(text)) continue;
    text = text.replace(e.re, (match: string, ...args: unknown[]) => {
      const index = args[args.length - 2] as number;
      valence += e.negatable && negatedBefore(text, index) ? e.valence * N_SCALAR : e.valence;
      return ' ';
    });
  }
  const rest = text.replace(NEGATOR_TOKEN, (w) => w.toLowerCase()).replace(/\bno(?=\s+\p{L})/giu, 'not');
  valence += vaderValence(rest);
  return { valence, rest };
}

const NEUTRAL: Sentiment = { label: 'neutral', score: 0 };

/**
 * The sentiment of `text`. VADER and the domain lexicon are English: German "die" and Spanish
 * "sin" are strongly negative words to them. Pass the message's detected language (detectLanguage)
 * as `language` and a text in any other language is neutral (score 0) instead of misread; null or
 * no argument means unknown, and the text is scored as English.
 */
export function analyseSentiment(text: string, language?: string | null): Sentiment {
  if (language && language !== 'en') return { ...NEUTRAL };
  const plain = text.replace(/[’‘]/g, "'");
  const clauses: { valence: number; contrast: boolean }[] = [];
  let visible = '';
  for (const part of plain.split(CLAUSE)) {
    if (!part || !part.trim()) continue;
    const contrast = CONTRAST.test(part);
    const { valence, rest } = scoreClause(contrast ? part.replace(CONTRAST, '') : part);
    clauses.push({ valence, contrast });
    visible += ` ${rest}`;
  }

  // The pivot: the last explicit "but"/"however", else the last flip of polarity between clauses.
  let pivot = -1;
  for (let i = 0; i < clauses.length; i++) if (clauses[i].contrast) pivot = i;
  if (pivot < 0) {
    let lastSign = 0;
    for (let i = 0; i < clauses.length; i++) {
      const sign = Math.sign(clauses[i].valence);
      if (sign === 0) continue;
      if (lastSign !== 0 && sign !== lastSign) pivot = i;
      lastSign = sign;
    }
  }
  let sum = 0;
  for (let i = 0; i < clauses.length; i++) sum += clauses[i].valence * (pivot < 0 ? 1 : i < pivot ? BEFORE_CONTRAST : AFTER_CONTRAST);

  if (sum < 0) sum -= BOOST * Math.min(2, visible.match(BOOSTERS)?.length ?? 0);
  if (sum !== 0) sum += Math.sign(sum) * VADER.punctuation_emphasis(sum, plain);

  const score = sum / Math.sqrt(sum * sum + ALPHA);
  return { label: score >= THRESHOLD ? 'positive' : score <= -THRESHOLD ? 'negative' : 'neutral', score };
}
