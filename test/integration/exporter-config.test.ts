// Configuration of the exporter and the processor: ConfigError for wrong code options (naming option,
// range and value in one wording, never a secret), OTEL_EXPORTER_CLOUDTRAIL_LAKE_* and OTEL_BLRP_* from
// the environment, precedence option > env > DEFAULTS, and invalid env values warned about and ignored.
// The table of variables is checked in test/docs/configuration-doc.test.ts; networks in transport-network.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudTrailLakeLogExporter } from '../../src/cloudtrail-lake-log-exporter.js';
import { DEFAULTS } from '../../src/defaults.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { ConfigError } from '../../src/errors.js';
import { resolveExporterOptions, resolveProcessorOptions } from '../../src/options.js';
import { auditAttributes, createPipeline, TEST_CREDENTIALS } from '../helpers/audit-pipeline.js';
import { captureDiag, type CapturedDiag } from '../helpers/capture-diag.js';
import { exportOnce, makeRecords } from '../helpers/log-records.js';

const ARN = 'arn:aws:cloudtrail:eu-west-1:123456789012:channel/abc-123';

describe('exporter and processor configuration', () => {
  let diagLines: CapturedDiag;
  beforeEach(() => {
    diagLines = captureDiag();
  });
  afterEach(() => diagLines.restore());

  it('throws ConfigError at construction without a channel ARN from option or env', () => {
    expect(() => new CloudTrailLakeLogExporter({}, {})).toThrow(ConfigError);
    expect(() => new CloudTrailLakeLogExporter({}, {})).toThrow(
      /channelArn.*OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN/,
    );
  });

  it.each([
    [{ channelArn: 'arn:aws:cloudtrail:eu-west-1:1234:channel/x' }, 'channelArn', /arn:\{partition\}/],
    [
      { channelArn: ARN, maxRequestBytes: 2_000_000 },
      'maxRequestBytes',
      /integer from 1 to 1048576, got `2000000` \(number\)/,
    ],
    [{ channelArn: ARN, maxEventsPerRequest: 101 }, 'maxEventsPerRequest', /from 1 to 100, got `101`/],
    [{ channelArn: ARN, maxConcurrentRequests: 0 }, 'maxConcurrentRequests', /got `0`/],
    [
      { channelArn: ARN, maxRequestsPerSecond: 100_000 },
      'maxRequestsPerSecond',
      /^Expected `maxRequestsPerSecond` to be greater than 0 and at most 100, got `100000` \(number\)$/,
    ],
    [
      { channelArn: ARN, maxRequestsPerSecond: 0 },
      'maxRequestsPerSecond',
      /greater than 0 and at most 100, got `0`/,
    ],
    [
      { channelArn: ARN, maxConcurrentRequests: 1.5 },
      'maxConcurrentRequests',
      /^Expected `maxConcurrentRequests` to be an integer from 1 to 1000, got `1.5` \(number\)$/,
    ],
    [
      { channelArn: ARN, retry: { maxAttempts: 0 } },
      'retry.maxAttempts',
      /an integer from 1 to 100, got `0`/,
    ],
    [{ channelArn: ARN, requestTimeoutMillis: 0 }, 'requestTimeoutMillis', /an integer from 1 to/],
    [
      { channelArn: ARN, allowInsecureHttp: 'yes' as never },
      'allowInsecureHttp',
      /to be a boolean, got `yes` \(string\)/,
    ],
    [
      { channelArn: ARN, endpoint: 'https://user:pw@vpce.example' },
      'endpoint',
      /without a user name or password/,
    ],
    [{ channelArn: ARN, ca: 42 as never }, 'ca', /PEM text/],
    [{ channelArn: ARN, clientCertificate: 'PEM' }, 'clientKey', /given together/],
    [{ channelArn: ARN, timeoutMillis: -1 }, 'timeoutMillis', /got `-1`/],
    [{ channelArn: ARN, recipientAccountId: '12' }, 'recipientAccountId', /12-digit/],
  ])('rejects %o naming the option %s', (options, option, message) => {
    let error: unknown;
    try {
      resolveExporterOptions(options, {});
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ option, code: 'CTL_ERR_CONFIG' });
    expect((error as Error).message).toMatch(message);
  });

  it('rejects a malformed externalId without echoing it', () => {
    const secretish = 'not allowed spaces and !';
    expect(() => resolveExporterOptions({ channelArn: ARN, externalId: secretish }, {})).toThrow(ConfigError);
    try {
      resolveExporterOptions({ channelArn: ARN, externalId: secretish }, {});
    } catch (error) {
      expect((error as Error).message).not.toContain(secretish);
      expect((error as Error).message).toMatch(/2 to 1224 characters/);
    }
  });

  it('takes the channel, region and account from the ARN, and recipientAccountId defaults to the ARN account', () => {
    const resolved = resolveExporterOptions({ channelArn: ARN }, {});
    expect(resolved.channel).toMatchObject({ region: 'eu-west-1', accountId: '123456789012' });
    expect(resolved.mapping.recipientAccountId).toBe('123456789012');
    expect(resolved).toMatchObject({
      timeoutMillis: DEFAULTS.exportTimeoutMillis,
      maxConcurrentRequests: DEFAULTS.maxConcurrentRequests,
      maxRequestsPerSecond: DEFAULTS.maxRequestsPerSecond,
      maxEventsPerRequest: DEFAULTS.maxEventsPerRequest,
      maxRequestBytes: DEFAULTS.maxRequestBytes,
    });
  });

  it('reads OTEL_EXPORTER_CLOUDTRAIL_LAKE_* and lets code options win', () => {
    const env = {
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN: ARN,
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_TIMEOUT: '1234',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_MAX_REQUESTS_PER_SECOND: '12.5',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_MAX_CONCURRENT_REQUESTS: '4',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_EXTERNAL_ID: 'ext-id-1',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_TRUNCATE: 'true',
    };
    const fromEnv = resolveExporterOptions({}, env);
    expect(fromEnv).toMatchObject({
      timeoutMillis: 1234,
      maxRequestsPerSecond: 12.5,
      maxConcurrentRequests: 4,
      externalId: 'ext-id-1',
    });
    expect(fromEnv.channel?.arn).toBe(ARN);
    expect(fromEnv.mapping.truncate).toBe(true);
    const other = 'arn:aws:cloudtrail:us-east-1:210987654321:channel/other';
    const fromCode = resolveExporterOptions({ channelArn: other, timeoutMillis: 99, truncate: false }, env);
    expect(fromCode).toMatchObject({ timeoutMillis: 99, maxConcurrentRequests: 4 });
    expect(fromCode.channel?.arn).toBe(other);
    expect(fromCode.mapping).toMatchObject({ truncate: false, recipientAccountId: '210987654321' });
  });

  it('warns about an invalid env value, never echoes an external id, and falls back to the default', () => {
    const resolved = resolveExporterOptions(
      {},
      {
        OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN: ARN,
        OTEL_EXPORTER_CLOUDTRAIL_LAKE_TIMEOUT: 'soon',
        OTEL_EXPORTER_CLOUDTRAIL_LAKE_MAX_REQUESTS_PER_SECOND: '1000',
        OTEL_EXPORTER_CLOUDTRAIL_LAKE_EXTERNAL_ID: 'bad external id',
      },
    );
    expect(resolved.timeoutMillis).toBe(DEFAULTS.exportTimeoutMillis);
    expect(resolved.maxRequestsPerSecond).toBe(DEFAULTS.maxRequestsPerSecond);
    expect(resolved.externalId).toBeUndefined();
    const warnings = diagLines.matching('warn').map((l) => l.message);
    expect(
      warnings.some((w) => w.includes('OTEL_EXPORTER_CLOUDTRAIL_LAKE_TIMEOUT') && w.includes('"soon"')),
    ).toBe(true);
    expect(warnings.some((w) => w.includes('OTEL_EXPORTER_CLOUDTRAIL_LAKE_MAX_REQUESTS_PER_SECOND'))).toBe(
      true,
    );
    expect(warnings.some((w) => w.includes('OTEL_EXPORTER_CLOUDTRAIL_LAKE_EXTERNAL_ID'))).toBe(true);
    expect(warnings.join('\n')).not.toContain('bad external id');
  });

  it('warns with the variable, its value and the value used instead', () => {
    resolveExporterOptions(
      {},
      {
        OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN: ARN,
        OTEL_EXPORTER_CLOUDTRAIL_LAKE_MAX_REQUESTS_PER_SECOND: '100000',
      },
    );
    const expected =
      'Ignoring env OTEL_EXPORTER_CLOUDTRAIL_LAKE_MAX_REQUESTS_PER_SECOND="100000": expected `maxRequestsPerSecond` ' +
      `to be greater than 0 and at most 100; using \`${DEFAULTS.maxRequestsPerSecond}\` (number) instead`;
    expect(diagLines.matching('warn').filter((line) => line.message.endsWith(expected))).toHaveLength(1);
  });

  it('takes every deployment setting from the environment: defaults, recipient, truncate, retry, dead letters, TLS', () => {
    const env = {
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN: ARN,
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_RECIPIENT_ACCOUNT_ID: '210987654321',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_DEFAULT_USER_IDENTITY_TYPE: 'Application',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_DEFAULT_EVENT_SOURCE: 'orders.example.com',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_DEFAULT_VERSION: '2.0',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_TRUNCATE: 'TRUE',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_INCLUDE_ATTRIBUTES: 'true',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_RETRY_MAX_ATTEMPTS: '2',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_RETRY_INITIAL_BACKOFF: '50',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_RETRY_MAX_BACKOFF: '70',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_DEAD_LETTER_PATH: '/var/lib/app/dead.jsonl',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_REQUEST_TIMEOUT: '4000',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT: 'http://10.1.2.3:4599',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_ALLOW_INSECURE_HTTP: 'true',
      HTTPS_PROXY: 'http://proxy.internal:3128',
      no_proxy: '.internal',
    };
    const resolved = resolveExporterOptions({ defaults: { eventSource: 'code.example.com' } }, env);
    expect(resolved.mapping).toMatchObject({
      recipientAccountId: '210987654321',
      truncate: true,
      includeAttributes: true,
      // The code option wins key by key; the environment fills the rest.
      defaults: { userIdentityType: 'Application', eventSource: 'code.example.com', version: '2.0' },
    });
    expect(resolved.retry).toMatchObject({ maxAttempts: 2, initialBackoffMillis: 50, maxBackoffMillis: 70 });
    expect(resolved.deadLetter).toEqual({ path: '/var/lib/app/dead.jsonl' });
    expect(resolved.http?.endpoint.href).toBe('http://10.1.2.3:4599/');
    expect(resolved.http?.requestTimeoutMillis).toBe(4000);
    expect(resolved.http?.network.proxy).toEqual({
      httpsProxy: 'http://proxy.internal:3128',
      httpProxy: '',
      noProxy: '.internal',
    });
    expect(() =>
      resolveExporterOptions({}, { ...env, OTEL_EXPORTER_CLOUDTRAIL_LAKE_ALLOW_INSECURE_HTTP: 'false' }),
    ).toThrow(/`OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT` to use https/);
  });

  it('ignores an env retry bound below the first wait, with a warning', () => {
    const resolved = resolveExporterOptions(
      { channelArn: ARN },
      {
        OTEL_EXPORTER_CLOUDTRAIL_LAKE_RETRY_INITIAL_BACKOFF: '50',
        OTEL_EXPORTER_CLOUDTRAIL_LAKE_RETRY_MAX_BACKOFF: '10',
      },
    );
    expect(resolved.retry).toMatchObject({
      initialBackoffMillis: 50,
      maxBackoffMillis: DEFAULTS.retry.maxBackoffMillis,
    });
    expect(diagLines.matching('warn', /RETRY_MAX_BACKOFF="10".*a number from 50 to 3600000/)).toHaveLength(1);
    expect(() =>
      resolveExporterOptions(
        { channelArn: ARN, retry: { initialBackoffMillis: 50, maxBackoffMillis: 10 } },
        {},
      ),
    ).toThrow(/`retry.maxBackoffMillis` to be a number from 50 to 3600000, got `10`/);
  });

  it('parses the channel and resolves the endpoint once, handing the result to the transport', () => {
    const resolved = resolveExporterOptions({ channelArn: ARN }, { AWS_USE_FIPS_ENDPOINT: 'true' });
    expect(resolved.http?.channel).toBe(resolved.channel);
    expect(resolved.http?.endpoint.href).toBe('https://cloudtrail-data-fips.eu-west-1.amazonaws.com/');
    // With a plug-in there is no endpoint to resolve, and the built-in transport's options are absent.
    const plugged = resolveExporterOptions(
      { channelArn: ARN, putAuditEvents: () => Promise.resolve({}) },
      {},
    );
    expect(plugged.http).toBeUndefined();
  });

  it('reads the processor concurrency and the file spool from the environment', () => {
    const env = {
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_MAX_CONCURRENT_EXPORTS: '4',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_DIRECTORY: '/var/spool/audit',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_MAX_BYTES: '1048576',
      OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_FSYNC: 'always',
    };
    expect(resolveProcessorOptions({}, env)).toMatchObject({
      maxConcurrentExports: 4,
      envSpool: { directory: '/var/spool/audit', maxBytes: 1_048_576, fsync: 'always' },
    });
    expect(resolveProcessorOptions({ maxConcurrentExports: 1 }, env).maxConcurrentExports).toBe(1);
    const fallback = resolveProcessorOptions(
      {},
      {
        ...env,
        OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_FSYNC: 'sometimes',
        OTEL_EXPORTER_CLOUDTRAIL_LAKE_MAX_CONCURRENT_EXPORTS: '0',
      },
    );
    expect(fallback.maxConcurrentExports).toBe(DEFAULTS.maxConcurrentExports);
    expect(fallback.envSpool).toEqual({ directory: '/var/spool/audit', maxBytes: 1_048_576 });
    expect(
      diagLines.matching('warn', /SPOOL_FSYNC="sometimes".*one of `always`, `interval`, `never`/),
    ).toHaveLength(1);
    expect(() => resolveProcessorOptions({ maxConcurrentExports: 0 }, {})).toThrow(
      /`maxConcurrentExports` to be an integer from 1 to 1000, got `0`/,
    );
    expect(resolveProcessorOptions({}, {}).envSpool).toBeUndefined();
  });

  it('reads OTEL_BLRP_* with option > env > DEFAULTS, and ignores invalid values with a warning', () => {
    expect(resolveProcessorOptions({}, {})).toMatchObject({
      maxExportBatchSize: DEFAULTS.maxExportBatchSize,
      maxQueueSize: DEFAULTS.maxQueueSize,
      scheduledDelayMillis: DEFAULTS.scheduledDelayMillis,
      exportTimeoutMillis: DEFAULTS.processorExportTimeoutMillis,
    });
    const env = {
      OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '300',
      OTEL_BLRP_MAX_QUEUE_SIZE: '900',
      OTEL_BLRP_SCHEDULE_DELAY: '250',
      OTEL_BLRP_EXPORT_TIMEOUT: '0',
    };
    expect(resolveProcessorOptions({}, env)).toMatchObject({
      maxExportBatchSize: 300,
      maxQueueSize: 900,
      scheduledDelayMillis: 250,
      exportTimeoutMillis: DEFAULTS.processorExportTimeoutMillis,
    });
    expect(diagLines.matching('warn', /OTEL_BLRP_EXPORT_TIMEOUT/)).toHaveLength(1);
    expect(resolveProcessorOptions({ maxExportBatchSize: 50 }, env).maxExportBatchSize).toBe(50);
    expect(() => resolveProcessorOptions({ maxQueueSize: 10, maxExportBatchSize: 20 }, {})).toThrow(
      /maxExportBatchSize.*from 1 to 10, got `20`/,
    );
  });

  describe('against the emulator', () => {
    let emulator: Emulator;
    beforeEach(async () => {
      emulator = await startEmulator({ port: 0 });
    });
    afterEach(async () => {
      await emulator.close();
    });

    it('exports with the channel and endpoint given only by environment variables', async () => {
      const env = {
        OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN: emulator.channelArn,
        OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT: emulator.url,
      };
      const exporter = new CloudTrailLakeLogExporter({ credentials: TEST_CREDENTIALS }, env);
      const result = await exportOnce(exporter, await makeRecords([auditAttributes(1)]));
      expect(result.code).toBe(0);
      expect(emulator.events()).toHaveLength(1);
      await exporter.shutdown();
    });

    it('uses OTEL_BLRP_MAX_EXPORT_BATCH_SIZE from the environment for the processor', async () => {
      const pipeline = createPipeline(
        emulator,
        { maxEventsPerRequest: 100 },
        { scheduledDelayMillis: 60_000 },
        {
          OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '7',
        },
      );
      for (let i = 0; i < 20; i++) pipeline.emit(auditAttributes(i));
      await pipeline.provider.forceFlush();
      expect(emulator.received().map((r) => r.auditEvents?.length)).toEqual([7, 7, 6]);
      await pipeline.provider.shutdown();
    });

    it("bounds each send by the processor's exportTimeoutMillis when it is below the exporter's timeoutMillis", async () => {
      emulator.setFaults({ latencyMillis: 3_000 });
      const pipeline = createPipeline(emulator, { timeoutMillis: 60_000 }, { exportTimeoutMillis: 300 });
      pipeline.emit(auditAttributes(1));
      await pipeline.provider.forceFlush();
      // Counted as failed before the processor stopped waiting: the exporter's own, lowered deadline ended it.
      expect(pipeline.exporter.stats.failed).toBe(1);
      await pipeline.provider.shutdown();
    });
  });
});
