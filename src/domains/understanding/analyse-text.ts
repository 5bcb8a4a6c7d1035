import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { parseInput } from '../../platform/errors.ts';
import { classify } from './classifier/index.ts';
import { analyseSentiment } from './sentiment.ts';
import { detectLanguage, initLanguage } from './language.ts';
import { liveReasonModel, type LiveModel } from './live-model.ts';
import { understandingSettings } from './settings.ts';
import { AnalyseTextInput, UNKNOWN_REASON } from './understanding.schemas.ts';

export type TextLabels = {
  reason: string | null; reasonConfidence: number | null; evidence: string[]; ranked: { reason: string; confidence: number }[];
  sentiment: 'negative' | 'neutral' | 'positive'; sentimentScore: number; language: string | null; modelVersion: number | null;
};

/** Loads what labelText needs (the language detector's tables) once; later calls return at once. */
export const readyToLabel = (): Promise<void> => initLanguage();

/**
 * What one text says: its contact reason from the live model ('unknown' below the workspace's
 * confidence floor, null when the workspace has no model), its sentiment and its language.
 * Synchronous once readyToLabel() has resolved: the labeller calls it for every customer message.
 */
export function labelText(live: LiveModel | null, text: string, unknownBelow: number): TextLabels {
  const language = detectLanguage(text);
  const s = analyseSentiment(text, language);
  if (!live) return { reason: null, reasonConfidence: null, evidence: [], ranked: [], sentiment: s.label, sentimentScore: round(s.score), language, modelVersion: null };
  const r = classify(live.model, text);
  const known = r.confidence >= unknownBelow;
  return {
    reason: known ? r.label : UNKNOWN_REASON, reasonConfidence: round(r.confidence), evidence: known ? telling(r.evidence) : [],
    ranked: r.ranked.map((x) => ({ reason: x.label, confidence: round(x.confidence) })),
    sentiment: s.label, sentimentScore: round(s.score), language, modelVersion: live.version,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Words that carry weight in a model but tell a person nothing about why (English and Dutch). */
const FILLER = new Set(('a an the is are was were be been am i me my mine you your we our us it its this that these those to of in on at for from by with and or but '
  + 'so if as do does did have has had not no yes since there here what when why how can could would will should please hi hello '
  + 'de het een en of is zijn ik mijn je jij u uw we wij ons het dat die deze dit van in op aan voor met naar niet geen er wat hoe kan wil').split(' '));
const telling = (words: string[]) => words.filter((w) => !FILLER.has(w.toLowerCase())).slice(0, 4);

/**
 * Labels any unstructured text the workspace holds (a survey comment, a community post, a
 * transcript) with the same model and rules as its messages.
 */
export async function analyseText({ ctx, input }: { ctx: Ctx; input: { text: string } }): Promise<TextLabels> {
  authorize(ctx, 'conversations:read');
  const { text } = parseInput(AnalyseTextInput, input);
  const [live, settings] = await Promise.all([liveReasonModel(ctx), understandingSettings(ctx), readyToLabel()]);
  return labelText(live, text, settings.unknownBelow);
}
