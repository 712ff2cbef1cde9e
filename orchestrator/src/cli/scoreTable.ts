import { entriesOf } from '@evalshard/scorer';

/**
 * Scores as text: every scalar key with its value, then one table per family
 * of per-label maps, joining maps of one family (`cats_f_per_type` gives p,
 * r, f columns, `cats_auc_per_type` an auc column).
 */
export function scoreTable(scores: Record<string, unknown>): string {
  const scalars: Array<[string, string]> = [];
  const tables = new Map<string, { columns: string[]; rows: Map<string, Map<string, string>> }>();
  for (const [key, value] of Object.entries(scores)) {
    if (key.endsWith('_ci')) {
      // The bootstrap interval goes on its score's line.
      const line = scalars.find(([name]) => name === key.slice(0, -'_ci'.length));
      if (line !== undefined && Array.isArray(value)) line[1] += `  [${value.map((bound) => formatValue(bound, key)).join(', ')}]`;
      continue;
    }
    if (value === null || typeof value !== 'object') {
      scalars.push([key, formatValue(value, key)]);
      continue;
    }
    const family = key.replace(/_(f_|auc_|las_)?per_(type|feat)$/, '');
    const column = /_auc_per_type$/.test(key) ? 'auc' : undefined;
    let table = tables.get(family);
    if (table === undefined) {
      table = { columns: [], rows: new Map() };
      tables.set(family, table);
    }
    for (const [label, entry] of entriesOf(value)) {
      const row = table.rows.get(label) ?? new Map<string, string>();
      table.rows.set(label, row);
      if (entry !== null && typeof entry === 'object') {
        for (const [field, number] of Object.entries(entry as Record<string, unknown>)) {
          addColumn(table.columns, field);
          row.set(field, formatValue(number, field));
        }
      } else {
        const name = column ?? key;
        addColumn(table.columns, name);
        row.set(name, formatValue(entry, name));
      }
    }
  }
  const keyWidth = Math.max(...scalars.map(([key]) => key.length), 5);
  const lines = scalars.map(([key, value]) => `  ${key.padEnd(keyWidth)}  ${value}`);
  for (const [family, table] of tables) {
    if (table.rows.size === 0) continue;
    const labelWidth = Math.max(...[...table.rows.keys()].map((label) => label.length), family.length);
    lines.push('', `  ${family.padEnd(labelWidth)}  ${table.columns.map((c) => c.toUpperCase().padStart(9)).join('')}`);
    for (const [label, row] of table.rows) {
      lines.push(`  ${label.padEnd(labelWidth)}  ${table.columns.map((c) => (row.get(c) ?? '').padStart(9)).join('')}`);
    }
  }
  return lines.join('\n');
}

function addColumn(columns: string[], name: string): void {
  if (!columns.includes(name)) columns.push(name);
}

// Counts (supports) as integers, scores with four decimals.
function formatValue(value: unknown, key: string): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number' && /support$/.test(key)) return String(value);
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : value.toFixed(4);
  return String(value);
}
