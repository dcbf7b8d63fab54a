// CLI conventions, in-process through runCli with an in-memory CliIo (and one child process for the
// diag level): help <command>, did-you-mean for commands and flags, the AWS CLI flag names with the
// older ones as aliases, --output, NO_COLOR, OTEL_LOG_LEVEL, the progress line and the emulator's
// ready-to-paste exports. `send` at Ctrl+C and its ids across runs: send-rerun.test.ts.
import { createServer } from 'node:net';
import { Readable } from 'node:stream';
import { diag } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.js';
import { installCliDiag } from '../../src/cli/install-cli-diag.js';
import { formatProgress } from '../../src/cli/progress-line.js';
import { runCli } from '../../src/cli/run-cli.js';
import { emulatorExports, runEmulatorFromArgs } from '../../src/emulator/emulator-cli.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { cleanEnv, eventData, runCliProcess } from './run-cli-process.js';

interface MemoryIo {
  io: CliIo;
  out: string[];
  err: string[];
}

function memoryIo(env: Record<string, string> = {}, isTty = false): MemoryIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      progress: () => undefined,
      isTty,
      env,
      stdin: Readable.from([]),
    },
    out,
    err,
  };
}

async function run(argv: string[], env: Record<string, string> = {}, isTty = false) {
  const memory = memoryIo(env, isTty);
  const code = await runCli(argv, memory.io);
  return { code, stdout: memory.out.join('\n'), stderr: memory.err.join('\n') };
}

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, log: () => undefined });
});

afterAll(async () => {
  await emulator.close();
});

