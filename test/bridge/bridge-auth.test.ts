// Covers who may write through the bridge: bearer tokens from a token file (plain or SHA-256), 401s,
// pins on eventSource and recipient account, the client's name in additionalEventData, reloading the
// file, /metrics behind the same auth, and the refusal to listen beyond loopback without authentication.
// TLS and client certificates: bridge-tls.test.ts.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { describe, expect, it, vi } from 'vitest';
import { startBridge } from '../../src/bridge/index.js';
import { isLoopbackHost } from '../../src/bridge/is-loopback-host.js';
import { parseBridgeClients } from '../../src/bridge/bridge-clients.js';
import { ConfigError } from '../../src/errors.js';
import {
  BRIDGE_TOKENS,
  auditRecord,
  jsonRequest,
  otlpClient,
  post,
  startHarness,
  tempFile,
  text,
  type Harness,
  harnessPerTest,
} from './bridge-harness.js';

const session = harnessPerTest();
const { cleanups } = session;
let harness: Harness | undefined;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

function tokenFile(extra = ''): string {
  return [
    'clients:',
    '  - name: payments-service',
    `    token: ${BRIDGE_TOKENS.payments}`,
    '    eventSources: [payments.example.com]',
    '    recipientAccountIds: ["123456789012"]',
    '  - name: billing-service',
    `    sha256: ${sha256(BRIDGE_TOKENS.billing)}`,
    extra,
  ].join('\n');
}

