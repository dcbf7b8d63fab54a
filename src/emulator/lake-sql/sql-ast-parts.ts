/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument -- the parser's tree is untyped: see Node */
import { invalidQuery, type LakeQueryError } from './lake-query-error.js';

/** Small readers of node-sql-parser's tree and writers of DuckDB SQL text, shared by the translator. */
// node-sql-parser's published AST types do not describe the nodes its Trino grammar produces, so the
// tree is read untyped here; every field is checked where it is read, and a shape the translator does
// not know fails the query.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Node = any;

export const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
export const unsupported = (what: string): LakeQueryError =>
  invalidQuery(`${what} is not supported by the local Lake`);
/**
 * The text of a quoted literal as the parser read it. In Trino a backslash is an ordinary character,
 * while this parser also ends no string at `\'`; a literal with `\'` in it would mean different things
 * to the two, so it is refused rather than guessed.
 */
export function literalText(node: Node): string {
  const raw = String(node.value);
  if (raw.includes("\\'")) {
    throw invalidQuery(
      "A backslash before a quote in a string literal is ambiguous here; write the string without \\'",
    );
  }
  return raw.replaceAll("''", "'");
}
export const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;
export const stringValue = (node: Node): string | undefined =>
  node?.type === 'single_quote_string' && typeof node.value === 'string' ? literalText(node) : undefined;

/** The parts of a (possibly dotted) column reference, e.g. ['eventData', 'userIdentity', 'principalId']. */
export function columnParts(node: Node): string[] {
  const column = node.column;
  const parts: string[] = [];
  if (typeof node.schema === 'string') parts.push(node.schema);
  if (typeof node.table === 'string') parts.push(node.table);
  if (typeof column === 'string') return [...parts, column];
  const inner = column?.expr ?? column;
  const flatten = (part: Node): void => {
    if (typeof part === 'string') parts.push(part);
    else if (part?.type === 'binary_expr' && part.operator === '.') {
      flatten(part.left);
      flatten(part.right);
    } else if (typeof part?.value === 'string') parts.push(part.value);
    else throw unsupported('This column reference');
  };
  flatten(inner);
  return parts;
}

const CAST_TYPES: Readonly<Record<string, string>> = {
  BIGINT: 'BIGINT',
  INTEGER: 'INTEGER',
  INT: 'INTEGER',
  SMALLINT: 'SMALLINT',
  TINYINT: 'TINYINT',
  DOUBLE: 'DOUBLE',
  REAL: 'REAL',
  BOOLEAN: 'BOOLEAN',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  DECIMAL: 'DECIMAL',
};

/** `CAST(value AS type)` for the types Lake queries use; varchar prints timestamps the way Trino does. */
export function castSql(target: Node, value: string, isTry: boolean): string {
  const type = String(target?.dataType ?? '').toUpperCase();
  if (type === 'VARCHAR' || type === 'CHAR') return `lake_to_varchar(${value})`;
  const duckType = CAST_TYPES[type];
  if (duckType === undefined || (target.length !== undefined && type !== 'DECIMAL')) {
    throw unsupported(`CAST to ${type}`);
  }
  const precision =
    type === 'DECIMAL' && target.length !== undefined
      ? `(${Number(target.length)}, ${Number(target.scale ?? 0)})`
      : '';
  return `${isTry ? 'TRY_CAST' : 'CAST'}(${value} AS ${duckType}${precision})`;
}

/** ` LIMIT n OFFSET m` from the parser's limit node; `LIMIT ALL` is no limit. */
export function limitSql(limit: Node): string {
  const [count, offset] = (limit?.value ?? []) as Node[];
  let sql = '';
  if (count !== undefined && !(count.type === 'origin' && String(count.value).toLowerCase() === 'all')) {
    if (count.type !== 'number') throw unsupported('A LIMIT that is not a number');
    sql += ` LIMIT ${Number(count.value)}`;
  }
  if (offset !== undefined) sql += ` OFFSET ${Number(offset.value)}`;
  return sql;
}
