import type { DuckDBType, DuckDBValue } from '@duckdb/node-api';

/**
 * A DuckDB value as Lake returns it: every value a string, printed as Trino prints it. Timestamps have
 * milliseconds (`2026-01-02 10:00:00.000`), zoned ones add their zone (`... UTC`), arrays are `[a, b]`,
 * maps `{k=v}`, rows `{name=value}`, doubles as Java prints them (`1.5`, `3.0`, `1.0E7`), booleans
 * `true`/`false` (https://trino.io/docs/current/language/types.html).
 */
// DuckDB type ids (DuckDBTypeId in @duckdb/node-api), kept here so this module loads without DuckDB.
const TYPE_ID = { FLOAT: 10, DOUBLE: 11, TIMESTAMP: 12, DATE: 13, INTERVAL: 15, LIST: 24, STRUCT: 25, MAP: 26, TIMESTAMP_TZ: 31 } as const;

const pad = (value: number | bigint, width = 2): string => value.toString().padStart(width, '0');

function formatMicros(micros: bigint): string {
  const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const date = new Date(Number(millis));
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 23)}`;
}

/** Java's Double.toString: plain between 10^-3 and 10^7, else scientific with `E`; always a fraction digit. */
export function formatJavaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

function formatInterval(value: { months: number; days: number; micros: bigint }): string {
  if (value.months !== 0) return `${Math.trunc(value.months / 12)}-${Math.abs(value.months % 12)}`;
  const negative = value.micros < 0n || value.days < 0;
  let micros = BigInt(value.days) * 86_400_000_000n + value.micros;
  if (micros < 0n) micros = -micros;
  const millis = micros / 1000n;
  const days = millis / 86_400_000n;
  const rest = millis % 86_400_000n;
  const time = `${pad(rest / 3_600_000n)}:${pad((rest / 60_000n) % 60n)}:${pad((rest / 1000n) % 60n)}.${pad(rest % 1000n, 3)}`;
  return `${negative ? '-' : ''}${days} ${time}`;
}

function render(value: DuckDBValue, type: DuckDBType): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'number') {
    return type.typeId === TYPE_ID.DOUBLE || type.typeId === TYPE_ID.FLOAT ? formatJavaDouble(value) : String(value);
  }
  const typed = type as DuckDBType & { valueType?: DuckDBType; keyType?: DuckDBType; entryTypes?: readonly DuckDBType[] };
  const object = value as unknown as Record<string, unknown>;
  switch (type.typeId) {
    case TYPE_ID.TIMESTAMP:
      return formatMicros(object['micros'] as bigint);
    case TYPE_ID.TIMESTAMP_TZ:
      return `${formatMicros(object['micros'] as bigint)} UTC`;
    case TYPE_ID.INTERVAL:
      return formatInterval(object as unknown as { months: number; days: number; micros: bigint });
    case TYPE_ID.LIST:
      return `[${(object['items'] as DuckDBValue[]).map((item) => render(item, typed.valueType as DuckDBType)).join(', ')}]`;
    case TYPE_ID.MAP: {
      const entries = object['entries'] as Array<{ key: DuckDBValue; value: DuckDBValue }>;
      const key = typed.keyType as DuckDBType;
      const item = typed.valueType as DuckDBType;
      return `{${entries.map((entry) => `${render(entry.key, key)}=${render(entry.value, item)}`).join(', ')}}`;
    }
    case TYPE_ID.STRUCT: {
      const entries = Object.entries(object['entries'] as Record<string, DuckDBValue>);
      const types = typed.entryTypes ?? [];
      return `{${entries.map(([name, item], index) => `${name}=${render(item, types[index] as DuckDBType)}`).join(', ')}}`;
    }
    default:
      // Dates, decimals, UUIDs and the rest print as Trino does through their own toString().
      return String(value);
  }
}

/** One result value as a Lake string, or null for SQL NULL at the top level. */
export function renderLakeValue(value: DuckDBValue, type: DuckDBType): string | null {
  return value === null ? null : render(value, type);
}
