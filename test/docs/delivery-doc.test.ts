// The de-duplication query docs/delivery.md documents runs in the emulator's Lake SQL engine and removes
// the duplicate a resent event makes (same UID, second eventID). The delivery guarantee itself is covered
// by the spool and fault tests; verify's duplicate count by test/receipts/verify.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { auditAttributes, createPipeline } from '../helpers/audit-pipeline.js';

const doc = readFileSync(join(import.meta.dirname, '../../docs/delivery.md'), 'utf8');
const query = /```sql\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, log: () => undefined });
});
afterAll(() => emulator.close());

async function send(ids: readonly string[]): Promise<void> {
  const pipeline = createPipeline(emulator);
  ids.forEach((id, n) => pipeline.emit(auditAttributes(n, { 'audit.id': id })));
  await pipeline.provider.shutdown();
}

describe('docs/delivery.md', () => {
  it('gives a Lake SQL query that keeps one row per UID and counts the copies', async () => {
    expect(query).toContain('<event-data-store-id>');
    await send(['dedupe-1', 'dedupe-2']);
    await send(['dedupe-2']); // an accepted event sent again, as after a lost answer
    expect(emulator.events().filter((event) => event.eventData['UID'] === 'dedupe-2')).toHaveLength(2);

    const rows = (
      await emulator.query(query.replace('<event-data-store-id>', emulator.eventDataStoreId))
    ).sort((a, b) => String(a['uid']).localeCompare(String(b['uid'])));
    expect(rows.map((row) => [row['uid'], row['copies']])).toEqual([
      ['dedupe-1', '1'],
      ['dedupe-2', '2'],
    ]);
    const stored = emulator.events().filter((event) => event.eventData['UID'] === 'dedupe-2');
    expect(stored.map((event) => event.eventID)).toContain(rows[1]?.['eventID']);
  });
});
