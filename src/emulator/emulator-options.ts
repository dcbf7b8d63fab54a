import type { LakeQueryEngine } from './lake-sql/index.js';
import type { EmulatorFaults } from './faults.js';
import type { RequestQuotaOptions } from './request-quota.js';

/**
 * One identity the emulator knows. Requests signed with `accessKeyId` must be signed with
 * `secretAccessKey`; the caller's account is `accountId`.
 */
export interface EmulatorCredential {
  accessKeyId: string;
  secretAccessKey: string;
  /** Twelve digits: the account the caller acts as (compared with the channel owner). */
  accountId: string;
  /** When set, requests must carry it in `x-amz-security-token` (temporary credentials). */
  sessionToken?: string;
  /** Epoch milliseconds after which the session token is expired (`ExpiredTokenException`). */
  expiresAtMillis?: number;
}

/** A channel the emulator accepts events on. */
export interface EmulatorChannel {
  /** `arn:{partition}:cloudtrail:{region}:{account}:channel/{id}`; the owner account comes from it. */
  channelArn: string;
  /** When set, requests must send the same `externalId` query parameter. */
  externalId?: string;
}

/** Options of {@link startEmulator}. Every option can also come from `configFile`; explicit options win. */
export interface EmulatorOptions {
  /** TCP port; `0` picks a free one. @default EMULATOR_DEFAULTS.port (0) */
  port?: number;
  /** Interface to listen on. @default EMULATOR_DEFAULTS.host ('127.0.0.1', loopback only) */
  host?: string;
  /** Directory for the append-only `events.jsonl` and the channel file. Absent: events live in memory. */
  dataDir?: string;
  /**
   * Identities that may call PutAuditEvents, with signatures checked. Absent or empty: any well-formed
   * SigV4 `Authorization` header is accepted and the caller is taken to be the channel owner.
   */
  credentials?: readonly EmulatorCredential[];
  /** Channels. Absent: one default channel owned by the first credential's account (or a fixed example account). */
  channels?: readonly EmulatorChannel[];
  /** Region the emulator serves; the credential scope must name it. @default EMULATOR_DEFAULTS.region ('us-east-1') */
  region?: string;
  /** Account that owns the default channel when no credential names one. @default EMULATOR_DEFAULTS.accountId */
  accountId?: string;
  /** Id of the event data store, usable as the table name in queries. Absent: generated (kept in dataDir). */
  eventDataStoreId?: string;
  /** Faults to inject from the start; change them later with `setFaults()` or `POST /_emulator/faults`. */
  faults?: EmulatorFaults;
  /** Seed of the fault PRNG, so a run of the same requests sees the same faults. @default EMULATOR_DEFAULTS.seed (1) */
  seed?: number;
  /** A JSON or YAML file holding any of these options (paths in it are relative to the file). */
  configFile?: string;
  /** Maximum request body, in UTF-8 bytes. @default PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES (1,048,576) */
  maxRequestBytes?: number;
  /** Allowed clock skew of a signature's `x-amz-date`, in milliseconds. @default EMULATOR_DEFAULTS.maxClockSkewMillis (15 min) */
  maxClockSkewMillis?: number;
  /** How many received PutAuditEvents requests `received()` keeps (oldest dropped first). @default EMULATOR_DEFAULTS.maxReceivedRequests (1000) */
  maxReceivedRequests?: number;
  /**
   * Request body bytes `received()` keeps at most, oldest requests dropped first; a body larger than
   * this alone is not kept. @default EMULATOR_DEFAULTS.maxReceivedBytes (64 MiB)
   */
  maxReceivedBytes?: number;
  /** The clock, in epoch milliseconds, for signature dates and ingestion times. @default Date.now */
  now?: () => number;
  /** Start-up and diagnostic lines (never secrets). Absent: they go to the OTel diag logger. */
  log?: (line: string) => void;
  /**
   * Allow listening on a non-loopback `host` without `credentials`: anyone who can reach the port could
   * then write and read the audit trail. @default false (such a start is refused)
   */
  insecure?: boolean;
  /** Extra `Host` header values (`name` or `name:port`) the admin and control endpoints answer to, e.g. a container's DNS name. */
  allowedHosts?: readonly string[];
  /**
   * PutAuditEvents request quota per account and Region, a token bucket as the service enforces it;
   * `false` switches it off. @default { requestsPerSecond: EMULATOR_DEFAULTS.requestsPerSecond (100) }
   */
  requestQuota?: RequestQuotaOptions | false;
  /** Queries that may be QUEUED or RUNNING at once (MaxConcurrentQueriesException beyond). @default EMULATOR_DEFAULTS.maxConcurrentQueries (10) */
  maxConcurrentQueries?: number;
  /** A query running longer ends TIMED_OUT. @default EMULATOR_DEFAULTS.queryTimeoutMillis (5 min) */
  queryTimeoutMillis?: number;
  /** The SQL engine behind StartQuery. Absent: the built-in one (needs `@duckdb/node-api`). */
  queryEngine?: LakeQueryEngine;
}

/** Defaults of the emulator, written once; JSDoc `@default` tags refer to these. */
export const EMULATOR_DEFAULTS = Object.freeze({
  port: 0,
  host: '127.0.0.1',
  region: 'us-east-1',
  /** The example account of the AWS documentation. */
  accountId: '123456789012',
  partition: 'aws',
  seed: 1,
  /** SigV4 allows 15 minutes of skew between the signer's clock and the service's. */
  maxClockSkewMillis: 15 * 60 * 1000,
  maxReceivedRequests: 1000,
  /**
   * A thousand full 1 MiB requests would otherwise pin a gigabyte for `received()` alone; 64 MiB keeps
   * the thousand requests a test suite usually sends (a few kB each) and bounds a long ingestion run.
   */
  maxReceivedBytes: 64 * 1024 * 1024,
  /** CloudTrail's eventVersion for integration events. */
  eventVersion: '1.0',
  /** PutAuditEvents quota per account and Region (Service Quotas for AWS CloudTrail). */
  requestsPerSecond: 100,
  /** "The maximum number of concurrent queries is 10" (MaxConcurrentQueriesException in the model). */
  maxConcurrentQueries: 10,
  /** Lake gives no figure for its query time limit; five minutes keeps a runaway local query bounded. */
  queryTimeoutMillis: 5 * 60 * 1000,
  /** Rows a query result keeps: bounds the emulator's memory; a query with more is cut at this count. */
  maxResultRows: 100_000,
  /** Finished queries kept for DescribeQuery, GetQueryResults and ListQueries. */
  maxStoredQueries: 1000,
  /** Bodies of admin and control plane requests: a policy is at most 8,192 characters, a statement 10,000. */
  maxAdminRequestBytes: 262_144,
  /** Name of the store and channel the start-up options create when none exist. */
  defaultEventDataStoreName: 'emulator-event-data-store',
  defaultChannelName: 'emulator-channel',
});
