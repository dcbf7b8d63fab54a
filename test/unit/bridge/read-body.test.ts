// Covers reading a request body over real HTTP: a body with a Content-Length arrives whole however it
// is split on the wire (it is copied into one buffer as it arrives), a chunked body without one too,
// and a body above maxBodyBytes is refused with 413 either way.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyError, readBody } from '../../../src/bridge/read-body.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** Sends `parts` as one request's body, each written apart with a pause, and returns what readBody made of it. */
async function received(
  parts: Buffer[],
  headers: Record<string, string | number>,
  maxBodyBytes: number,
): Promise<Buffer | BodyError> {
  let result: Promise<Buffer | BodyError> | undefined;
  server = createServer((req: IncomingMessage, res) => {
    result = readBody(req, maxBodyBytes).then(
      (body) => body.bytes,
      (error: unknown) => error as BodyError,
    );
    void result.then(() => res.end());
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', () => resolve());
    void (async () => {
      for (const part of parts) {
        req.write(part);
        await new Promise((r) => setTimeout(r, 5));
      }
      req.end();
    })();
  });
  return result!;
}

const parts = [Buffer.alloc(70_000, 'a'), Buffer.from('bcd'), Buffer.alloc(100_000, 'e')];
const whole = Buffer.concat(parts);

describe('readBody', () => {
  it('returns a body with a Content-Length whole, however it is split on the wire', async () => {
    const body = await received(parts, { 'content-length': whole.length }, 1024 * 1024);
    expect(Buffer.isBuffer(body) && body.equals(whole)).toBe(true);
  });

  it('returns a chunked body without a Content-Length whole', async () => {
    const body = await received(parts, { 'transfer-encoding': 'chunked' }, 1024 * 1024);
    expect(Buffer.isBuffer(body) && body.equals(whole)).toBe(true);
  });

  it('refuses a chunked body above maxBodyBytes with 413 naming the limit', async () => {
    const error = await received(parts, { 'transfer-encoding': 'chunked' }, 100_000);
    expect(error).toBeInstanceOf(BodyError);
    expect((error as BodyError).statusCode).toBe(413);
    expect((error as BodyError).message).toContain('maxBodyBytes (100000)');
  });

  it('refuses a declared Content-Length above maxBodyBytes before reading it', async () => {
    const error = await received(parts, { 'content-length': whole.length }, 100_000);
    expect((error as BodyError).statusCode).toBe(413);
    expect((error as BodyError).message).toContain(`request body of ${whole.length} bytes`);
  });
});
