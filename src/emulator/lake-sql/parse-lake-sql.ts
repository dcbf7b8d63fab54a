import { createRequire } from 'node:module';
import type * as NodeSqlParser from 'node-sql-parser';
import { LakeQueryError, invalidQuery } from './lake-query-error.js';
import { LAKE_QUERY_MAX_STATEMENT_CHARS } from './lake-sql-limits.js';
import { rewriteLakeSyntax } from './rewrite-lake-syntax.js';

/** Thrown as UnsupportedOperationException when the optional parser is not installed. */
export const SQL_PARSER_MISSING_MESSAGE =
  'Lake queries need the optional dependency node-sql-parser; install it with `npm install node-sql-parser`';

let parser: NodeSqlParser.Parser | undefined;

/**
 * The parser, loaded on first use: node-sql-parser is an optional peer dependency (about 90 MB with
 * every dialect), so applications that only export audit logs never install or load it. It ships
 * CommonJS, so `require` loads it synchronously.
 */
function sqlParser(): NodeSqlParser.Parser {
  if (parser !== undefined) return parser;
  let module: typeof NodeSqlParser;
  try {
    module = createRequire(import.meta.url)('node-sql-parser') as typeof NodeSqlParser;
  } catch (error) {
    throw new LakeQueryError('UnsupportedOperationException', SQL_PARSER_MISSING_MESSAGE, { cause: error });
  }
  parser = new module.Parser();
  return parser;
}

/**
 * Parses one Lake statement with node-sql-parser's Trino grammar and checks that it is exactly one
 * SELECT (or WITH ... SELECT): read-only by construction, since the translator then writes the SQL that
 * runs from this tree. Known gaps of that grammar (5.4): AT TIME ZONE and unquoted store ids are
 * rewritten before parsing (see rewrite-lake-syntax.ts); EXISTS, quantified comparisons (= ANY),
 * INTERSECT/EXCEPT, FETCH FIRST, UNNEST and IS DISTINCT FROM do not parse, and fail as syntax errors.
 */
export function parseLakeSql(sql: string, storeNames: readonly string[]): unknown {
  if (sql.length > LAKE_QUERY_MAX_STATEMENT_CHARS) {
    throw invalidQuery(
      `The query statement has ${sql.length} characters; the limit is ${LAKE_QUERY_MAX_STATEMENT_CHARS}`,
    );
  }
  const lakeParser = sqlParser();
  let ast: unknown;
  try {
    ast = lakeParser.astify(rewriteLakeSyntax(sql, storeNames), { database: 'trino' });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    // Only to word the message: the statement has already been refused by the parser.
    const keyword = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase();
    if (keyword !== undefined && keyword !== 'SELECT' && keyword !== 'WITH' && keyword !== 'VALUES') {
      throw invalidQuery(`Only SELECT statements are allowed (queries are read-only); got ${keyword}`, error);
    }
    throw invalidQuery(`The query is not a valid Lake SELECT statement: ${detail}`, error);
  }
  const statements = Array.isArray(ast) ? ast : [ast];
  if (statements.length !== 1) {
    throw invalidQuery(`A query is one SELECT statement; this one has ${statements.length} statements`);
  }
  const statement = statements[0] as { type?: unknown };
  if (statement.type !== 'select') {
    throw invalidQuery(
      `Only SELECT statements are allowed (queries are read-only); got ${String(statement.type).toUpperCase()}`,
    );
  }
  return statement;
}
