/**
 * Probe of the send path's fixed cost: small (200 B) records through CloudTrailLakeLogExporter.export()
 * (records built by the SDK beforehand, batches of 1,000 with 2 in flight as the processor sends them),
 * into the emulator in another process, or into an instant `putAuditEvents` plug-in that isolates
 * everything but HTTP. Prints CPU µs per record of this process. `node --cpu-prof --import tsx` for a profile.
 *   npx tsx bench/send-path-probe.ts [http|plugin|both] [records]
 */
import { fork } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { ExportResultCode } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { CloudTrailLakeLogExporter } from '../src/cloudtrail-lake-log-exporter.js';
import { startEmulator } from '../src/emulator/index.js';
import type { PutAuditEventsFunction } from '../src/transport/transport.js';
import {
  sweepRecord,
  WORKLOAD_ACCOUNT_ID,
  WORKLOAD_RESOURCE_ATTRIBUTES,
  WORKLOAD_SCOPE,
} from './workload.js';

// Not imported from server-process.ts: importing that module starts its server.
const BENCH_CREDENTIALS = {
  accessKeyId: 'AKIDSENDPATHPROBE',
  secretAccessKey: 'probe-secret-not-a-real-key',
};
const BATCH = 1000;
const IN_FLIGHT = 2;

if (process.argv[2] === 'server') {
  const emulator = await startEmulator({
    port: 0,
    requestQuota: false,
    credentials: [{ ...BENCH_CREDENTIALS, accountId: WORKLOAD_ACCOUNT_ID }],
    log: () => undefined,
    maxReceivedRequests: 1,
  });
  process.send?.({ url: `http://127.0.0.1:${emulator.port}`, channelArn: emulator.channelArn });
  process.on('disconnect', () => void emulator.close().finally(() => process.exit(0)));
} else {
  const mode = process.argv[2] ?? 'both';
  const count = Number(process.argv[3] ?? 20_000);
  const records: ReadableLogRecord[] = [];
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(WORKLOAD_RESOURCE_ATTRIBUTES),
    processors: [
      {
        onEmit: (record) => void records.push(record),
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      },
    ],
  });
  const logger = provider.getLogger(WORKLOAD_SCOPE.name, WORKLOAD_SCOPE.version);
  const emit = (i: number, seed?: number): void => {
    const r = sweepRecord(i, 200, seed);
    logger.emit({ timestamp: r.timeMillis, body: r.body, attributes: r.attributes as never });
  };

  async function run(
    exporter: CloudTrailLakeLogExporter,
    batch: readonly ReadableLogRecord[],
  ): Promise<void> {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < batch.length) {
        const slice = batch.slice(next, next + BATCH);
        next += BATCH;
        await new Promise<void>((resolve, reject) =>
          exporter.export(slice, (result) =>
            result.code === ExportResultCode.SUCCESS
              ? resolve()
              : reject(result.error ?? new Error('export failed')),
          ),
        );
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  }

  async function measureMode(name: string, exporter: CloudTrailLakeLogExporter): Promise<void> {
    records.length = 0;
    for (let i = 0; i < 2000; i++) emit(i, 7);
    await run(exporter, records.splice(0));
    for (let i = 0; i < count; i++) emit(i);
    const measured = records.splice(0);
    (globalThis as { gc?: () => void }).gc?.();
    const profileFile = process.env['PROBE_PROFILE'];
    const session = profileFile === undefined ? undefined : new Session();
    session?.connect();
    await session?.post('Profiler.enable');
    await session?.post('Profiler.start');
    const cpu = process.cpuUsage();
    const start = performance.now();
    await run(exporter, measured);
    const used = process.cpuUsage(cpu);
    const wall = performance.now() - start;
    if (session !== undefined) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(`${profileFile}-${name.trim()}.cpuprofile`, JSON.stringify(profile));
      session.disconnect();
    }
    console.log(
      `${name}: ${((used.user + used.system) / count).toFixed(1)} µs CPU/record ` +
        `(user ${(used.user / count).toFixed(1)}, sys ${(used.system / count).toFixed(1)}), wall ${wall.toFixed(0)} ms, ` +
        `requests ${exporter.stats.requests}`,
    );
    await exporter.shutdown();
  }

  if (mode === 'http' || mode === 'both') {
    const server = fork(fileURLToPath(import.meta.url), ['server'], { execArgv: ['--import', 'tsx'] });
    const where = await new Promise<{ url: string; channelArn: string }>((resolve) =>
      server.once('message', (m) => resolve(m as never)),
    );
    await measureMode(
      'http  ',
      new CloudTrailLakeLogExporter(
        { endpoint: where.url, channelArn: where.channelArn, credentials: BENCH_CREDENTIALS },
        {},
      ),
    );
    server.disconnect();
  }
  if (mode === 'plugin' || mode === 'both') {
    const putAuditEvents: PutAuditEventsFunction = (input) =>
      Promise.resolve({
        successful: input.auditEvents.map((e) => ({ id: e.id, eventID: e.id })),
        failed: [],
      });
    await measureMode(
      'plugin',
      new CloudTrailLakeLogExporter(
        { channelArn: `arn:aws:cloudtrail:us-east-1:${WORKLOAD_ACCOUNT_ID}:channel/probe`, putAuditEvents },
        {},
      ),
    );
  }
}
