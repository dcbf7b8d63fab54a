// Signature V4 checks of the emulator, with requests signed by the AWS SDK's signer (@smithy/signature-v4):
// valid signatures, wrong secret, unknown key, tampering, scope, clock skew at 15 minutes, session tokens,
// and the "no credentials configured" mode. Channel and body rules are in request-rules.test.ts.
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { TEST_CREDENTIAL, bodyOf, eventData, put, signedPut } from './helpers/signed-request.js';

const account = TEST_CREDENTIAL.accountId;
const body = bodyOf([eventData(account)]);
const started: Emulator[] = [];

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({ credentials: [TEST_CREDENTIAL], log: () => undefined, ...options });
  started.push(emulator);
  return emulator;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.close()));
});

describe('with configured credentials', () => {
  test('accepts a request signed with the configured secret', async () => {
    const emulator = await start();
    const result = await put(emulator.url, emulator.channelArn, body);
    expect(result.status).toBe(200);
    expect(result.json.successful).toHaveLength(1);
  });

  test('answers a wrong secret with 403 InvalidSignatureException and stores nothing', async () => {
    const emulator = await start();
    const result = await put(emulator.url, emulator.channelArn, body, { secretAccessKey: 'not-the-secret' });
    expect(result.status).toBe(403);
    expect(result.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    expect(result.json.message).not.toContain(TEST_CREDENTIAL.secretAccessKey);
    expect(emulator.events()).toHaveLength(0);
  });

  test('answers an unknown access key with 403 UnrecognizedClientException', async () => {
    const emulator = await start();
    const result = await put(emulator.url, emulator.channelArn, body, { accessKeyId: 'AKIDUNKNOWN' });
    expect(result.status).toBe(403);
    expect(result.json.__type).toBe('UnrecognizedClientException');
  });

  test('detects a body, a query parameter or a signed header changed after signing', async () => {
    const emulator = await start();
    const alteredBody = await put(emulator.url, emulator.channelArn, body, {
      sendBody: body.replace('alice', 'mallory'),
    });
    expect(alteredBody.status).toBe(403);
    expect(alteredBody.json.__type).toBe('InvalidSignatureException');
    const wrongHash = await put(emulator.url, emulator.channelArn, body, {
      afterSign: (headers) => {
        headers['x-amz-content-sha256'] = '0'.repeat(64);
      },
    });
    expect(wrongHash.json.__type).toBe('InvalidSignatureException');
    const changedDate = await put(emulator.url, emulator.channelArn, body, {
      afterSign: (headers) => {
        headers['x-amz-date'] = headers['x-amz-date']!.replace(
          /\d\dZ$/,
          (seconds) => `${(Number(seconds.slice(0, 2)) + 1) % 60}`.padStart(2, '0') + 'Z',
        );
      },
    });
    expect(changedDate.json.__type).toBe('InvalidSignatureException');
    const tamperedQuery = await fetch(
      `${emulator.url}/PutAuditEvents?channelArn=${encodeURIComponent(emulator.channelArn)}&externalId=added`,
      {
        method: 'POST',
        headers: await signedHeaders(emulator),
        body,
      },
    );
    expect(tamperedQuery.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
  });

  test('accepts a signed x-amz-content-sha256 header that matches the body and refuses one that does not', async () => {
    const emulator = await start();
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(body).digest('hex');
    const ok = await put(emulator.url, emulator.channelArn, body, {
      extraHeaders: { 'x-amz-content-sha256': hash },
    });
    expect(ok.status).toBe(200);
    const other = createHash('sha256').update(`${body} `).digest('hex');
    const mismatch = await put(emulator.url, emulator.channelArn, body, {
      extraHeaders: { 'x-amz-content-sha256': other },
    });
    expect(mismatch.json.__type).toBe('InvalidSignatureException');
  });

  test('verifies a canonical query with every character the externalId pattern allows', async () => {
    const externalId = 'a+b=c,d.e@f:g/h-i_j';
    const emulator = await start({
      channels: [{ channelArn: `arn:aws:cloudtrail:us-east-1:${account}:channel/x`, externalId }],
    });
    const result = await put(emulator.url, emulator.channelArn, body, { externalId });
    expect(result.status).toBe(200);
    expect(emulator.received()[0]?.externalId).toBe(externalId);
  });

  test('requires the credential scope to name cloudtrail-data and the emulator region', async () => {
    const emulator = await start();
    const wrongService = await put(emulator.url, emulator.channelArn, body, { service: 'cloudtrail' });
    expect(wrongService.json.__type).toBe('InvalidSignatureException');
    expect(wrongService.json.message).toContain('cloudtrail-data');
    const wrongRegion = await put(emulator.url, emulator.channelArn, body, { region: 'eu-west-1' });
    expect(wrongRegion.json.__type).toBe('InvalidSignatureException');
    expect(wrongRegion.json.message).toContain('us-east-1');
  });

  test('accepts a signature 15 minutes old and rejects one 15 minutes and 1 second old', async () => {
    const nowMillis = Date.UTC(2026, 10, 21, 12, 0, 0);
    const emulator = await start({ now: () => nowMillis });
    const atLimit = await put(emulator.url, emulator.channelArn, body, {
      signingDate: new Date(nowMillis - 15 * 60_000),
    });
    expect(atLimit.status).toBe(200);
    const pastLimit = await put(emulator.url, emulator.channelArn, body, {
      signingDate: new Date(nowMillis - 15 * 60_000 - 1000),
    });
    expect(pastLimit.status).toBe(403);
    expect(pastLimit.json.__type).toBe('InvalidSignatureException');
    expect(pastLimit.json.message).toMatch(/Signature expired/);
    const future = await put(emulator.url, emulator.channelArn, body, {
      signingDate: new Date(nowMillis + 15 * 60_000 + 1000),
    });
    expect(future.json.__type).toBe('InvalidSignatureException');
  });

  test('answers a missing Authorization header with MissingAuthenticationTokenException and a partial one with IncompleteSignatureException', async () => {
    const emulator = await start();
    const url = `${emulator.url}/PutAuditEvents?channelArn=${encodeURIComponent(emulator.channelArn)}`;
    const none = await fetch(url, { method: 'POST', body });
    expect(none.status).toBe(403);
    expect(none.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    const partial = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${TEST_CREDENTIAL.accessKeyId}/20261121/us-east-1/cloudtrail-data/aws4_request`,
      },
    });
    expect(partial.status).toBe(403);
    expect(partial.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
  });
});

describe('session tokens', () => {
  const temporary = { ...TEST_CREDENTIAL, accessKeyId: 'ASIATEMPORARY', sessionToken: 'session-token-value' };

  test('accepts the configured token and refuses a missing or wrong one with UnrecognizedClientException', async () => {
    const emulator = await start({ credentials: [temporary] });
    const ok = await put(emulator.url, emulator.channelArn, body, temporary);
    expect(ok.status).toBe(200);
    const withoutToken = { accessKeyId: temporary.accessKeyId, secretAccessKey: temporary.secretAccessKey };
    const missing = await signedPut({
      ...withoutToken,
      url: emulator.url,
      channelArn: emulator.channelArn,
      body,
    });
    expect(missing.json.__type).toBe('UnrecognizedClientException');
    const wrong = await put(emulator.url, emulator.channelArn, body, {
      ...temporary,
      sessionToken: 'other-token',
    });
    expect(wrong.json.__type).toBe('UnrecognizedClientException');
  });

  test('answers an expired session with ExpiredTokenException', async () => {
    const emulator = await start({ credentials: [{ ...temporary, expiresAtMillis: Date.now() - 1 }] });
    const result = await put(emulator.url, emulator.channelArn, body, temporary);
    expect(result.status).toBe(403);
    expect(result.json.__type).toBe('ExpiredTokenException');
  });
});

describe('without configured credentials', () => {
  test('accepts any well-formed signature, says so at start-up, and treats the caller as the owner', async () => {
    const lines: string[] = [];
    const emulator = await start({ credentials: [], log: (line) => lines.push(line) });
    expect(emulator.acceptsAnySignature).toBe(true);
    expect(lines.join('\n')).toContain('accepting any well-formed signature');
    const result = await signedPut({
      accessKeyId: 'anything',
      secretAccessKey: 'whatever',
      url: emulator.url,
      channelArn: emulator.channelArn,
      body: bodyOf([eventData(emulator.accountId)]),
    });
    expect(result.status).toBe(200);
    expect(result.json.successful).toHaveLength(1);
  });

  test('still checks the service name of the credential scope', async () => {
    const emulator = await start({ credentials: [] });
    const result = await signedPut({
      accessKeyId: 'a',
      secretAccessKey: 'b',
      service: 'logs',
      url: emulator.url,
      channelArn: emulator.channelArn,
      body,
    });
    expect(result.json.__type).toBe('InvalidSignatureException');
  });
});

test('never prints a secret in its start-up lines', async () => {
  const lines: string[] = [];
  await start({
    credentials: [{ ...TEST_CREDENTIAL, sessionToken: 'session-secret-token' }],
    log: (line) => lines.push(line),
  });
  const text = lines.join('\n');
  expect(text).toContain(TEST_CREDENTIAL.accessKeyId);
  expect(text).not.toContain(TEST_CREDENTIAL.secretAccessKey);
  expect(text).not.toContain('session-secret-token');
});

/** Headers of a correctly signed request for the default channel without externalId. */
async function signedHeaders(emulator: Emulator): Promise<Record<string, string>> {
  let captured: Record<string, string> = {};
  await put(emulator.url, emulator.channelArn, body, {
    afterSign: (headers) => {
      captured = { ...headers };
    },
  });
  delete captured['host'];
  return captured;
}
