import { describe, it, expect, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  classify, CsvError, evaluateModel, loadModel, ModelFormatError, readLabelledCsv, serializeModel, splitHoldout, trainClassifier,
  type LabelledExample, type ReasonModel,
} from '../src/domains/understanding/classifier/index.ts';

describe('readLabelledCsv', () => {
  it('reads quotes, "" escapes, embedded commas and newlines, a BOM, blank lines and CRLF', () => {
    const csv = '\uFEFFtext,label,extra\r\n"My bill, again",billing,x\r\n\r\n"He said ""cancel""\r\nnow",cancel\n\nplain text,outage\r\n';
    expect(readLabelledCsv(csv)).toEqual([
      { text: 'My bill, again', label: 'billing' },
      { text: 'He said "cancel"\nnow', label: 'cancel' },
      { text: 'plain text', label: 'outage' },
    ]);
  });
  it('names the physical line of a row without a label, counting newlines inside quotes', () => {
    const csv = 'text,label\n"two\nlines",a\nok,b\n\nno label here\n';
    expect(() => readLabelledCsv(csv)).toThrow(CsvError);
    expect(() => readLabelledCsv(csv)).toThrow('line 6: no label (second column) in this row');
  });
  it('names the line an unterminated quote opened on', () => {
    expect(() => readLabelledCsv('text,label\nfine,a\n"never closed,b\nmore,c\n')).toThrow(/line 3: .*unterminated quote/);
  });
  it('refuses an empty file and a header alone', () => {
    expect(() => readLabelledCsv('')).toThrow(/empty/);
    expect(() => readLabelledCsv('\uFEFF\r\n\r\n')).toThrow(/empty/);
    expect(() => readLabelledCsv('text,label\r\n')).toThrow(/no labelled rows/);
  });
});

/** Fibre-ISP customer messages: 6 reasons × 30, built from phrasings and tails so held-out rows are new sentences. */
function ispExamples(): LabelledExample[] {
  const phrasings: Record<string, string[]> = {
    outage: ['my internet is down', 'no connection at all', 'the fibre stopped working', 'internet not working', 'is there an outage in my street', 'lost my connection completely'],
    billing: ['why is my bill so high', 'I was charged twice', 'question about my invoice', 'wrong amount on my bill', 'please refund the extra charge', 'my payment was taken twice'],
    slow_speed: ['my speed is really slow', 'the internet is very slow', 'download speed is terrible', 'getting much less than the speed I pay for', 'wifi is sluggish', 'a speed test shows a low speed'],
    cancel: ['I want to cancel my contract', 'please cancel my subscription', 'how do I end my service', 'terminate my account', "I'm leaving, cancel everything", 'close my account'],
    move_house: ['I am moving house', 'transfer my service to a new address', 'moving to a new flat', 'can I take my fibre to my new home', 'relocating next month', 'change my installation address'],
    router: ['my router lights are blinking red', 'the router keeps restarting', 'I need a new router', 'the modem is broken', "the router won't turn on", 'replace my faulty router'],
  };
  const tails = ['', 'please help', 'since this morning', 'again', 'what can I do?', 'thanks', 'urgent', 'for the second time this week', 'can you check', 'asap'];
  const out: LabelledExample[] = [];
  for (const [label, ps] of Object.entries(phrasings)) for (let i = 0; i < 30; i++) out.push({ text: `${ps[i % ps.length]} ${tails[(i * 7 + label.length) % tails.length]}`.trim(), label });
  return out;
}