describe('help and did-you-mean', () => {
  it('prints a command help with help <command>, as <command> --help does', async () => {
    const viaHelp = await run(['help', 'send']);
    const viaFlag = await run(['send', '--help']);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toContain('Usage: otel-cloudtrail-lake send');
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
  });

  it('suggests the closest command for a typo, in help <command> too', async () => {
    const typo = await run(['sned']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("unknown command 'sned'. Did you mean 'send'?");
    expect((await run(['help', 'qurey'])).stderr).toContain("Did you mean 'query'?");
    expect((await run(['frobnicate'])).stderr).not.toContain('Did you mean');
  });

  it('suggests the closest flag for a typo, for parsed commands and the emulator alike', async () => {
    const send = await run(['send', 'x.jsonl', '--endpiont-url', 'http://127.0.0.1:1']);
    expect(send.code).toBe(2);
    expect(send.stderr).toContain("Unknown option '--endpiont-url'. Did you mean '--endpoint-url'?");
    const emulatorTypo = await run(['emulator', '--prot', '4566']);
    expect(emulatorTypo.code).toBe(2);
    expect(emulatorTypo.stderr).toContain("Did you mean '--port'?");
  });
});

describe('flag names', () => {
  it('accepts --endpoint-url and --output, and the older --endpoint and --format, on query', async () => {
    const sql = `SELECT count(*) AS n FROM ${emulator.eventDataStoreId}`;
    const aws = await run(['query', sql, '--endpoint-url', emulator.url, '--output', 'json']);
    const older = await run(['query', sql, '--endpoint', emulator.url, '--format', 'json']);
    expect(aws.code).toBe(0);
    expect(JSON.parse(aws.stdout)).toEqual({ n: '0' }); // Lake returns every value as a string
    expect(older.stdout).toBe(aws.stdout);
  });

  it('refuses a flag given under both its names, and an --output value with a suggestion', async () => {
    const both = await run(['send', 'x', '--endpoint', 'http://a', '--endpoint-url', 'http://b']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Give --endpoint-url or its older name --endpoint, not both');
    const output = await run(['send', 'x', '--output', 'jsn']);
    expect(output.code).toBe(2);
    expect(output.stderr).toContain(
      "Expected --output to be one of text, json, got 'jsn'. Did you mean 'json'?",
    );
  });
});

describe('colour', () => {
  it('colours errors on a terminal, and not with NO_COLOR set or off a terminal', async () => {
    const ESC = '\u001b[';
    expect((await run(['sned'], {}, true)).stderr).toContain(ESC);
    expect((await run(['sned'], { NO_COLOR: '1' }, true)).stderr).not.toContain(ESC);
    expect((await run(['sned'], {}, false)).stderr).not.toContain(ESC);
  });
});

describe('diagnostics', () => {
  it('logs at warn by default, at the level OTEL_LOG_LEVEL names, and says when it is unknown', () => {
    const quiet = memoryIo();
    installCliDiag(quiet.io);
    diag.debug('a debug line');
    diag.warn('a warning');
    expect(quiet.err).toEqual(['warn: a warning']);

    const loud = memoryIo({ OTEL_LOG_LEVEL: 'debug' });
    installCliDiag(loud.io);
    diag.debug('a debug line');
    expect(loud.err).toContain('debug: a debug line');

    const wrong = memoryIo({ OTEL_LOG_LEVEL: 'chatty' });
    installCliDiag(wrong.io);
    diag.info('an info line');
    expect(wrong.err).toEqual([expect.stringContaining('Ignoring OTEL_LOG_LEVEL=chatty')]);
    diag.disable();
  });

  it('shows the exporter dropping a rejected event by default, and its debug lines with OTEL_LOG_LEVEL=debug', async () => {
    const valid = eventData({ UID: 'uid-diag-1' });
    const file = `${JSON.stringify({ version: '1.0', eventName: 'NoIdentity' })}\n${JSON.stringify(valid)}\n`;
    const args = ['send', '-', '--channel-arn', emulator.channelArn, '--endpoint-url', emulator.url];
    const byDefault = await runCliProcess(args, { input: file });
    expect(byDefault.code).toBe(1);
    expect(byDefault.stderr).toMatch(
      /^error: CloudTrailLakeLogExporter Dropping 1 audit event\(s\) rejected/m,
    );
    expect(byDefault.stderr).not.toMatch(/^debug:/m);
    const debug = await runCliProcess(args, { input: file, env: cleanEnv({ OTEL_LOG_LEVEL: 'debug' }) });
    expect(debug.stderr).toMatch(
      /^debug: CloudTrailLakeLogExporter Sent 2 audit record\(s\): 1 accepted, 1 rejected/m,
    );
    // Two CLI processes one after the other: on a loaded machine each start takes seconds.
  }, 90_000);
});

describe('progress line', () => {
  it('shows a bar, the share, the rate and the time left when the total is known', () => {
    const line = formatProgress({
      done: 250,
      total: 1000,
      elapsedMillis: 5_000,
      accepted: 240,
      rejected: 10,
      failed: 0,
    });
    expect(line).toBe(
      '[#####---------------]  25% 250/1000  50 events/s  ETA 15s  (240 accepted, 10 rejected, 0 failed)',
    );
  });

  it('shows the count and the rate when the total is unknown (stdin)', () => {
    const line = formatProgress({
      done: 30,
      total: undefined,
      elapsedMillis: 10_000,
      accepted: 30,
      rejected: 0,
      failed: 0,
    });
    expect(line).toBe('30 events  3.0 events/s  (30 accepted, 0 rejected, 0 failed)');
  });
});

describe('emulator banner', () => {
  it('prints ready-to-paste exports for the exporter, the AWS SDKs and botocore', () => {
    expect(emulatorExports(emulator)).toEqual([
      `export OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT=${emulator.url}`,
      `export OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN=${emulator.channelArn}`,
      'export AWS_ACCESS_KEY_ID=emulator',
      'export AWS_SECRET_ACCESS_KEY=emulator',
      `export AWS_REGION=${emulator.region}`,
      `export AWS_DEFAULT_REGION=${emulator.region}`,
    ]);
  });

  it('takes a fixed port and channel from flags, and its exports name them', async () => {
    // A port that was free a moment ago: what a user picks for a repeatable setup.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const channelArn = 'arn:aws:cloudtrail:us-east-1:123456789012:channel/fixed-for-tests';
    const lines: string[] = [];
    const fixed = await runEmulatorFromArgs(['--port', String(port), '--channel-arn', channelArn], (line) =>
      lines.push(line),
    );
    try {
      expect(lines).toContain(`  export OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT=http://127.0.0.1:${port}`);
      expect(lines).toContain(`  export OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN=${channelArn}`);
    } finally {
      await fixed.close();
    }
  });
});
