import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { componentLogger } from '../internal/diag.js';
import { AwsError } from './aws-error.js';
import { createChannelRegistry } from './channel-registry.js';
import { EMULATOR_DEFAULTS, type EmulatorChannel, type EmulatorOptions } from './emulator-options.js';
import { createEmulatorStats, type EmulatorStats } from './emulator-stats.js';
import { openEventStore, type StoredEvent } from './event-store.js';
import { createFaultController, type EmulatorFaults } from './faults.js';
import type { ReceivedRequest } from './handle-put-audit-events.js';
import { sendAwsError, sendJson } from './http-response.js';
import { createPutAuditEventsRoute } from './put-audit-events-route.js';
import { createReceivedLog } from './received-log.js';
import { createQueryEngine } from './query-engine.js';
import { resolveEmulatorOptions } from './resolve-emulator-options.js';
import { handleAdminRequest } from './admin-routes.js';
import { handleConsoleRequest, isConsoleRequest } from './console/console-route.js';

/** A running emulator. Everything is read-only except through the methods. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:39127`: give it to a client as its endpoint. */
  readonly url: string;
  readonly port: number;
  readonly region: string;
  /** Owner account of the default (first) channel. */
  readonly accountId: string;
  /** ARN of the first channel: the one to send to when there is only one. */
  readonly channelArn: string;
  readonly channels: readonly EmulatorChannel[];
  /** Id of the event data store; usable as the table name in `query()`. */
  readonly eventDataStoreId: string;
  /** True when no credentials are configured and any well-formed signature is accepted. */
  readonly acceptsAnySignature: boolean;
  /** Access key ids whose signatures are checked (secrets are never exposed). */
  readonly accessKeyIds: readonly string[];
  readonly dataDir: string | undefined;
  /** A snapshot of the counters. */
  readonly stats: EmulatorStats;
  /** The faults in force. */
  readonly faults: EmulatorFaults;
  /** A copy of the stored events, oldest first (survive restarts with `dataDir`). */
  events(): StoredEvent[];
  /** The last `maxReceivedRequests` PutAuditEvents requests, oldest first, with their answers. */
  received(): ReceivedRequest[];
  /** Runs SQL over the stored events (see the query engine's notes); needs `@duckdb/node-api`. */
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  /** Replaces the faults; an outage in them starts now. `seed` restarts the fault PRNG. */
  setFaults(faults: EmulatorFaults, seed?: number): void;
  /** Zeroes the counters and forgets received requests (stored events stay). */
  resetStats(): void;
  /** Stops listening, drops open connections, flushes storage. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a local CloudTrail Lake ingestion endpoint (PutAuditEvents) with signature checks, per-event
 * validation, storage, faults and queries. Resolves once it listens.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = await resolveEmulatorOptions(options);
  const diag = componentLogger('CloudTrailLakeEmulator');
  const log = resolved.log ?? ((line: string) => diag.info(line));
  const registry = createChannelRegistry(resolved.channels);
  const store = await openEventStore(resolved.dataDir);
  const faults = createFaultController(resolved.faults, resolved.seed, resolved.now);
  const stats = createEmulatorStats();
  const received = createReceivedLog(resolved.maxReceivedRequests, resolved.maxRequestBytes);
  const firstChannel = registry.channels[0]!;
  const eventDataStoreArn = `arn:${firstChannel.partition}:cloudtrail:${resolved.region}:${resolved.accountId}:eventdatastore/${resolved.eventDataStoreId}`;
  const queries = createQueryEngine(() => store.events, [eventDataStoreArn, resolved.eventDataStoreId]);
  const context = {
    region: resolved.region,
    credentials: resolved.credentials,
    channels: registry,
    store,
    faults,
    maxClockSkewMillis: resolved.maxClockSkewMillis,
    now: resolved.now,
    eventVersion: EMULATOR_DEFAULTS.eventVersion,
  };
  const sockets = new Set<Socket>();

  const onPutAuditEvents = createPutAuditEventsRoute({
    context,
    stats,
    received,
    maxRequestBytes: resolved.maxRequestBytes,
    onBug: (error) => diag.error('PutAuditEvents handler failed', error),
  });

  const server = createServer((request, response) => {
    response.setHeader('x-amzn-requestid', randomUUID());
    stats.count('requests');
    const path = (request.url ?? '/').split('?')[0];
    const handled =
      path === '/PutAuditEvents' && request.method === 'POST'
        ? onPutAuditEvents(request, response)
        : path?.startsWith('/_emulator/') === true
          ? handleAdminRequest(request, response, path, emulator)
          : path !== undefined && isConsoleRequest(request.method, path)
            ? handleConsoleRequest(request, response, path, emulator)
            : Promise.resolve(
                sendAwsError(
                  response,
                  new AwsError(
                    'UnknownOperationException',
                    `No operation at ${request.method ?? ''} ${path ?? ''}.`,
                  ),
                ),
              );
    handled.catch((error: unknown) => {
      diag.error('request handling failed', error);
      if (!response.headersSent)
        sendJson(response, 500, {
          __type: 'InternalServerError',
          message: 'Internal error in the emulator.',
        });
      else response.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  let closing: Promise<void> | undefined;
  const emulator: Emulator = {
    url,
    port: address.port,
    region: resolved.region,
    accountId: firstChannel.ownerAccountId,
    channelArn: firstChannel.channelArn,
    channels: registry.channels.map((channel) =>
      channel.externalId === undefined
        ? { channelArn: channel.channelArn }
        : { channelArn: channel.channelArn, externalId: channel.externalId },
    ),
    eventDataStoreId: resolved.eventDataStoreId,
    acceptsAnySignature: resolved.credentials.length === 0,
    accessKeyIds: resolved.credentials.map((credential) => credential.accessKeyId),
    dataDir: resolved.dataDir,
    get stats() {
      return stats.snapshot();
    },
    get faults() {
      return faults.faults;
    },
    events: () => [...store.events],
    received: () => received.list(),
    query: (sql) => queries.query(sql),
    setFaults(next, seed) {
      faults.set(next, seed);
    },
    resetStats() {
      stats.reset();
      received.clear();
    },
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await closed;
        await store.close();
        await queries.close();
      })();
      return closing;
    },
  };

  log(`CloudTrail Lake emulator listening on ${url} (region ${resolved.region})`);
  for (const channel of registry.channels)
    log(
      `channel ${channel.channelArn}${channel.externalId === undefined ? '' : ' (requires an externalId)'}`,
    );
  log(
    `event data store ${resolved.eventDataStoreId}; storage ${resolved.dataDir === undefined ? 'in memory' : `${resolved.dataDir} (${store.events.length} events reloaded)`}`,
  );
  if (resolved.credentials.length === 0) {
    log(
      'no credentials configured: accepting any well-formed signature; the caller is taken to be the channel owner',
    );
  } else {
    log(
      `checking signatures for access key(s) ${resolved.credentials.map((credential) => credential.accessKeyId).join(', ')}`,
    );
  }
  return emulator;
}
