// The package as users get it: `npm pack`, installed from the tarball into fresh apps with npm and with
// pnpm (strict, no hoisting), on whichever OTel JS line this tree has installed. Checks the install is
// lean, the quick start and the zero-code `register` entry deliver to the emulator, CommonJS apps work and
// type-check, and winston reaches the Lake through `register`. Examples in the repo run in examples.test.ts.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { REPO_ROOT, cleanEnv } from '../cli/run-cli-process.js';

const run = promisify(execFile);
const INSTALL_TIMEOUT_MILLIS = 240_000;

/** The version of a package installed in this tree, or undefined. */
function installedVersion(name: string): string | undefined {
  const file = join(REPO_ROOT, 'node_modules', name, 'package.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** The OTel packages an app of this tree's line installs next to ours, pinned to the same versions. */
function otelPackages(): string[] {
  const names = [
    '@opentelemetry/api',
    '@opentelemetry/api-logs',
    '@opentelemetry/sdk-logs',
    '@opentelemetry/core',
  ];
  return names.flatMap((name) => {
    const version = installedVersion(name);
    return version === undefined ? [] : [`${name}@${version}`];
  });
}

/** The logs API module this line's apps import `logs` from. */
const LOGS_API =
  installedVersion('@opentelemetry/api-logs') === undefined
    ? '@opentelemetry/api'
    : '@opentelemetry/api-logs';

let emulator: Emulator;
let scratch: string;
let tarball: string;

function appEnv(): NodeJS.ProcessEnv {
  return cleanEnv({
    OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT: emulator.url,
    OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN: emulator.channelArn,
    AWS_ACCESS_KEY_ID: 'example',
    AWS_SECRET_ACCESS_KEY: 'example',
    AWS_REGION: emulator.region,
    npm_config_update_notifier: 'false',
  });
}

async function node(cwd: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, args, { cwd, env: appEnv(), timeout: 30_000 });
}

function eventsNamed(eventName: string): number {
  return emulator.events().filter((event) => event.eventData['eventName'] === eventName).length;
}

const QUICK_START = `
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { CloudTrailLakeLogExporter, CloudTrailLakeLogRecordProcessor } from 'otel-cloudtrail-lake';
const provider = new LoggerProvider({
  processors: [new CloudTrailLakeLogRecordProcessor({ exporter: new CloudTrailLakeLogExporter() })],
});
provider.getLogger('shop').emit({
  body: 'alice signed in',
  attributes: {
    'audit.event_source': 'shop.example.com',
    'audit.event_name': process.argv[2],
    'audit.user_identity.type': 'Customer',
    'audit.user_identity.principal_id': 'alice',
  },
});
await provider.shutdown();
`;

const REGISTERED_APP = `
import { logs } from '${LOGS_API}';
logs.getLogger('accounts').emit({
  body: 'role changed',
  attributes: {
    'audit.event_source': 'accounts.example.com',
    'audit.event_name': process.argv[2],
    'audit.user_identity.type': 'Employee',
    'audit.user_identity.principal_id': 'bob',
  },
});
`;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, log: () => undefined });
  scratch = await mkdtemp(join(tmpdir(), 'ctl-packed-'));
  const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', scratch], {
    cwd: REPO_ROOT,
    timeout: INSTALL_TIMEOUT_MILLIS,
  });
  tarball = join(scratch, stdout.trim().split('\n').at(-1) ?? '');
}, INSTALL_TIMEOUT_MILLIS);

