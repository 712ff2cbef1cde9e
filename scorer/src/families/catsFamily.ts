import type { TextcatOptions } from '../textcat/textcatOptions.js';
import { decodeTextcatState, encodeTextcatState } from '../textcat/textcatCodec.js';
import { scoreTextcat } from '../textcat/scoreTextcat.js';
import { initTextcatState, mergeTextcatState, type TextcatState } from '../textcat/textcatState.js';
import { labelIndexOf, updateTextcat } from '../textcat/updateTextcat.js';
import type { ScoreFamily } from './scoreFamily.js';

/** Scorer.score_cats over the documents' `cats`, as the textcat component calls it. */
export function catsFamily(options: TextcatOptions): ScoreFamily<TextcatState> {
  const labelIndex = labelIndexOf(options);
  return {
    name: 'cats',
    init: () => initTextcatState(options),
    annotates: (example) => example.gold.cats.length > 0,
    update: (state, example) => updateTextcat(state, options, labelIndex, example.gold.cats, example.predicted.cats),
    merge: (left, right) => mergeTextcatState(left, right),
    finalize: (state) => ({ ...scoreTextcat(state, options) }),
    encode: (state) => ({ textcat: encodeTextcatState(state) }),
    decode: (message) =>
      message.textcat === undefined ? initTextcatState(options) : decodeTextcatState(message.textcat, options),
  };
}
