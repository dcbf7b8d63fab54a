// Emulator benchmark: ingestion rate with signature checking on (signed PutAuditEvents of 100 x ~1 kB
// events from concurrent clients, in memory and with fsynced storage), and SQL query time over 100k
// stored events. Run: `npx tsx bench/emulator.ts`; the bench runner imports `runEmulatorBench()`.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmulator, type Emulator } from '../src/emulator/index.js';
import { createPutAuditEventsSigner } from '../test/helpers/node-sha256.js';

export interface EmulatorBenchOptions {
  /** Requests per ingestion run. @default 300 */
  requests?: number;
  /** Concurrent clients. @default 4 */
  concurrency?: number;
  /** Stored events for the query benchmark. @default 100_000 */
  queryEvents?: number;
}

const credential = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret', accountId: '111122223333' };

function eventData(n: number): Record<string, unknown> {
  return {
    version: '1.0',
    userIdentity: {
      type: 'CustomUser',
      principalId: `user-${n % 50}`,
      details: { team: n % 2 === 0 ? 'red' : 'blue' },
    },
    eventSource: 'bench.example',
    eventName: ['Login', 'Logout', 'Update', 'Delete'][n % 4],
    eventTime: `2026-11-21T${String(n % 24).padStart(2, '0')}:00:00Z`,
    UID: `uid-${n}`,
    recipientAccountId: credential.accountId,
    sourceIPAddress: '192.0.2.1',
    // Pads each eventData to about 1 kB.
    requestParameters: { payload: 'p'.repeat(700), n },
  };
}

function requestBody(offset: number): string {
  const auditEvents = Array.from({ length: 100 }, (_, index) => {
    const text = JSON.stringify(eventData(offset + index));
    return {
      id: randomUUID(),
      eventData: text,
      eventDataChecksum: createHash('sha256').update(text).digest('base64'),
    };
  });
  return JSON.stringify({ auditEvents });
}

async function ingest(
  emulator: Emulator,
  requests: number,
  concurrency: number,
): Promise<{ eventsPerSecond: number; millis: number; bodyBytes: number }> {
  const sign = createPutAuditEventsSigner({
    endpoint: emulator.url,
    channelArn: emulator.channelArn,
    region: emulator.region,
    credentials: credential,
  });
  const bodies = Array.from({ length: Math.min(requests, 20) }, (_, index) => requestBody(index * 100));
  let next = 0;
  let bodyBytes = 0;
  async function client(): Promise<void> {
    while (next < requests) {
      const body = bodies[next % bodies.length]!;
      next += 1;
      bodyBytes += Buffer.byteLength(body);
      const { url, headers } = await sign(body);
      const response = await fetch(url, { method: 'POST', headers, body });
      const result = (await response.json()) as { successful?: unknown[] };
      if (response.status !== 200 || result.successful?.length !== 100)
        throw new Error(`bench request failed: ${response.status} ${JSON.stringify(result).slice(0, 200)}`);
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, () => client()));
  const millis = performance.now() - started;
  return { eventsPerSecond: (requests * 100) / (millis / 1000), millis, bodyBytes };
}

async function queryBench(queryEvents: number): Promise<Array<[string, number]>> {
  const dir = await mkdtemp(join(tmpdir(), 'ctl-emulator-bench-'));
  try {
    const channelArn = `arn:aws:cloudtrail:us-east-1:${credential.accountId}:channel/bench`;
    const lines: string[] = [];
    for (let n = 0; n < queryEvents; n += 1) {
      lines.push(
        JSON.stringify({
          eventVersion: '1.0',
          eventCategory: 'ActivityAuditLog',
          eventType: 'ActivityLog',
          eventID: randomUUID(),
          eventTime: eventData(n)['eventTime'] as string,
          awsRegion: 'us-east-1',
          recipientAccountId: credential.accountId,
          metadata: { ingestionTime: '2026-11-21T12:00:00Z', channelARN: channelArn },
          eventData: eventData(n),
        }),
      );
    }
    await writeFile(join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
    const timings: Array<[string, number]> = [];
    let started = performance.now();
    const emulator = await startEmulator({
      dataDir: dir,
      channels: [{ channelArn }],
      credentials: [credential],
      log: () => undefined,
    });
    timings.push([`start and reload ${queryEvents} events`, performance.now() - started]);
    try {
      const sql = `SELECT eventData.userIdentity.principalId, count(*) AS n FROM ${emulator.eventDataStoreId} WHERE eventData.eventName = 'Login' GROUP BY 1`;
      started = performance.now();
      await emulator.query(sql);
      timings.push(['first query (loads events into DuckDB)', performance.now() - started]);
      started = performance.now();
      await emulator.query(sql);
      timings.push(['GROUP BY principalId, warm', performance.now() - started]);
      started = performance.now();
      await emulator.query(
        `SELECT count(*) FROM ${emulator.eventDataStoreId} WHERE element_at(eventData.userIdentity.details, 'team') = 'red' AND eventTime >= TIMESTAMP '2026-11-21 12:00:00'`,
      );
      timings.push(['JSON field + time filter, warm', performance.now() - started]);
    } finally {
      await emulator.close();
    }
    return timings;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs the emulator benchmark and returns a markdown section. */
export async function runEmulatorBench(options: EmulatorBenchOptions = {}): Promise<string> {
  const requests = options.requests ?? 300;
  const concurrency = options.concurrency ?? 4;
  const queryEvents = options.queryEvents ?? 100_000;
  const rows: string[] = [];
  for (const storage of ['memory', 'dataDir (fsync per request)'] as const) {
    const dir = storage === 'memory' ? undefined : await mkdtemp(join(tmpdir(), 'ctl-emulator-bench-'));
    const emulator = await startEmulator({
      credentials: [credential],
      log: () => undefined,
      // This measures what the emulator can ingest, beyond the service's request quota it enforces by default.
      requestQuota: false,
      ...(dir === undefined ? {} : { dataDir: dir }),
    });
    try {
      await ingest(emulator, Math.min(20, requests), concurrency); // warm-up
      const result = await ingest(emulator, requests, concurrency);
      rows.push(
        `| ${storage} | ${requests} x 100 | ${concurrency} | ${(result.bodyBytes / requests / 1024).toFixed(0)} KiB | ${result.millis.toFixed(0)} | ${result.eventsPerSecond.toFixed(0)} |`,
      );
    } finally {
      await emulator.close();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    }
  }
  const timings = await queryBench(queryEvents);
  return [
    '## Emulator',
    '',
    'Ingestion with SigV4 verification on (signed by @smithy/signature-v4 in the same process), events of about 1 kB with checksums:',
    '',
    '| storage | requests x events | clients | body | ms | events/s |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `Queries over ${queryEvents.toLocaleString('en-US')} stored events (DuckDB, in process):`,
    '',
    '| step | ms |',
    '|---|---|',
    ...timings.map(([step, millis]) => `| ${step} | ${millis.toFixed(0)} |`),
    '',
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runEmulatorBench());
}
