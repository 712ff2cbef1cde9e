import { InputError } from '../errors.js';
import { alignTokens, type TokenAlignment } from '../docs/alignTokens.js';
import type { ScoredDoc } from '../docs/scoredDoc.js';

/** spaCy's Example: a predicted document, its gold reference and their alignment. */
export class ScoringExample {
  private cachedAlignment: TokenAlignment | undefined;

  constructor(
    readonly gold: ScoredDoc,
    readonly predicted: ScoredDoc,
  ) {}

  /** Predicted-to-gold token alignment (x2y) and back (y2x), computed once. */
  get alignment(): TokenAlignment {
    if (this.cachedAlignment === undefined) {
      try {
        this.cachedAlignment = alignTokens(
          this.predicted.tokens.map((token) => token.text),
          this.gold.tokens.map((token) => token.text),
        );
      } catch (error) {
        if (error instanceof InputError) {
          throw new InputError(`document ${this.gold.id}: ${error.message}`, { code: error.code });
        }
        throw error;
      }
    }
    return this.cachedAlignment;
  }
}
