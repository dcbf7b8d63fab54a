// The `otel-cloudtrail-lake` CLI as a user runs it: child processes of src/cli/main.ts (through tsx),
// against an emulator started in the test on port 0. Covers help, version, usage errors, validate,
// send, query, emulator and the demo; the bridge command's own behaviour is tested in test/bridge.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, REDACTED_VALUE } from '../../src/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { DEMO_QUERIES } from '../../src/demo/demo-queries.js';
import { DEMO_AUDIT_EVENT_COUNT } from '../../src/demo/demo-scenario.js';
import { REPO_ROOT, cleanEnv, eventData, runCliProcess } from './run-cli-process.js';

let dir: string;

async function writeLines(name: string, lines: readonly string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctl-cli-test-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('top level', () => {
  it('prints the commands with --help and the package version with --version', async () => {
    const help = await runCliProcess(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['demo', 'emulator', 'query', 'send', 'validate', 'bridge']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    const version = await runCliProcess(['--version']);
    const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);
  });

  it('exits 2 with a usage line for an unknown command, an unknown flag or a bad value', async () => {
    const command = await runCliProcess(['frobnicate']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("unknown command 'frobnicate'");
    expect(command.stderr).toContain('Usage: otel-cloudtrail-lake <command>');

    const flag = await runCliProcess(['validate', 'x.jsonl', '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--bogus'");
    expect(flag.stderr).toContain('Usage: otel-cloudtrail-lake validate <file|->');

    const value = await runCliProcess([
      'send',
      'x.jsonl',
      '--channel-arn',
      'arn:aws:cloudtrail:us-east-1:123456789012:channel/x',
      '--max-requests-per-second',
      'fast',
    ]);
    expect(value.code).toBe(2);
    expect(value.stderr).toContain(
      "Expected --max-requests-per-second to be a number from 0.001 to 100, got 'fast'",
    );
    expect(value.stderr).toContain('Usage: otel-cloudtrail-lake send');
  });

  it('shows each command its own help', async () => {
    const query = await runCliProcess(['query', '--help']);
    expect(query.code).toBe(0);
    expect(query.stdout).toContain('--data-dir <dir>');
    const bridge = await runCliProcess(['bridge', '--help']);
    expect(bridge.code).toBe(0);
    expect(bridge.stdout).toContain('Usage: otel-cloudtrail-lake bridge');
  });
});

describe('validate', () => {
  it('reports each schema error with its line number and exits 1', async () => {
    const withoutName = eventData();
    delete withoutName['eventName'];
    const file = await writeLines('mixed.jsonl', [
      JSON.stringify(eventData()),
      JSON.stringify(withoutName),
      '',
      '{not json',
      JSON.stringify({
        id: 'dead-1',
        eventData: JSON.stringify(eventData({ sourceIPAddress: 'not-an-ip' })),
      }),
    ]);
    const result = await runCliProcess(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${file}:2: ${ERROR_CODES.FIELD_MISSING} eventName`);
    expect(result.stdout).toContain(`${file}:4: invalid line: not valid JSON`);
    expect(result.stdout).toContain(`${file}:5: ${ERROR_CODES.FIELD_INVALID} sourceIPAddress`);
    expect(result.stdout).not.toContain(`${file}:1:`);
    expect(result.stdout).toContain('4 event(s) checked, 3 invalid');
  });

  it('exits 0 for a valid file read from stdin', async () => {
    const result = await runCliProcess(['validate', '-'], {
      input: `${JSON.stringify(eventData())}\n${JSON.stringify(eventData({ eventName: 'Logout' }))}\n`,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2 event(s) checked, all valid');
  });
});

describe('send and query against an emulator', () => {
  let emulator: Emulator;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = join(dir, 'emulator-data');
    emulator = await startEmulator({ port: 0, dataDir, log: () => undefined });
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('sends every valid line, keeps dead-letter ids, sums up failures by code and exits 1', async () => {
    emulator.setFaults({
      failEvents: [{ id: 'dead-letter-7', errorCode: 'InvalidData', errorMessage: 'bad field' }],
    });
    const file = await writeLines('send.jsonl', [
      JSON.stringify(eventData({ eventName: 'SendOne' })),
      JSON.stringify(eventData({ eventName: 'SendTwo' })),
      JSON.stringify(eventData({ eventName: 'SendThree', eventTime: 'yesterday' })),
      JSON.stringify({
        id: 'dead-letter-7',
        eventData: JSON.stringify(eventData({ eventName: 'SendFour' })),
      }),
      JSON.stringify(eventData({ eventName: 'SendFive', recipientAccountId: '999999999999' })),
      JSON.stringify({ id: 'dead-letter-7', eventData: eventData({ eventName: 'SendSix' }), reason: {} }),
    ]);
    const result = await runCliProcess([
      'send',
      file,
      '--channel-arn',
      emulator.channelArn,
      '--endpoint',
      emulator.url,
    ]);
    emulator.setFaults({});
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Sent 6 event(s)');
    expect(result.stdout).toContain('2 accepted, 4 rejected, 0 failed');
    expect(result.stdout).toMatch(
      /duplicate id\s+1\s+first: line 6: id dead-letter-7 is already used on line 4/,
    );
    expect(result.stdout).toMatch(/InvalidData\s+1\s+first: line 4:/);
    expect(result.stdout).toMatch(/InvalidRecipient\s+1\s+first: line 5:/);
    expect(result.stdout).toMatch(
      new RegExp(`${ERROR_CODES.FIELD_INVALID} \\(eventTime\\)\\s+1\\s+first: line 3:`),
    );
    const names = emulator.events().map((event) => event.eventData['eventName']);
    expect(names).toEqual(expect.arrayContaining(['SendOne', 'SendTwo']));
    expect(names).not.toContain('SendFour');
    const sentIds = emulator
      .received()
      .flatMap((request) => request.auditEvents ?? [])
      .map((entry) => entry.id);
    expect(sentIds).toContain('dead-letter-7');
  });

  it('exits 0 when everything is accepted, reading stdin', async () => {
    const lines = [1, 2, 3].map((n) => JSON.stringify(eventData({ eventName: `Piped${n}` })));
    const result = await runCliProcess(
      ['send', '-', '--channel-arn', emulator.channelArn, '--endpoint', emulator.url],
      {
        input: `${lines.join('\n')}\n`,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('3 accepted, 0 rejected, 0 failed');
  });

  it('prints query answers as a table, over HTTP and from a data directory', async () => {
    const sql = `SELECT eventData.eventName AS name FROM ${emulator.eventDataStoreId} WHERE eventData.eventName LIKE 'Piped%' ORDER BY name`;
    const live = await runCliProcess(['query', sql, '--endpoint', emulator.url]);
    expect(live.code).toBe(0);
    expect(live.stdout).toMatch(/\| name +\|/);
    expect(live.stdout).toMatch(/\| Piped1 +\|\n\| Piped2 +\|\n\| Piped3 +\|/);
    expect(live.stdout).toContain('(3 rows)');

    const offline = await runCliProcess([
      'query',
      `SELECT count(*) AS n FROM ${emulator.eventDataStoreId} WHERE eventData.eventName LIKE 'Send%'`,
      '--data-dir',
      dataDir,
      '--format',
      'json',
    ]);
    expect(offline.code).toBe(0);
    // Lake returns every value as a string.
    expect(JSON.parse(offline.stdout.trim())).toEqual({ n: '2' });
  });

  it('runs the demo against the channel in the environment and prints the eventIDs it got back', async () => {
    const result = await runCliProcess(['demo'], {
      env: cleanEnv({
        OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN: emulator.channelArn,
        OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT: emulator.url,
        AWS_ACCESS_KEY_ID: 'demo',
        AWS_SECRET_ACCESS_KEY: 'demo',
      }),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('CloudTrail Lake accepted (our id -> its eventID):');
    const pairs = [...result.stdout.matchAll(/^ {2}(\S+) -> (\S+)$/gm)].map((match) => match[2]);
    expect(pairs).toHaveLength(DEMO_AUDIT_EVENT_COUNT);
    const stored = new Set(emulator.events().map((event) => event.eventID));
    for (const eventID of pairs) expect(stored.has(eventID!)).toBe(true);
    expect(result.stdout).not.toContain('Failed logins per user');
    expect(result.stdout).toContain('Demo done (cloudtrail-lake)');
  });

  it('exits 1 with the emulator message for a bad query', async () => {
    const result = await runCliProcess(['query', 'SELECT nope FROM events', '--endpoint', emulator.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('query failed:');
  });
});

describe('emulator', () => {
  it('prints its endpoint, channel and credentials, serves until SIGTERM, then exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'emulator', '--port', '0'], {
      cwd: REPO_ROOT,
      env: cleanEnv(),
    });
    let stdout = '';
    const ready = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Press Ctrl+C')) resolve();
      });
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await ready;
    const url = /CloudTrail Lake emulator on (http:\/\/\S+)/.exec(stdout)?.[1];
    expect(url).toBeDefined();
    expect(stdout).toMatch(/channel: +arn:aws:cloudtrail:us-east-1:\d{12}:channel\//);
    expect(stdout).toContain('AWS_ACCESS_KEY_ID=');
    const health = (await (await fetch(`${url}/_emulator/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    child.kill('SIGTERM');
    expect(await closed).toBe(0);
    expect(stdout).toContain('emulator: SIGTERM received; stopped');
  });
});

describe('demo', () => {
  it('plays the scenario into an emulator and prints three answers and a summary', async () => {
    const result = await runCliProcess(['demo'], { timeoutMillis: 25_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const query of DEMO_QUERIES) expect(result.stdout).toContain(`${query.title}:`);
    expect(result.stdout).toMatch(/\| alice +\| +3 \|/); // three failed logins for alice
    expect(result.stdout).toContain(REDACTED_VALUE);
    expect(result.stdout).not.toContain('tok_live_5f2b9c1e7a');
    expect(result.stdout).toMatch(
      new RegExp(
        `Demo done \\(emulator\\): ${DEMO_AUDIT_EVENT_COUNT} event\\(s\\) sent, \\d+ request\\(s\\), 0 rejected, 0 failed`,
      ),
    );
  });
});
