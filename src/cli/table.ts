import { visibleWidth } from './ansi';

/** One column of a {@link renderTable} table. */
export interface TableColumn {
  readonly header: string;
  /** Numbers read better right-aligned. Default `left`. */
  readonly align?: 'left' | 'right';
}

/**
 * Renders rows as a plain-text table: a header line, then one line per row, columns separated by
 * two spaces and padded to their widest cell (ANSI colour codes take no width). No trailing spaces,
 * so copied output stays clean.
 *
 * @example
 * ```ts
 * renderTable([{ header: 'QUEUE' }, { header: 'ENDSEQ', align: 'right' }], [['Q', '12']]);
 * // 'QUEUE  ENDSEQ\nQ          12'
 * ```
 */
export function renderTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  paintHeader: (text: string) => string = (text) => text,
): string {
  const widths = columns.map((column, i) =>
    Math.max(visibleWidth(column.header), ...rows.map((row) => visibleWidth(row[i] ?? ''))),
  );
  const line = (cells: readonly string[], paint: (text: string) => string): string =>
    columns
      .map((column, i) => {
        const cell = cells[i] ?? '';
        const pad = ' '.repeat((widths[i] ?? 0) - visibleWidth(cell));
        return column.align === 'right' ? pad + paint(cell) : paint(cell) + pad;
      })
      .join('  ')
      .trimEnd();
  return [
    line(
      columns.map((c) => c.header),
      paintHeader,
    ),
    ...rows.map((row) => line(row, (t) => t)),
  ].join('\n');
}

/**
 * Renders name/value pairs as two aligned columns without a header.
 *
 * @example
 * ```ts
 * renderPairs([['software', 'hmb-rx'], ['functions', '']]); // 'software   hmb-rx\nfunctions'
 * ```
 */
export function renderPairs(
  pairs: readonly (readonly [string, string])[],
  paintName: (text: string) => string = (text) => text,
): string {
  const width = Math.max(0, ...pairs.map(([name]) => visibleWidth(name)));
  return pairs
    .map(([name, value]) =>
      `${paintName(name)}${' '.repeat(width - visibleWidth(name))}  ${value}`.trimEnd(),
    )
    .join('\n');
}