afterAll(async () => {
  await emulator.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('installed from the tarball with npm', () => {
  let app: string;

  beforeAll(async () => {
    app = join(scratch, 'npm-app');
    await run('mkdir', ['-p', app]);
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({ name: 'npm-app', private: true, type: 'module' }),
    );
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        tarball,
        ...otelPackages(),
        // A TypeScript app on Node has the Node types: the package's declarations use Buffer and undici's.
        `@types/node@${installedVersion('@types/node') ?? '20'}`,
        'winston@3',
        '@opentelemetry/winston-transport@0',
      ],
      { cwd: app, env: appEnv(), timeout: INSTALL_TIMEOUT_MILLIS },
    );
  }, INSTALL_TIMEOUT_MILLIS);

  it('installs no native binaries and no unused OTel packages', async () => {
    const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: app });
    expect(stdout).toContain('otel-cloudtrail-lake');
    expect(stdout).not.toMatch(/@duckdb/);
    expect(stdout).not.toMatch(/otlp-transformer/);
    // The local Lake's SQL parser (about 90 MB) is an optional peer too: only emulator queries load it.
    expect(stdout).not.toMatch(/node-sql-parser/);
    const pkg = JSON.parse(
      await readFile(join(app, 'node_modules/otel-cloudtrail-lake/package.json'), 'utf8'),
    ) as { files?: string[] };
    expect(pkg.files).not.toContain('src');
  });

  it('runs no install script: no runtime dependency has a preinstall, install or postinstall', async () => {
    const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: app });
    const withScripts: string[] = [];
    for (const dir of new Set(stdout.trim().split('\n').slice(1))) {
      const { name, scripts = {} } = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        scripts?: Record<string, string>;
      };
      const hooks = ['preinstall', 'install', 'postinstall'].filter((hook) => scripts[hook] !== undefined);
      if (hooks.length > 0) withScripts.push(`${name} (${hooks.join(', ')})`);
    }
    expect(withScripts).toEqual([]);
  });

  it('ships no source maps pointing at sources it does not ship', async () => {
    const { stdout } = await run('find', [
      join(app, 'node_modules/otel-cloudtrail-lake/dist'),
      '-name',
      '*.map',
    ]);
    expect(stdout.trim()).toBe('');
  });

  it('runs the quick start against the emulator', async () => {
    await writeFile(join(app, 'quick-start.mjs'), QUICK_START);
    await node(app, ['quick-start.mjs', 'PackedQuickStart']);
    expect(eventsNamed('PackedQuickStart')).toBe(1);
  });

  it('node --import otel-cloudtrail-lake/register delivers with configuration from the environment alone', async () => {
    await writeFile(join(app, 'registered.mjs'), REGISTERED_APP);
    await node(app, ['--import', 'otel-cloudtrail-lake/register', 'registered.mjs', 'PackedRegisterEsm']);
    expect(eventsNamed('PackedRegisterEsm')).toBe(1);
  });

  it('register makes rejections loud: a console diag logger at OTEL_LOG_LEVEL, warn by default', async () => {
    await writeFile(
      join(app, 'invalid.mjs'),
      REGISTERED_APP.replace("'audit.user_identity.type': 'Employee',", "'audit.user_identity.type': '',"),
    );
    const { stderr } = await node(app, [
      '--import',
      'otel-cloudtrail-lake/register',
      'invalid.mjs',
      'PackedInvalid',
    ]);
    expect(eventsNamed('PackedInvalid')).toBe(0);
    expect(stderr).toMatch(/reject/i);
    expect(stderr).toMatch(/userIdentity/);
  });

  it('node --require otel-cloudtrail-lake/register works for a CommonJS app', async () => {
    await writeFile(
      join(app, 'registered.cjs'),
      REGISTERED_APP.replace(/^import \{ logs \} from '(.+)';$/m, "const { logs } = require('$1');"),
    );
    await node(app, ['--require', 'otel-cloudtrail-lake/register', 'registered.cjs', 'PackedRegisterCjs']);
    expect(eventsNamed('PackedRegisterCjs')).toBe(1);
  });

  it('a CommonJS app requires the package, and type-checks with module nodenext', async () => {
    const source = `
const { LoggerProvider } = require('@opentelemetry/sdk-logs');
const { CloudTrailLakeLogExporter, CloudTrailLakeLogRecordProcessor } = require('otel-cloudtrail-lake');
const provider = new LoggerProvider({
  processors: [new CloudTrailLakeLogRecordProcessor({ exporter: new CloudTrailLakeLogExporter() })],
});
provider.getLogger('cjs').emit({
  attributes: { 'audit.event_source': 'cjs.example.com', 'audit.event_name': 'PackedCommonJs', 'audit.user_identity.type': 'Employee', 'user.id': 'carol' },
});
void provider.shutdown();
`;
    await writeFile(join(app, 'app.cjs'), source);
    await node(app, ['app.cjs']);
    expect(eventsNamed('PackedCommonJs')).toBe(1);

    // In a .cts file TypeScript compiles `import` to require(); nodenext models Node's require of ES modules.
    const typed = source
      .replace(
        "const { LoggerProvider } = require('@opentelemetry/sdk-logs');",
        "import { LoggerProvider } from '@opentelemetry/sdk-logs';",
      )
      .replace(
        "const { CloudTrailLakeLogExporter, CloudTrailLakeLogRecordProcessor } = require('otel-cloudtrail-lake');",
        "import { CloudTrailLakeLogExporter, CloudTrailLakeLogRecordProcessor } from 'otel-cloudtrail-lake';",
      );
    await writeFile(join(app, 'app.cts'), typed);
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: [] },
        files: ['app.cts'],
      }),
    );
    const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app }).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout, stderr: '' }),
    );
    expect(result.stdout).toBe('');
    // Type-checking the Node types as well takes tsc longer than the default test timeout on a busy machine.
  }, 90_000);

  it('winston through @opentelemetry/winston-transport reaches the Lake with register', async () => {
    await writeFile(
      join(app, 'winston-app.mjs'),
      `
import winston from 'winston';
import { OpenTelemetryTransportV3 } from '@opentelemetry/winston-transport';
const log = winston.createLogger({ transports: [new OpenTelemetryTransportV3()] });
log.info('invoice deleted', {
  'audit.event_source': 'billing.example.com',
  'audit.event_name': 'PackedWinston',
  'audit.user_identity.type': 'Employee',
  'user.id': 'dave',
});
`,
    );
    await node(app, ['--import', 'otel-cloudtrail-lake/register', 'winston-app.mjs']);
    expect(eventsNamed('PackedWinston')).toBe(1);
  });
});

describe('installed from the tarball with pnpm (strict, no hoisting)', () => {
  it(
    'runs the quick start against the emulator',
    async () => {
      const app = join(scratch, 'pnpm-app');
      await run('mkdir', ['-p', app]);
      await writeFile(
        join(app, 'package.json'),
        JSON.stringify({ name: 'pnpm-app', private: true, type: 'module' }),
      );
      await run('npx', ['--yes', 'pnpm@10', 'add', tarball, ...otelPackages()], {
        cwd: app,
        env: appEnv(),
        timeout: INSTALL_TIMEOUT_MILLIS,
      });
      await writeFile(join(app, 'quick-start.mjs'), QUICK_START);
      await node(app, ['quick-start.mjs', 'PnpmQuickStart']);
      expect(eventsNamed('PnpmQuickStart')).toBe(1);
    },
    INSTALL_TIMEOUT_MILLIS,
  );
});
