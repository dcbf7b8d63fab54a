// Delivery receipts end to end: the exporter writes one receipt per event the local Lake accepted, and
// `otel-cloudtrail-lake verify` checks them through CloudTrail's StartQuery/GetQueryResults, finding a
// duplicate made by a replayed request, an event deleted from the store and an altered one. The chain
// itself (edited, deleted, reordered lines) is covered in test/unit/receipts.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { auditAttributes, createPipeline, TEST_CREDENTIALS } from '../helpers/audit-pipeline.js';
import { cleanEnv, runCliProcess } from '../cli/run-cli-process.js';

let dir: string;
let dataDir: string;
let receiptsPath: string;
let emulator: Emulator;

async function send(ids: readonly string[], withReceipts: boolean): Promise<void> {
  const pipeline = createPipeline(emulator, withReceipts ? { receipts: { path: receiptsPath } } : {});
  for (const id of ids) pipeline.emit({ ...auditAttributes(Number(id.slice(1))), 'audit.id': id });
  await pipeline.provider.shutdown();
}

async function verify(): Promise<{ code: number | null; report: Record<string, unknown> }> {
  const result = await runCliProcess(
    [
      'verify',
      receiptsPath,
      '--event-data-store',
      emulator.eventDataStoreId,
      '--endpoint-url',
      emulator.url,
      '--region',
      emulator.region,
      '--output',
      'json',
    ],
    {
      env: cleanEnv({
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      }),
      timeoutMillis: 60_000,
    },
  );
  return { code: result.code, report: JSON.parse(result.stdout.trim()) as Record<string, unknown> };
}

/** Rewrites the store's JSONL file, as someone with access to the disk could. */
async function editStore(edit: (lines: string[]) => string[]): Promise<void> {
  await emulator.close();
  const files = (await readdir(dataDir, { recursive: true })).filter((name) => name.endsWith('events.jsonl'));
  for (const file of files) {
    const path = join(dataDir, file);
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    await writeFile(path, `${edit(lines).join('\n')}\n`);
  }
  emulator = await startEmulator({ port: 0, dataDir, log: () => undefined });
}

const uidOf = (line: string): string => (JSON.parse(line) as { eventData: { UID: string } }).eventData.UID;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctl-verify-'));
  dataDir = join(dir, 'lake');
  receiptsPath = join(dir, 'receipts.jsonl');
  emulator = await startEmulator({ port: 0, dataDir, log: () => undefined });
});

afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('delivery receipts and verify', () => {
  it('writes one receipt per accepted event, and verify finds each in the Lake once and unaltered', async () => {
    await send(['e1', 'e2', 'e3', 'e4', 'e5'], true);
    const receipts = (await readFile(receiptsPath, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; eventID: string });
    expect(receipts.map((receipt) => receipt.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    const stored = new Map(emulator.events().map((event) => [event.eventData['UID'], event.eventID]));
    for (const receipt of receipts) expect(receipt.eventID).toBe(stored.get(receipt.id));

    const { code, report } = await verify();
    expect(report).toMatchObject({
      receipts: 5,
      chain: 'ok',
      lake: { checked: 5, missing: 0, altered: 0, duplicated: 0 },
    });
    expect(code).toBe(0);
  });

  it('counts a duplicate made by a replayed request (the same UID under a second eventID)', async () => {
    await send(['e2'], false);
    const { code, report } = await verify();
    expect(report['lake']).toMatchObject({ duplicated: 1, examples: { duplicated: ['e2'] } });
    expect(code).toBe(1);
  });

  it('finds an event deleted from the store and one whose content was altered', async () => {
    await editStore((lines) =>
      lines
        .filter((line) => uidOf(line) !== 'e4')
        .map((line) =>
          uidOf(line) === 'e5' ? line.replace(/"eventName":"[^"]+"/, '"eventName":"Harmless"') : line,
        ),
    );
    const { code, report } = await verify();
    expect(report['lake']).toMatchObject({
      missing: 1,
      altered: 1,
      examples: { missing: ['e4'], altered: ['e5'] },
    });
    expect(code).toBe(1);
  });
});
