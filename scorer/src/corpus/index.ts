export {
  readLineRecords,
  oversizedRecordError,
  DEFAULT_MAX_RECORD_BYTES,
  type RawRecord,
  type ByteRangeOptions,
} from './readLineRecords.js';
export { parseTextcatRecord, type TextcatRecord } from './textcatRecord.js';
export { readDocs, formatOf, type DocFormat, type LocatedDoc, type DocRange } from './readDocs.js';
export { pairDocs } from './pairDocs.js';
export { fileUsesNewdoc } from './blockDocuments.js';
