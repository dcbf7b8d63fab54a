/**
 * Query results as text tables, the way a SQL console shows them. Cells are one line: objects are
 * shown as compact JSON, newlines as `\n`, and over-wide cells are cut with an ellipsis. Widths are
 * terminal columns (string-width), not UTF-16 code units: a CJK character or an emoji takes two
 * columns, a combining mark none, so `.length` would misalign them.
 */
import stringWidth from 'string-width';

/** Widest cell of a horizontal table, in terminal columns. */
const MAX_CELL_COLUMNS = 60;

/** `text` padded with spaces to `width` terminal columns, on the right (or the left for `start`). */
export function padDisplay(text: string, width: number, side: 'end' | 'start' = 'end'): string {
  const padding = ' '.repeat(Math.max(0, width - stringWidth(text)));
  return side === 'end' ? text + padding : padding + text;
}

/** One cell's text. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value.replace(/\r?\n/g, '\\n');
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value) ?? String(typeof value);
}

/** `text` cut to at most `max` columns, whole characters (grapheme clusters) only, with an ellipsis. */
function cut(text: string, max: number): string {
  if (stringWidth(text) <= max) return text;
  let out = '';
  let width = 0;
  for (const { segment } of new Intl.Segmenter().segment(text)) {
    const next = stringWidth(segment);
    if (width + next > max - 1) break;
    out += segment;
    width += next;
  }
  return `${out}…`;
}

function columnsOf(rows: ReadonlyArray<Record<string, unknown>>): string[] {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return columns;
}

function columnWidths(header: readonly string[], body: ReadonlyArray<readonly string[]>): number[] {
  return header.map((title, index) =>
    Math.max(stringWidth(title), ...body.map((cells) => stringWidth(cells[index] ?? ''))),
  );
}

function render(header: readonly string[], body: ReadonlyArray<readonly string[]>): string[] {
  const widths = columnWidths(header, body);
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, index) => padDisplay(cell, widths[index] ?? 0)).join(' | ')} |`;
  const rule = `+-${widths.map((width) => '-'.repeat(width)).join('-+-')}-+`;
  return [rule, line(header), rule, ...body.map(line), rule];
}

/** A number, or a string that is one: Lake returns every value as a string, counts included. */
function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value));
}

/** Rows as a table with one column per key; numbers are right-aligned. */
export function formatTable(rows: ReadonlyArray<Record<string, unknown>>): string[] {
  if (rows.length === 0) return ['(no rows)'];
  const columns = columnsOf(rows);
  const body = rows.map((row) => columns.map((column) => cut(formatCell(row[column]), MAX_CELL_COLUMNS)));
  const numeric = columns.map((column) => rows.every((row) => isNumeric(row[column])));
  const widths = columnWidths(columns, body);
  const aligned = body.map((cells) =>
    cells.map((cell, index) =>
      numeric[index] === true ? padDisplay(cell, widths[index] ?? 0, 'start') : cell,
    ),
  );
  return [...render(columns, aligned), `(${rows.length} row${rows.length === 1 ? '' : 's'})`];
}

/** Rows as `column | value` pairs, one block per row: for wide records such as a full event. */
export function formatVertical(rows: ReadonlyArray<Record<string, unknown>>): string[] {
  if (rows.length === 0) return ['(no rows)'];
  const lines: string[] = [];
  rows.forEach((row, index) => {
    if (rows.length > 1) lines.push(`-[ row ${index + 1} ]-`);
    lines.push(
      ...render(
        ['column', 'value'],
        Object.entries(row).map(([key, value]) => [key, formatCell(value)]),
      ),
    );
  });
  lines.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return lines;
}
