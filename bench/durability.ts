/**
 * Benchmark of what a crash and a stalled endpoint cost in records and time: the figures behind "nothing
 * lost silently". Each child process is a real LoggerProvider -> CloudTrailLakeLogRecordProcessor with the
 * file spool -> exporter -> an emulator in this process (test/durability/fixtures/emit-records.ts).
 * - kill -9 loops, per fsync policy: a child emits until it is killed with SIGKILL while requests are in
 *   flight, the next one replays the spool and emits more, and so on; a last child drains. Lost = records
 *   whose emit() had returned and that never reached the Lake; duplicates = rows beyond one per record
 *   (at least once: each has the UID of its first copy).
 * - shutdown against a stalled endpoint (accepts TCP, never answers): how long `provider.shutdown()`
 *   takes with 10,000 records queued and `timeoutMillis` 3,000.
 * Run: `npx tsx bench/durability.ts`; `runDurabilityBench()` returns the markdown for `npm run bench`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmulator } from '../src/emulator/index.js';
import type { SpoolFsyncPolicy } from '../src/spool/file-spool-options.js';
import { startFixture } from '../test/durability/child-process.js';
import { fmt, passFail } from './summary-stats.js';

export interface DurabilityBenchOptions {
  /** Fewer kills for a quick run. @default false */
  quick?: boolean;
}

interface CrashLoopResult {
  fsync: SpoolFsyncPolicy;
  kills: number;
  emitted: number;
  stored: number;
  lost: number;
  duplicates: number;
  sameUid: boolean;
}

/** Records each child emits before it may be killed, and the most it emits (records). */
const RECORDS_PER_CHILD = 4_000;

async function crashLoop(fsync: SpoolFsyncPolicy, kills: number): Promise<CrashLoopResult> {
  const emulator = await startEmulator({
    port: 0,
    faults: { latencyMillis: 40 },
    maxReceivedRequests: 100_000,
    log: () => undefined,
  });
  const directory = mkdtempSync(join(tmpdir(), 'ctl-bench-crash-'));
  const env = {
    EMULATOR_URL: emulator.url,
    CHANNEL_ARN: emulator.channelArn,
    SPOOL_DIR: directory,
    FSYNC: fsync,
  };
  const emitted = new Set<number>();
  try {
    for (let round = 0; round < kills; round++) {
      const start = round * RECORDS_PER_CHILD;
      let killed = false;
      // Killed at a point that moves from round to round, once requests are in flight.
      const killAfter = Math.floor(RECORDS_PER_CHILD * (0.3 + (0.5 * round) / kills));
      const child = startFixture(
        'emit-records.ts',
        { ...env, START: String(start), RECORDS: String(RECORDS_PER_CHILD) },
        (line) => {
          if (line === 'all-emitted' && !killed) {
            // Everything emitted before requests were seen in flight: kill it now all the same.
            killed = true;
            child.process.kill('SIGKILL');
          }
          if (!line.startsWith('emitted ')) return;
          emitted.add(Number(line.split(' ')[1]));
          if (!killed && emitted.size - start >= killAfter && emulator.stats.inFlightRequests > 0) {
            killed = true;
            child.process.kill('SIGKILL');
          }
        },
      );
      const exit = await child.exited;
      if (exit.signal !== 'SIGKILL')
        throw new Error(`child ended before its kill: ${child.stderr().slice(-500)}`);
    }
    const drain = startFixture('emit-records.ts', { ...env, RECORDS: '0', SHUTDOWN: '1' });
    await drain.waitForLine(/^done /, 120_000);
    await drain.exited;
    const copies = new Map<number, Set<string>>();
    for (const event of emulator.events()) {
      const n = Number((event.eventData['userIdentity'] as { principalId: string }).principalId.slice(2));
      copies.set(n, (copies.get(n) ?? new Set()).add(String(event.eventData['UID'])));
    }
    const stored = emulator.events().length;
    return {
      fsync,
      kills,
      emitted: emitted.size,
      stored,
      lost: [...emitted].filter((n) => !copies.has(n)).length,
      duplicates: stored - copies.size,
      sameUid: [...copies.values()].every((uids) => uids.size === 1),
    };
  } finally {
    await emulator.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Milliseconds `provider.shutdown()` takes against an endpoint that accepts connections and never answers. */
async function stalledShutdown(records: number, timeoutMillis: number): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const directory = mkdtempSync(join(tmpdir(), 'ctl-bench-stalled-'));
  try {
    const child = startFixture('emit-records.ts', {
      EMULATOR_URL: `http://127.0.0.1:${address.port}`,
      CHANNEL_ARN: 'arn:aws:cloudtrail:us-east-1:123456789012:channel/stalled',
      SPOOL_DIR: directory,
      RECORDS: String(records),
      CHUNK: String(records),
      SHUTDOWN: '1',
      TIMEOUT_MILLIS: String(timeoutMillis),
    });
    await child.waitForLine(/^all-emitted$/, 60_000);
    const started = performance.now();
    await child.waitForLine(/^done /, 120_000);
    const millis = performance.now() - started;
    await child.exited;
    return millis;
  } finally {
    for (const socket of sockets) socket.destroy();
    server.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

export async function runDurabilityBench(options: DurabilityBenchOptions = {}): Promise<string> {
  const kills = options.quick === true ? 2 : 5;
  const loops: CrashLoopResult[] = [];
  for (const fsync of ['never', 'interval', 'always'] as const) loops.push(await crashLoop(fsync, kills));
  const timeoutMillis = 3_000;
  const shutdownMillis = await stalledShutdown(10_000, timeoutMillis);
  const rows = loops.map(
    (r) =>
      `| ${r.fsync} | ${r.kills} | ${fmt(r.emitted)} | ${fmt(r.stored)} | ${fmt(r.lost)} | ${fmt(r.duplicates)} | ${r.sameUid ? 'yes' : 'no'} | ${passFail(r.lost === 0 && r.sameUid)} |`,
  );
  return [
    '## Durability',
    '',
    `kill -9 loops: each child emits up to ${fmt(RECORDS_PER_CHILD)} records through the file spool and is killed with SIGKILL while requests are in flight; the next child replays the spool; a last one drains. Lost counts records whose emit() had returned.`,
    '',
    '| fsync | kills | emitted | rows in the Lake | lost | duplicate rows | duplicates share the UID | 0 lost |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...rows,
    '',
    `Shutdown against a stalled endpoint (accepts TCP, never answers), 10,000 records queued, \`timeoutMillis\` ${fmt(timeoutMillis)}: \`provider.shutdown()\` returned after ${fmt(shutdownMillis)} ms (${passFail(shutdownMillis <= timeoutMillis + 1_000)} against the timeout plus the 1 s margin the docs state).`,
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(await runDurabilityBench({ quick: process.env['BENCH_QUICK'] === '1' }));
}
