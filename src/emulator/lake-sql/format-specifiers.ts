import { invalidQuery } from './lake-query-error.js';

/**
 * Date format strings translated to DuckDB's strftime/strptime specifiers. Trino's `date_format` and
 * `date_parse` use MySQL specifiers, `format_datetime` and `parse_datetime` Joda-Time patterns
 * (https://trino.io/docs/current/functions/datetime.html#mysql-date-functions,
 * https://www.joda.org/joda-time/apidocs/org/joda/time/format/DateTimeFormat.html). A specifier with no
 * DuckDB equivalent fails the query rather than print something else.
 */
const MYSQL_TO_DUCKDB: Readonly<Record<string, string>> = {
  a: '%a',
  b: '%b',
  c: '%-m',
  d: '%d',
  e: '%-d',
  f: '%f',
  H: '%H',
  h: '%I',
  I: '%I',
  i: '%M',
  j: '%j',
  k: '%-H',
  l: '%-I',
  M: '%B',
  m: '%m',
  p: '%p',
  r: '%I:%M:%S %p',
  S: '%S',
  s: '%S',
  T: '%H:%M:%S',
  v: '%V',
  W: '%A',
  Y: '%Y',
  y: '%y',
  '%': '%%',
};

export function mysqlFormatToDuckDb(format: string, functionName: string): string {
  let result = '';
  for (let index = 0; index < format.length; index++) {
    const char = format[index] ?? '';
    if (char !== '%') {
      result += char;
      continue;
    }
    const specifier = format[++index] ?? '';
    const translated = MYSQL_TO_DUCKDB[specifier];
    if (translated === undefined) {
      throw invalidQuery(`${functionName}: the format specifier %${specifier} is not supported`);
    }
    result += translated;
  }
  return result;
}

/** Joda letters runs (`yyyy`, `MM`, `SSS`, ...) with their DuckDB specifier. */
const JODA_TO_DUCKDB: Readonly<Record<string, string>> = {
  yyyy: '%Y',
  yy: '%y',
  MMMM: '%B',
  MMM: '%b',
  MM: '%m',
  M: '%-m',
  dd: '%d',
  d: '%-d',
  HH: '%H',
  H: '%-H',
  hh: '%I',
  h: '%-I',
  mm: '%M',
  m: '%-M',
  ss: '%S',
  s: '%-S',
  SSS: '%g',
  SSSSSS: '%f',
  a: '%p',
  EEEE: '%A',
  EEE: '%a',
  DDD: '%j',
};

export function jodaFormatToDuckDb(format: string, functionName: string): string {
  let result = '';
  for (let index = 0; index < format.length; ) {
    const char = format[index] ?? '';
    if (char === "'") {
      const close = format.indexOf("'", index + 1);
      const literal = close < 0 ? format.slice(index + 1) : format.slice(index + 1, close);
      result += literal === '' ? "'" : literal.replaceAll('%', '%%');
      index = close < 0 ? format.length : close + 1;
    } else if (/[A-Za-z]/.test(char)) {
      let end = index;
      while (format[end] === char) end++;
      const run = format.slice(index, end);
      const translated = JODA_TO_DUCKDB[run];
      if (translated === undefined) {
        throw invalidQuery(`${functionName}: the pattern letters ${run} are not supported`);
      }
      result += translated;
      index = end;
    } else {
      result += char === '%' ? '%%' : char;
      index++;
    }
  }
  return result;
}
