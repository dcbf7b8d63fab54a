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
import type { ChannelArnFunction, ChannelDestination } from '../pipeline/channel-destination.js';
import type { PipelineEntry } from '../pipeline/pipeline-entry.js';
import { PUT_AUDIT_EVENTS_MAX_REQUESTS_PER_SECOND } from '../limits.js';
import type { CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { emulatorCredentialsFor } from './emulator-credentials.js';
import {
  EXIT,
  UsageError,
  numberFlag,
  outputFlag,
  parseCommandArgs,
  stringFlag,
} from './parse-command-args.js';
import { countEventLines, readEventLines, type EventLine } from './read-event-lines.js';
import { createFailureTally } from './failure-tally.js';
import { exitCodeForSignal, listenForInterrupt } from './interrupt-signal.js';
import { lineEventId } from './line-event-id.js';
import { formatProgress } from './progress-line.js';
import { formatSendSummary, type SendSummary } from './send-summary.js';

const USAGE =
  'Usage: otel-cloudtrail-lake send <file|-> [--channel-arn <arn>] [--endpoint-url <url>] [--region <r>] [--external-id <id>] [--max-requests-per-second <n>] [--output text|json]';

const HELP = `${USAGE}

Sends eventData JSON lines to CloudTrail Lake with the exporter's packing, retries and rate limit.
A line is an eventData object, or an object with \`eventData\` and \`id\` (a PutAuditEvents entry or a
dead letter: it is sent again under its id, to the channel it names). A line without an id gets one derived from the line's
SHA-256, the same on every run, so sending a file again after an interruption gives each event the
id it had before. Prints a summary of failures by code. AWS credentials come from the default chain;
against an emulator on localhost without AWS_ACCESS_KEY_ID, placeholder credentials are used.

Ctrl+C stops reading, waits for the request in flight, prints the summary so far and exits 130 (a
second Ctrl+C exits at once); SIGTERM does the same and exits 143.

Options:
  --channel-arn <arn>              the channel of lines that name none (default: env
                                   ${ENV_VARS.channelArn}); a dead letter goes back to its channelArn
  --endpoint-url <url>             custom endpoint, e.g. an emulator (default: env ${ENV_VARS.endpoint});
                                   --endpoint is the older name
  --region <region>                region, for a bare channel id
  --external-id <id>               the channel policy's external id, sent to every channel
  --max-requests-per-second <n>    client-side rate limit (default ${DEFAULTS.maxRequestsPerSecond})
  --output <text|json>             the summary as text (default) or one JSON object; --format is
                                   the older name
  --json                           same as --output json
  -h, --help                       show this help

Exit codes: 0 all accepted, 1 any event rejected or failed, 2 wrong command line, 130 interrupted.`;

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

const noDefaultChannel: ChannelArnFunction = () => {
  throw new Error('no --channel-arn given');
};

/**
 * Where a line goes: the channel a dead letter names, unless it is the default channel; undefined sends
 * it to the default. `--external-id` goes with every channel (a dead letter never keeps one).
 */
function routeOf(
  lineChannel: string | undefined,
  defaultChannel: string | undefined,
  externalId: string | undefined,
): ChannelDestination | undefined {
  if (lineChannel === undefined || lineChannel === defaultChannel) return undefined;
  return externalId === undefined ? { channelArn: lineChannel } : { channelArn: lineChannel, externalId };
}

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
      'endpoint-url': { type: 'string' },
      region: { type: 'string' },
      'external-id': { type: 'string' },
      'max-requests-per-second': { type: 'string' },
      output: { type: 'string' },
      json: { type: 'boolean' },
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
  const output = args.values['json'] === true ? 'json' : outputFlag(args, ['text', 'json'], 'text', USAGE);
  const channelArn = stringFlag(args, 'channel-arn') ?? io.env[ENV_VARS.channelArn];
  const endpoint = stringFlag(args, 'endpoint-url') ?? io.env[ENV_VARS.endpoint];
  const region = stringFlag(args, 'region');
  const externalId = stringFlag(args, 'external-id');

  const tally = createFailureTally();
  const lineOf = new Map<string, number>();
  let exporter: CloudTrailLakeLogExporter;
  try {
    const credentials = emulatorCredentialsFor(endpoint, io.env);
    exporter = new CloudTrailLakeLogExporter(
      {
        // Without a default channel every line must name its own (a dead letter): the function stands
        // for "no channel of its own"; it is never called, because each such line carries its route.
        channelArn: channelArn ?? noDefaultChannel,
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
  // Counting first costs one extra read of the file; it gives the progress bar its denominator and an
  // interrupted run the number of lines it did not reach.
  const total = file === '-' ? undefined : await countEventLines(file);
  let read = 0;
  let settled = 0;
  let notSent = 0;
  const summarise = (signal: NodeJS.Signals | undefined): SendSummary => {
    const stats = exporter.stats;
    return {
      file,
      read,
      accepted: stats.exported,
      rejected: tally.rejected,
      failed: tally.failed,
      notSent,
      unread: signal !== undefined && total !== undefined ? Math.max(0, total - read) : 0,
      requests: stats.requests,
      seconds: (Date.now() - started) / 1000,
      interrupted: signal !== undefined,
      failures: tally.entries(),
    };
  };
  const report = (summary: SendSummary): void => {
    if (io.isTty) io.progress('\n');
    if (output === 'json') io.out(JSON.stringify(summary));
    else for (const line of formatSendSummary(summary)) io.out(line);
  };
  const interrupt = listenForInterrupt((signal) => {
    // A second signal: the user will not wait for the request in flight. Its events count as not sent.
    notSent = read - settled;
    report(summarise(signal));
    process.exit(exitCodeForSignal(signal));
  });
  const draw = (): void => {
    if (!io.isTty) return;
    const stats = exporter.stats;
    io.progress(
      `\r${formatProgress({
        done: settled,
        total,
        elapsedMillis: Date.now() - started,
        accepted: stats.exported,
        rejected: tally.rejected,
        failed: tally.failed,
      })} `,
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
  const lines = readEventLines(file, io.stdin)[Symbol.asyncIterator]();
  const stopped = interrupt.received.then((signal) => {
    io.err(`${signal}: finishing the requests in flight; press Ctrl+C again to stop at once`);
    return 'interrupted' as const;
  });
  try {
    for (;;) {
      // Waiting for the next line (a slow pipe) must not hold off Ctrl+C.
      const next = await Promise.race([lines.next(), stopped]);
      if (next === 'interrupted' || next.done === true) break;
      const entry: EventLine = next.value;
      read += 1;
      if (entry.error !== undefined) {
        tally.add('invalid line', `line ${entry.line}: ${entry.error}`);
        settled += 1;
        continue;
      }
      const id = entry.id ?? lineEventId(entry.text);
      const earlier = lineOf.get(id);
      if (earlier !== undefined) {
        // Two entries with one id in a request fail the whole request (DuplicatedAuditEventId); an id
        // derived from the line repeats only for a line repeated word for word.
        tally.add('duplicate id', `line ${entry.line}: id ${id} is already used on line ${earlier}`);
        settled += 1;
        continue;
      }
      const route = routeOf(entry.channelArn, channelArn, externalId);
      if (route === undefined && channelArn === undefined) {
        tally.add('no channel', `line ${entry.line}: names no channelArn, and --channel-arn is not given`);
        settled += 1;
        continue;
      }
      lineOf.set(id, entry.line);
      const eventData = entry.eventData as EventDataDraft;
      chunk.push({
        entry:
          route === undefined
            ? { id, record: LINE_RECORD, eventData }
            : { id, record: LINE_RECORD, eventData, route },
        line: entry.line,
      });
      if (chunk.length >= CHUNK_EVENTS) {
        await exportChunk(chunk);
        chunk = [];
        if (interrupt.signal !== undefined) break;
      }
    }
    if (interrupt.signal === undefined && chunk.length > 0) await exportChunk(chunk);
    else notSent = chunk.length;
    await exporter.shutdown();
  } finally {
    // Stop reading (a read still pending on stdin ends when the process exits, see main.ts).
    void lines.return?.(undefined);
    interrupt.dispose();
  }

  const summary = summarise(interrupt.signal);
  report(summary);
  if (interrupt.signal !== undefined) return exitCodeForSignal(interrupt.signal);
  return summary.rejected + summary.failed === 0 ? EXIT.ok : EXIT.failure;
}

/** `send`: ingest a file of events. */
export const sendCommand: Command = {
  name: 'send',
  summary: 'send eventData JSON lines (or dead letters) to a channel',
  usage: USAGE,
  run,
};
