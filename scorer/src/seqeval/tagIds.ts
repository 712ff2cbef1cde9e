// Past this many distinct tags the table starts over between sentences, so a corpus of made-up tags
// cannot grow it without bound (types stay: the counts hold one entry per type anyway).
const MAX_TAGS = 65_536;

/**
 * Tags read once each: a tag's id gives its prefix letter (a UTF-16 code,
 * NaN for an empty tag) and its type's id, so chunking compares numbers.
 * The type is what follows the first dash after the letter, "_" when empty,
 * as seqeval's get_entities reads any tag in default mode.
 */
export class TagIds {
  readonly prefixes: number[] = [];
  readonly types: number[] = [];
  readonly typeNames: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly typeIds = new Map<string, number>();
  /** The type of the O that closes every sentence. */
  readonly outsideType = this.typeId('_');

  idOf(tag: string): number {
    let id = this.ids.get(tag);
    if (id === undefined) {
      const rest = tag.slice(1);
      const dash = rest.indexOf('-');
      id = this.prefixes.length;
      this.prefixes.push(tag.charCodeAt(0));
      this.types.push(this.typeId((dash < 0 ? rest : rest.slice(dash + 1)) || '_'));
      this.ids.set(tag, id);
    }
    return id;
  }

  typeId(name: string): number {
    let id = this.typeIds.get(name);
    if (id === undefined) {
      id = this.typeNames.length;
      this.typeNames.push(name);
      this.typeIds.set(name, id);
    }
    return id;
  }

  /** Between sentences: forgets the tags (not the types) once there are too many. */
  bound(): void {
    if (this.ids.size < MAX_TAGS) return;
    this.ids.clear();
    this.prefixes.length = 0;
    this.types.length = 0;
  }
}
