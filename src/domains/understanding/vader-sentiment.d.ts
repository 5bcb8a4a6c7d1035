// vader-sentiment 1.1.3 ships no types. Only what sentiment.ts uses is declared: the CommonJS
// bundle exports one class whose methods are all static.
declare module 'vader-sentiment' {
  export class SentimentIntensityAnalyzer {
    /** compound: the normalised valence sum, -1..1, rounded to 4 decimals; neg/neu/pos: proportions. */
    static polarity_scores(text: string): { neg: number; neu: number; pos: number; compound: number };
    /** The valence VADER adds for '!' (up to 4) and '?' (2 or more) in `text`; `sum` is unused. */
    static punctuation_emphasis(sum: number, text: string): number;
  }
  const vader: { SentimentIntensityAnalyzer: typeof SentimentIntensityAnalyzer };
  export default vader;
}