describe('train, classify, evaluate, save and load', () => {
  let model: ReasonModel;
  let holdout: LabelledExample[];
  beforeAll(() => {
    const split = splitHoldout(ispExamples(), 0.2, 4);
    holdout = split.holdout;
    model = trainClassifier(split.train, { seed: 1 });
  }, 60_000);

  it('reaches the accuracy floor on held-out rows and names the deciding words', () => {
    const ev = evaluateModel(model, holdout);
    expect(ev.n).toBe(holdout.length);
    expect(ev.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(ev.macroF1).toBeGreaterThanOrEqual(0.9);
    expect(ev.perClass).toHaveLength(6);
    const p = classify(model, 'My router keeps restarting every hour');
    expect(p.label).toBe('router');
    expect(p.evidence.map((w) => w.toLowerCase())).toContain('router');
    expect(p.evidence.length).toBeGreaterThanOrEqual(1);
    expect(p.evidence.length).toBeLessThanOrEqual(5);
    expect(p.ranked).toHaveLength(3);
    expect(p.ranked[0]).toEqual({ label: p.label, confidence: p.confidence });
  });

  it('is less confident about gibberish than about an in-scope message', () => {
    const inScope = classify(model, 'I was charged twice on my invoice');
    const gibberish = classify(model, 'zxqv plorf wibble 12345 qqq');
    expect(inScope.label).toBe('billing');
    expect(gibberish.confidence).toBeLessThan(inScope.confidence);
    expect(inScope.confidence).toBeGreaterThan(0.5);
  });

  it('round-trips through bytes, predicting the same', () => {
    const bytes = serializeModel(model);
    expect(serializeModel(model).equals(bytes)).toBe(true);
    const loaded = loadModel(new Uint8Array(bytes));
    expect(loaded.labels).toEqual(model.labels);
    expect(loaded.n).toBe(model.n);
    for (const e of holdout) expect(classify(loaded, e.text)).toEqual(classify(model, e.text));
  });

  it('refuses corrupt bytes and another format version with a clear error', () => {
    const bytes = serializeModel(model);
    const damaged = Buffer.from(bytes);
    damaged[Math.floor(damaged.length / 2)] ^= 0xff;
    expect(() => loadModel(damaged)).toThrow(ModelFormatError);
    expect(() => loadModel(damaged)).toThrow(/model file is corrupt/);
    expect(() => loadModel(Buffer.from('hello, not a model'))).toThrow(/model file is corrupt/);
    const v3 = Buffer.from(bytes);
    v3.writeUInt16LE(3, 4);
    expect(() => loadModel(v3)).toThrow('model format version 3, this Candor reads version 1');
  });
});

/** Runs the CLI without blocking this worker (a synchronous child would stall vitest's own messages). */
function cli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => execFile('node', ['bin/candor.mjs', ...args], { encoding: 'utf8' }, (err, stdout, stderr) =>
    resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr })));
}

describe('candor reasons CLI', () => {
  it('trains, then evaluates with --json as the last line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-reasons-'));
    const { train, holdout } = splitHoldout(ispExamples(), 0.2, 9);
    const csv = (rows: LabelledExample[]) => 'text,category\n' + rows.map((r) => `"${r.text.replace(/"/g, '""')}",${r.label}`).join('\n') + '\n';
    writeFileSync(join(dir, 'train.csv'), csv(train));
    writeFileSync(join(dir, 'test.csv'), csv(holdout));
    const model = join(dir, 'model.bin');
    const { stdout: out } = await cli(['reasons', 'train', '--csv', join(dir, 'train.csv'), '--out', model]);
    expect(out).toMatch(/trained on 144 examples, 6 labels/);
    const { stdout: ev } = await cli(['reasons', 'eval', '--model', model, '--csv', join(dir, 'test.csv'), '--json']);
    const last = JSON.parse(ev.trim().split('\n').at(-1)!);
    expect(last.n).toBe(36);
    expect(last.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(last.macroF1).toBeGreaterThan(0);

    const missing = await cli(['reasons', 'eval', '--csv', join(dir, 'test.csv')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--model/);
    writeFileSync(join(dir, 'bad.csv'), 'text,label\nok,a\nno label\n');
    const bad = await cli(['reasons', 'eval', '--model', model, '--csv', join(dir, 'bad.csv')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/line 3: no label/);
    writeFileSync(join(dir, 'junk.bin'), 'junk');
    const junk = await cli(['reasons', 'eval', '--model', join(dir, 'junk.bin'), '--csv', join(dir, 'test.csv')]);
    expect(junk.status).toBe(1);
    expect(junk.stderr).toMatch(/model file is corrupt/);
  }, 120_000);
});
