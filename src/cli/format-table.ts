import { bold, useColor } from './output.js';

/** One column of a table. */
export interface Column<Row> {
  /** Heading, printed in capitals. */
  header: string;
  /** The cell of `row`; numbers are right-aligned. */
  value: (row: Row) => string | number | undefined;
  /** Alignment. @defaultValue `'right'` for number cells, `'left'` otherwise */
  align?: 'left' | 'right';
}

/** Options of {@link formatTable}. */
export interface TableOptions {
  /** Bold headings. @defaultValue true when stdout is a colour terminal */
  color?: boolean;
}

const GAP = '  ';

/**
 * Lays rows out in aligned columns, one line per row, headings first; no trailing spaces.
 * @example
 * formatTable([{ header: 'name', value: (q) => q.name }, { header: 'waiting', value: (q) => q.waiting }], queues);
 */
export function formatTable<Row>(
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  options: TableOptions = {},
): string {
  const color = options.color ?? useColor();
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const align = columns.map(
    (column, index) =>
      column.align ??
      (cells.length > 0 && cells.every((line) => typeof line[index] === 'number') ? 'right' : 'left'),
  );
  const text = cells.map((line) =>
    line.map((cell) => (cell === undefined || cell === '' ? '-' : String(cell))),
  );
  const headers = columns.map((column) => column.header.toUpperCase());
  const widths = headers.map((header, index) =>
    Math.max(header.length, ...text.map((line) => line[index]!.length)),
  );
  const layout = (line: string[]): string =>
    line
      .map((cell, index) => {
        const width = widths[index]!;
        if (align[index] === 'right') return cell.padStart(width);
        return index === line.length - 1 ? cell : cell.padEnd(width);
      })
      .join(GAP)
      .trimEnd();
  const heading = layout(headers);
  return [color ? bold(heading, true) : heading, ...text.map(layout)].join('\n');
}
