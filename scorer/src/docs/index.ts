export type { ScoredDoc, ScoredToken, TokenSpan, TokenAttribute } from './scoredDoc.js';
export { hasAnnotation, sentencesOf, spanText } from './scoredDoc.js';
export { docFromJson, type RecordOrigin } from './docFromJson.js';
export { alignTokens, TokenAlignment } from './alignTokens.js';
export { entsFromTags } from './entsFromTags.js';
export { docFromJsonLine } from './docFromJson.js';
