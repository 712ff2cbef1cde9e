import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DocFormat } from '@evalshard/scorer';
import { goldSurveyNeeded, scoreOptionsFor, unsurveyedGold, type ScoreFlags } from './scoreOptions.js';
import type { GoldSurvey } from './surveyGold.js';

const FAMILIES = ['tokenization', 'sents', 'tag', 'pos', 'morph', 'lemma', 'morph_per_feat', 'deps', 'ents', 'spans:sc', 'spans:10', 'seqeval', 'cats'];

const survey = fc.record<GoldSurvey>({
  docs: fc.nat(),
  spanKeys: fc.uniqueArray(fc.constantFrom('sc', '10', 'ñ', ''), { maxLength: 3 }),
  catLabels: fc.uniqueArray(fc.constantFrom('POS', 'NEG', '1', '0'), { maxLength: 3 }),
  tagged: fc.boolean(),
});
const flags = fc.record<ScoreFlags>(
  {
    scorers: fc.uniqueArray(fc.constantFrom(...FAMILIES), { minLength: 1, maxLength: 5 }),
    catsLabels: fc.uniqueArray(fc.constantFrom('POS', 'NEG', '2'), { minLength: 1, maxLength: 3 }),
    bootstrap: fc.integer({ min: 1, max: 5 }),
    multiLabel: fc.boolean(),
  },
  { requiredKeys: [] },
);

describe('goldSurveyNeeded', () => {
  it('is false only where the options do not depend on what the gold annotates', () => {
    fc.assert(
      fc.property(flags, survey, fc.constantFrom<DocFormat>('jsonl', 'conllu', 'iob'), (given, surveyed, format) => {
        const real = { ...surveyed, tagged: format === 'iob' };
        const outcome = (from: GoldSurvey) => {
          try {
            return scoreOptionsFor(given, {}, from);
          } catch (error) {
            return (error as Error).message;
          }
        };
        if (!goldSurveyNeeded(given, {})) expect(outcome(unsurveyedGold(format))).toEqual(outcome(real));
        else expect(given.scorers === undefined || (given.scorers.includes('cats') && given.catsLabels === undefined)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('asks for the survey for the default families and for unnamed category labels, from flags or config', () => {
    expect(goldSurveyNeeded({}, {})).toBe(true);
    expect(goldSurveyNeeded({ scorers: ['cats'] }, {})).toBe(true);
    expect(goldSurveyNeeded({ scorers: ['cats'] }, { cats: { labels: ['A'] } })).toBe(false);
    expect(goldSurveyNeeded({}, { scorers: ['tag'] })).toBe(false);
  });
});
