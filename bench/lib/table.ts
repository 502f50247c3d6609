// Tables printed as Markdown, so that they can go into docs/benchmarks.md as they are.

/** A column: its header and whether numbers line up on the right. */
export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
}

/** Prints a Markdown table with padded columns. */
export function printTable(
  title: string,
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): void {
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, 3, ...rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells
      .map((cell, i) =>
        columns[i]?.align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!),
      )
      .join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(columns.map((c) => c.header)));
  console.log(
    `| ${widths
      .map((w, i) => (columns[i]?.align === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w)))
      .join(' | ')} |`,
  );
  for (const row of rows) console.log(line(row));
}

/** An integer with thousands separators; `–` for NaN or undefined. */
export function int(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? '–' : Math.round(n).toLocaleString('en');
}

/** A number with `digits` decimals; `–` for NaN or undefined. */
export function fixed(n: number | undefined, digits = 1): string {
  return n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits);
}

/** A ratio as a percentage. */
export function percent(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? '–' : `${Math.round(n * 100)}%`;
}

/** The lowest and highest of some ratios as percentages, e.g. `84–97%`. */
export function percentRange(values: readonly number[]): string {
  if (values.length === 0) return '–';
  const low = Math.round(Math.min(...values) * 100);
  const high = Math.round(Math.max(...values) * 100);
  return low === high ? `${low}%` : `${low}–${high}%`;
}
