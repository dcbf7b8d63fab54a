import { randomUUID } from 'node:crypto';
import { CloudTrailLakeLogExporter } from '../cloudtrail-lake-log-exporter.js';
import { DEFAULTS } from '../defaults.js';
import { ENV_VARS } from '../env.js';
import {
  CloudTrailLakeError,
  ConfigError,
  RejectedByServiceError,
  ValidationError,
  type EventRejection,
} from '../errors.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type { EventDataDraft } from '../mapping/mapping-options.js';
import type { PipelineEntry } from '../pipeline/pipeline-entry.js';
import { PUT_AUDIT_EVENTS_MAX_REQUESTS_PER_SECOND } from '../limits.js';
import type { CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { emulatorCredentialsFor } from './emulator-credentials.js';
import { EXIT, UsageError, numberFlag, parseCommandArgs, stringFlag } from './parse-command-args.js';
import { readEventLines } from './read-event-lines.js';
import { createFailureTally } from './failure-tally.js';

const USAGE =
  'Usage: otel-cloudtrail-lake send <file|-> --channel-arn <arn> [--endpoint <url>] [--region <r>] [--external-id <id>] [--max-requests-per-second <n>]';

const HELP = `${USAGE}

Sends eventData JSON lines to CloudTrail Lake with the exporter's packing, retries and rate limit.
A line is an eventData object, or an object with \`eventData\` and \`id\` (a PutAuditEvents entry or a
dead letter: it is sent again under its id). Prints a summary of failures by code; exits 1 when any
event was rejected or failed. AWS credentials come from the default chain; against an emulator on
localhost without AWS_ACCESS_KEY_ID, placeholder credentials are used.

Options:
  --channel-arn <arn>              the channel (default: env ${ENV_VARS.channelArn})
  --endpoint <url>                 custom endpoint, e.g. an emulator (default: env ${ENV_VARS.endpoint})
  --region <region>                region, for a bare channel id
  --external-id <id>               the channel policy's external id
  --max-requests-per-second <n>    client-side rate limit (default ${DEFAULTS.maxRequestsPerSecond})
  -h, --help                       show this help`;

/** Events handed to the pipeline per send: one full processor batch. */
const CHUNK_EVENTS = DEFAULTS.maxExportBatchSize;

/**
 * A slow rate must not make a whole chunk miss the export deadline: allow the time its requests need at
 * that rate, on top of the default deadline.
 */
function exportDeadlineMillis(requestsPerSecond: number): number {
  const requests = Math.ceil(CHUNK_EVENTS / DEFAULTS.maxEventsPerRequest);
  return DEFAULTS.exportTimeoutMillis + Math.ceil((requests / requestsPerSecond) * 1000);
}

interface Pending {
  entry: PipelineEntry;
  line: number;
}

/** A line is already eventData; the record beside it only names where it came from. */
const LINE_RECORD: AuditLogRecord = {
  hrTime: [0, 0],
  hrTimeObserved: [0, 0],
  resource: { attributes: {} },
  instrumentationScope: { name: 'otel-cloudtrail-lake send' },
  attributes: {},
};

function codeOf(rejection: EventRejection): string {
  if (rejection instanceof RejectedByServiceError) return rejection.serviceErrorCode;
  if (rejection instanceof ValidationError) return `${rejection.code} (${rejection.field})`;
  return rejection.code;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(
    argv,
    {
      'channel-arn': { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      'external-id': { type: 'string' },
      'max-requests-per-second': { type: 'string' },
    },
    USAGE,
    { min: 1, max: 1 },
  );
  if (args.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  const file = args.positionals[0] ?? '-';
  const rate = numberFlag('max-requests-per-second', stringFlag(args, 'max-requests-per-second'), USAGE, {
    min: 0.001,
    max: PUT_AUDIT_EVENTS_MAX_REQUESTS_PER_SECOND,
  });
  const channelArn = stringFlag(args, 'channel-arn');
  const endpoint = stringFlag(args, 'endpoint') ?? io.env[ENV_VARS.endpoint];
  const region = stringFlag(args, 'region');
  const externalId = stringFlag(args, 'external-id');

  const tally = createFailureTally();
  const lineOf = new Map<string, number>();
  let exporter: CloudTrailLakeLogExporter;
  try {
    const credentials = emulatorCredentialsFor(endpoint, io.env);
    exporter = new CloudTrailLakeLogExporter(
      {
        ...(channelArn === undefined ? {} : { channelArn }),
        ...(endpoint === undefined ? {} : { endpoint }),
        ...(region === undefined ? {} : { region }),
        ...(externalId === undefined ? {} : { externalId }),
        ...(rate === undefined
          ? {}
          : { maxRequestsPerSecond: rate, timeoutMillis: exportDeadlineMillis(rate) }),
        ...(credentials === undefined ? {} : { credentials }),
        onRejected: (rejections) => {
          for (const rejection of rejections) {
            tally.add(
              codeOf(rejection),
              `line ${lineOf.get(rejection.eventId) ?? '?'}: ${rejection.message}`,
            );
          }
        },
      },
      io.env,
    );
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message, USAGE);
    throw error;
  }

  const started = Date.now();
  let read = 0;
  let settled = 0;
  const draw = (): void => {
    if (!io.isTty) return;
    const stats = exporter.stats;
    io.progress(
      `\rsent ${settled}/${read} event(s): ${stats.exported} accepted, ${stats.rejected} rejected, ${stats.failed} failed `,
    );
  };
  const { pipeline } = exporter;
  const timeoutMillis = rate === undefined ? DEFAULTS.exportTimeoutMillis : exportDeadlineMillis(rate);
  const exportChunk = async (chunk: readonly Pending[]): Promise<void> => {
    // The same send pipeline as the processor's: every line comes back accepted, rejected or failed.
    const outcome = await pipeline.send(
      chunk.map((pending) => pending.entry),
      { deadline: pipeline.clock.now() + timeoutMillis },
    );
    const before = settled;
    settled += chunk.length;
    for (const group of outcome.failed) {
      const code = group.error instanceof CloudTrailLakeError ? group.error.code : 'failed';
      tally.addFailed(
        code,
        group.ids.length,
        `lines ${chunk[0]?.line ?? before}-${chunk.at(-1)?.line ?? settled}: ${group.error.message}`,
      );
    }
    draw();
  };

  let chunk: Pending[] = [];
  for await (const entry of readEventLines(file, io.stdin)) {
    read += 1;
    if (entry.error !== undefined) {
      tally.add('invalid line', `line ${entry.line}: ${entry.error}`);
      settled += 1;
      continue;
    }
    const id = entry.id ?? randomUUID();
    const earlier = lineOf.get(id);
    if (earlier !== undefined) {
      // Two entries with one id in a request fail the whole request (DuplicatedAuditEventId).
      tally.add('duplicate id', `line ${entry.line}: id ${id} is already used on line ${earlier}`);
      settled += 1;
      continue;
    }
    lineOf.set(id, entry.line);
    chunk.push({
      entry: { id, record: LINE_RECORD, eventData: entry.eventData as EventDataDraft },
      line: entry.line,
    });
    if (chunk.length >= CHUNK_EVENTS) {
      await exportChunk(chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) await exportChunk(chunk);
  await exporter.shutdown();
  if (io.isTty) io.progress('\n');

  const stats = exporter.stats;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  io.out(
    `Sent ${read} event(s) from ${file} in ${stats.requests} request(s) in ${seconds} s: ` +
      `${stats.exported} accepted, ${tally.rejected} rejected, ${tally.failed} failed`,
  );
  for (const line of tally.describe()) io.out(line);
  return tally.rejected + tally.failed === 0 ? EXIT.ok : EXIT.failure;
}

/** `send`: ingest a file of events. */
export const sendCommand: Command = {
  name: 'send',
  summary: 'send eventData JSON lines (or dead letters) to a channel',
  usage: USAGE,
  run,
};