async function startWithTokens(file = tokenFile()): Promise<{ harness: Harness; path: string }> {
  const path = await tempFile('tokens.yaml', file, (cleanup) => cleanups.push(cleanup));
  harness = session.track(await startHarness({ authTokensFile: path, fileReloadIntervalMillis: 20 }));
  return { harness, path };
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const bearer = (token: string) => ({ ...JSON_HEADERS, authorization: `Bearer ${token}` });
const paymentsRecord = (name: string) =>
  auditRecord(name, [{ key: 'audit.event_source', value: { stringValue: 'payments.example.com' } }]);

describe('bridge authentication', () => {
  it('answers 401 with WWW-Authenticate: Bearer to a request without a token, and stores nothing', async () => {
    const { harness } = await startWithTokens();
    const response = await post(
      harness.bridge.logsUrl,
      JSON.stringify(jsonRequest([paymentsRecord('A')])),
      JSON_HEADERS,
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="otel-cloudtrail-lake-bridge"');
    await harness.bridge.drain();
    expect(harness.emulator.events()).toHaveLength(0);
    expect(harness.bridge.counters.authFailuresByReason).toEqual({ missing_credentials: 1 });
  });

  it('answers 401 invalid_token to a wrong or malformed token', async () => {
    const { harness } = await startWithTokens();
    const body = JSON.stringify(jsonRequest([paymentsRecord('A')]));
    const wrong = await post(harness.bridge.logsUrl, body, bearer(BRIDGE_TOKENS.wrong));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    const basic = await post(harness.bridge.logsUrl, body, {
      ...JSON_HEADERS,
      authorization: 'Basic dXNlcjpwdw==',
    });
    expect(basic.status).toBe(401);
    await harness.bridge.drain();
    expect(harness.emulator.events()).toHaveLength(0);
    expect(harness.bridge.counters.authFailures).toBe(2);
  });

  it('stores the event of a good token, with the client name in additionalEventData, through the OTel exporter', async () => {
    const { harness } = await startWithTokens();
    const { provider, logger } = otlpClient(harness.bridge.logsUrl, 'protobuf', {
      headers: { Authorization: `Bearer ${BRIDGE_TOKENS.payments}` },
    });
    logger.emit({
      attributes: {
        'audit.event_name': 'Refund',
        'user.id': 'alice',
        'audit.event_source': 'payments.example.com',
        'audit.recipient_account_id': '123456789012',
        // A client may not claim another's name.
        'audit.additional_event_data': { bridgeClient: 'someone-else', orderId: 'o-1' },
      },
    });
    await provider.shutdown();
    await harness.bridge.drain();
    const events = harness.emulator.events();
    expect(events).toHaveLength(1);
    expect(events[0]!.eventData['additionalEventData']).toMatchObject({
      bridgeClient: 'payments-service',
      orderId: 'o-1',
    });
  });

  it('accepts a token given in the file as its SHA-256 digest', async () => {
    const { harness } = await startWithTokens();
    const response = await post(
      harness.bridge.logsUrl,
      JSON.stringify(jsonRequest([auditRecord('B')])),
      bearer(BRIDGE_TOKENS.billing),
    );
    expect(response.status).toBe(200);
    expect(text(response.bytes)).toBe('{}');
    await harness.bridge.drain();
    expect(harness.emulator.events()[0]!.eventData['additionalEventData']).toMatchObject({
      bridgeClient: 'billing-service',
    });
  });

  it('rejects records outside the token pins in partialSuccess and stores none of them', async () => {
    const { harness } = await startWithTokens();
    const otherSource = auditRecord('Forged', [
      { key: 'audit.event_source', value: { stringValue: 'hr.example.com' } },
    ]);
    const otherAccount = auditRecord('Forged2', [
      { key: 'audit.event_source', value: { stringValue: 'payments.example.com' } },
      { key: 'audit.recipient_account_id', value: { stringValue: '999999999999' } },
    ]);
    const response = await post(
      harness.bridge.logsUrl,
      JSON.stringify(jsonRequest([otherSource, otherAccount, paymentsRecord('Allowed')])),
      bearer(BRIDGE_TOKENS.payments),
    );
    expect(response.status).toBe(200);
    const body = JSON.parse(text(response.bytes)) as {
      partialSuccess: { rejectedLogRecords: string; errorMessage: string };
    };
    expect(body.partialSuccess.rejectedLogRecords).toBe('2');
    expect(body.partialSuccess.errorMessage).toMatch(/may not write eventSource "hr\.example\.com"/);
    expect(body.partialSuccess.errorMessage).toMatch(/may not write recipientAccountId "999999999999"/);
    await harness.bridge.drain();
    expect(harness.emulator.events().map((event) => event.eventData['eventName'])).toEqual(['Allowed']);
    expect(harness.bridge.counters.rejectedByCode).toEqual({
      CTL_ERR_BRIDGE_EVENT_SOURCE_NOT_ALLOWED: 1,
      CTL_ERR_BRIDGE_RECIPIENT_ACCOUNT_NOT_ALLOWED: 1,
    });
  });

  it('picks up a changed token file, and keeps the last good one when the change is broken', async () => {
    const { harness, path } = await startWithTokens();
    const body = JSON.stringify(jsonRequest([auditRecord('R')]));
    expect((await post(harness.bridge.logsUrl, body, bearer(BRIDGE_TOKENS.rotated))).status).toBe(401);
    await writeFile(path, tokenFile(`  - name: rotated\n    token: ${BRIDGE_TOKENS.rotated}\n`));
    await vi.waitFor(async () => {
      expect((await post(harness.bridge.logsUrl, body, bearer(BRIDGE_TOKENS.rotated))).status).toBe(200);
    });
    const errors: string[] = [];
    const collect = (...args: unknown[]) => void errors.push(args.join(' '));
    diag.setLogger(
      { error: collect, warn: collect, info: () => {}, debug: () => {}, verbose: () => {} },
      DiagLogLevel.WARN,
    );
    cleanups.push(() => Promise.resolve(diag.disable()));
    await writeFile(path, 'clients: [ {name: broken');
    await vi.waitFor(() =>
      expect(errors.join('\n')).toMatch(/Keeping the previous clients: .*not valid YAML/),
    );
    expect((await post(harness.bridge.logsUrl, body, bearer(BRIDGE_TOKENS.rotated))).status).toBe(200);
  });

  it('serves /metrics only to an authenticated client when tokens are configured', async () => {
    const { harness } = await startWithTokens();
    const metricsUrl = `${harness.bridge.url}/metrics`;
    expect((await fetch(metricsUrl)).status).toBe(401);
    const response = await fetch(metricsUrl, {
      headers: { authorization: `Bearer ${BRIDGE_TOKENS.billing}` },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(
      /otel_cloudtrail_lake_bridge_auth_failures_total\{reason="missing_credentials"\} 1/,
    );
  });
});

describe('listening beyond loopback', () => {
  it('refuses a non-loopback host without tokens or client certificates', async () => {
    await expect(startBridge({ host: '0.0.0.0', port: 0 }, {})).rejects.toThrow(ConfigError);
    await expect(startBridge({ host: '0.0.0.0', port: 0 }, {})).rejects.toThrow(/--insecure-no-auth/);
  });

  it('tells loopback addresses from the others', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '128.0.0.1'])
      expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('the token file', () => {
  it('never repeats a token in its errors', () => {
    const short = 'short-secret';
    expect(() => parseBridgeClients(`clients:\n  - name: a\n    token: ${short}\n`, 't.yaml')).toThrow(
      /at least 16 characters/,
    );
    try {
      parseBridgeClients(`clients:\n  - name: a\n    token: ${short}\n`, 't.yaml');
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
    expect(() =>
      parseBridgeClients(`clients:\n  - name: a\n  - name: a\n    sha256: ${'0'.repeat(64)}\n`, 't.yaml'),
    ).toThrow(/needs a `token`, a `sha256` or a `certificateSubject`/);
    expect(() =>
      parseBridgeClients(
        `clients:\n  - {name: a, sha256: "${'0'.repeat(64)}"}\n  - {name: a, sha256: "${'1'.repeat(64)}"}\n`,
        't.yaml',
      ),
    ).toThrow(/appears twice/);
  });
});
