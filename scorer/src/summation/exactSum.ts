/**
 * An exact, order-independent float accumulator: every double is an integer
 * multiple of 2^-1074, so sums are kept as one big integer of such units.
 * Any order and any split into partial sums gives the same bits; `value()`
 * rounds once, to nearest with ties to even, like Python's math.fsum.
 */
export class ExactSum {
  private units = 0n;
  private special: number | undefined;

  add(value: number): this {
    if (!Number.isFinite(value)) {
      this.special = this.special === undefined ? value : this.special + value;
      return this;
    }
    this.units += unitsOf(value);
    return this;
  }

  merge(other: ExactSum): this {
    this.units += other.units;
    if (other.special !== undefined) this.special = this.special === undefined ? other.special : this.special + other.special;
    return this;
  }

  value(): number {
    if (this.special !== undefined) return this.special;
    return roundUnits(this.units);
  }

  /** Canonical text: the integer number of 2^-1074 units (or a non-finite value). */
  encode(): string {
    return this.special === undefined ? this.units.toString() : String(this.special);
  }

  static decode(text: string): ExactSum {
    const sum = new ExactSum();
    if (/^-?\d+$/.test(text)) sum.units = BigInt(text);
    else sum.special = Number(text);
    return sum;
  }
}

const view = new DataView(new ArrayBuffer(8));

// The value as a multiple of 2^-1074, exactly.
function unitsOf(value: number): bigint {
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const significand = exponent === 0 ? fraction : fraction | (1n << 52n);
  const shift = BigInt(Math.max(exponent, 1) - 1);
  const units = significand << shift;
  return negative ? -units : units;
}

// units × 2^-1074 to the nearest double.
function roundUnits(units: bigint): number {
  if (units === 0n) return 0;
  const negative = units < 0n;
  let magnitude = negative ? -units : units;
  const bits = magnitude.toString(2).length;
  let scale = -1074;
  if (bits > 55) {
    // Keep 55 bits and a sticky bit so that Number() rounds once, correctly.
    const drop = BigInt(bits - 55);
    const sticky = (magnitude & ((1n << drop) - 1n)) === 0n ? 0n : 1n;
    magnitude = (magnitude >> drop) | sticky;
    scale += Number(drop);
  }
  const result = Number(magnitude) * 2 ** Math.min(scale, 0) * 2 ** Math.max(scale, 0);
  return negative ? -result : result;
}
