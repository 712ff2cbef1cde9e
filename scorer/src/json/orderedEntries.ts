import { compareCodePoints, entriesOf } from './orderedJson.js';

/**
 * Objects and Maps as lists of [key, value] pairs, recursively, so that
 * `toEqual` compares key order too. The maps under `unordered` keys are
 * sorted first: their order in the reference is not part of its result.
 */
export function orderedEntries(value: unknown, unordered: (key: string) => boolean = () => false): unknown {
  if (Array.isArray(value)) return value.map((item) => orderedEntries(item, unordered));
  if (value === null || typeof value !== 'object') return value;
  return entriesOf(value).map(([key, item]) => {
    let inner = orderedEntries(item, () => false);
    if (unordered(key) && Array.isArray(inner)) {
      inner = [...(inner as Array<[string, unknown]>)].sort(([a], [b]) => compareCodePoints(a, b));
    }
    return [key, inner];
  });
}
