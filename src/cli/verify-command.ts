import { createCloudTrailLakeQuery } from '../receipts/cloudtrail-lake-query.js';
import { verifyReceiptChain, type ChainReport } from '../receipts/verify-receipt-chain.js';
import { createLakeChecker, type LakeCheckReport } from '../receipts/verify-receipts-in-lake.js';
import type { CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { EXIT, parseCommandArgs } from './parse-command-args.js';

const USAGE =
  'Usage: otel-cloudtrail-lake verify <receipts.jsonl> [--event-data-store [<channelArn>=]<id|arn> ... [--endpoint-url <url>] [--region <region>]] [--output text|json]';

const HELP = `${USAGE}

Checks a delivery receipts file (the exporter's \`receipts\` option). Always: the hash chain, in one pass,
reporting the first broken link (an edited, deleted or reordered line). With --event-data-store: that the
Lake holds every receipt's event under its eventID with unaltered content, and that no event is stored
twice (CloudTrail Lake delivers at least once; duplicates share a UID). The Lake is queried through
CloudTrail's StartQuery and GetQueryResults, with the default AWS credential chain, in chunks, so memory
stays bounded for any number of receipts.

Options:
  --event-data-store [<channelArn>=]<id|arn>
                               the event data store the channel delivers to; repeat it with
                               <channelArn>= for a file of many channels (receipts of a channel
                               without a store are reported as unchecked)
  --endpoint-url <url>         CloudTrail's endpoint (e.g. the local Lake's URL); default the Region's
  --region <region>            default AWS_REGION, then AWS_DEFAULT_REGION
  --output text|json           the report's format (default text)
  -h, --help                   show this help

Exit codes: 0 every check passed; 1 a broken chain, or missing, altered or duplicated events; 2 usage.`;

interface VerifyReport {
  receipts: number;
  chain: ChainReport['broken'] | 'ok';
  lake?: LakeCheckReport;
}

function describe(report: VerifyReport): string[] {
  const lines = [
    report.chain === 'ok'
      ? `chain: ${report.receipts} receipt(s), every link holds`
      : `chain: broken at line ${report.chain?.line}: ${report.chain?.reason}`,
  ];
  if (report.lake !== undefined) {
    const { lake } = report;
    lines.push(
      `lake: ${lake.checked} checked, ${lake.missing} missing, ${lake.altered} altered, ${lake.duplicated} duplicated` +
        (lake.unchecked > 0 ? `, ${lake.unchecked} unchecked (no event data store for their channel)` : ''),
    );
    for (const kind of ['missing', 'altered', 'duplicated', 'unchecked'] as const) {
      if (lake.examples[kind].length > 0) lines.push(`  ${kind}: ${lake.examples[kind].join(', ')}`);
    }
  }
  return lines;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(
    argv,
    {
      'event-data-store': { type: 'string', multiple: true },
      'endpoint-url': { type: 'string' },
      region: { type: 'string' },
      output: { type: 'string' },
    },
    USAGE,
    { min: 1, max: 1 },
  );
  if (args.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  const path = args.positionals[0] ?? '';
  const output = (args.values['output'] as string | undefined) ?? 'text';
  if (output !== 'text' && output !== 'json') {
    io.err(`Expected \`--output\` to be text or json, got ${JSON.stringify(output)}\n${USAGE}`);
    return EXIT.usage;
  }
  const stores = parseStores((args.values['event-data-store'] as string[] | undefined) ?? []);
  const region =
    (args.values['region'] as string | undefined) ??
    process.env['AWS_REGION'] ??
    process.env['AWS_DEFAULT_REGION'];
  if (stores !== undefined && region === undefined) {
    io.err(`--event-data-store needs a Region: --region, AWS_REGION or AWS_DEFAULT_REGION\n${USAGE}`);
    return EXIT.usage;
  }
  const endpointUrl = args.values['endpoint-url'] as string | undefined;
  const checker =
    stores === undefined || region === undefined
      ? undefined
      : createLakeChecker(
          createCloudTrailLakeQuery({ region, ...(endpointUrl === undefined ? {} : { endpointUrl }) }),
          { ...stores },
        );
  const chain = await verifyReceiptChain(path, (receipt) => checker?.add(receipt));
  const report: VerifyReport = { receipts: chain.receipts, chain: chain.broken ?? 'ok' };
  // A broken chain means the file cannot be trusted: the Lake is checked only for an intact one.
  if (checker !== undefined && chain.broken === undefined) report.lake = await checker.finish();
  if (output === 'json') io.out(JSON.stringify(report));
  else for (const line of describe(report)) io.out(line);
  const lake = report.lake;
  const problems =
    report.chain !== 'ok' ||
    (lake !== undefined && lake.missing + lake.altered + lake.duplicated + lake.unchecked > 0);
  return problems ? EXIT.failure : EXIT.ok;
}

/** `--event-data-store` values: a plain id or ARN for every channel, `<channelArn>=<id|arn>` for one. */
function parseStores(
  values: readonly string[],
): { eventDataStore?: string; eventDataStores: Record<string, string> } | undefined {
  if (values.length === 0) return undefined;
  const result: { eventDataStore?: string; eventDataStores: Record<string, string> } = {
    eventDataStores: {},
  };
  for (const value of values) {
    // A channel ARN holds no `=`; an event data store id or ARN neither, so the first `=` splits.
    const split = value.indexOf('=');
    if (split < 0) result.eventDataStore = value;
    else result.eventDataStores[value.slice(0, split)] = value.slice(split + 1);
  }
  return result;
}

/** `verify`: checks delivery receipts, and the Lake against them. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check delivery receipts: their hash chain, and that the Lake holds each event once, unaltered',
  usage: USAGE,
  run,
};
