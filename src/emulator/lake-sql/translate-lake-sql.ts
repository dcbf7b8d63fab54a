import { invalidQuery, LakeQueryError } from './lake-query-error.js';
import { translateFunction, WALL_CLOCK_FUNCTIONS } from './lake-functions.js';

/**
 * Turns a parsed Lake (Trino) SELECT into DuckDB SQL. The translator writes every piece of the output
 * itself from a closed list of node types, so what reaches DuckDB is always a SELECT built from Lake's
 * grammar: a node type, operator, function or cast it does not know fails the query with
 * InvalidQueryStatementException naming it, never a DuckDB construct with another meaning.
 */
// The parser's AST is loosely typed; each field is checked where it is read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = any;

/** Placeholder alias of an unnamed output column; the engine renames it `_colN` by position. */
export const UNNAMED_COLUMN = 'lake_unnamed_column';

export interface TranslatedQuery {
  sql: string;
  /** Ids of the event data stores the query reads. */
  storeIds: ReadonlySet<string>;
}

export interface StoreTable {
  storeId: string;
  table: string;
}

interface Context {
  insideTry: boolean;
  wallClock: boolean;
  topLevelItem: boolean;
}

const MAP_COLUMNS = new Set(['requestparameters', 'responseelements', 'additionaleventdata', 'details']);
const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=', '+', '-', '*', '||', 'AND', 'OR']);
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
const INTERVAL_UNITS = new Set(['year', 'month', 'day', 'hour', 'minute', 'second']);

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const unsupported = (what: string): LakeQueryError => invalidQuery(`${what} is not supported by the local Lake`);
const stringValue = (node: Node): string | undefined =>
  node?.type === 'single_quote_string' && typeof node.value === 'string' ? node.value.replaceAll("''", "'") : undefined;

