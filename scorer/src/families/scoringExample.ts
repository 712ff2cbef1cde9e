import { InputError } from '../errors.js';
import { alignTokens, type TokenAlignment } from '../docs/alignTokens.js';
import type { RecordOrigin } from '../docs/docFromJson.js';
import type { ScoredDoc } from '../docs/scoredDoc.js';

/** spaCy's Example: a predicted document, its gold reference and their alignment. */
export class ScoringExample {
  private cachedAlignment: TokenAlignment | undefined;

  constructor(
    readonly gold: ScoredDoc,
    readonly predicted: ScoredDoc,
    /** Where the two documents were read, for messages. */
    readonly origins?: { gold: RecordOrigin; predicted: RecordOrigin },
  ) {}

  /** "gold.conllu: line 7 (byte 120) and pred.conllu: line 7 (byte 118)", or "" when unknown. */
  where(): string {
    if (this.origins === undefined) return '';
    const at = (origin: RecordOrigin) =>
      `${origin.file}: ${origin.line === undefined ? '' : `line ${origin.line} (`}byte ${origin.byteOffset}${origin.line === undefined ? '' : ')'}`;
    return `${at(this.origins.gold)} and ${at(this.origins.predicted)}`;
  }

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
