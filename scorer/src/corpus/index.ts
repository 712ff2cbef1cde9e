export { readLineRecords, type RawRecord, type ByteRangeOptions } from './readLineRecords.js';
export { parseTextcatRecord, type TextcatRecord } from './textcatRecord.js';
