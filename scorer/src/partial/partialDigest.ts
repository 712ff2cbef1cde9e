import { PartialScore } from '@evalshard/proto';
import { sha256Hex } from '../scorerOptions.js';

/**
 * Content digest of a partial: sha256 of its protobuf encoding. ts-proto
 * writes fields in number order and states keep their arrays sorted, so the
 * same content always encodes to the same bytes.
 */
export function partialDigest(partial: PartialScore): string {
  return sha256Hex(PartialScore.encode(partial).finish());
}
