/** A run of a document's subwords that goes through the model as one row. */
export interface SubwordWindow {
  /** First subword (index into the document's subwords). */
  start: number;
  /** After the last subword. */
  end: number;
}

export interface WindowPlan {
  windows: SubwordWindow[];
  /**
   * For each word, the window whose prediction labels it and the position of
   * the word's first subword in that window (special tokens not counted);
   * null for a word the tokenizer turned into no subword at all.
   */
  owners: Array<{ window: number; offset: number } | null>;
}

/**
 * Cuts a document of `subwords` subwords into windows of at most `room`
 * subwords (the model's length less its special tokens), consecutive windows
 * overlapping by half, the last one ending with the document. Each word is
 * predicted exactly once: by the window in which its first subword has the
 * most context on its poorer side (the earlier window on a tie). The plan
 * depends on the document alone, so a document is cut and labelled the same
 * way in whatever shard or batch it lands.
 */
export function planWindows(firstSubwords: ReadonlyArray<number | null>, subwords: number, room: number): WindowPlan {
  if (!Number.isInteger(room) || room < 1) throw new RangeError(`a window needs room for at least one subword, not ${room}`);
  const windows: SubwordWindow[] = [];
  if (subwords <= room) {
    windows.push({ start: 0, end: subwords });
  } else {
    const stride = Math.max(1, Math.floor(room / 2));
    for (let start = 0; ; start += stride) {
      if (start + room >= subwords) {
        windows.push({ start: subwords - room, end: subwords });
        break;
      }
      windows.push({ start, end: start + room });
    }
  }
  const owners = firstSubwords.map((position) => {
    if (position === null) return null;
    let best = -1;
    let bestContext = -1;
    for (let w = 0; w < windows.length; w++) {
      const { start, end } = windows[w]!;
      if (position < start || position >= end) continue;
      const context = Math.min(position - start, end - 1 - position);
      if (context > bestContext) {
        best = w;
        bestContext = context;
      }
    }
    return { window: best, offset: position - windows[best]!.start };
  });
  return { windows, owners };
}
