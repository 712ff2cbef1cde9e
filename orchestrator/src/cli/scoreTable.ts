/**
 * Scores as text: every scalar key with its value, then one row per label
 * joining the per-type maps (`cats_f_per_type` gives p, r, f columns,
 * `cats_auc_per_type` an auc column).
 */
export function scoreTable(scores: Record<string, unknown>): string {
  const scalars: Array<[string, string]> = [];
  const perType = new Map<string, Map<string, string>>();
  const columns: string[] = [];
  for (const [key, value] of Object.entries(scores)) {
    if (value !== null && typeof value === 'object') {
      const family = key.replace(/_per_type$/, '').replace(/^[a-z]+_/, '');
      for (const [label, entry] of Object.entries(value as Record<string, unknown>)) {
        const row = perType.get(label) ?? new Map<string, string>();
        perType.set(label, row);
        if (entry !== null && typeof entry === 'object') {
          for (const [field, number] of Object.entries(entry as Record<string, unknown>)) {
            addColumn(columns, field);
            row.set(field, formatValue(number));
          }
        } else {
          addColumn(columns, family);
          row.set(family, formatValue(entry));
        }
      }
    } else {
      scalars.push([key, formatValue(value)]);
    }
  }
  const keyWidth = Math.max(...scalars.map(([key]) => key.length), 5);
  const lines = scalars.map(([key, value]) => `  ${key.padEnd(keyWidth)}  ${value}`);
  if (perType.size > 0) {
    const labelWidth = Math.max(...[...perType.keys()].map((label) => label.length), 5);
    lines.push('', `  ${'label'.padEnd(labelWidth)}  ${columns.map((c) => c.toUpperCase().padStart(8)).join('')}`);
    for (const [label, row] of perType) {
      lines.push(`  ${label.padEnd(labelWidth)}  ${columns.map((c) => (row.get(c) ?? '').padStart(8)).join('')}`);
    }
  }
  return lines.join('\n');
}

function addColumn(columns: string[], name: string): void {
  if (!columns.includes(name)) columns.push(name);
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : value.toFixed(4);
  return String(value);
}
