// Durable storage of the emulator: events.jsonl written before the 200, reloaded on restart with the
// same default channel and store id, a torn last line cut off, and concurrent writers never interleaving.
// In-memory mode is covered by every other emulator test.
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { TEST_CREDENTIAL, bodyOf, eventData, put } from './helpers/signed-request.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ctl-emulator-storage-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const account = TEST_CREDENTIAL.accountId;
const options = () => ({ dataDir, credentials: [TEST_CREDENTIAL], log: () => undefined });

async function fileLines(): Promise<string[]> {
  return (await readFile(join(dataDir, 'events.jsonl'), 'utf8')).split('\n').filter((line) => line !== '');
}

test('has every accepted event in events.jsonl by the time the 200 arrives', async () => {
  const emulator = await startEmulator(options());
  const result = await put(
    emulator.url,
    emulator.channelArn,
    bodyOf([eventData(account), eventData(account, { UID: 'x' })]),
  );
  expect(result.status).toBe(200);
  const lines = await fileLines();
  expect(lines.map((line) => (JSON.parse(line) as { eventID: string }).eventID)).toEqual(
    result.json.successful.map((entry: { eventID: string }) => entry.eventID),
  );
  await emulator.close();
});

test('reloads stored events, the default channel and the store id after a restart', async () => {
  const first = await startEmulator(options());
  await put(first.url, first.channelArn, bodyOf([eventData(account, { UID: 'before-restart' })]));
  const { channelArn, eventDataStoreId } = first;
  const before = first.events();
  await first.close();

  const second = await startEmulator(options());
  expect(second.channelArn).toBe(channelArn);
  expect(second.eventDataStoreId).toBe(eventDataStoreId);
  expect(second.events()).toEqual(before);
  await put(second.url, second.channelArn, bodyOf([eventData(account, { UID: 'after-restart' })]));
  expect(second.events().map((event) => event.eventData['UID'])).toEqual(['before-restart', 'after-restart']);
  await second.close();
  expect(await fileLines()).toHaveLength(2);
});

test('drops a torn last line left by a crash and keeps appending whole lines', async () => {
  const first = await startEmulator(options());
  await put(first.url, first.channelArn, bodyOf([eventData(account)]));
  await first.close();
  await appendFile(join(dataDir, 'events.jsonl'), '{"eventVersion":"1.0","eventID":"to');

  const second = await startEmulator(options());
  expect(second.events()).toHaveLength(1);
  await put(second.url, second.channelArn, bodyOf([eventData(account, { UID: 'next' })]));
  await second.close();
  const lines = await fileLines();
  expect(lines).toHaveLength(2);
  for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
});

test('keeps lines whole when 40 clients write 100 events each at once', async () => {
  const emulator = await startEmulator(options());
  const clients = 40;
  const results = await Promise.all(
    Array.from({ length: clients }, (_, client) =>
      put(
        emulator.url,
        emulator.channelArn,
        bodyOf(
          Array.from({ length: 100 }, (_, index) =>
            eventData(account, { UID: `c${client}-${index}`, requestParameters: { pad: 'p'.repeat(500) } }),
          ),
        ),
      ),
    ),
  );
  for (const result of results) expect(result.json.successful).toHaveLength(100);
  await emulator.close();
  const lines = await fileLines();
  expect(lines).toHaveLength(clients * 100);
  const uids = new Set(lines.map((line) => JSON.parse(line).eventData.UID as string));
  expect(uids.size).toBe(clients * 100);
});
