/**
 * `otel-cloudtrail-lake/emulator`: a local CloudTrail Lake (ingestion, control plane, Lake queries) for
 * tests, demos and development. Not loaded by the exporter; import it only where you need a server.
 * docs/emulator.md lists every operation and the security rules.
 *
 * API (stable):
 *
 *   const emulator = await startEmulator({
 *     port: 0,                     // default 0 (any free port); host default 127.0.0.1
 *     dataDir: './ctl-data',       // absent: in memory; present: events.jsonl, fsynced before each 200
 *     credentials: [{ accessKeyId, secretAccessKey, accountId, sessionToken? }], // absent: any signature
 *     channels: [{ channelArn, externalId? }],  // absent: one default channel (emulator.channelArn)
 *     region: 'us-east-1', faults: { throttleRate: 0.1, ... }, seed: 1, configFile, log: (line) => ...,
 *   });
 *   emulator.url, emulator.channelArn, emulator.channels, emulator.region, emulator.accountId
 *   emulator.events()        // stored events, CloudTrail shape (eventID, metadata, eventData object)
 *   emulator.received()      // the PutAuditEvents requests and their answers
 *   emulator.stats           // { requests, acceptedEvents, failedEvents{code}, errors{type}, throttled, ... }
 *   emulator.setFaults({...}, seed?)  // also POST /_emulator/faults
 *   await emulator.query(`SELECT eventData.eventName, count(*) FROM ${emulator.eventDataStoreId} GROUP BY 1`)
 *       // StartQuery + GetQueryResults; rows of strings as Lake returns them; needs @duckdb/node-api
 *   emulator.adminToken      // Authorization: Bearer <token> for /_emulator/* and the control plane
 *   await emulator.close()
 *
 * HTTP: POST /PutAuditEvents?channelArn=..&externalId=.. (SigV4, service cloudtrail-data); POST / with
 * X-Amz-Target (CloudTrail's control plane, AWS JSON 1.1, SigV4 service cloudtrail or the admin token);
 * /_emulator/{health,stats,events,faults,query,reset-stats} (admin token or SigV4 when credentials are set).
 *
 * Choices where the public documentation is silent (the real service wins where it is known to differ):
 * - Order per request: faults (outage, script, random throttling/5xx, latency) come first, as a front
 *   door throttles before it authenticates; then body size, signature, query, body shape, channel, caller,
 *   externalId, then each event.
 * - Status codes: 400 for the modelled exceptions and ThrottlingException (429 only as a fault option);
 *   403 for MissingAuthenticationTokenException, IncompleteSignatureException, InvalidSignatureException
 *   (also "Signature expired" past 15 minutes of skew), UnrecognizedClientException (unknown key, missing
 *   or wrong session token) and ExpiredTokenException; 500/503 for server faults; 404 for other paths.
 * - Body over maxRequestBytes (1,048,576 by default): ValidationException. Unparseable JSON:
 *   SerializationException (the AWS JSON front door's name). Count, id and externalId constraints:
 *   ValidationException, with the model's constraint wording.
 * - channelArn: the reference text says "ARN or ID (the ARN suffix)", so a value without `arn:` is looked
 *   up as a channel id (ChannelNotFound when unknown); an `arn:` value that is not a CloudTrail channel ARN
 *   is InvalidChannelARN.
 * - externalId missing or wrong for a channel that has one: ChannelInsufficientPermission (the modelled
 *   "not allowed on this channel" error; AWS documents no dedicated one). Not verified against the service.
 * - Without configured credentials the caller's account is the channel owner.
 * - Per-event: first failing rule wins, in this order: InvalidChecksum, InvalidData (not JSON / not an
 *   object), FieldNotFound, FieldTooLong (strings in UTF-16 code units, objects in UTF-8 bytes of compact
 *   JSON, kB = 1,000 bytes), InvalidData (types, eventTime `yyyy-MM-ddTHH:mm:ssZ` and a real date,
 *   sourceIPAddress IPv4/IPv6), InvalidRecipient.
 * - Seeded faults repeat for the same sequence of requests; concurrent clients change the arrival order.
 */
export { startEmulator } from './start-emulator.js';
export type { Emulator } from './start-emulator.js';
export { EMULATOR_DEFAULTS } from './emulator-options.js';
export type { EmulatorOptions, EmulatorCredential, EmulatorChannel } from './emulator-options.js';
export type { EmulatorFaults, FaultStep } from './faults.js';
export type { EmulatorStats } from './emulator-stats.js';
export type { StoredEvent } from './event-store.js';
export type { ReceivedRequest } from './handle-put-audit-events.js';
export { AWS_ERROR_STATUS } from './aws-error.js';
export type { AwsErrorType } from './aws-error.js';
export {
  parseEmulatorArgs,
  describeEmulator,
  runEmulatorFromArgs,
  EMULATOR_FLAGS_HELP,
} from './emulator-cli.js';
