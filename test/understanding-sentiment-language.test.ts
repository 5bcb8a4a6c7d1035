import { beforeAll, describe, expect, it, vi } from 'vitest';
import { analyseSentiment } from '../src/domains/understanding/sentiment.ts';
import { detectLanguage, initLanguage, languageReady } from '../src/domains/understanding/language.ts';
import { DEAD_BAND, sentimentTrend } from '../src/domains/understanding/sentiment-trend.ts';

const score = (t: string) => analyseSentiment(t).score;
const label = (t: string) => analyseSentiment(t).label;

describe('analyseSentiment', () => {
  it('reads negation both ways', () => {
    expect(label('I am happy')).toBe('positive');
    expect(label('I am not happy at all')).toBe('negative');
    // The vader-sentiment port's negation is case-sensitive; a capital "Not" must still negate.
    expect(label('Not happy at all')).toBe('negative');
    expect(label('NOT GOOD')).toBe('negative');
    expect(label('I love it')).toBe('positive');
    expect(label("I don't love it")).toBe('negative');
    expect(label('bad')).toBe('negative');
    expect(label('not bad')).not.toBe('negative');
    expect(score('not bad')).toBeGreaterThan(score('bad'));
    expect(label("It's not terrible")).not.toBe('negative');
    expect(label('no good')).toBe('negative');
  });

  it('reads intensity: boosters, capitals and exclamation marks', () => {
    expect(score('angry')).toBeLessThan(0);
    expect(score('very very angry')).toBeLessThan(score('angry'));
    expect(score('I am so angry')).toBeLessThan(score('I am angry'));
    expect(score('I am ANGRY')).toBeLessThan(score('I am angry'));
    expect(score('still not working!!!')).toBeLessThan(score('still not working'));
    expect(score('I am very happy')).toBeGreaterThan(score('I am happy'));
  });

  it('weighs the latter part of a contrast', () => {
    expect(label('Great product, terrible delivery.')).toBe('negative');
    expect(label('Terrible delivery, great product.')).toBe('positive');
    expect(label('The product is great but the delivery was terrible')).toBe('negative');
    expect(label('The delivery was terrible but the product is great')).toBe('positive');
    expect(label("Thanks for the quick reply, but it's still not working")).toBe('negative');
    expect(label('Although the engineer was friendly, the internet is still down')).toBe('negative');
  });

  it('reads customer-service complaints that have no sentiment words as negative', () => {
    for (const t of ['my internet has been down for 3 days', 'I want to cancel', 'still not working!!!', 'the internet is down again',
      'hi, my wifi keeps dropping', 'I was charged twice', "I've been waiting for two hours", 'Nothing works', 'this is a joke', 'it still isn\'t fixed']) {
      expect([t, label(t)]).toEqual([t, 'negative']);
    }
    expect(score('the internet is down again')).toBeLessThan(score('the internet is down'));
  });

  it('reads thanks and fixes as positive, and questions, requests and acknowledgements as neutral', () => {
    for (const t of ['thanks, all sorted now', 'perfect, that fixed it', 'works again, thank you!', 'no problem, thanks', 'Thanks again!']) {
      expect([t, label(t)]).toEqual([t, 'positive']);
    }
    for (const t of ['what is my bill this month?', 'Can you help me reset my password?', "I'd like to upgrade my plan", 'When will the engineer arrive?', 'ok', 'Please call me back']) {
      expect([t, label(t)]).toEqual([t, 'neutral']);
    }
  });

  it('keeps the score in -1..1 and labels by its sign with a dead-band', () => {
    for (const t of ['', '   ', '!!!', 'THIS IS THE WORST SERVICE EVER!!!! I HATE IT, TERRIBLE, AWFUL, DISGUSTING', 'best best best amazing wonderful love love love!!!!']) {
      const s = analyseSentiment(t);
      expect(s.score).toBeGreaterThanOrEqual(-1);
      expect(s.score).toBeLessThanOrEqual(1);
      expect(s.label).toBe(s.score >= 0.05 ? 'positive' : s.score <= -0.05 ? 'negative' : 'neutral');
    }
    expect(analyseSentiment('')).toEqual({ label: 'neutral', score: 0 });
  });

  it('scores text in another language as neutral when told the language, English as before', () => {
    expect(analyseSentiment('die TV-Box startet ständig neu', 'de')).toEqual({ label: 'neutral', score: 0 });
    expect(analyseSentiment('mijn internet doet het niet meer', 'nl')).toEqual({ label: 'neutral', score: 0 });
    expect(analyseSentiment('I am very angry', 'en')).toEqual(analyseSentiment('I am very angry'));
    expect(analyseSentiment('I am very angry', null).label).toBe('negative');
  });
});

