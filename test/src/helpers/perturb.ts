/** A small seeded generator (mulberry32): the same seed gives the same perturbed corpus. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UPOS = ['NOUN', 'VERB', 'ADJ', 'ADP', 'DET', 'PRON', 'PROPN', 'PUNCT'];
const DEPRELS = ['nsubj', 'obj', 'obl', 'det', 'amod', 'case', 'root', 'punct', 'advmod'];

/**
 * A CoNLL-U corpus as a tagger and parser might have predicted it: some
 * UPOS, XPOS, FEATS, LEMMA, HEAD and DEPREL values changed or left out
 * ("_"), and some sentences of a document merged into one (the predicted
 * segmentation differs). Text and tokens stay the same.
 */
export function perturbConllu(text: string, seed: number): string {
  const random = seededRandom(seed);
  const blocks = text.split(/\n\s*\n/).filter((block) => block.trim() !== '');
  const out: string[][] = [];
  for (const block of blocks) {
    const lines = block.split('\n');
    const newDocument = lines.some((line) => line.startsWith('# newdoc'));
    const words = lines.filter((line) => !line.startsWith('#')).map((line) => line.split('\t'));
    const sentenceLength = words.filter((fields) => /^\d+$/.test(fields[0]!)).length;
    const perturbed = words.map((fields) => {
      if (!/^\d+$/.test(fields[0]!)) return fields;
      const copy = [...fields];
      const pick = <T>(values: T[]) => values[Math.floor(random() * values.length)]!;
      if (random() < 0.1) copy[3] = pick(UPOS);
      if (random() < 0.1) copy[4] = random() < 0.5 ? '_' : `X${copy[4]}`;
      if (random() < 0.1) copy[5] = random() < 0.5 ? '_' : 'Number=Sing';
      if (random() < 0.1) copy[2] = copy[1]!.toLowerCase();
      if (random() < 0.1) copy[6] = String(Math.floor(random() * (sentenceLength + 1)));
      if (random() < 0.1) copy[7] = random() < 0.2 ? '_' : pick(DEPRELS);
      return copy;
    });
    const previous = out[out.length - 1];
    if (!newDocument && previous !== undefined && random() < 0.15) {
      // Merge into the previous sentence: shift IDs and heads by its length.
      const offset = previous.filter((line) => /^\d+\t/.test(line)).length;
      for (const fields of perturbed) {
        fields[0] = /^\d+\.\d+$/.test(fields[0]!)
          ? fields[0]!.replace(/^\d+/, (n) => String(Number(n) + offset))
          : fields[0]!.replace(/\d+/g, (n) => String(Number(n) + offset));
        if (/^\d+$/.test(fields[6] ?? '') && fields[6] !== '0') fields[6] = String(Number(fields[6]) + offset);
      }
      previous.push(...perturbed.map((fields) => fields.join('\t')));
      continue;
    }
    out.push([...lines.filter((line) => line.startsWith('#')), ...perturbed.map((fields) => fields.join('\t'))]);
  }
  return `${out.map((block) => block.join('\n')).join('\n\n')}\n\n`;
}

const TYPES = ['PER', 'LOC', 'ORG'];

/** Entity tags as an imperfect tagger might have predicted them: types swapped, entities dropped or invented. */
export function perturbIob(text: string, seed: number): string {
  const random = seededRandom(seed);
  return text
    .split('\n')
    .map((line) => {
      if (line.startsWith('#') || line.trim() === '') return line;
      const fields = line.split('\t');
      const tag = fields[2]!;
      const roll = random();
      if (tag !== 'O' && roll < 0.1) fields[2] = 'O';
      else if (tag !== 'O' && roll < 0.2) fields[2] = `${tag.slice(0, 2)}${TYPES[Math.floor(random() * 3)]}`;
      else if (tag === 'O' && roll < 0.03) fields[2] = `${random() < 0.7 ? 'B' : 'I'}-${TYPES[Math.floor(random() * 3)]}`;
      return fields.join('\t');
    })
    .join('\n');
}
