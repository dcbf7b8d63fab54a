import { AwsError } from '../aws-error.js';
import type { EventDataStoreRecord } from './control-state.js';
import { type ControlContext, findEventDataStore } from './event-data-store-operations.js';

/** A table after FROM or JOIN; a name followed by `(` is a table function, not a store. */
const TABLE_REFERENCE = /\b(?:from|join)\s+(["`]?)([A-Za-z0-9:/._-]+)\1(?![A-Za-z0-9:/._-]|\s*\()/gi;
const CTE_NAME = /\b([A-Za-z_][A-Za-z0-9_]*)\s+as\s*\(/gi;
/** Lake runs SELECT statements only ("CloudTrail Lake queries are SQL SELECT statements"); comments may lead. */
export const SELECT_START = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(?:select|with)\b/i;

/** What CloudTrail's store ids and ARNs look like; other names after FROM are left to the engine. */
const STORE_NAME_SHAPE = /^(?:arn:|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$)/i;

/**
 * The event data stores a statement reads, found by their id or ARN after FROM or JOIN (CloudTrail Lake
 * statements name stores that way), outside string literals. A name of a known store, or shaped like a
 * store id or ARN, is looked up (unknown: EventDataStoreNotFoundException); any other name (a common
 * table expression, `extract(hour FROM eventTime)`) is the engine's to judge.
 */
export function storesNamedIn(context: ControlContext, sql: string): EventDataStoreRecord[] {
  const text = sql.replace(/'(?:[^']|'')*'/g, "''");
  const cteNames = new Set([...text.matchAll(CTE_NAME)].map((match) => match[1]!.toLowerCase()));
  const stores = new Map<string, EventDataStoreRecord>();
  const notStores: string[] = [];
  for (const match of text.matchAll(TABLE_REFERENCE)) {
    const name = match[2]!;
    const known = context.state.eventDataStores.some((store) => store.id === name || store.arn === name);
    if (cteNames.has(name.toLowerCase())) continue;
    if (!known && !STORE_NAME_SHAPE.test(name)) {
      notStores.push(name);
      continue;
    }
    const store = findEventDataStore(context, name);
    if (store.status === 'PENDING_DELETION')
      throw new AwsError(
        'InactiveEventDataStoreException',
        `The event data store ${store.arn} is pending deletion.`,
      );
    stores.set(store.id, store);
  }
  if (stores.size === 0)
    throw new AwsError(
      'InvalidQueryStatementException',
      'The statement must read FROM an event data store, named by its id or ARN' +
        (notStores.length === 0 ? '.' : `; ${notStores.map((name) => `\`${name}\``).join(', ')} is not one.`),
    );
  return [...stores.values()];
}