describe('detectLanguage', () => {
  it('throws before initLanguage() has loaded the detector', async () => {
    vi.resetModules();
    const fresh = await import('../src/domains/understanding/language.ts');
    expect(fresh.languageReady()).toBe(false);
    expect(() => fresh.detectLanguage('hello, my wifi is down')).toThrow(/initLanguage/);
    await fresh.initLanguage();
    expect(fresh.languageReady()).toBe(true);
    expect(fresh.detectLanguage('hello, my wifi is down')).toBe('en');
  });

  beforeAll(async () => { await initLanguage(); });

  it.each([
    ['en', 'hi, my wifi keeps dropping'], ['en', 'my internet has been down for 3 days'], ['en', 'I want to cancel my contract'], ['en', 'thanks, all sorted now'],
    ['nl', 'mijn internet doet het niet meer sinds gisteren'], ['nl', 'hoi, mijn wifi valt steeds weg'], ['nl', 'ik wil mijn abonnement opzeggen'], ['nl', 'werkt niet'],
    ['de', 'mein Internet funktioniert seit gestern nicht mehr'], ['de', 'ich möchte kündigen'], ['de', 'kein Internet'],
    ['fr', 'mon internet ne marche plus depuis hier'], ['fr', 'je veux résilier mon abonnement'], ['fr', 'merci beaucoup'],
    ['es', 'mi internet no funciona desde ayer'],
  ])('%s: %s', (lang, text) => {
    expect(languageReady()).toBe(true);
    expect(detectLanguage(text)).toBe(lang);
  });

  it('is null for text too short or unclear to tell', () => {
    for (const t of ['ok', '123', '👍', '', '   ', 'hi', '?!', 'https://example.com/a/b 0612345678']) expect([t, detectLanguage(t)]).toEqual([t, null]);
  });

  it('ignores numbers, links and addresses', () => {
    expect(detectLanguage('mijn nummer is 0612345678, bel me terug')).toBe('nl');
    expect(detectLanguage('see https://fibrelink.example/status/12345 my internet is still down')).toBe('en');
  });
});

describe('sentimentTrend', () => {
  it('is improving when the last third is clearly above the first', () => {
    const t = sentimentTrend([-0.8, -0.5, -0.1, 0.3, 0.6]);
    expect(t.label).toBe('improving');
    expect(t.start).toBeCloseTo(-0.65); // mean of the first ceil(5/3) = 2
    expect(t.end).toBeCloseTo(0.45);
  });

  it('is worsening when the last third is clearly below the first', () => {
    const t = sentimentTrend([0.5, 0.4, 0.0, -0.3, -0.6, -0.7]);
    expect(t.label).toBe('worsening');
    expect(t.start).toBeCloseTo(0.45);
    expect(t.end).toBeCloseTo(-0.65);
  });

  it('is steady for a flat sequence, a move inside the dead-band, or an odd message in the middle', () => {
    expect(sentimentTrend([0.1, 0.12, 0.08, 0.1]).label).toBe('steady');
    expect(sentimentTrend([0, DEAD_BAND - 0.01]).label).toBe('steady');
    expect(sentimentTrend([0, DEAD_BAND + 0.01]).label).toBe('improving');
    expect(sentimentTrend([0, -DEAD_BAND - 0.01]).label).toBe('worsening');
    expect(sentimentTrend([-0.5, 0.9, -0.5]).label).toBe('steady');
  });

  it('is steady with fewer than two scores and ignores non-finite ones', () => {
    expect(sentimentTrend([])).toEqual({ label: 'steady', start: 0, end: 0 });
    expect(sentimentTrend([-0.4])).toEqual({ label: 'steady', start: -0.4, end: -0.4 });
    expect(sentimentTrend([Number.NaN, -0.6, 0.5, Number.POSITIVE_INFINITY])).toEqual({ label: 'improving', start: -0.6, end: 0.5 });
  });

  it('follows a conversation that ends well, and one that goes sour', () => {
    const good = ['my internet has been down for 3 days', 'still not working!!!', 'ok, trying that now', 'thanks, all sorted now'];
    expect(sentimentTrend(good.map(score)).label).toBe('improving');
    const sour = ['hi, quick question about my bill', 'I was charged twice', 'this is a joke, I want to cancel'];
    expect(sentimentTrend(sour.map(score)).label).toBe('worsening');
  });
});
