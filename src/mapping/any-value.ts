import type { JsonObject, JsonValue } from './audit-event.js';

/**
 * OpenTelemetry AnyValue (attribute values, log bodies) to JSON, per the mapping contract
 * (docs/mapping.md, "Values"). Values are typed `unknown` because sdk-logs 3.x types them so
 * and because log bodies are never validated by the SDK. The conversion rules:
 *
 * - strings, booleans, finite numbers and null are kept; maps and arrays keep their key and item order;
 * - `Uint8Array` becomes a base64 string;
 * - NaN, Infinity and -Infinity become the strings `"NaN"`, `"Infinity"`, `"-Infinity"`;
 * - `bigint` becomes its decimal string, a valid `Date` its ISO string (bodies are not validated by the SDK);
 * - `undefined`, functions and symbols are skipped: left out of maps, and as array items become `null`
 *   (which is what JSON.stringify would write there anyway, so indices survive);
 * - any other object (class instance, Map, Set, invalid Date) becomes `String(value)`: an audit trail
 *   should rather show a value as text than lose it;
 * - a reference back to an enclosing map or array becomes the string `"[Circular]"`.
 *
 * Objects that need no change are returned as they are (no copy), so the common case costs one walk.
 */
export function toJsonValue(value: unknown): JsonValue | undefined {
  if (typeof value !== 'object' || value === null) return convert(value, NO_ANCESTORS);
  return isPlainJsonTree(value, 0) ? (value as JsonValue) : convert(value, []);
}

// A scalar has no members to walk, so it needs no ancestor list of its own: most attribute values the
// mapping reads per record are scalars or absent, and a fresh list for each was 63 of the 665 bytes the
// mapping allocated per record of bench/core.ts at ~1 kB.
const NO_ANCESTORS: object[] = [];

/** A plain JSON-style object: `{}` literal or null prototype (not an array, Date, Map or class instance). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Converts a map-valued AnyValue to a JSON object; anything that is not a map gives `undefined`. */
export function toJsonObject(value: unknown): JsonObject | undefined {
  if (!isPlainObject(value)) return undefined;
  return isPlainJsonTree(value, 0) ? (value as JsonObject) : convertObject(value, []);
}

// Deeper than this, the fast check gives up and the exact walk decides. A cycle shows up as running
// past it, so the fast check needs no ancestor list; real attribute values are far shallower.
const FAST_CHECK_MAX_DEPTH = 64;

/**
 * True when `value` (an object) is a tree of plain objects, arrays and JSON scalars that `convert` would
 * return unchanged. It allocates nothing, which makes the common case (an attribute map that is already
 * JSON) one cheap walk; anything else, cycles included, goes to the copying walk. Also false for a tree
 * deeper than FAST_CHECK_MAX_DEPTH, so a caller that needs an exact answer falls back to its own walk.
 */
export function isPlainJsonTree(value: object, depth = 0): boolean {
  if (depth > FAST_CHECK_MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!isPlainJsonItem(value[i], depth)) return false;
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const object = value as Record<string, unknown>;
  for (const key in object) {
    if (!hasOwn.call(object, key)) continue;
    const item = object[key];
    // An `undefined` member is kept as it is by convertObject too: JSON.stringify leaves it out.
    if (item !== undefined && !isPlainJsonItem(item, depth)) return false;
  }
  return true;
}

function isPlainJsonItem(item: unknown, depth: number): boolean {
  switch (typeof item) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(item);
    case 'object':
      return item === null || isPlainJsonTree(item, depth + 1);
    default:
      return false;
  }
}

/** Adds a key; plain assignment of `__proto__` would change the prototype instead. */
export function setKey(target: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function convert(value: unknown, ancestors: object[]): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'object':
      return value === null ? null : convertObjectLike(value, ancestors);
    default:
      return undefined;
  }
}

function convertObjectLike(value: object, ancestors: object[]): JsonValue {
  if (Array.isArray(value)) return ancestors.includes(value) ? '[Circular]' : convertArray(value, ancestors);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    return ancestors.includes(value)
      ? '[Circular]'
      : convertObject(value as Record<string, unknown>, ancestors);
  }
  if (value instanceof Uint8Array) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  // Deliberate: a class with its own toString (URL, Decimal) prints usefully; others print their tag.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return String(value);
}

function convertArray(array: readonly unknown[], ancestors: object[]): JsonValue[] {
  ancestors.push(array);
  let out: JsonValue[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const item: unknown = array[i];
    const converted = isJsonScalar(item) ? item : (convert(item, ancestors) ?? null);
    if (out === undefined) {
      if (converted === item) continue;
      out = array.slice(0, i) as JsonValue[];
    }
    out.push(converted);
  }
  ancestors.pop();
  return out ?? (array as JsonValue[]);
}

function convertObject(object: Record<string, unknown>, ancestors: object[]): JsonObject {
  ancestors.push(object);
  let out: JsonObject | undefined;
  let index = 0;
  // for-in with an own-property check is the walk V8 optimises best (enum cache, no key array).
  for (const key in object) {
    if (!hasOwn.call(object, key)) continue;
    const item = object[key];
    const converted = isJsonScalar(item) ? item : convert(item, ancestors);
    // Copy on the first change only; `undefined` stays as is, JSON.stringify leaves it out anyway.
    if (out === undefined) {
      if (converted === item) {
        index++;
        continue;
      }
      out = copyFirstKeys(object, index);
    }
    if (converted !== undefined) setKey(out, key, converted);
    index++;
  }
  ancestors.pop();
  return out ?? (object as JsonObject);
}

// Called as hasOwn.call(object, key): the for-in pattern V8 recognises and keeps on its fast path.
// eslint-disable-next-line @typescript-eslint/unbound-method
const hasOwn = Object.prototype.hasOwnProperty;

function isJsonScalar(value: unknown): value is string | boolean | number {
  const type = typeof value;
  return type === 'string' || type === 'boolean' || (type === 'number' && Number.isFinite(value));
}

function copyFirstKeys(object: Record<string, unknown>, count: number): JsonObject {
  const out: JsonObject = {};
  let index = 0;
  for (const key in object) {
    if (index === count) break;
    if (!hasOwn.call(object, key)) continue;
    setKey(out, key, object[key] as JsonValue);
    index++;
  }
  return out;
}