/** The parts of a (possibly dotted) column reference, e.g. ['eventData', 'userIdentity', 'principalId']. */
function columnParts(node: Node): string[] {
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

export function translateLakeSql(ast: Node, resolveStore: (name: string) => StoreTable | undefined): TranslatedQuery {
  const storeIds = new Set<string>();

  function expr(node: Node, context: Context): string {
    if (node === null || node === undefined) throw unsupported('An empty expression');
    if (node.array_index !== undefined && node.array_index.length > 0) {
      throw unsupported('The subscript operator [...] (use element_at, which returns NULL where Trino fails)');
    }
    const inner: Context = { ...context, wallClock: false, topLevelItem: false };
    const text = exprBody(node, inner, context);
    return node.parentheses === true ? `(${text})` : text;
  }

  function exprBody(node: Node, inner: Context, outer: Context): string {
    switch (node.type) {
      case 'column_ref':
        if (node.column === '*') return typeof node.table === 'string' ? `${ident(node.table)}.*` : '*';
        return columnParts(node).map(ident).join('.');
      case 'number':
        return String(node.value);
      case 'bigint':
        return String(node.value);
      case 'single_quote_string':
        return `'${String(node.value)}'`;
      case 'bool':
        return node.value === true ? 'TRUE' : 'FALSE';
      case 'null':
        return 'NULL';
      case 'timestamp':
        return `TIMESTAMP '${String(node.value)}'`;
      case 'date':
        return `DATE '${String(node.value)}'`;
      case 'interval': {
        const unit = String(node.unit ?? '').toLowerCase();
        const amount = stringValue(node.expr);
        if (!INTERVAL_UNITS.has(unit) || amount === undefined || !/^-?\d+$/.test(amount)) {
          throw unsupported(`INTERVAL ${node.expr?.value ?? ''} ${unit}`);
        }
        return `INTERVAL '${amount}' ${unit.toUpperCase()}`;
      }
      case 'array':
        return `[${(node.expr_list?.value ?? []).map((item: Node) => expr(item, inner)).join(', ')}]`;
      case 'unary_expr':
        if (node.operator === 'NOT') return `(NOT ${expr(node.expr, inner)})`;
        if (node.operator === '-') return `(-${expr(node.expr, inner)})`;
        throw unsupported(`The operator ${node.operator}`);
      case 'binary_expr':
        return binary(node, inner);
      case 'case': {
        const head = node.expr ? ` ${expr(node.expr, inner)}` : '';
        const arms = (node.args as Node[]).map((arm) =>
          arm.type === 'when'
            ? `WHEN ${expr(arm.cond, inner)} THEN ${expr(arm.result, inner)}`
            : `ELSE ${expr(arm.result, inner)}`,
        );
        return `(CASE${head} ${arms.join(' ')} END)`;
      }
      case 'cast':
        return cast(node, inner);
      case 'aggr_func':
        return aggregate(node, inner);
      case 'function':
        return call(node, inner, outer);
      case 'expr_list':
        return `(${(node.value as Node[]).map((item) => expr(item, inner)).join(', ')})`;
      default:
        if (node.ast !== undefined) return `(${select(node.ast)})`;
        throw unsupported(`This syntax (${String(node.type)})`);
    }
  }

  function binary(node: Node, context: Context): string {
    const operator = String(node.operator).toUpperCase();
    const left = expr(node.left, context);
    if (operator === '/' || operator === '%') {
      const right = expr(node.right, context);
      // Inside try() DuckDB's NULL for a zero divisor is Trino's answer; elsewhere Trino fails.
      if (context.insideTry) return `(${left} ${operator} ${right})`;
      return `${operator === '/' ? 'lake_divide' : 'lake_modulo'}(${left}, ${right})`;
    }
    if (COMPARISONS.has(operator)) return `(${left} ${operator === '!=' ? '<>' : operator} ${expr(node.right, context)})`;
    if (operator === 'LIKE' || operator === 'NOT LIKE') {
      if (node.right?.type === 'expr_list' || node.escape !== undefined) throw unsupported('LIKE ... ESCAPE');
      return `(${left} ${operator} ${expr(node.right, context)})`;
    }
    if (operator === 'IN' || operator === 'NOT IN') {
      const items = node.right?.value as Node[] | undefined;
      if (items?.length === 1 && items[0]?.ast !== undefined) return `(${left} ${operator} (${select(items[0].ast)}))`;
      return `(${left} ${operator} ${expr(node.right, context)})`;
    }
    if (operator === 'BETWEEN' || operator === 'NOT BETWEEN') {
      const [low, high] = node.right.value as Node[];
      return `(${left} ${operator} ${expr(low, context)} AND ${expr(high, context)})`;
    }
    if (operator === 'IS' || operator === 'IS NOT') {
      const right = node.right;
      if (right?.type === 'null') return `(${left} ${operator} NULL)`;
      if (right?.type === 'bool') return `(${left} ${operator} ${right.value === true ? 'TRUE' : 'FALSE'})`;
      throw unsupported(`IS ${right?.value ?? ''}`.trim());
    }
    throw unsupported(`The operator ${operator}`);
  }

  function cast(node: Node, context: Context): string {
    const target = node.target?.[0];
    const type = String(target?.dataType ?? '').toUpperCase();
    const value = expr(node.expr, context);
    const isTry = String(node.keyword).toLowerCase() === 'try_cast' || context.insideTry;
    if (type === 'VARCHAR' || type === 'CHAR') return `lake_to_varchar(${value})`;
    const duckType = CAST_TYPES[type];
    if (duckType === undefined || (target.length !== undefined && type !== 'DECIMAL')) throw unsupported(`CAST to ${type}`);
    const precision = type === 'DECIMAL' && target.length !== undefined ? `(${Number(target.length)}, ${Number(target.scale ?? 0)})` : '';
    return `${isTry ? 'TRY_CAST' : 'CAST'}(${value} AS ${duckType}${precision})`;
  }

  function aggregate(node: Node, context: Context): string {
    if (node.over) throw unsupported('Window functions (OVER)');
    const name = String(node.name).toLowerCase();
    const argument = node.args?.expr;
    const distinct = node.args?.distinct === 'DISTINCT' ? 'DISTINCT ' : '';
    const args = argument === undefined ? [] : argument.type === 'star' ? ['*'] : [distinct + expr(argument, context)];
    const base = translateFunction({ name, args, literals: [], argIsMap: [], insideTry: context.insideTry });
    const filter = node.filter?.where ? ` FILTER (WHERE ${expr(node.filter.where, context)})` : '';
    return base + filter;
  }

  function call(node: Node, inner: Context, outer: Context): string {
    if (node.over) throw unsupported('Window functions (OVER)');
    const nameParts = (node.name?.name ?? []) as Node[];
    if (nameParts.length !== 1) throw unsupported('A qualified function name');
    const name = String(nameParts[0]?.value).toLowerCase();
    const rawArgs = (node.args?.value ?? []) as Node[];
    if (name === 'try') {
      if (rawArgs.length !== 1) throw invalidQuery('Function try takes 1 argument');
      return `try(${expr(rawArgs[0], { ...inner, insideTry: true })})`;
    }
    if (name === 'at_time_zone') return atTimeZone(rawArgs, inner, outer);
    const argContext = { ...inner, wallClock: WALL_CLOCK_FUNCTIONS.has(name) };
    return translateFunction({
      name,
      args: rawArgs.map((arg) => expr(arg, argContext)),
      literals: rawArgs.map(stringValue),
      argIsMap: rawArgs.map((arg) => arg?.type === 'column_ref' && MAP_COLUMNS.has(columnParts(arg).at(-1)?.toLowerCase() ?? '')),
      insideTry: inner.insideTry,
    });
  }

  /**
   * Trino's `ts AT TIME ZONE zone` is the same instant shown in another zone. DuckDB has no such type,
   * so it is supported where the answer is exact: shown as a selected value (`2026-01-02 02:00:00.000
   * America/Los_Angeles`) or read by an extraction or formatting function (its local wall-clock time).
   */
  function atTimeZone(rawArgs: Node[], inner: Context, outer: Context): string {
    const zone = stringValue(rawArgs[1]);
    if (rawArgs.length !== 2 || zone === undefined) throw unsupported('AT TIME ZONE with a zone that is not a string literal');
    const local = `timezone('${zone.replaceAll("'", "''")}', CAST(${expr(rawArgs[0], inner)} AS TIMESTAMPTZ))`;
    if (outer.wallClock) return local;
    if (outer.topLevelItem) return `(strftime(${local}, '%Y-%m-%d %H:%M:%S.%g') || ' ${zone.replaceAll("'", "''")}')`;
    throw unsupported('AT TIME ZONE here (it may be selected, or read by hour(), day(), date_format() and the like)');
  }

  function fromItem(item: Node, ctes: ReadonlySet<string>): string {
    const alias = typeof item.as === 'string' ? item.as : undefined;
    if (item.expr?.ast !== undefined) return `(${select(item.expr.ast, ctes)})${alias ? ` AS ${ident(alias)}` : ''}`;
    if (item.expr !== undefined || typeof item.table !== 'string') {
      throw invalidQuery('Table functions such as read_text or read_csv are not allowed: a Lake query reads event data stores only');
    }
    if (item.db) throw unsupported(`The qualified table name ${item.db}.${item.table}`);
    const name = item.table as string;
    if (ctes.has(name.toLowerCase())) return `${ident(name)}${alias ? ` AS ${ident(alias)}` : ''}`;
    const store = resolveStore(name);
    if (store === undefined) {
      throw new LakeQueryError('EventDataStoreNotFoundException', `No event data store has the id or ARN ${name}`);
    }
    storeIds.add(store.storeId);
    return `${ident(store.table)} AS ${ident(alias ?? name)}`;
  }

  function from(items: Node[], ctes: ReadonlySet<string>): string {
    return items
      .map((item, index) => {
        const source = fromItem(item, ctes);
        if (index === 0) return source;
        if (item.join === undefined) return `, ${source}`;
        const kind = String(item.join).toUpperCase();
        if (!['INNER JOIN', 'LEFT JOIN', 'RIGHT JOIN', 'FULL JOIN', 'CROSS JOIN', 'JOIN'].includes(kind)) throw unsupported(kind);
        const context: Context = { insideTry: false, wallClock: false, topLevelItem: false };
        const on = item.on ? ` ON ${expr(item.on, context)}` : '';
        const using = Array.isArray(item.using) ? ` USING (${(item.using as Node[]).map((u) => ident(String(u.value ?? u))).join(', ')})` : '';
        return ` ${kind} ${source}${on}${using}`;
      })
      .join('');
  }

  function selectItem(column: Node, topLevel: boolean): string {
    const context: Context = { insideTry: false, wallClock: false, topLevelItem: true };
    const text = expr(column.expr, context);
    if (column.expr?.type === 'column_ref' && column.expr.column === '*') return text;
    if (!topLevel) return column.as ? `${text} AS ${ident(String(column.as))}` : text;
    const name = column.as ?? (column.expr?.type === 'column_ref' ? columnParts(column.expr).at(-1) : undefined);
    return `${text} AS ${ident(String(name ?? UNNAMED_COLUMN))}`;
  }

  function select(node: Node, outerCtes: ReadonlySet<string> = new Set(), topLevel = false): string {
    if (node?.type !== 'select') throw invalidQuery('Only SELECT statements are allowed');
    if (node.into?.position) throw invalidQuery('SELECT ... INTO is not allowed: queries are read-only');
    const ctes = new Set(outerCtes);
    let sql = '';
    if (Array.isArray(node.with) && node.with.length > 0) {
      const parts = (node.with as Node[]).map((cte) => {
        const name = String(cte.name?.value ?? cte.name);
        const body = select(cte.stmt?.ast ?? cte.stmt, ctes);
        ctes.add(name.toLowerCase());
        return `${ident(name)} AS (${body})`;
      });
      sql += `WITH ${parts.join(', ')} `;
    }
    const context: Context = { insideTry: false, wallClock: false, topLevelItem: false };
    const distinct = node.distinct?.type === 'DISTINCT' ? 'DISTINCT ' : '';
    sql += `SELECT ${distinct}${(node.columns as Node[]).map((column) => selectItem(column, topLevel)).join(', ')}`;
    if (Array.isArray(node.from) && node.from.length > 0) sql += ` FROM ${from(node.from, ctes)}`;
    if (node.where) sql += ` WHERE ${expr(node.where, context)}`;
    const groups = node.groupby?.columns ?? (Array.isArray(node.groupby) ? node.groupby : undefined);
    if (Array.isArray(groups) && groups.length > 0) sql += ` GROUP BY ${groups.map((g: Node) => expr(g, context)).join(', ')}`;
    if (node.having) sql += ` HAVING ${expr(node.having, context)}`;
    if (Array.isArray(node.orderby) && node.orderby.length > 0) {
      const keys = (node.orderby as Node[]).map((key) => {
        const direction = key.type === 'DESC' ? ' DESC' : key.type === 'ASC' ? ' ASC' : '';
        // Trino sorts NULLs last in both directions unless told otherwise.
        const nulls = typeof key.nulls === 'string' ? ` ${key.nulls}` : ' NULLS LAST';
        return `${expr(key.expr, context)}${direction}${nulls}`;
      });
      sql += ` ORDER BY ${keys.join(', ')}`;
    }
    const limit = (node.limit?.value ?? []) as Node[];
    const count = limit[0];
    if (count !== undefined && !(count.type === 'origin' && String(count.value).toLowerCase() === 'all')) {
      if (count.type !== 'number') throw unsupported('A LIMIT that is not a number');
      sql += ` LIMIT ${Number(count.value)}`;
    }
    if (limit[1] !== undefined) sql += ` OFFSET ${Number(limit[1].value)}`;
    if (node._next) {
      const operator = String(node.set_op ?? 'union').toUpperCase();
      if (operator !== 'UNION' && operator !== 'UNION ALL' && operator !== 'UNION DISTINCT') throw unsupported(operator);
      sql += ` ${operator} ${select(node._next, outerCtes)}`;
    }
    return sql;
  }

  return { sql: select(ast, new Set(), true), storeIds };
}
