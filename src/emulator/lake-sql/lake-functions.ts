import { jodaFormatToDuckDb, mysqlFormatToDuckDb } from './format-specifiers.js';
import { invalidQuery } from './lake-query-error.js';

/** One call being translated: its arguments already in DuckDB SQL, and as parsed for literal checks. */
export interface FunctionCall {
  name: string;
  args: readonly string[];
  /** The literal string value of each argument, or undefined when it is not a string literal. */
  literals: ReadonlyArray<string | undefined>;
  /** True when the argument is known to be a map column (cardinality differs for maps and arrays). */
  argIsMap: readonly boolean[];
  insideTry: boolean;
}

interface LakeFunction {
  minArgs: number;
  maxArgs: number;
  translate(call: FunctionCall): string;
  /** Set when the function differs from Trino in a documented way. */
  partly?: string;
}

function literal(call: FunctionCall, index: number, what: string): string {
  const value = call.literals[index];
  if (value === undefined) {
    throw invalidQuery(`${call.name}: the ${what} must be a string literal`);
  }
  return value;
}

const quote = (value: string): string => `'${value.replaceAll("'", "''")}'`;

const UNITS = ['millisecond', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
function unit(call: FunctionCall): string {
  const value = literal(call, 0, 'unit').toLowerCase();
  if (!(UNITS as readonly string[]).includes(value)) {
    throw invalidQuery(`${call.name}: unit '${value}' is not one of ${UNITS.join(', ')}`);
  }
  return value;
}

/** Same name and arguments in DuckDB, with Trino's semantics. */
const same = (minArgs: number, maxArgs = minArgs, duckName?: string): LakeFunction => ({
  minArgs,
  maxArgs,
  translate: (call) => `${duckName ?? call.name}(${call.args.join(', ')})`,
});
const custom = (minArgs: number, maxArgs: number, translate: LakeFunction['translate'], partly?: string): LakeFunction =>
  partly === undefined ? { minArgs, maxArgs, translate } : { minArgs, maxArgs, translate, partly };

const URL_PREFIX = '^[A-Za-z][A-Za-z0-9+.-]*://';
/** Trino returns NULL where the URL has no such part; DuckDB's regexp_extract returns ''. */
const urlPart = (pattern: string): LakeFunction =>
  custom(1, 1, (call) => `nullif(regexp_extract(${call.args[0]}, '${pattern}', 1), '')`);

function regexReplacement(value: string): string {
  // Trino (Java) writes groups as $1 and a literal $ as \$; RE2 writes groups as \1.
  return value.replace(/\\\$|\\|\$(\d)/g, (match, group: string | undefined) =>
    group !== undefined ? `\\${group}` : match === '\\$' ? '$' : '\\\\',
  );
}

/**
 * Every Trino function the engine runs, by lower-case name. Anything else fails the query with
 * InvalidQueryStatementException naming the function, so no DuckDB function with a different meaning
 * can answer a Lake query (https://trino.io/docs/current/functions/list.html).
 */
export const LAKE_FUNCTIONS: Readonly<Record<string, LakeFunction>> = {
  // Aggregates (https://trino.io/docs/current/functions/aggregate.html)
  count: same(0, 1),
  sum: same(1),
  avg: same(1),
  min: same(1),
  max: same(1),
  count_if: same(1),
  arbitrary: same(1, 1, 'any_value'),
  any_value: same(1),
  bool_and: same(1),
  bool_or: same(1),
  every: same(1, 1, 'bool_and'),
  max_by: same(2, 2, 'arg_max'),
  min_by: same(2, 2, 'arg_min'),
  array_agg: same(1),
  approx_distinct: custom(
    1,
    1,
    (call) => `approx_count_distinct(${call.args[0]})`,
    'HyperLogLog like Trino, so counts agree exactly only on small sets',
  ),
  approx_percentile: custom(
    2,
    2,
    (call) => `quantile_disc(${call.args[0]}, ${call.args[1]})`,
    'computed exactly (a value of the set), which is within any approximation error Trino allows',
  ),
  // Date and time (https://trino.io/docs/current/functions/datetime.html)
  now: same(0, 0),
  current_timestamp: custom(0, 0, () => 'now()'),
  current_date: custom(0, 0, () => 'current_date'),
  date_add: custom(3, 3, (call) => {
    const name = unit(call);
    const [count, quantity] = name === 'quarter' ? ['3 * ', 'month'] : name === 'week' ? ['7 * ', 'day'] : ['', name];
    return `(${call.args[2]} + ${count}(${call.args[1]}) * INTERVAL 1 ${quantity})`;
  }),
  // Trino counts whole units between the two values, which is DuckDB's date_sub, not its date_diff.
  date_diff: custom(3, 3, (call) => `date_sub('${unit(call)}', ${call.args[1]}, ${call.args[2]})`),
  date_trunc: custom(2, 2, (call) => `date_trunc('${unit(call)}', ${call.args[1]})`),
  from_iso8601_timestamp: custom(
    1,
    1,
    (call) => `CAST(${call.args[0]} AS TIMESTAMPTZ)`,
    'the result is shown in UTC, whatever offset the text had',
  ),
  from_iso8601_date: custom(1, 1, (call) => `CAST(${call.args[0]} AS DATE)`),
  to_iso8601: custom(1, 1, (call) => `lake_to_iso8601(${call.args[0]})`),
  date_format: custom(2, 2, (call) => `strftime(${call.args[0]}, ${quote(mysqlFormatToDuckDb(literal(call, 1, 'format'), call.name))})`),
  date_parse: custom(2, 2, (call) => `strptime(${call.args[0]}, ${quote(mysqlFormatToDuckDb(literal(call, 1, 'format'), call.name))})`),
  format_datetime: custom(2, 2, (call) => `strftime(${call.args[0]}, ${quote(jodaFormatToDuckDb(literal(call, 1, 'pattern'), call.name))})`),
  parse_datetime: custom(2, 2, (call) => `CAST(strptime(${call.args[0]}, ${quote(jodaFormatToDuckDb(literal(call, 1, 'pattern'), call.name))}) AS TIMESTAMPTZ)`),
  to_unixtime: custom(1, 1, (call) => `epoch(${call.args[0]})`),
  from_unixtime: custom(1, 1, (call) => `to_timestamp(${call.args[0]})`),
  year: same(1),
  quarter: same(1),
  month: same(1),
  week: same(1),
  week_of_year: same(1, 1, 'week'),
  day: same(1),
  day_of_month: same(1, 1, 'day'),
  // ISO: Monday is 1, Sunday 7 (DuckDB's dayofweek counts Sunday as 0).
  day_of_week: same(1, 1, 'isodow'),
  dow: same(1, 1, 'isodow'),
  day_of_year: same(1, 1, 'dayofyear'),
  doy: same(1, 1, 'dayofyear'),
  year_of_week: same(1, 1, 'isoyear'),
  yow: same(1, 1, 'isoyear'),
  hour: same(1),
  minute: same(1),
  second: same(1),
  millisecond: same(1),
  // JSON (https://trino.io/docs/current/functions/json.html)
  json_extract_scalar: custom(2, 2, (call) => `lake_json_extract_scalar(${call.args.join(', ')})`),
  json_extract: same(2),
  json_parse: custom(1, 1, (call) => `json(${call.args[0]})`),
  json_format: custom(1, 1, (call) => `CAST(${call.args[0]} AS VARCHAR)`),
  json_array_length: custom(1, 1, (call) => `lake_json_array_length(${call.args[0]})`),
  json_size: custom(2, 2, (call) => `lake_json_size(${call.args.join(', ')})`),
  is_json_scalar: custom(1, 1, (call) => `(json_type(${call.args[0]}) NOT IN ('OBJECT', 'ARRAY'))`),
  // Maps and arrays (https://trino.io/docs/current/functions/map.html, .../array.html)
  element_at: custom(2, 2, (call) => `(${call.args[0]})[${call.args[1]}]`),
  map_keys: same(1),
  map_values: same(1),
  cardinality: custom(1, 1, (call) => (call.argIsMap[0] === true ? `cardinality(${call.args[0]})` : `len(${call.args[0]})`)),
  contains: same(2, 2, 'list_contains'),
  array_join: custom(2, 3, (call) =>
    call.args.length === 2
      ? `array_to_string(${call.args[0]}, ${call.args[1]})`
      : `array_to_string(list_transform(${call.args[0]}, lake_x -> coalesce(CAST(lake_x AS VARCHAR), ${call.args[2]})), ${call.args[1]})`,
  ),
  array_max: same(1, 1, 'list_max'),
  array_min: same(1, 1, 'list_min'),
  array_position: custom(2, 2, (call) => `coalesce(list_position(${call.args.join(', ')}), 0)`),
  split: same(2, 2, 'string_split'),
  split_part: custom(3, 3, (call) => `lake_split_part(${call.args.join(', ')})`),
  // Strings (https://trino.io/docs/current/functions/string.html)
  lower: same(1),
  upper: same(1),
  length: same(1),
  trim: same(1),
  ltrim: same(1),
  rtrim: same(1),
  reverse: same(1),
  starts_with: same(2),
  strpos: same(2),
  lpad: same(3),
  rpad: same(3),
  substr: custom(2, 3, (call) => `lake_substr(${call.args.join(', ')}${call.args.length === 2 ? ', NULL' : ''})`),
  substring: custom(2, 3, (call) => `lake_substr(${call.args.join(', ')}${call.args.length === 2 ? ', NULL' : ''})`),
  replace: custom(2, 3, (call) => `replace(${call.args[0]}, ${call.args[1]}, ${call.args[2] ?? "''"})`),
  // Trino's concat is NULL when any argument is; DuckDB's skips NULLs, its || does not.
  concat: custom(1, 254, (call) => `(${call.args.join(' || ')})`),
  // Regular expressions (https://trino.io/docs/current/functions/regexp.html); RE2 syntax, not Java's.
  regexp_like: same(2, 2, 'regexp_matches'),
  regexp_extract: custom(2, 3, (call) => `lake_regexp_extract(${call.args[0]}, ${call.args[1]}, ${call.args[2] ?? '0'})`),
  regexp_extract_all: same(2, 3),
  regexp_replace: custom(2, 3, (call) => {
    const replacement = call.args.length === 2 ? '' : regexReplacement(literal(call, 2, 'replacement'));
    return `regexp_replace(${call.args[0]}, ${call.args[1]}, ${quote(replacement)}, 'g')`;
  }),
  // URLs (https://trino.io/docs/current/functions/url.html)
  url_extract_protocol: urlPart('^([A-Za-z][A-Za-z0-9+.-]*):'),
  url_extract_host: urlPart(`${URL_PREFIX}(?:[^/?#@]*@)?([^/?#:]*)`),
  url_extract_path: custom(1, 1, (call) => `regexp_extract(${call.args[0]}, '${URL_PREFIX}[^/?#]*([^?#]*)', 1)`),
  url_extract_query: urlPart('^[^?#]*\\?([^#]*)'),
  url_extract_fragment: urlPart('^[^#]*#(.*)$'),
  url_extract_parameter: custom(2, 2, (call) => {
    const name = literal(call, 1, 'parameter name').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return `regexp_extract(${call.args[0]}, ${quote(`^[^?#]*\\?(?:[^#]*&)?${name}=([^&#]*)`)}, 1)`;
  }),
  // Conditional and mathematical (https://trino.io/docs/current/functions/conditional.html, .../math.html)
  coalesce: same(1, 254),
  nullif: same(2),
  if: custom(2, 3, (call) => `(CASE WHEN ${call.args[0]} THEN ${call.args[1]} ELSE ${call.args[2] ?? 'NULL'} END)`),
  abs: same(1),
  ceil: same(1),
  ceiling: same(1, 1, 'ceil'),
  floor: same(1),
  round: same(1, 2),
  power: same(2, 2, 'pow'),
  pow: same(2),
  sqrt: same(1),
  ln: same(1),
  log10: same(1),
  exp: same(1),
};

/** The function names a Lake query may use, for documentation and for the control plane. */
export const SUPPORTED_LAKE_FUNCTIONS: readonly string[] = Object.freeze(
  [...Object.keys(LAKE_FUNCTIONS), 'try', 'at_time_zone'].sort(),
);

/** Functions whose answer may differ from Trino's in a documented way, with how. */
export const PARTLY_SUPPORTED_LAKE_FUNCTIONS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(
    Object.entries(LAKE_FUNCTIONS).flatMap(([name, fn]) => (fn.partly === undefined ? [] : [[name, fn.partly]])),
  ),
);

/** Extraction and formatting functions that read a zoned value's local wall-clock time. */
export const WALL_CLOCK_FUNCTIONS: ReadonlySet<string> = new Set([
  'year', 'quarter', 'month', 'week', 'week_of_year', 'day', 'day_of_month', 'day_of_week', 'dow',
  'day_of_year', 'doy', 'year_of_week', 'yow', 'hour', 'minute', 'second', 'millisecond',
  'date_format', 'format_datetime',
]);

/** Translates one call, or throws InvalidQueryStatementException naming what is not supported. */
export function translateFunction(call: FunctionCall): string {
  const fn = LAKE_FUNCTIONS[call.name];
  if (fn === undefined) throw invalidQuery(`Function ${call.name} is not supported by the local Lake`);
  if (call.args.length < fn.minArgs || call.args.length > fn.maxArgs) {
    const expected = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
    throw invalidQuery(`Function ${call.name} takes ${expected} arguments, got ${call.args.length}`);
  }
  return fn.translate(call);
}
