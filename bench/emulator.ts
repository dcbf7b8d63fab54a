// Emulator benchmark: ingestion rate with signature checking on (signed PutAuditEvents of 100 x ~1 kB
// events from concurrent clients, in memory and with fsynced storage), and SQL query time over 100k
// stored events. Run: `npx tsx bench/emulator.ts`; the bench runner imports `runEmulatorBench()`.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmulator } from '../src/emulator/index.js';
import { forkBench, type BenchChild } from './bench-child.js';
import type { IngestResult } from './ingest-clients.js';
import { eventData, INGEST_CREDENTIAL } from './ingest-workload.js';

export interface EmulatorBenchOptions {
  /** Requests per ingestion run. @default 300 */
  requests?: number;
  /** Concurrent clients. @default 4 */
  concurrency?: number;
  /** Stored events for the query benchmark. @default 100_000 */
  queryEvents?: number;
}

const credential = INGEST_CREDENTIAL;

/**
 * Ingests `requests` signed requests from the clients' process and measures this process's CPU meanwhile:
 * all of it is the emulator's, since the clients run elsewhere.
 */
async function ingest(
  clients: BenchChild,
  requests: number,
  concurrency: number,
): Promise<{ eventsPerSecond: number; millis: number; bodyBytes: number; cpuMicrosPerEvent: number }> {
  const cpu = process.cpuUsage();
  const result = await clients.request<IngestResult>(
    { type: 'ingest', requests, concurrency },
    'ingested',
    120_000,
  );
  const used = process.cpuUsage(cpu);
  const events = requests * 100;
  return {
    eventsPerSecond: events / (result.millis / 1000),
    millis: result.millis,
    bodyBytes: result.bodyBytes,
    cpuMicrosPerEvent: (used.user + used.system) / events,
  };
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
    const clients = forkBench('ingest-clients.ts', {
      url: emulator.url,
      channelArn: emulator.channelArn,
      region: emulator.region,
    });
    try {
      await clients.next('ready', 60_000);
      await ingest(clients, Math.min(20, requests), concurrency); // warm-up
      const result = await ingest(clients, requests, concurrency);
      rows.push(
        `| ${storage} | ${requests} x 100 | ${concurrency} | ${(result.bodyBytes / requests / 1024).toFixed(0)} KiB | ${result.millis.toFixed(0)} | ${result.cpuMicrosPerEvent.toFixed(1)} | ${result.eventsPerSecond.toFixed(0)} |`,
      );
    } finally {
      clients.process.kill();
      await clients.exited();
      await emulator.close();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    }
  }
  const timings = await queryBench(queryEvents);
  return [
    '## Emulator',
    '',
    "Ingestion with SigV4 verification on, events of about 1 kB with checksums. The clients (signed by @smithy/signature-v4) run in a process of their own, as an exporter would, so this process does the emulator's work alone; its CPU per event is beside the rate:",
    '',
    '| storage | requests x events | clients | body | ms | emulator CPU µs / event | events/s |',
    '|---|---|---|---|---|---:|---|',
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
