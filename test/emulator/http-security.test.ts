// The emulator's HTTP defences, tried as an attacker would: a web page's cross-origin "simple" POST, a
// DNS-rebound Host, unauthenticated admin and control plane calls when credentials are configured,
// bodies too large (declared, and chunked without a length), and a non-loopback bind without credentials.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { resolveEmulatorOptions } from '../../src/emulator/resolve-emulator-options.js';
import { ConfigError } from '../../src/errors.js';
import { adminFetch } from './helpers/admin-fetch.js';
import { TEST_CREDENTIAL, signedPut } from './helpers/signed-request.js';

const TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ credentials: [TEST_CREDENTIAL], log: () => undefined });
});
afterAll(() => emulator.close());

/** A raw request, so Host and framing are exactly what a test says; resolves at the response. */
function raw(
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; json: { __type?: string; message?: string } }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${emulator.url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(text || '{}') as never }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('browsers and DNS rebinding', () => {
  test('a cross-origin text/plain POST (a CORS simple request) changes nothing', async () => {
    const before = emulator.faults;
    const response = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://attacker.example' },
      body: JSON.stringify({ throttleRate: 1 }),
    });
    expect(response.status).toBe(403);
    expect(emulator.faults).toEqual(before);
    const sameOriginText = await adminFetch(emulator, '/_emulator/faults', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ throttleRate: 1 }),
    });
    expect(sameOriginText.status).toBe(415);
    expect(emulator.faults).toEqual(before);
    const control = await fetch(emulator.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-amz-target': `${TARGET}ListChannels`, origin: 'http://evil.example' },
      body: '{}',
    });
    expect(control.status).toBe(403);
  });

  test('a Host that is not the emulator is refused on the admin and control endpoints', async () => {
    const port = new URL(emulator.url).port;
    const events = await raw('/_emulator/events', { host: `rebound.attacker.example:${port}`, authorization: `Bearer ${emulator.adminToken}` });
    expect(events).toMatchObject({ status: 403, json: { __type: 'ForbiddenRequestException' } });
    const control = await raw(
      '/',
      { host: `rebound.attacker.example:${port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}ListChannels`, authorization: `Bearer ${emulator.adminToken}` },
      '{}',
    );
    expect(control.status).toBe(403);
    const localhost = await raw('/_emulator/events', { host: `localhost:${port}`, authorization: `Bearer ${emulator.adminToken}` });
    expect(localhost.status).toBe(200);
  });
});

describe('authentication with credentials configured', () => {
  test('admin endpoints need the admin token or a SigV4 signature', async () => {
    const unsigned = await fetch(`${emulator.url}/_emulator/events`);
    expect(unsigned.status).toBe(403);
    expect(((await unsigned.json()) as { __type: string }).__type).toBe('MissingAuthenticationTokenException');
    const wrongToken = await fetch(`${emulator.url}/_emulator/events`, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrongToken.status).toBe(403);
    expect((await adminFetch(emulator, '/_emulator/events')).status).toBe(200);
    const signed = await signedPut({ ...TEST_CREDENTIAL, url: emulator.url, path: '/_emulator/reset-stats', body: '{}' });
    expect(signed.status).toBe(200);
    const wrongSecret = await signedPut({ ...TEST_CREDENTIAL, secretAccessKey: 'wrong', url: emulator.url, path: '/_emulator/reset-stats', body: '{}' });
    expect(wrongSecret.json.__type).toBe('InvalidSignatureException');
  });

  test('the control plane needs a signature for `cloudtrail` or the admin token, and its JSON media type', async () => {
    const call = (headers: Record<string, string>) =>
      fetch(emulator.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}ListChannels`, ...headers },
        body: '{}',
      });
    const unsigned = await call({});
    expect(unsigned.status).toBe(403);
    expect(((await unsigned.json()) as { __type: string }).__type).toBe('MissingAuthenticationTokenException');
    const withToken = await call({ authorization: `Bearer ${emulator.adminToken}` });
    expect(withToken.status).toBe(200);
    expect(((await withToken.json()) as { Channels: unknown[] }).Channels).toHaveLength(1);
    const json = await call({ authorization: `Bearer ${emulator.adminToken}`, 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    const dataPlaneScope = await signedPut({
      ...TEST_CREDENTIAL,
      url: emulator.url,
      path: '/',
      body: '{}',
      extraHeaders: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}ListChannels` },
    });
    expect(dataPlaneScope.json.__type).toBe('InvalidSignatureException');
    const signed = await signedPut({
      ...TEST_CREDENTIAL,
      service: 'cloudtrail',
      url: emulator.url,
      path: '/',
      body: '{}',
      extraHeaders: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}ListChannels` },
    });
    expect(signed.status).toBe(200);
  });
});

describe('oversize bodies', () => {
  test('a declared length above the limit is answered without the body ever being sent', async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${emulator.url}/PutAuditEvents?channelArn=x`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(200 * 1024 * 1024) },
      });
      request.on('response', (response) => {
        resolve(response.statusCode ?? 0);
        request.destroy();
      });
      request.on('error', reject);
      request.flushHeaders();
    });
    expect(answer).toBe(400);
  });

  test('a chunked body is cut off once it passes the limit', async () => {
    let written = 0;
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${emulator.url}/_emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${emulator.adminToken}` },
      });
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      let answered = false;
      request.on('response', (response) => {
        answered = true;
        resolve(response.statusCode ?? 0);
        request.destroy();
      });
      request.on('error', (error) => (answered ? undefined : reject(error)));
      const pump = (): void => {
        // Never ends on its own: only the server's answer stops it (a 64 MiB guard keeps a bug finite).
        while (!answered && written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!request.write(chunk)) return void request.once('drain', pump);
        }
      };
      pump();
    });
    expect(status).toBe(413);
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('binding beyond loopback', () => {
  test('is refused without credentials unless insecure is set', async () => {
    await expect(resolveEmulatorOptions({ host: '0.0.0.0' })).rejects.toBeInstanceOf(ConfigError);
    await expect(resolveEmulatorOptions({ host: '0.0.0.0' })).rejects.toThrow(/insecure/);
    await expect(resolveEmulatorOptions({ host: '0.0.0.0', insecure: true })).resolves.toMatchObject({ host: '0.0.0.0' });
    await expect(resolveEmulatorOptions({ host: '0.0.0.0', credentials: [TEST_CREDENTIAL] })).resolves.toMatchObject({ host: '0.0.0.0' });
    await expect(resolveEmulatorOptions({ host: '127.0.0.2' })).resolves.toMatchObject({ host: '127.0.0.2' });
  });
});
