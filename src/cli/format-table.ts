/**
 * Query results as text tables, the way a SQL console shows them. Cells are one line: objects are
 * shown as compact JSON, newlines as `\n`, and over-wide cells are cut with an ellipsis.
 */

/** Widest cell of a horizontal table, in characters. */
const MAX_CELL_CHARS = 60;

/** One cell's text. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value.replace(/\r?\n/g, '\\n');
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value) ?? String(typeof value);
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function columnsOf(rows: ReadonlyArray<Record<string, unknown>>): string[] {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return columns;
}

function render(header: readonly string[], body: ReadonlyArray<readonly string[]>): string[] {
  const widths = header.map((title, index) =>
    Math.max(title.length, ...body.map((cells) => (cells[index] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(' | ')} |`;
  const rule = `+-${widths.map((width) => '-'.repeat(width)).join('-+-')}-+`;
  return [rule, line(header), rule, ...body.map(line), rule];
}

/** Rows as a table with one column per key; numbers are right-aligned. */
export function formatTable(rows: ReadonlyArray<Record<string, unknown>>): string[] {
  if (rows.length === 0) return ['(no rows)'];
  const columns = columnsOf(rows);
  const body = rows.map((row) => columns.map((column) => cut(formatCell(row[column]), MAX_CELL_CHARS)));
  const numeric = columns.map((column) => rows.every((row) => typeof row[column] === 'number'));
  const widths = columns.map((title, index) =>
    Math.max(title.length, ...body.map((cells) => (cells[index] ?? '').length)),
  );
  const aligned = body.map((cells) =>
    cells.map((cell, index) => (numeric[index] === true ? cell.padStart(widths[index] ?? 0) : cell)),
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
