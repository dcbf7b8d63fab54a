import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { componentLogger } from '../internal/diag.js';
import { AwsError } from './aws-error.js';
import { createChannelRegistry, parseChannelArn, type ResolvedChannel } from './channel-registry.js';
import { EMULATOR_DEFAULTS, type EmulatorChannel, type EmulatorOptions } from './emulator-options.js';
import { createEmulatorStats, type EmulatorStats } from './emulator-stats.js';
import type { StoredEvent } from './event-store.js';
import { createFaultController, type EmulatorFaults } from './faults.js';
import type { ReceivedRequest } from './handle-put-audit-events.js';
import { sendAwsError, sendJson } from './http-response.js';
import { createPutAuditEventsRoute } from './put-audit-events-route.js';
import { createReceivedLog } from './received-log.js';
import { resolveEmulatorOptions } from './resolve-emulator-options.js';
import { handleAdminRequest } from './admin-routes.js';
import { handleConsoleRequest, isConsoleRequest } from './console/console-route.js';
import { applyStartupResources } from './control-plane/apply-startup-resources.js';
import { createControlPlaneRoute, isControlPlaneRequest } from './control-plane/control-plane-route.js';
import { eventsOfStores, loadControlState } from './control-plane/control-state.js';
import type { ControlContext } from './control-plane/event-data-store-operations.js';
import { createLakeQueryEngine } from './lake-sql/index.js';
import { createQueryOperations } from './control-plane/query-operations.js';
import { servedHosts } from './http-guard.js';
import { createRequestQuota } from './request-quota.js';

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
  /** Every channel, also those created through the control plane, with the external id its policy requires. */
  readonly channels: readonly EmulatorChannel[];
  /** Id of the default event data store (the one the start-up channels deliver to); name it in `FROM`. */
  readonly eventDataStoreId: string;
  /** Its ARN. */
  readonly eventDataStoreArn: string;
  /**
   * A random token generated at start: `Authorization: Bearer <adminToken>` is accepted by the admin
   * endpoints and the control plane besides a SigV4 signature (the browser console uses it).
   */
  readonly adminToken: string;
  /** True when no credentials are configured and any well-formed signature is accepted. */
  readonly acceptsAnySignature: boolean;
  /** Access key ids whose signatures are checked (secrets are never exposed). */
  readonly accessKeyIds: readonly string[];
  readonly dataDir: string | undefined;
  /** A snapshot of the counters. */
  readonly stats: EmulatorStats;
  /** The faults in force. */
  readonly faults: EmulatorFaults;
  /** A copy of the stored events of every event data store, each once, oldest store first (survive restarts with `dataDir`). */
  events(): StoredEvent[];
  /** The last `maxReceivedRequests` PutAuditEvents requests, oldest first, with their answers. */
  received(): ReceivedRequest[];
  /**
   * Runs a Lake query as StartQuery and GetQueryResults do (the statement names stores by id or ARN in
   * FROM) and resolves to its rows, each an object of column name to string (or null), as Lake returns them.
   * Throws an AwsError when StartQuery refuses it or the query does not finish.
   */
  query(sql: string): Promise<Array<Record<string, string | null>>>;
  /** Replaces the faults; an outage in them starts now. `seed` restarts the fault PRNG. */
  setFaults(faults: EmulatorFaults, seed?: number): void;
  /** Zeroes the counters and forgets received requests (stored events stay). */
  resetStats(): void;
  /** Stops listening, drops open connections, flushes storage. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a local CloudTrail Lake: the PutAuditEvents endpoint with signature checks, per-event
 * validation and a request quota; CloudTrail's control plane (channels, event data stores, resource
 * policies, queries); faults and admin endpoints. Resolves once it listens.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = await resolveEmulatorOptions(options);
  const diag = componentLogger('CloudTrailLakeEmulator');
  const log = resolved.log ?? ((line: string) => diag.info(line));
  const state = await loadControlState(resolved.dataDir);
  const control: ControlContext = {
    state,
    partition: EMULATOR_DEFAULTS.partition,
    region: resolved.region,
    accountId: resolved.accountId,
    now: resolved.now,
  };
  const defaultStore = await applyStartupResources(control, resolved.eventDataStoreId, resolved.channels);
  const registry = createChannelRegistry(state);
  const faults = createFaultController(resolved.faults, resolved.seed, resolved.now);
  const stats = createEmulatorStats();
  const received = createReceivedLog({
    maxRequests: resolved.maxReceivedRequests,
    maxBytes: resolved.maxReceivedBytes,
    maxRequestBytes: resolved.maxRequestBytes,
  });
  const engine = resolved.queryEngine ?? createLakeQueryEngine();
  const queries = createQueryOperations(control, engine, {
    maxConcurrentQueries: resolved.maxConcurrentQueries,
    queryTimeoutMillis: resolved.queryTimeoutMillis,
    maxResultRows: EMULATOR_DEFAULTS.maxResultRows,
    maxStoredQueries: EMULATOR_DEFAULTS.maxStoredQueries,
  });
  const adminToken = randomBytes(32).toString('base64url');
  const firstChannelArn = resolved.channels[0]!.channelArn;
  const context = {
    region: resolved.region,
    credentials: resolved.credentials,
    channels: registry,
    quota: resolved.requestQuota === undefined ? undefined : createRequestQuota(resolved.requestQuota),
    async deliver(channel: ResolvedChannel, events: readonly StoredEvent[]) {
      const record = channel.record;
      record.latestIngestionAttemptMillis = resolved.now();
      if (events.length === 0) return;
      const stores = record.destinations
        .map((destination) => state.eventDataStores.find((store) => store.arn === destination.Location))
        .filter((store) => store?.status === 'ENABLED');
      // CloudTrail accepts events for a channel whose stores are not ingesting and stores nothing:
      // counted and logged here so the loss is never silent.
      if (stores.length === 0) {
        stats.add('undeliveredEvents', events.length);
        diag.warn(
          `${events.length} event(s) on ${record.arn} not stored: no destination event data store is ingesting`,
        );
        return;
      }
      for (const store of stores) await state.storeEvents(store!.id).append(events);
      record.latestIngestionSuccessMillis = record.latestIngestionAttemptMillis;
      record.latestIngestionSuccessEventID = events.at(-1)!.eventID;
      record.latestIngestionAttemptEventID = events.at(-1)!.eventID;
    },
    faults,
    maxClockSkewMillis: resolved.maxClockSkewMillis,
    now: resolved.now,
    eventVersion: EMULATOR_DEFAULTS.eventVersion,
  };
  const sockets = new Set<Socket>();
  let hosts: ReadonlySet<string> = new Set();
  const auth = () => ({
    credentials: resolved.credentials,
    adminToken,
    region: resolved.region,
    nowMillis: resolved.now(),
    maxClockSkewMillis: resolved.maxClockSkewMillis,
  });

  const onPutAuditEvents = createPutAuditEventsRoute({
    context,
    stats,
    received,
    maxRequestBytes: resolved.maxRequestBytes,
    onBug: (error) => diag.error('PutAuditEvents handler failed', error),
  });
  const onControlPlane = createControlPlaneRoute({
    context: control,
    queries,
    hosts: () => hosts,
    auth,
    maxBodyBytes: EMULATOR_DEFAULTS.maxAdminRequestBytes,
  });
  const adminDeps = { hosts: () => hosts, auth, maxBodyBytes: EMULATOR_DEFAULTS.maxAdminRequestBytes };

  const server = createServer((request, response) => {
    response.setHeader('x-amzn-requestid', randomUUID());
    stats.count('requests');
    const path = (request.url ?? '/').split('?')[0];
    const handled =
      path === '/PutAuditEvents' && request.method === 'POST'
        ? onPutAuditEvents(request, response)
        : path === '/' && isControlPlaneRequest(request)
          ? onControlPlane(request, response)
          : path?.startsWith('/_emulator/') === true
            ? handleAdminRequest(request, response, path, { ...adminDeps, emulator })
            : path !== undefined && isConsoleRequest(request.method, path)
              ? handleConsoleRequest(request, response, path, { ...adminDeps, emulator })
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
  hosts = servedHosts(resolved.host, address.port, resolved.allowedHosts);

  /** The programmatic query path: StartQuery, then GetQueryResults page by page, as a client does. */
  async function query(sql: string): Promise<Array<Record<string, string | null>>> {
    const { QueryId } = await queries.StartQuery(control, { QueryStatement: sql });
    const done = await queries.settled(QueryId);
    if (done.status !== 'FINISHED')
      throw new AwsError(
        'ValidationException',
        `The query ${QueryId} ended ${done.status}: ${done.errorMessage ?? 'no reason given'}`,
      );
    const rows: Array<Record<string, string | null>> = [];
    let NextToken: string | undefined;
    do {
      const page = queries.GetQueryResults(
        control,
        NextToken === undefined ? { QueryId } : { QueryId, NextToken },
      ) as {
        QueryResultRows: Array<Array<Record<string, string | null>>>;
        NextToken?: string;
      };
      for (const row of page.QueryResultRows)
        rows.push(Object.assign({}, ...row) as Record<string, string | null>);
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    return rows;
  }

  let closing: Promise<void> | undefined;
  const emulator: Emulator = {
    url,
    port: address.port,
    region: resolved.region,
    accountId: parseChannelArn(firstChannelArn)?.ownerAccountId ?? resolved.accountId,
    channelArn: firstChannelArn,
    get channels() {
      return state.channels.map((channel) => {
        const externalId = registry.resolve(channel.arn).externalIds[0];
        return externalId === undefined
          ? { channelArn: channel.arn }
          : { channelArn: channel.arn, externalId };
      });
    },
    eventDataStoreId: defaultStore.id,
    eventDataStoreArn: defaultStore.arn,
    adminToken,
    acceptsAnySignature: resolved.credentials.length === 0,
    accessKeyIds: resolved.credentials.map((credential) => credential.accessKeyId),
    dataDir: resolved.dataDir,
    get stats() {
      return stats.snapshot();
    },
    get faults() {
      return faults.faults;
    },
    events: () =>
      eventsOfStores(
        state,
        state.eventDataStores.map((store) => store.id),
      ),
    received: () => received.list(),
    query,
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
        await queries.close();
        await state.save();
        await state.close();
        await engine.close();
      })();
      return closing;
    },
  };

  log(`CloudTrail Lake emulator listening on ${url} (region ${resolved.region})`);
  for (const channel of emulator.channels)
    log(
      `channel ${channel.channelArn}${channel.externalId === undefined ? '' : ' (requires an externalId)'}`,
    );
  log(
    `event data store ${defaultStore.id}; storage ${resolved.dataDir === undefined ? 'in memory' : `${resolved.dataDir} (${emulator.events().length} events reloaded)`}`,
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
