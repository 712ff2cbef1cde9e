/**
 * JavaScript's `String(value)` for a value JSON.parse gave, without calling
 * anything the record itself names: `{"toString": null}` would make String()
 * throw a TypeError instead of the reader's located InputError.
 */
export function jsString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map((item: unknown) => (item === null || item === undefined ? '' : jsString(item))).join(',');
  return '[object Object]';
}

/** A value as a message quotes it: JSON text, cut short where it is long. */
export function shownJson(value: unknown, limit = 40): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? jsString(value);
  } catch {
    text = jsString(value);
  }
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
