/**
 * The servers of the side-by-side benchmark, in their own process so they take no CPU from the
 * contender: the CloudTrail Lake emulator (signatures checked) and an OTLP sink that reads and discards
 * bodies. Each sits behind a counting TCP proxy, so "bytes on the wire" counts what the client really
 * sent, HTTP headers included. Started by `forkBench('server-process.ts', { faults })`.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, connect, type AddressInfo, type Socket } from 'node:net';
import { startEmulator } from '../src/emulator/index.js';
import type { EmulatorFaults } from '../src/emulator/index.js';
import { childMain, toParent, type BenchMessage } from './bench-child.js';
import { WORKLOAD_ACCOUNT_ID } from './workload.js';

/** Credentials the emulator checks signatures against; made up for the benchmark. */
export const BENCH_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIDBENCHSIDEBYSIDE',
  secretAccessKey: 'bench-secret-not-a-real-key',
});

export interface ServerConfig {
  faults?: EmulatorFaults;
}

export interface WireCounters {
  /** Bytes from the client to the server, headers included. */
  sentBytes: number;
  receivedBytes: number;
  connections: number;
}

export interface ServerStats extends BenchMessage {
  type: 'stats';
  emulator: { requests: number; acceptedEvents: number; bodyBytes: number; failedEvents: number };
  sink: { requests: number; bodyBytes: number };
  emulatorWire: WireCounters;
  sinkWire: WireCounters;
  /** CPU this process used since the last reset, in microseconds. */
  cpuMicros: number;
}

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function countingProxy(
  targetPort: number,
): Promise<{ port: number; counters: WireCounters; close(): void }> {
  const counters: WireCounters = { sentBytes: 0, receivedBytes: 0, connections: 0 };
  const sockets = new Set<Socket>();
  const server = createTcpServer((client) => {
    counters.connections += 1;
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => (counters.sentBytes += chunk.length));
    upstream.on('data', (chunk: Buffer) => (counters.receivedBytes += chunk.length));
    client.pipe(upstream);
    upstream.pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  const port = await listen(server);
  return {
    port,
    counters,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

function startSink(): { server: Server; counters: { requests: number; bodyBytes: number } } {
  const counters = { requests: 0, bodyBytes: 0 };
  const server = createHttpServer((request, response) => {
    request.on('data', (chunk: Buffer) => (counters.bodyBytes += chunk.length));
    request.on('end', () => {
      counters.requests += 1;
      // An empty ExportLogsServiceResponse: full success.
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 });
      response.end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  return { server, counters };
}

childMain(async () => {
  const config = JSON.parse(process.argv[2] ?? '{}') as ServerConfig;
  const emulator = await startEmulator({
    port: 0,
    credentials: [{ ...BENCH_CREDENTIALS, accountId: WORKLOAD_ACCOUNT_ID }],
    log: () => undefined,
    // The requests themselves are not needed; keep the emulator's memory to the stored events.
    maxReceivedRequests: 1,
    ...(config.faults === undefined ? {} : { faults: config.faults }),
  });
  const sink = startSink();
  const sinkPort = await listen(sink.server);
  const emulatorProxy = await countingProxy(emulator.port);
  const sinkProxy = await countingProxy(sinkPort);
  let cpuSince = process.cpuUsage();

  process.on('message', (message: BenchMessage) => {
    if (message.type === 'stats') {
      const stats = emulator.stats;
      const cpu = process.cpuUsage(cpuSince);
      const reply: ServerStats = {
        type: 'stats',
        emulator: {
          requests: stats.putAuditEventsRequests,
          acceptedEvents: stats.acceptedEvents,
          bodyBytes: stats.bytesReceived,
          failedEvents: Object.values(stats.failedEvents).reduce((a, b) => a + b, 0),
        },
        sink: { ...sink.counters },
        emulatorWire: { ...emulatorProxy.counters },
        sinkWire: { ...sinkProxy.counters },
        cpuMicros: cpu.user + cpu.system,
      };
      toParent(reply);
    } else if (message.type === 'reset') {
      emulator.resetStats();
      Object.assign(sink.counters, { requests: 0, bodyBytes: 0 });
      for (const counters of [emulatorProxy.counters, sinkProxy.counters])
        Object.assign(counters, { sentBytes: 0, receivedBytes: 0, connections: 0 });
      cpuSince = process.cpuUsage();
      toParent({ type: 'reset-done' });
    } else if (message.type === 'close') {
      emulatorProxy.close();
      sinkProxy.close();
      sink.server.closeAllConnections();
      sink.server.close();
      void emulator.close().finally(() => process.exit(0));
    }
  });
  toParent({
    type: 'ready',
    emulatorUrl: `http://127.0.0.1:${emulatorProxy.port}`,
    channelArn: emulator.channelArn,
    sinkUrl: `http://127.0.0.1:${sinkProxy.port}/v1/logs`,
  });
});
